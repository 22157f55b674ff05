"""The built-in schemes at and around their thresholds and caps, ties, the gift budget, and the
contract every scheme (built-in or a plugin's) is held to."""

from __future__ import annotations

from decimal import Decimal

import pytest

from incentives_support import result
from kundkit.errors import PluginError
from kundkit.incentives.commission import Commission
from kundkit.incentives.gift import GiftScheme
from kundkit.incentives.model import Gift, Reward, call_scheme
from kundkit.incentives.planbonus import PlanBonus
from kundkit.incentives.recognition import Recognition
from kundkit.plans import parse_period

NOV = parse_period("2026-11")
D = Decimal


def commission(settings: dict, *results) -> dict[str, Decimal]:
    rewards = Commission().rewards(results=list(results), settings=settings, currency="SEK")
    assert all(r.kind == "cash" for r in rewards)
    return {r.staff: r.amount for r in rewards}


# -- commission ---------------------------------------------------------------------------------

def test_a_flat_rate_on_weighted_sales_rounded_once() -> None:
    # 2 % of 12 345.67 = 246.9134 → 246.91
    assert commission({"rate": 2}, result("anna", "12345.67")) == {"anna": D("246.91")}
    # 1.5 % of 100.30 = 1.5045 → 1.50; of 100.34 = 1.5051 → 1.51 (half-up at the öre)
    assert commission({"rate": 1.5}, result("a", "100.30"), result("b", "100.34")) == {
        "a": D("1.50"), "b": D("1.51")}


ACCELERATOR = {"rate": 1.5, "tiers": [{"from": 0, "rate": 1.5}, {"from": 100, "rate": 3}]}


@pytest.mark.parametrize(("weighted", "expected"), [
    ("99999.99", "1500.00"),   # 1 499.99985 → 1 500.00, all at the base rate
    ("100000.00", "1500.00"),  # exactly at the target: nothing above it yet
    ("100000.34", "1500.01"),  # 0.34 above at 3 % = 0.0102
    ("110000.00", "1800.00"),  # 1 500 + 3 % of 10 000
    ("50000.00", "750.00"),
])
def test_marginal_tiers_accelerate_only_what_is_sold_above_the_target(weighted: str, expected: str) -> None:
    assert commission(ACCELERATOR, result("anna", weighted, "100000")) == {"anna": D(expected)}


@pytest.mark.parametrize(("weighted", "expected"), [
    ("99990.00", "1499.85"),   # 99.99 %: the 1.5 % tier on everything
    ("100000.00", "3000.00"),  # 100 %: the 3 % tier on everything
    ("120000.00", "3600.00"),
])
def test_whole_tiers_apply_the_rate_reached_to_all_sales(weighted: str, expected: str) -> None:
    settings = {**ACCELERATOR, "apply": "whole"}
    assert commission(settings, result("anna", weighted, "100000")) == {"anna": D(expected)}


def test_a_tier_that_starts_above_zero_pays_nothing_below_it() -> None:
    settings = {"tiers": [{"from": 50, "rate": 2}, {"from": 100, "rate": 4}]}
    assert commission(settings, result("a", "40000", "100000")) == {}
    # 2 % of the 10 000 between 50 % and 60 % of the target
    assert commission(settings, result("a", "60000", "100000")) == {"a": D("200.00")}


@pytest.mark.parametrize(("weighted", "expected", "capped"), [
    ("999999.00", "24999.98", False),    # 2.5 % = 24 999.975 → 24 999.98 (half-up)
    ("1000000.00", "25000.00", False),   # exactly at the cap: not "capped"
    ("1000000.40", "25000.00", True),    # 25 000.01 → capped
    ("2000000.00", "25000.00", True),
])
def test_the_cap_per_period(weighted: str, expected: str, capped: bool) -> None:
    rewards = Commission().rewards(results=[result("anna", weighted)],
                                   settings={"rate": 2.5, "cap": 25000}, currency="SEK")
    assert rewards[0].amount == D(expected)
    assert ("capped at SEK 25,000.00" in rewards[0].reason) is capped


def test_the_cap_may_be_written_as_text() -> None:
    assert commission({"rate": 10, "cap": "1 000,50"}, result("a", "50000")) == {"a": D("1000.50")}


def test_tiers_without_a_personal_target_fall_back_to_the_base_rate() -> None:
    rewards = Commission().rewards(results=[result("olle", "10000")], settings=ACCELERATOR, currency="SEK")
    assert rewards[0].amount == D("150.00") and "no personal target" in rewards[0].reason
    no_base = {"tiers": ACCELERATOR["tiers"]}
    assert commission(no_base, result("olle", "10000")) == {}


def test_no_commission_on_nothing_or_on_more_credited_than_sold() -> None:
    assert commission({"rate": 2}, result("a", "0"), result("b", "-2500.00", "10000")) == {}


