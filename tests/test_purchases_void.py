"""Voiding a purchase: a credit note, the original kept, and the customer's totals, later discounts,
points and key-product consultation following."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.purchase_store import load_totals
from kundkit.purchases import (PurchaseRequest, add_purchase, get_purchase, list_purchases, parse_line,
                               quote_purchase, void)
from purchases_support import context, populate, set_section

CUMULATIVE = {"policies": {"cumulative": {"window_days": 365, "tiers": [{"from": 20000, "percent": 5}]}}}


def sale(ctx: Any, customer: str, *lines: str, day: date | None = None, **kwargs: Any) -> dict[str, Any]:
    return add_purchase(ctx, PurchaseRequest(customer=customer, date=day,
                                             lines=[parse_line(text, "SEK") for text in lines], **kwargs))


@pytest.fixture
def ctx(business: Path) -> Any:
    populate(business)
    set_section(business, "discounts", CUMULATIVE)
    return context(business)


def test_a_void_is_a_credit_note_and_the_original_stays(ctx: Any) -> None:
    original = sale(ctx, "K1001", "BORR-18V:2", day=date(2026, 10, 1))
    credit = void(ctx, original["id"], reason="Returned unopened")
    assert credit["kind"] == "credit" and credit["credits"] == original["id"]
    assert credit["date"] == "2026-11-20" and credit["reason"] == "Returned unopened"
    assert credit["gross"] == "-4990.00" and credit["net"] == "-4990.00"
    assert [line["quantity"] for line in credit["lines"]] == [-2]
    with ctx.store.read() as tx:
        kept = get_purchase(tx, original["id"])
        assert kept["voided_by"] == credit["id"] and kept["void_reason"] == "Returned unopened"
        assert kept["net"] == original["net"] and kept["lines"] == original["lines"]
        assert [r["id"] for r in list_purchases(tx, customer="K1001")] == [original["id"], credit["id"]]
        totals = load_totals(tx, "K1001")
    # The voided net comes off the day of the sale, not the day of the void.
    assert totals["net"] == "0.00" and totals["daily"] == {}
    assert totals["purchases"] == 1 and totals["credits"] == 1


def test_a_void_lowers_later_discounts(ctx: Any) -> None:
    big = sale(ctx, "K1001", "SAG-KAP:2", day=date(2026, 6, 1))  # 25 800
    with ctx.store.read() as tx:
        before = quote_purchase(ctx, tx, PurchaseRequest("K1001", [parse_line("BORR-18V:1", "SEK")]))
    assert before.priced.discount["percent"] == "5"
    void(ctx, big["id"], reason="Wrong customer")
    after = sale(ctx, "K1001", "BORR-18V:1")
    assert after["discount"] is None and after["net"] == "2495.00"


def test_a_voided_purchase_cannot_be_voided_again_nor_a_credit_note(ctx: Any) -> None:
    original = sale(ctx, "K1001", "BORR-18V:1")
    credit = void(ctx, original["id"], reason="Mistake")
    with pytest.raises(Conflict, match=f"already voided by {credit['id']}"):
        void(ctx, original["id"], reason="Again")
    with pytest.raises(Conflict, match="is a credit note"):
        void(ctx, credit["id"], reason="Undo")


def test_a_void_needs_a_reason_and_an_existing_purchase(ctx: Any) -> None:
    original = sale(ctx, "K1001", "BORR-18V:1")
    with pytest.raises(ValidationError, match="--reason"):
        void(ctx, original["id"], reason="  ")
    with pytest.raises(NotFound, match="no purchase P9999"):
        void(ctx, "P9999", reason="x")
    with pytest.raises(ValidationError, match="not a valid id"):
        void(ctx, "X12", reason="x")


def test_voiding_gives_back_redeemed_points_and_takes_back_earned_ones(business: Path) -> None:
    populate(business)
    set_section(business, "discounts", {"policies": {"points": {
        "earn_every": 10, "point_value": "1.00", "min_redeem": 10, "max_share": 100}}})
    ctx = context(business)
    sale(ctx, "K1002", "SKRUV-100:10:100", day=date(2026, 9, 1))          # 100 points
    spend = sale(ctx, "K1002", "SKRUV-100:1:50", redeem_points=True)      # spends 50, earns 0
    assert spend["discount"]["amount"] == "50.00"
    with ctx.store.read() as tx:
        lots = load_totals(tx, "K1002")["state"]["points"]["lots"]
    assert [lot["left"] for lot in lots] == [50]
    void(ctx, spend["id"], reason="Cancelled")
    with ctx.store.read() as tx:
        lots = load_totals(tx, "K1002")["state"]["points"]["lots"]
    assert [lot["left"] for lot in lots] == [100]


def test_voiding_a_key_product_sale_cancels_its_open_consultation(ctx: Any) -> None:
    from kundkit.tasks import get_task

    original = sale(ctx, "K1001", "SAG-KAP:1")
    task_id = original["followups"][0]["task"]
    credit = void(ctx, original["id"], reason="Wrong saw")
    with ctx.store.read() as tx:
        task = get_task(tx, task_id)
    assert task["status"] == "cancelled"
    assert f"voided by {credit['id']}" in task["note"]
