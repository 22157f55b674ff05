"""The key-product follow-up: a consultation task for the customer's permanent manager, no duplicate
while one is open, a manager assigned when the customer has none, and the report per manager."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from kundkit.customers import get_customer
from kundkit.followup import followup_report, followup_sales
from kundkit.purchases import PurchaseRequest, add_purchase, parse_line
from kundkit.tasks import complete_task, get_task, open_tasks
from purchases_support import context, populate, set_section, use_strategy

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def sale(ctx: Any, customer: str, *lines: str, day: date | None = None) -> dict[str, Any]:
    return add_purchase(ctx, PurchaseRequest(customer=customer, date=day,
                                             lines=[parse_line(text, "SEK") for text in lines]))


@pytest.fixture
def ctx(business: Path) -> Any:
    populate(business)
    set_section(business, "followup", {"due_days": 3})
    return context(business)


def test_a_key_product_sale_gives_the_manager_a_consultation_due_in_the_configured_days(ctx: Any) -> None:
    record = sale(ctx, "K1001", "SAG-KAP:1", "SKRUV-100:2", day=date(2026, 11, 18))
    [entry] = record["followups"]
    assert entry == {"sku": "SAG-KAP", "task": entry["task"], "created": True, "assignee": "anna",
                     "due": "2026-11-21", "manager_assigned": False}
    with ctx.store.read() as tx:
        task = get_task(tx, entry["task"])
    assert task["assignee"] == "anna" and task["customer"] == "K1001"
    assert task["source"] == "key-product" and task["ref"] == {"purchase": record["id"], "sku": "SAG-KAP"}
    assert "Kapsåg 254 mm (SAG-KAP)" in task["title"] and record["id"] in task["title"]
    assert task["note"] is None


def test_a_sale_without_key_products_creates_no_task(ctx: Any) -> None:
    record = sale(ctx, "K1001", "BORR-18V:3")
    assert "followups" not in record
    with ctx.store.read() as tx:
        assert open_tasks(tx, customer="K1001") == []


def test_no_second_task_while_one_is_open_for_that_customer_and_product(ctx: Any) -> None:
    first = sale(ctx, "K1001", "SAG-KAP:1")
    second = sale(ctx, "K1001", "SAG-KAP:1", "LASER-X:1")
    entries = {e["sku"]: e for e in second["followups"]}
    assert entries["SAG-KAP"]["created"] is False
    assert entries["SAG-KAP"]["task"] == first["followups"][0]["task"]
    assert entries["LASER-X"]["created"] is True
    other_customer = sale(ctx, "K1002", "SAG-KAP:1")
    assert other_customer["followups"][0]["created"] is True
    with ctx.store.read() as tx:
        assert len([t for t in open_tasks(tx, customer="K1001") if t["source"] == "key-product"]) == 2
    # Once the consultation is done, the next sale of the product calls for a new one.
    with ctx.store.transaction() as tx:
        complete_task(ctx, tx, first["followups"][0]["task"], note="Visited the site")
    third = sale(ctx, "K1001", "SAG-KAP:1")
    assert third["followups"][0]["created"] is True


def test_a_customer_without_a_manager_gets_one_by_the_strategy_and_the_task_says_so(business: Path) -> None:
    populate(business, managers=False)
    use_strategy(business, "least-loaded")
    ctx = context(business)
    record = sale(ctx, "K1004", "LASER-X:1")
    [entry] = record["followups"]
    assert entry["manager_assigned"] is True and entry["created"] is True
    with ctx.store.read() as tx:
        customer = get_customer(tx, "K1004")
        task = get_task(tx, entry["task"])
    assert customer["manager"] == entry["assignee"] == task["assignee"]
    assert task["note"] == (f"The customer had no permanent manager; {customer['manager']} was assigned "
                            "by the 'least-loaded' strategy with this sale.")


def test_when_nobody_can_be_assigned_the_sale_is_still_recorded(ctx: Any) -> None:
    record = sale(ctx, "K1004", "LASER-X:1")  # the strategy is "none" in the test set-up
    assert record["followups"] == [{"sku": "LASER-X", "task": None, "created": False, "assignee": None,
                                    "due": None, "manager_assigned": False}]


def test_the_follow_up_can_be_switched_off(business: Path) -> None:
    populate(business)
    set_section(business, "followup", {"enabled": False})
    record = sale(context(business), "K1001", "SAG-KAP:1")
    assert record["followups"] == []


def _done_on(business: Path, task_id: str, when: datetime) -> None:
    ctx = context(business, now=when)
    with ctx.store.transaction() as tx:
        complete_task(ctx, tx, task_id)


def test_the_report_counts_consultations_in_time_late_not_at_all_and_pending(business: Path) -> None:
    populate(business)
    set_section(business, "followup", {"due_days": 7})
    ctx = context(business)
    in_time = sale(ctx, "K1001", "SAG-KAP:1", day=date(2026, 10, 1))      # anna, due 10-08
    late = sale(ctx, "K1001", "LASER-X:1", day=date(2026, 10, 2))         # anna, due 10-09
    never = sale(ctx, "K1002", "SAG-KAP:1", day=date(2026, 10, 5))        # sara, due 10-12
    pending = sale(ctx, "K1003", "SAG-KAP:1", day=date(2026, 11, 19))     # maria, due 11-26
    _done_on(business, in_time["followups"][0]["task"], datetime(2026, 10, 8, 16, 0, tzinfo=STOCKHOLM))
    _done_on(business, late["followups"][0]["task"], datetime(2026, 10, 15, 9, 0, tzinfo=STOCKHOLM))
    voided = sale(ctx, "K1002", "LASER-X:1", day=date(2026, 10, 6))
    from kundkit.purchases import void

    void(ctx, voided["id"], reason="Returned")
    rows = followup_report(ctx, date(2026, 10, 1), date(2026, 11, 30))
    assert rows == [
        {"manager": "anna", "sales": 2, "in_time": 1, "late": 1, "not_done": 0, "pending": 0},
        {"manager": "maria", "sales": 1, "in_time": 0, "late": 0, "not_done": 0, "pending": 1},
        {"manager": "sara", "sales": 1, "in_time": 0, "late": 0, "not_done": 1, "pending": 0},
    ]
    october = followup_report(ctx, date(2026, 10, 1), date(2026, 10, 31))
    assert [r["manager"] for r in october] == ["anna", "sara"]
    details = {r["purchase"]: r["outcome"] for r in followup_sales(ctx, None, None)}
    assert details == {in_time["id"]: "in_time", late["id"]: "late", never["id"]: "not_done",
                       pending["id"]: "pending"}


def test_the_report_finds_a_consultation_made_for_a_sale_afterwards(business: Path) -> None:
    from kundkit.followup import follow_up_purchase
    from kundkit.purchases import get_purchase

    populate(business)
    set_section(business, "followup", {"due_days": 7})
    ctx = context(business)
    with ctx.store.transaction() as tx:
        from kundkit.purchases import record_purchase

        record = record_purchase(ctx, tx, PurchaseRequest("K1001", [parse_line("SAG-KAP:1", "SEK")],
                                                          date=date(2026, 11, 18)), follow_up=False)
    [row] = followup_sales(ctx, None, None)
    assert row["task"] is None and row["outcome"] == "not_done"
    with ctx.store.transaction() as tx:
        [entry] = follow_up_purchase(ctx, tx, get_purchase(tx, record["id"]), get_customer(tx, "K1001"))
    [row] = followup_sales(ctx, None, None)
    assert row["task"] == entry["task"] and row["outcome"] == "pending"