def test_a_commission_reason_shows_the_figures() -> None:
    reward = Commission().rewards(results=[result("anna", "110000", "100000")], settings=ACCELERATOR,
                                  currency="SEK")[0]
    assert reward.reason == ("commission: 1.5 % of SEK 100,000.00 (from 0 % of target); "
                             "3 % of SEK 10,000.00 (from 100 % of target)")


# -- plan bonus ---------------------------------------------------------------------------------

BONUS = {"threshold": 100, "amount": 3000, "per_point": 200, "cap": 10000}


def bonus(weighted: str, target: str | None = "100000", settings: dict = BONUS) -> Reward | None:
    rewards = PlanBonus().rewards(results=[result("anna", weighted, target)], settings=settings,
                                  currency="SEK")
    return rewards[0] if rewards else None


@pytest.mark.parametrize(("weighted", "expected"), [
    ("99999.99", None),          # 99.99999 %: below the threshold
    ("100000.00", "3000.00"),    # at the threshold
    ("100500.00", "3100.00"),    # 0.5 points above: +100
    ("101234.50", "3246.90"),    # 1.2345 points × 200 = 246.90
    ("135000.00", "10000.00"),   # 3 000 + 35 × 200 = exactly the cap
    ("135005.00", "10000.00"),   # 10 001.00 → capped
])
def test_plan_bonus_at_and_around_its_threshold_and_cap(weighted: str, expected: str | None) -> None:
    reward = bonus(weighted)
    assert (reward.amount if reward else None) == (D(expected) if expected else None)
    if weighted == "135005.00":
        assert "capped at SEK 10,000.00 (was SEK 10,001.00)" in reward.reason
    if weighted == "135000.00":
        assert "capped" not in reward.reason


def test_plan_bonus_needs_a_personal_target() -> None:
    assert bonus("500000", None) is None


def test_plan_bonus_without_scaling_is_a_fixed_amount() -> None:
    reward = bonus("150000", settings={"threshold": 110, "amount": "2 500"})
    assert reward.amount == D("2500.00")
    assert reward.reason == "plan bonus: attainment 150 % ≥ 110 %"


# -- gift ---------------------------------------------------------------------------------------

CATALOGUE = {
    "hockey": Gift("hockey", "Två biljetter till VIK Hockey", "event-tickets", D("800.00")),
    "kort": Gift("kort", "Presentkort 1 000 kr", "gift-card", D("1000.00")),
    "espresso": Gift("espresso", "Espressomaskin", "household", D("3990.00")),
}
LEVELS = [{"attainment": 90, "gift": "hockey"}, {"attainment": 100, "gift": "kort"},
          {"attainment": 120, "gift": "espresso"}]


def gifts(*results, budget=None) -> list[tuple[str, str]]:
    settings = {"levels": LEVELS, **({"budget": budget} if budget is not None else {})}
    rewards = GiftScheme().rewards(results=list(results), settings=settings, currency="SEK",
                                   gifts=CATALOGUE)
    assert all(r.kind == "gift" and r.amount == CATALOGUE_BY_NAME[r.item].value for r in rewards)
    return [(r.staff, r.item) for r in rewards]


CATALOGUE_BY_NAME = {g.name: g for g in CATALOGUE.values()}


@pytest.mark.parametrize(("weighted", "item"), [
    ("89999.99", None), ("90000.00", "Två biljetter till VIK Hockey"),
    ("99999.99", "Två biljetter till VIK Hockey"), ("100000.00", "Presentkort 1 000 kr"),
    ("120000.00", "Espressomaskin"), ("500000.00", "Espressomaskin"),
])
def test_the_gift_of_the_highest_level_reached(weighted: str, item: str | None) -> None:
    assert gifts(result("anna", weighted, "100000")) == ([("anna", item)] if item else [])


def test_the_budget_goes_to_the_highest_attainment_first_and_falls_back_to_cheaper_levels() -> None:
    people = [result("erik", "130000", "100000"), result("anna", "125000", "100000"),
              result("sara", "121000", "100000"), result("olle", "95000", "100000")]
    # espresso 3 990 (left 2 010); anna: espresso does not fit → card 1 000 (left 1 010);
    # sara: card 1 000 (left 10); olle: hockey 800 does not fit → nothing
    assert gifts(*people, budget=6000) == [("erik", "Espressomaskin"), ("anna", "Presentkort 1 000 kr"),
                                          ("sara", "Presentkort 1 000 kr")]
    reasons = GiftScheme().rewards(results=people, settings={"levels": LEVELS, "budget": 6000},
                                   currency="SEK", gifts=CATALOGUE)
    assert "the budget left (SEK 2,010.00) did not cover Espressomaskin" in reasons[1].reason


def test_a_gift_exactly_the_size_of_the_budget_left_is_given() -> None:
    assert gifts(result("a", "120000", "100000"), budget="3990") == [("a", "Espressomaskin")]
    assert gifts(result("a", "120000", "100000"), budget="3989.99") == [("a", "Presentkort 1 000 kr")]


