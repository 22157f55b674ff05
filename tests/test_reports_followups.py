"""``report followups``: key-product sales and whether their consultation came in time.

The story (consultation due 7 days after the sale; the report is made on 2026-11-20):

    P1001 2026-09-01 K1001 (bygg, anna)    VERK         done 09-05        → in time
    P1002 2026-09-10 K1002 (privat, erik)  VERK         done 09-20 > 09-17 → late
    P1003 2026-10-01 K1003 (privat, anna)  VERK         still open, due 10-08 → not done
    P1004 2026-10-15 K1003                 SKRUV        no key product    → not counted
    P1005 2026-10-20 K1001                 VERK, voided on 10-22          → not counted
    P1007 2026-11-02 K1002                 VERK + SKRUV task cancelled    → not done
    P1008 2026-11-18 K1001                 VERK         open, due 11-25   → pending
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import reports_support
from reports_support import at, run, set_section



def sell(business: Path, day: str, customer: str, *lines: str) -> dict[str, Any]:
    from kundkit.purchases import PurchaseRequest, add_purchase, parse_line

    return add_purchase(at(business, f"{day}T11:00:00"), PurchaseRequest(
        customer=customer, date=date.fromisoformat(day),
        lines=[parse_line(text, "SEK") for text in lines]))


def finish(business: Path, moment: str, task: str, *, cancel: bool = False) -> None:
    from kundkit.tasks import cancel_task, complete_task

    ctx = at(business, moment)
    with ctx.store.transaction() as tx:
        (cancel_task if cancel else complete_task)(ctx, tx, task)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kundkit.purchases import void

    business = reports_support.new_shop(tmp_path_factory, "followups")
    reports_support.configure(business)
    set_section(business, "followup", {"enabled": True, "due_days": 7})
    ctx = at(business, "2026-08-01T09:00:00")
    with ctx.store.transaction() as tx:
        reports_support.add_people(ctx, tx, customers=3)
    task = lambda record: record["followups"][0]["task"]  # noqa: E731
    finish(business, "2026-09-05T14:00:00", task(sell(business, "2026-09-01", "K1001", "VERK:1")))
    finish(business, "2026-09-20T09:00:00", task(sell(business, "2026-09-10", "K1002", "VERK:1")))
    sell(business, "2026-10-01", "K1003", "VERK:1")
    sell(business, "2026-10-15", "K1003", "SKRUV:3")
    voided = sell(business, "2026-10-20", "K1001", "VERK:1")
    void(at(business, "2026-10-22T10:00:00"), voided["id"], reason="Wrong order")
    finish(business, "2026-11-04T10:00:00",
           task(sell(business, "2026-11-02", "K1002", "VERK:1", "SKRUV:2")), cancel=True)
    sell(business, "2026-11-18", "K1001", "VERK:1")
    return business


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def report(*args: str) -> dict[str, Any]:
    return json.loads(run("report", "followups", "--format", "json", *args).stdout)


def test_per_manager_and_in_all(shop: Path) -> None:
    data = report()
    assert data["due_days"] == 7
    assert data["managers"] == [
        {"manager": "anna", "name": "Anna Lind", "sales": 3, "in_time": 1, "late": 0,
         "not_done": 1, "pending": 1, "not_asked": 0, "in_time_share": "0.5000"},
        {"manager": "erik", "name": "Erik Ek", "sales": 2, "in_time": 0, "late": 1,
         "not_done": 1, "pending": 0, "not_asked": 0, "in_time_share": "0.0000"},
    ]
    assert data["total"] == {"manager": None, "name": "Total", "sales": 5, "in_time": 1, "late": 1,
                             "not_done": 2, "pending": 1, "not_asked": 0, "in_time_share": "0.2500"}
    assert [(m["purchase"], m["outcome"]) for m in data["missed"]] == [
        ("P1007", "not_done"), ("P1003", "not_done"), ("P1002", "late")]  # the latest first
    late = data["missed"][2]
    assert late["customer_name"] == "Beata Berg"
    assert late["due"] == "2026-09-17" and late["done_at"].startswith("2026-09-20")


def test_period_and_segment(shop: Path) -> None:
    november = report("--period", "2026-11")
    assert november["total"]["sales"] == 2 and november["total"]["pending"] == 1
    assert november["total"]["not_done"] == 1 and november["total"]["in_time_share"] == "0.0000"
    private = report("--segment", "privat")
    assert [(m["manager"], m["sales"]) for m in private["managers"]] == [("anna", 1), ("erik", 2)]
    assert private["total"]["sales"] == 3 and private["total"]["in_time"] == 0


def test_table_shows_the_same_figures(shop: Path) -> None:
    text = run("report", "followups").stdout
    assert "Key-product follow-up" in text and "due 7 days after the sale" in text
    assert "25.0 %" in text and "50.0 %" in text and "Late or not done" in text
    assert "P1007" in text and "not done" in text
    lines = run("report", "followups", "--format", "csv").stdout.splitlines()
    assert lines == ["manager,name,sales,in_time,late,not_done,pending,not_asked,in_time_share",
                     "anna,Anna Lind,3,1,0,1,1,0,0.5000", "erik,Erik Ek,2,0,1,1,0,0,0.0000"]


def test_imported_history_was_never_asked(shop: Path) -> None:
    (shop / "old.csv").write_text("order,date,customer,sku,quantity,unit_price,seller\n"
                                  "A1,2026-08-03,K1002,VERK,1,1000.00,erik\n", encoding="utf-8")
    run("purchase", "import", "old.csv")
    data = report()
    erik = data["managers"][1]
    assert (erik["manager"], erik["sales"], erik["not_asked"], erik["not_done"]) == ("erik", 3, 1, 1)
    assert data["total"]["in_time_share"] == "0.2500"          # still 1 of the 4 decided
    assert "P1009" not in [m["purchase"] for m in data["missed"]]
    assert any("never asked for a consultation" in note for note in data["notes"])
