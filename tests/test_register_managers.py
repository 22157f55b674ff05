"""Permanent managers: the strategies of kundkit.yaml, reassigning with the open tasks, and staff
who leave."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff, set_customers_section

SEGMENTS = ["bygg", "industri", "offentlig", "privat"]


def add_people(kk: Any, n: int, segment: str = "privat") -> list[str]:
    ids = []
    for i in range(n):
        result = kk("--no-input", "customer", "add", "--name", f"Kund Nummer {i} {segment}", "--person",
                    "--segment", segment, "--force")
        ids.append(result.stdout.strip())
    return ids


def managers(kk: Any) -> dict[str, str]:
    return {r["id"]: r["manager"] for r in json.loads(kk("customer", "list", "--format", "json").stdout)}


def use(business: Path, **managers_section: Any) -> None:
    set_customers_section(business, {"segments": SEGMENTS, "managers": managers_section})


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    add_staff(kk)
    return business


def test_least_loaded_gives_each_new_customer_to_the_one_with_fewest(shop: Path, kk: Any) -> None:
    use(shop, strategy="least-loaded")
    kk("--no-input", "customer", "add", "--name", "Första", "--person", "--manager", "anna")
    kk("--no-input", "customer", "add", "--name", "Andra", "--person", "--manager", "anna")
    ids = add_people(kk, 5)
    assigned = [managers(kk)[i] for i in ids]
    assert assigned == ["erik", "johan", "maria", "olle", "sara"]
    [last] = add_people(kk, 1)
    assert managers(kk)[last] == "erik"  # all but anna have one now; erik is first by id


def test_round_robin_takes_staff_in_turn_across_commands(shop: Path, kk: Any) -> None:
    use(shop, strategy="round-robin")
    ids = add_people(kk, 8)
    assert [managers(kk)[i] for i in ids] == ["anna", "erik", "johan", "maria", "olle", "sara", "anna",
                                              "erik"]


def test_by_segment_maps_segments_and_falls_back(shop: Path, kk: Any) -> None:
    use(shop, strategy="by-segment", by_segment={"bygg": ["anna", "erik"], "industri": "johan"},
        fallback="round-robin")
    bygg = add_people(kk, 3, "bygg")
    industri = add_people(kk, 2, "industri")
    privat = add_people(kk, 2, "privat")
    m = managers(kk)
    assert [m[i] for i in bygg] == ["anna", "erik", "anna"]
    assert [m[i] for i in industri] == ["johan", "johan"]
    assert [m[i] for i in privat] == ["anna", "erik"]


def test_roles_limit_who_manages_customers(shop: Path, kk: Any) -> None:
    set_customers_section(shop, {"managers": {"strategy": "least-loaded", "roles": ["service"]}})
    assert set(managers(kk).values()) == set()
    ids = add_people(kk, 2)
    assert [managers(kk)[i] for i in ids] == ["olle", "olle"]


def test_an_import_spreads_customers_like_single_additions(shop: Path, kk: Any) -> None:
    use(shop, strategy="least-loaded")
    rows = "".join(f"Importerad {i},person\n" for i in range(12))
    (shop / "many.csv").write_text("name,kind\n" + rows, encoding="utf-8")
    kk("customer", "import", "many.csv", "--force")
    counts: dict[str, int] = {}
    for manager in managers(kk).values():
        counts[manager] = counts.get(manager, 0) + 1
    assert counts == {"anna": 2, "erik": 2, "johan": 2, "maria": 2, "olle": 2, "sara": 2}


def test_the_configuration_is_checked(shop: Path, kk: Any) -> None:
    set_customers_section(shop, {"segments": ["bygg"], "default_segment": "hotell",
                                 "managers": {"strategy": "by-segment", "by_segment": {"privat": "anna"}}})
    result = kk("customer", "list", code=1)
    assert "customers.default_segment: 'hotell' is not in customers.segments" in result.stderr
    assert "customers.managers.by_segment: 'privat' is not in customers.segments" in result.stderr
    set_customers_section(shop, {"managers": {"strategy": "loudest"}})
    assert "kundkit.yaml:" in kk("customer", "list", code=1).stderr


def test_assign_moves_the_open_tasks_of_the_previous_manager(shop: Path, kk: Any) -> None:
    kk("--no-input", "customer", "add", "--name", "Karin Öhman", "--person", "--manager", "sara")
    kk("--as", "sara", "task", "add", "--customer", "K1001", "--title", "Ring om offerten", "--due", "+2d")
    kk("--as", "sara", "task", "add", "--customer", "K1001", "--title", "Redan gjort")
    kk("--as", "sara", "task", "done", "T1002")
    kk("task", "add", "--customer", "K1001", "--title", "Reklamation", "--assignee", "olle")
    result = kk("--as", "anna", "customer", "assign", "K1001", "--manager", "erik")
    assert result.stdout == "K1001: manager sara → erik\n"
    tasks = {t["id"]: t for t in json.loads(kk("task", "list", "--status", "all", "--format", "json").stdout)}
    assert tasks["T1001"]["assignee"] == "erik"   # open, sara's: moved
    assert tasks["T1002"]["assignee"] == "sara"   # done: history stays
    assert tasks["T1003"]["assignee"] == "olle"   # someone else's task: stays
    entries = json.loads(kk("audit", "list", "--customer", "K1001", "--format", "json").stdout)
    assign = [e for e in entries if e["action"] == "assign"]
    assert assign[0]["detail"] == {"from": "sara", "to": "erik", "tasks_moved": 1}
    assert assign[0]["actor"] == "anna"


def test_a_leaving_manager_must_hand_over_first(shop: Path, kk: Any) -> None:
    use(shop, strategy="least-loaded")
    for name in ("A Ett", "B Två", "C Tre"):
        kk("--no-input", "customer", "add", "--name", name, "--person", "--manager", "olle")
    kk("--as", "olle", "task", "add", "--customer", "K1002", "--title", "Följ upp")
    kk("--as", "olle", "task", "add", "--title", "Städa lagret")
    refused = kk("staff", "deactivate", "olle", code=1)
    assert refused.stderr == ("Error: olle still manages 3 customers and has 2 open tasks; hand them "
                              "over first with 'kundkit customer assign', or use --reassign\n")
    result = kk("staff", "deactivate", "olle", "--reassign")
    assert result.stdout == "K1001\tanna\nK1002\terik\nK1003\tjohan\n"
    assert "olle is no longer active; 3 customers and 2 open tasks handed over." in result.stderr
    tasks = json.loads(kk("task", "list", "--format", "json").stdout)
    assert {t["title"]: t["assignee"] for t in tasks} == {"Följ upp": "erik", "Städa lagret": "maria"}
    staff = {s["id"]: s for s in json.loads(kk("staff", "list", "--all", "--format", "json").stdout)}
    assert staff["olle"]["active"] is False
    assert "olle" not in [s["id"] for s in json.loads(kk("staff", "list", "--format", "json").stdout)]
    refused = kk("--no-input", "customer", "add", "--name", "D Fyra", "--person", "--manager", "olle", code=1)
    assert "staff member 'olle' is no longer active" in refused.stderr


def test_deactivate_to_one_colleague(shop: Path, kk: Any) -> None:
    kk("--no-input", "customer", "add", "--name", "A Ett", "--person", "--manager", "olle")
    kk("staff", "deactivate", "olle", "--to", "sara")
    assert managers(kk) == {"K1001": "sara"}