def test_equal_attainment_the_higher_weighted_sales_comes_first_for_the_budget() -> None:
    small = result("anna", "120000", "100000")
    big = result("erik", "240000", "200000")  # also 120 %
    assert gifts(small, big, budget=4000) == [("erik", "Espressomaskin")]


def test_no_gift_without_a_personal_target() -> None:
    assert gifts(result("olle", "1000000")) == []


# -- recognition --------------------------------------------------------------------------------

def recognise(*results, **settings) -> list[str]:
    rewards = Recognition().rewards(period=NOV, results=list(results),
                                    settings={"title": "Månadens säljare", **settings}, currency="SEK")
    assert all(r.kind == "recognition" and r.item == "Månadens säljare" and r.amount is None
               for r in rewards)
    return [r.staff for r in rewards]


def test_the_highest_weighted_sales_is_recognised() -> None:
    rewards = Recognition().rewards(
        period=NOV, results=[result("anna", "80000"), result("erik", "95000.50")],
        settings={"title": "Månadens säljare"}, currency="SEK")
    assert [r.staff for r in rewards] == ["erik"]
    assert rewards[0].reason == "Månadens säljare 2026-11: the highest weighted sales, SEK 95,000.50"


def test_a_tie_is_shared_by_default() -> None:
    assert recognise(result("erik", "90000", "100000"), result("anna", "90000", "80000"),
                     result("sara", "1000")) == ["anna", "erik"]


def test_a_tie_broken_by_attainment() -> None:
    people = [result("erik", "90000", "100000"), result("anna", "90000", "80000")]
    assert recognise(*people, tie="attainment") == ["anna"]
    reward = Recognition().rewards(period=NOV, results=people,
                                   settings={"title": "T", "tie": "attainment"}, currency="SEK")[0]
    assert "tied on weighted sales with erik; the higher attainment (112.5 %) decides" in reward.reason


def test_a_tie_on_attainment_too_is_shared() -> None:
    assert recognise(result("erik", "90000", "100000"), result("anna", "90000", "100000"),
                     tie="attainment") == ["anna", "erik"]


def test_weighted_sales_are_compared_as_shown() -> None:
    # 1 000.004 and 1 000.001 both show as 1 000.00: a tie, not a win by a thousandth of an öre
    assert recognise(result("a", "1000.004"), result("b", "1000.001")) == ["a", "b"]


@pytest.mark.parametrize(("anna", "expected"), [
    ("99999.99", ["erik"]),   # 99.99 %: not enough; erik is the best of those who qualify
    ("100000.00", ["anna"]),  # exactly 100 %
])
def test_a_minimum_attainment(anna: str, expected: list[str]) -> None:
    people = [result("anna", anna, "100000"), result("erik", "60000", "50000"), result("olle", "200000")]
    assert recognise(*people, min_attainment=100) == expected


def test_nobody_is_recognised_for_nothing() -> None:
    assert recognise(result("a", "0"), result("b", "-10")) == []
    assert recognise(result("a", "5000", "100000"), min_attainment=100) == []


# -- the contract -------------------------------------------------------------------------------

class _Scheme:
    name = "test-scheme"

    def __init__(self, answer):
        self.answer = answer

    def rewards(self, *, results):
        return self.answer(results)


def test_a_scheme_gets_only_the_arguments_it_declares() -> None:
    got = call_scheme(_Scheme(lambda rs: [Reward(rs[0].staff, "cash", "why", amount=D("1.00"))]),
                      period=NOV, results=[result("anna", "1")], settings={}, organisation=None,
                      currency="SEK", gifts={})
    assert got == [Reward("anna", "cash", "why", amount=D("1.00"))]


@pytest.mark.parametrize(("answer", "message"), [
    (lambda rs: [Reward("anna", "cash", "why", amount=1.5)], "is not a Decimal"),
    (lambda rs: [Reward("anna", "cash", "why")], "a cash reward needs an amount"),
    (lambda rs: [Reward("anna", "holiday", "why", amount=D(1))], "unknown kind of reward 'holiday'"),
    (lambda rs: [Reward("nobody", "cash", "why", amount=D(1))], "a reward for 'nobody'"),
    (lambda rs: [Reward("anna", "gift", "why", amount=D(1))], "a gift reward needs an item"),
    (lambda rs: [Reward("anna", "cash", " ", amount=D(1))], "every reward needs a reason"),
    (lambda rs: [Reward("anna", "cash", "why", amount=D(-1))], "not a positive number"),
    (lambda rs: {"anna": 1}, "must return a list of Reward"),
    (lambda rs: [("anna", "cash")], "not a Reward"),
])
def test_a_scheme_that_breaks_the_contract_is_named(answer, message: str) -> None:
    with pytest.raises(PluginError) as info:
        call_scheme(_Scheme(answer), results=[result("anna", "1")], settings={})
    assert "the incentive scheme 'test-scheme' broke the contract" in info.value.message
    assert message in info.value.message
