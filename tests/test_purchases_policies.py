"""The built-in discount policies at and around their thresholds, window edges and expiry, and how
offers combine (best, add, cap) and skip excluded products. Pure: no store, no clock."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from kundkit.discounts.cumulative import CumulativePolicy
from kundkit.discounts.engine import Setup, ActivePolicy, mark_lines, price
from kundkit.discounts.model import History, Order, OrderLine
from kundkit.discounts.points import PointsPolicy, balance
from kundkit.discounts.segment import SegmentPolicy
from kundkit.discounts.volume import VolumePolicy

DAY = date(2026, 11, 20)
CUMULATIVE = {"window_days": 365, "tiers": [{"from": 10000, "percent": 3},
                                             {"from": 50000, "percent": 5}]}


def order(*lines: tuple[str, int, str], category: str = "verktyg", day: date = DAY,
          redeem: bool | None = None, setup: Setup | None = None) -> Order:
    built = [OrderLine(sku, qty, Decimal(price_), category=category) for sku, qty, price_ in lines]
    if setup is not None:
        built = list(mark_lines(setup, built))
    return Order("K1001", day, tuple(built), redeem_points=redeem)


def history(daily: dict[date, str] | None = None, state: dict[str, Any] | None = None) -> History:
    return History("K1001", {d.isoformat(): Decimal(v) for d, v in (daily or {}).items()}, state or {})


def cumulative_offer(daily: dict[date, str], day: date = DAY) -> Any:
    return CumulativePolicy().offer(settings=CUMULATIVE, history=history(daily),
                                    order=order(("X", 1, "100.00"), day=day))


# -- cumulative ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("total, percent", [
    ("9999.99", None), ("10000.00", "3"), ("10000.01", "3"), ("49999.99", "3"), ("50000.00", "5"),
    ("900000.00", "5"),
])
def test_cumulative_tiers_at_and_around_each_threshold(total: str, percent: str | None) -> None:
    offer = cumulative_offer({DAY - timedelta(days=10): total})
    assert (offer.percent if offer else None) == (Decimal(percent) if percent else None)


def test_cumulative_window_includes_364_days_back_and_not_365() -> None:
    assert cumulative_offer({DAY - timedelta(days=364): "10000.00"}) is not None
    assert cumulative_offer({DAY - timedelta(days=365): "10000.00"}) is None


def test_cumulative_counts_earlier_purchases_of_the_same_day_and_sums_across_days() -> None:
    offer = cumulative_offer({DAY: "4000.00", DAY - timedelta(days=100): "6000.00"})
    assert offer.percent == Decimal("3")
    assert "10,000.00" in offer.reason and "365 days" in offer.reason


def test_cumulative_credits_lower_the_window_total() -> None:
    assert cumulative_offer({DAY - timedelta(days=5): "10000.00"}) is not None
    assert cumulative_offer({DAY - timedelta(days=5): "9000.00"}) is None  # after a 1 000 credit


def test_cumulative_standing_says_what_is_needed_and_when_the_level_lapses() -> None:
    bought = {date(2026, 3, 1): "6000.00", date(2026, 9, 1): "6000.00"}
    standing = CumulativePolicy().standing(settings=CUMULATIVE, history=history(bought), today=DAY,
                                           currency="SEK")
    assert standing.percent == Decimal("3")
    assert standing.facts["needed_amount"] == "38000.00"
    assert standing.next_level == "5 %"
    # 2026-03-01 leaves the window 365 days later; 6 000 alone is below 10 000.
    assert standing.lapses == date(2027, 3, 1)


def test_cumulative_standing_below_the_first_level() -> None:
    standing = CumulativePolicy().standing(settings=CUMULATIVE, history=history({DAY: "2500.00"}),
                                           today=DAY, currency="SEK")
    assert standing.level is None and standing.lapses is None
    assert standing.facts["needed_amount"] == "7500.00"


# -- volume ---------------------------------------------------------------------------------------------

VOLUME = {"tiers": [{"from": 20000, "percent": 2}, {"from": 50000, "percent": 4}]}


@pytest.mark.parametrize("amount, percent", [("19999.99", None), ("20000.00", "2"), ("50000.00", "4")])
def test_volume_by_amount(amount: str, percent: str | None) -> None:
    offer = VolumePolicy().offer(settings=VOLUME, order=order(("X", 1, amount)))
    assert (offer.percent if offer else None) == (Decimal(percent) if percent else None)


@pytest.mark.parametrize("quantity, percent", [(9, None), (10, "5"), (11, "5")])
def test_volume_by_quantity(quantity: int, percent: str | None) -> None:
    settings = {"measure": "quantity", "tiers": [{"from": 10, "percent": 5}]}
    offer = VolumePolicy().offer(settings=settings, order=order(("X", quantity, "10.00")))
    assert (offer.percent if offer else None) == (Decimal(percent) if percent else None)


def test_volume_counts_only_the_lines_that_may_be_discounted() -> None:
    setup = Setup(excluded_categories=frozenset({"service"}))
    lines = [OrderLine("A", 1, Decimal("15000.00"), category="verktyg"),
             OrderLine("S", 1, Decimal("10000.00"), category="service")]
    mixed = Order("K1001", DAY, mark_lines(setup, lines))
    assert VolumePolicy().offer(settings=VOLUME, order=mixed) is None


# -- segment ----------------------------------------------------------------------------------------------

def test_segment_gives_its_percent_and_nothing_to_other_segments() -> None:
    settings = {"percents": {"offentlig": 4, "bygg": 0}}
    policy = SegmentPolicy()
    assert policy.offer(settings=settings, customer={"segment": "offentlig"},
                        order=order(("X", 1, "100.00"))).percent == Decimal("4")
    assert policy.offer(settings=settings, customer={"segment": "bygg"}, order=order(("X", 1, "1.00"))) is None
    assert policy.offer(settings=settings, customer={"segment": None}, order=order(("X", 1, "1.00"))) is None


# -- points -----------------------------------------------------------------------------------------------

ANYONE = {"id": "K1001", "segment": "bygg"}
POINTS = {"earn_every": 10, "point_value": "0.10", "expiry_days": 365, "min_redeem": 100,
          "max_share": 50}


def earn(state: dict[str, Any], pid: str, day: date, net: str) -> dict[str, Any]:
    return PointsPolicy().on_purchase(settings=POINTS, customer=ANYONE, history=history(state=state),
                                      purchase={"id": pid, "date": day.isoformat(), "net": net})


def test_points_are_earned_per_whole_ten_of_net_and_expire_after_the_expiry_days() -> None:
    state = earn({}, "P1", date(2025, 11, 20), "1009.99")
    assert balance(state, date(2025, 11, 20)) == 100
    assert balance(state, date(2026, 11, 19)) == 100   # the last valid day
    assert balance(state, date(2026, 11, 20)) == 0     # 365 days on: expired


def test_points_need_the_minimum_and_a_request_to_be_redeemed() -> None:
    policy = PointsPolicy()
    state = earn({}, "P1", date(2026, 10, 1), "990.00")  # 99 points: one short
    big = order(("X", 1, "1000.00"), redeem=True)
    assert policy.offer(settings=POINTS, customer=ANYONE, history=history(state=state), order=big) is None
    state = earn(state, "P2", date(2026, 10, 2), "10.00")  # 100 points
    assert policy.offer(settings=POINTS, customer=ANYONE, history=history(state=state),
                        order=order(("X", 1, "1000.00"))) is None  # not asked, no auto_redeem
    offer = policy.offer(settings=POINTS, customer=ANYONE, history=history(state=state), order=big)
    assert offer.amount == Decimal("10.00") and offer.data == {"points": 100}
    auto = policy.offer(settings={**POINTS, "auto_redeem": True}, customer=ANYONE, history=history(state=state),
                        order=order(("X", 1, "1000.00")))
    assert auto.amount == Decimal("10.00")


def test_points_pay_at_most_the_max_share_of_the_order() -> None:
    state = earn({}, "P1", date(2026, 10, 1), "100000.00")  # 10 000 points = 1 000 kr
    offer = PointsPolicy().offer(settings=POINTS, customer=ANYONE, history=history(state=state),
                                 order=order(("X", 1, "300.00"), redeem=True))
    assert offer.amount == Decimal("150.00") and offer.data["points"] == 1500


def test_points_are_spent_oldest_first_and_a_void_gives_them_back() -> None:
    policy = PointsPolicy()
    state = earn({}, "P1", date(2026, 1, 10), "1000.00")   # 100 points, expire 2027-01-10
    state = earn(state, "P2", date(2026, 6, 10), "2000.00")  # 200 points, expire 2027-06-10
    sale = {"id": "P3", "date": DAY.isoformat(), "net": "0.00",
            "discount": {"parts": [{"policy": "points", "applied": "15.00", "data": {"points": 150}}]}}
    spent = policy.on_purchase(settings=POINTS, customer=ANYONE, history=history(state=state), purchase=sale)
    lots = {lot["purchase"]: lot["left"] for lot in spent["lots"]}
    assert lots == {"P1": 0, "P2": 150}
    standing = policy.standing(settings=POINTS, customer=ANYONE, history=history(state=spent), today=DAY, currency="SEK")
    assert standing.facts["balance"] == 150 and standing.lapses == date(2027, 6, 10)
    back = policy.on_void(settings=POINTS, customer=ANYONE, history=history(state=spent), purchase=sale,
                          credit={"id": "P4", "date": DAY.isoformat()})
    assert {lot["purchase"]: lot["left"] for lot in back["lots"]} == {"P1": 100, "P2": 200}


def test_voiding_a_sale_whose_points_were_spent_takes_them_from_the_rest() -> None:
    policy = PointsPolicy()
    state = earn({}, "P1", date(2026, 1, 10), "1000.00")    # 100
    state = earn(state, "P2", date(2026, 2, 10), "3000.00")  # 300
    sale = {"id": "P3", "date": "2026-03-01", "net": "0.00",
            "discount": {"parts": [{"policy": "points", "applied": "12.00", "data": {"points": 120}}]}}
    state = policy.on_purchase(settings=POINTS, customer=ANYONE, history=history(state=state), purchase=sale)
    # P1's 100 points and 20 of P2's were spent; voiding P1 takes its 100 back from P2.
    state = policy.on_void(settings=POINTS, customer=ANYONE, history=history(state=state),
                           purchase={"id": "P1", "date": "2026-01-10"}, credit={"id": "P4", "date": "2026-03-02"})
    assert balance(state, date(2026, 3, 2)) == 180


def test_points_can_be_limited_to_some_segments() -> None:
    policy = PointsPolicy()
    only_private = {**POINTS, "segments": ["privat"], "auto_redeem": True}
    sale = {"id": "P1", "date": "2026-10-01", "net": "5000.00"}
    assert policy.on_purchase(settings=only_private, customer=ANYONE, history=history(), purchase=sale) is None
    private = {"id": "K1002", "segment": "privat"}
    state = policy.on_purchase(settings=only_private, customer=private, history=history(), purchase=sale)
    assert balance(state, DAY) == 500
    assert policy.offer(settings=only_private, customer=ANYONE, history=history(state=state),
                        order=order(("X", 1, "1000.00"))) is None
    assert policy.offer(settings=only_private, customer=private, history=history(state=state),
                        order=order(("X", 1, "1000.00"))).data == {"points": 500}
    standing = policy.standing(settings=only_private, customer=ANYONE, history=history(), today=DAY,
                               currency="SEK")
    assert standing.explanation == "Loyalty points are for customers in the segments privat."


def test_points_standing_says_how_many_more_are_needed() -> None:
    state = earn({}, "P1", date(2026, 10, 1), "400.00")
    standing = PointsPolicy().standing(settings=POINTS, customer=ANYONE, history=history(state=state), today=DAY,
                                       currency="SEK")
    assert standing.level == "40 points"
    assert standing.next_level == "redeemable from 100 points"
    assert standing.needed.startswith("60 more points")


# -- combination --------------------------------------------------------------------------------------------

def setup_of(*policies: tuple[Any, dict[str, Any]], **kwargs: Any) -> Setup:
    return Setup(policies=tuple(ActivePolicy(p, s) for p, s in policies), **kwargs)


SEGMENT_4 = (SegmentPolicy(), {"percents": {"offentlig": 4}})
VOLUME_2 = (VolumePolicy(), {"tiers": [{"from": 1000, "percent": 2}]})
CUSTOMER = {"id": "K1001", "segment": "offentlig"}


def priced(setup: Setup, the_order: Order, state: dict[str, Any] | None = None) -> Any:
    return price(setup, customer=CUSTOMER, order=the_order,
                 history=lambda name: history(state=(state or {}).get(name)))


def test_best_grants_the_largest_offer_and_says_it_was_the_best() -> None:
    result = priced(setup_of(VOLUME_2, SEGMENT_4), order(("X", 1, "2000.00")))
    assert result.discount["policy"] == "segment"
    assert result.discount["amount"] == "80.00"
    assert "(the best of 2 offers)" in result.discount["reason"]
    applied = {p["policy"]: p["applied"] for p in result.discount["parts"]}
    assert applied == {"volume": "0.00", "segment": "80.00"}


def test_best_on_a_tie_keeps_the_first_configured() -> None:
    tie = (VolumePolicy(), {"tiers": [{"from": 1, "percent": 4}]})
    assert priced(setup_of(tie, SEGMENT_4), order(("X", 1, "100.00"))).discount["policy"] == "volume"


def test_add_adds_up_and_the_cap_limits_the_total() -> None:
    both = order(("X", 1, "2000.00"))
    added = priced(setup_of(VOLUME_2, SEGMENT_4, combine="add"), both)
    assert added.discount["amount"] == "120.00" and added.discount["policy"] == "volume+segment"
    capped = priced(setup_of(VOLUME_2, SEGMENT_4, combine="add", cap=Decimal("5")), both)
    assert capped.discount["amount"] == "100.00"
    assert capped.discount["percent"] == "5"
    assert "(capped at 5 % of the order)" in capped.discount["reason"]
    assert sum(Decimal(p["applied"]) for p in capped.discount["parts"]) == Decimal("100.00")


def test_a_capped_points_offer_spends_only_whole_points() -> None:
    state = {"points": earn({}, "P1", date(2026, 10, 1), "100000.00")}
    setup = setup_of(SEGMENT_4, (PointsPolicy(), POINTS), combine="add", cap=Decimal("10"))
    result = priced(setup, order(("X", 1, "333.30"), redeem=True), state)
    points = next(p for p in result.discount["parts"] if p["policy"] == "points")
    assert Decimal(points["applied"]) == Decimal(points["data"]["points"]) * Decimal("0.10")
    assert result.amount <= Decimal("33.33")


def test_excluded_products_and_categories_get_no_discount_and_totals_add_up() -> None:
    setup = setup_of(SEGMENT_4, excluded_products=frozenset({"PRESENTKORT"}),
                     excluded_categories=frozenset({"service"}))
    lines = mark_lines(setup, [OrderLine("A", 3, Decimal("33.33"), category="verktyg"),
                               OrderLine("S", 1, Decimal("850.00"), category="service"),
                               OrderLine("PRESENTKORT", 1, Decimal("500.00"), category="verktyg")])
    result = priced(setup, Order("K1001", DAY, lines))
    assert [line.discountable for line in lines] == [True, False, False]
    assert result.line_discounts == [Decimal("4.00"), Decimal("0.00"), Decimal("0.00")]
    assert result.net == Decimal("1449.99") - Decimal("4.00")


def test_only_excluded_lines_means_no_discount() -> None:
    setup = setup_of(SEGMENT_4, excluded_categories=frozenset({"service"}))
    lines = mark_lines(setup, [OrderLine("S", 1, Decimal("850.00"), category="service")])
    assert priced(setup, Order("K1001", DAY, lines)).discount is None


def test_the_discount_is_rounded_once_not_per_line() -> None:
    result = priced(setup_of((SegmentPolicy(), {"percents": {"offentlig": 10}})),
                    order(("A", 1, "33.33"), ("B", 1, "33.33"), ("C", 1, "33.34")))
    assert result.discount["amount"] == "10.00"
    assert sum(result.line_discounts) == Decimal("10.00")
    assert result.net == Decimal("90.00")
