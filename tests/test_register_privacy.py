"""Personal data: ``customer data`` gives everything, ``customer forget`` leaves nothing to find in
any store file, keeps the books under a pseudonym, and the audit log never holds personal values."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff, context, store_bytes

VISITS_PLUGIN = '''
from kundkit import hookimpl
from kundkit.idtable import replace_doc
from kundkit.privacy import personal_needles, scrub


@hookimpl
def customer_data(ctx, tx, customer_id):
    visits = [dict(r) for r in tx.raw("shop_visits").values() if r.get("customer") == customer_id]
    return {"shop_visits": visits}


@hookimpl
def forget_customer(ctx, tx, customer_id, pseudonym, customer):
    patterns = personal_needles(customer).all()
    changed = 0
    for key, visit in list(tx.raw("shop_visits").items()):
        if visit.get("customer") == customer_id:
            visit = {**visit, "comment": None}
            visit, _n = scrub(visit, patterns, pseudonym)
            replace_doc(tx, "shop_visits", int(key), visit)
            changed += 1
    return {"shop_visits": changed}
'''

# Every way the person's data could be written down, looked for case-insensitively.
TRACES = ["Svensson", "Anna S", "811218", "8112189876", "anna.svensson@post.example", "46701740640",
          "0701740640", "070-174 06 40", "70 174 06 40", "Storgatan 1", "uppringd efter lunch"]


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "visits.py").write_text(VISITS_PLUGIN, encoding="utf-8")
    config = business / "kundkit.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "plugins:\n  - plugins/\n", encoding="utf-8")
    add_staff(kk)
    kk("--as", "anna", "--no-input", "customer", "add", "--name", "Anna Svensson", "--person",
       "--personnummer", "811218-9876", "--email", "anna.svensson@post.example",
       "--phone", "070-174 06 40", "--address", "Storgatan 1", "--address", "722 11 Västerås",
       "--segment", "privat", "--manager", "sara", "--consent", "email,sms",
       "--notes", "Vill bli uppringd efter lunch")
    kk("--as", "anna", "--no-input", "customer", "add", "--name", "Lars Berg", "--person",
       "--notes", "Rekommenderad av Anna Svensson (070-174 06 40)")
    kk("--as", "sara", "task", "add", "--customer", "K1001", "--title", "Ring Anna Svensson om offerten",
       "--note", "Hon har personnummer 19811218-9876 (8112189876 i gamla kassan)")
    kk("--as", "sara", "customer", "edit", "K1001", "--phone", "+46 70 174 06 40", "--add-tag", "stamkund")
    ctx = context(business)
    with ctx.store.transaction() as tx:
        # A purchase as the books keep it, with a copy of the name on the receipt.
        tx.table("purchases", "2026-11").insert({
            "id": "P1001", "customer": "K1001", "customer_name": "Anna Svensson", "date": "2026-11-19",
            "net": "2495.00", "lines": [{"sku": "BM-18V", "qty": 1, "price": "2495.00"}]})
        tx.table("shop_visits").insert({"customer": "K1001", "at": "2026-11-18",
                                        "comment": "Anna Svensson frågade om borrar; ring 0701740640 "
                                                   "eller +46 70 174 06 40"})
    return business


def test_data_gives_everything_held_about_the_customer(shop: Path, kk: Any) -> None:
    data = json.loads(kk("--as", "anna", "customer", "data", "K1001").stdout)
    assert data["id"] == "K1001"
    assert data["customer"]["personnummer"] == "19811218-9876"  # whole: it is the person's own data
    assert [t["title"] for t in data["tasks"]] == ["Ring Anna Svensson om offerten"]
    assert [p["id"] for p in data["purchases"]] == ["P1001"]
    assert data["shop_visits"][0]["comment"].startswith("Anna Svensson frågade om borrar")
    assert [e["action"] for e in data["audit_log"]] == ["create", "update"]
    accesses = [e for e in json.loads(kk("audit", "list", "--customer", "K1001", "--format", "json").stdout)
                if e["action"] == "access"]
    assert accesses[0]["actor"] == "anna"


def test_forget_leaves_nothing_to_find_in_any_store_file(shop: Path, kk: Any) -> None:
    before = b"".join(store_bytes(shop).values()).decode("utf-8").casefold()
    assert [t for t in TRACES if t.casefold() not in before] == [], "the set-up must hold every trace"

    result = kk("--as", "maria", "customer", "forget", "K1001", "--yes")
    pseudonym = re.search(r"now known as (anon-[0-9a-f]{8})", result.stderr).group(1)

    files = store_bytes(shop)
    assert any(name.startswith("purchases/") for name in files) and "shop_visits.json" in files
    for name, content in files.items():
        text = content.decode("utf-8").casefold()
        for trace in TRACES:
            assert trace.casefold() not in text, f"{trace!r} is still in {name}"

    customer = json.loads(kk("customer", "show", "K1001", "--format", "json").stdout)
    assert customer["name"] == pseudonym
    assert customer["forgotten_at"] == "2026-11-20T10:00:00+01:00"
    assert (customer["segment"], customer["manager"]) == ("privat", "sara")
    assert customer["consent"] == {} and customer["address"] == []
    # The books keep the purchase, under the pseudonym.
    data = json.loads(kk("customer", "data", "K1001").stdout)
    [purchase] = data["purchases"]
    assert (purchase["customer"], purchase["customer_name"], purchase["net"]) == ("K1001", pseudonym,
                                                                                  "2495.00")
    [task] = data["tasks"]
    assert task["title"] == f"Ring {pseudonym} om offerten" and task["note"] is None
    assert data["shop_visits"][0]["comment"] is None
    # The other customer keeps his name; the mention of her in his notes is gone.
    lars = json.loads(kk("customer", "show", "K1002", "--format", "json").stdout)
    assert lars["name"] == "Lars Berg" and lars["notes"] == f"Rekommenderad av {pseudonym} ({pseudonym})"
    assert kk("customer", "find", "svensson", "--format", "json").stdout == "[]\n"


def test_backups_taken_afterwards_hold_nothing_either(shop: Path, kk: Any, tmp_path: Path) -> None:
    kk("customer", "forget", "K1001", "--yes")
    backup = tmp_path / "after.zip"
    kk("db", "backup", "--to", str(backup))
    with zipfile.ZipFile(backup) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist()).decode("utf-8").casefold()
    assert "svensson" not in text and "811218" not in text


def test_the_erasure_is_audited_without_the_erased_values(shop: Path, kk: Any) -> None:
    kk("--as", "maria", "customer", "forget", "K1001", "--yes")
    entries = json.loads(kk("audit", "list", "--customer", "K1001", "--format", "json").stdout)
    assert [(e["action"], e["actor"]) for e in entries] == [("create", "anna"), ("update", "sara"),
                                                            ("forget", "maria")]
    forget = entries[-1]
    assert forget["fields"] == ["address", "email", "name", "notes", "personnummer", "phone"]
    assert forget["detail"]["tables"]["customers"] == 1
    assert forget["detail"]["tables"]["tasks"] == 1
    assert forget["detail"]["tables"]["purchases"] == 1
    assert forget["detail"]["tables"]["shop_visits"] == 1
    table = kk("audit", "list", "--customer", "K1001").stdout
    assert "forget" in table and "maria" in table


def test_forget_asks_first_and_only_once(shop: Path, kk: Any) -> None:
    refused = kk("--no-input", "customer", "forget", "K1001", code=2)
    assert "missing value for --yes" in refused.stderr
    kk("customer", "forget", "K1001", "--yes")
    again = kk("customer", "forget", "K1001", "--yes", code=1)
    assert again.stderr == "Error: customer K1001 was already forgotten on 2026-11-20\n"
    edit = kk("customer", "edit", "K1001", "--name", "Anna Svensson", code=1)
    assert "has been forgotten" in edit.stderr


def test_a_forgotten_customer_is_out_of_lists_and_duplicate_checks(shop: Path, kk: Any) -> None:
    kk("customer", "forget", "K1001", "--yes")
    assert [r["id"] for r in json.loads(kk("customer", "list", "--format", "json").stdout)] == ["K1002"]
    again = kk("--no-input", "customer", "add", "--name", "Anna Svensson", "--person",
               "--personnummer", "811218-9876")
    assert again.stdout == "K1003\n"
