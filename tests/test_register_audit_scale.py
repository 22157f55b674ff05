"""The audit log (who, when, which fields — never personal values) and duplicate detection that
stays cheap on a register of 10,000 customers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff, context, store_bytes


def test_every_change_is_audited_by_field_name_only(business: Path, kk: Any) -> None:
    add_staff(kk)
    kk("--as", "anna", "--no-input", "customer", "add", "--name", "Anna Svensson", "--person",
       "--email", "anna.svensson@post.example", "--phone", "070-174 06 40", "--segment", "privat",
       "--manager", "sara")
    kk("--as", "sara", "customer", "edit", "K1001", "--email", "anna.s@post.example", "--notes", "VIP-kund")
    kk("--as", "erik", "customer", "assign", "K1001", "--manager", "olle")
    kk("--as", "anna", "product", "add", "--sku", "X1", "--name", "X", "--price", "10")
    entries = json.loads(kk("audit", "list", "--customer", "K1001", "--format", "json").stdout)
    assert [(e["action"], e["actor"], e["fields"]) for e in entries] == [
        ("create", "anna", ["email", "kind", "language", "manager", "name", "phone", "segment"]),
        ("update", "sara", ["email", "notes"]),
        ("assign", "erik", ["manager"]),
    ]
    assert all(e["at"] == "2026-11-20T10:00:00+01:00" and e["record"] == "K1001" for e in entries)
    by_table = json.loads(kk("audit", "list", "--table", "products", "--format", "json").stdout)
    assert [(e["action"], e["record"]) for e in by_table] == [("create", "X1")]
    assert len(json.loads(kk("audit", "list", "--actor", "anna", "--format", "json").stdout)) == 2
    assert json.loads(kk("audit", "list", "--since", "2026-12-01", "--format", "json").stdout) == []
    logged = "".join(v.decode("utf-8") for k, v in store_bytes(business).items() if k.startswith("audit_log"))
    for value in ("Svensson", "anna.s", "post.example", "46701740640", "VIP-kund"):
        assert value not in logged


def _big_register(business: Path, n: int) -> None:
    """``n`` customers written straight into the store (as an import would, but quicker)."""
    import random

    from kundkit.customers import FIRST_NUMBER, insert_customers
    from kundkit.identity import _luhn_digit

    rnd = random.Random(42)
    surnames = ("Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson "
                "Pettersson Jonsson Lindberg Öberg Åkesson Holm Berg Lund Wikström Sjöberg").split()
    trades = "Bygg Måleri Rör El Plåt Snickeri Mark Fasad Tak Golv Betong Service Montage Verktyg".split()
    places = "Västerås Köping Sala Arboga Enköping Fagersta Eskilstuna Uppsala Örebro Kungsör".split()
    records = []
    for i in range(n):
        number = FIRST_NUMBER + i
        if i % 4:
            body = f"556{i:06d}"
            digits = body + str(_luhn_digit(body))
            record = {"kind": "company", "name": f"{rnd.choice(surnames)}s {rnd.choice(trades)} i "
                                                 f"{rnd.choice(places)} AB",
                      "orgnr": f"{digits[:6]}-{digits[6:]}", "personnummer": None}
        else:
            record = {"kind": "person", "name": f"{rnd.choice(surnames)} {rnd.choice(trades)}son {i}",
                      "orgnr": None, "personnummer": None}
        record.update(id=f"K{number}", email=f"kund{i}@post.example", phone=f"+4621{i:06d}", segment="bygg",
                      manager="anna", tags=[], consent={}, address=[])
        records.append((number, record))
    ctx = context(business)
    with ctx.store.transaction() as tx:
        insert_customers(tx, records)
        tx.meta.setdefault("counters", {})["customer"] = FIRST_NUMBER + n - 1
        tx.set_meta("counters", tx.meta["counters"])


@pytest.fixture
def big(business: Path, kk: Any) -> Path:
    add_staff(kk)
    _big_register(business, 10_000)
    kk("--no-input", "customer", "add", "--name", "Lina Wåhlström-Kvist", "--person",
       "--email", "lina@post.example")
    return business


def test_duplicates_among_10000_customers_take_a_bounded_number_of_name_comparisons(
        big: Path, kk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import kundkit.identity

    calls: list[tuple[str, str]] = []
    real = kundkit.identity.name_similarity

    def counting(a: str, b: str) -> float:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(kundkit.identity, "name_similarity", counting)
    misspelt = kk("--no-input", "customer", "add", "--name", "Lina Wahlström Kvist", "--person", code=1)
    assert "K11001 Lina Wåhlström-Kvist (similar name" in misspelt.stderr
    assert 1 <= len(calls) <= 6
    calls.clear()
    same_email = kk("--no-input", "customer", "add", "--name", "Helt Ny", "--person",
                    "--email", "kund77@post.example", code=1)
    assert "K1078" in same_email.stderr and "(same e-mail address)" in same_email.stderr
    assert len(calls) <= 6
    calls.clear()
    assert kk("--no-input", "customer", "add", "--name", "Nilssons Bygg i Sala AB",
              "--orgnr", "556036-0793").stdout == "K11002\n"
    assert calls == []  # a company with its number is compared by number, not by name, with companies


def test_show_and_find_on_a_large_register(big: Path, kk: Any) -> None:
    shown = json.loads(kk("customer", "show", "K11001", "--format", "json").stdout)
    assert shown["name"] == "Lina Wåhlström-Kvist"
    found = json.loads(kk("customer", "find", "lina@post.example", "--format", "json").stdout)
    assert [r["id"] for r in found] == ["K11001"]
