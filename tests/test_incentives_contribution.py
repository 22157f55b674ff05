"""Weighted sales, share, contribution and attainment: on plain lines, and end to end on the example
business with a hand-computed month of three sellers (a void included)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from incentives_support import context, load_example_business, sell
from kundkit.contribution import SaleLine, compute_results
from kundkit.plans import Target, Targets, parse_period

NOV = parse_period("2026-11")
D = Decimal


def line(seller: str | None, net: str, weight: str = "1", *, locomotive: bool = False,
         day: int = 3) -> SaleLine:
    return SaleLine(purchase="P1", date=date(2026, 11, day), seller=seller, sku="X", net=D(net),
                    weight=D(weight), locomotive=locomotive)


def test_weighted_sales_with_several_weights() -> None:
    lines = [line("anna", "1000.00", "2"), line("anna", "250.50", "0.5"), line("anna", "99.99", "1.25"),
             line("anna", "10.00", "0.333")]
    results = compute_results(NOV, lines)
    anna = results.get("anna")
    # 2000.00 + 125.25 + 124.9875 + 3.33 = 2253.5675 exactly; shown as 2253.57
    assert anna.weighted == D("2253.5675")
    assert anna.net == D("1360.49")
    assert anna.as_dict()["weighted"] == "2253.57"
    assert anna.lines == 4


def test_share_contribution_and_attainment() -> None:
    lines = [line("anna", "30000", "2"), line("erik", "40000", "1"), line(None, "20000", "1")]
    targets = Targets(NOV, Target(D("200000"), "set"), {"anna": Target(D("50000"), "set")})
    results = compute_results(NOV, lines, targets=targets,
                              staff=[{"id": "anna", "name": "Anna", "active": True},
                                     {"id": "erik", "name": "Erik", "active": True},
                                     {"id": "sara", "name": "Sara", "active": True},
                                     {"id": "olle", "name": "Olle", "active": False}])
    assert (results.net, results.weighted) == (D("90000"), D("120000"))
    assert (results.unattributed_net, results.unattributed_weighted) == (D("20000"), D("20000"))
    anna, erik, sara = results.get("anna"), results.get("erik"), results.get("sara")
    assert anna.share == D("0.5") and anna.contribution == D("0.3") and anna.attainment == D("1.2")
    assert erik.as_dict()["share"] == "0.3333" and erik.attainment is None
    assert sara.weighted == 0 and sara.as_dict()["contribution"] == "0.0000"
    assert results.get("olle") is None  # inactive and without sales: not listed
    assert [r.staff for r in results.staff] == ["anna", "erik", "sara"]
    assert results.attainment == D("0.6")


def test_locomotive_products_are_summed_apart() -> None:
    lines = [line("anna", "1000", "3", locomotive=True), line("anna", "500", "1")]
    assert compute_results(NOV, lines).get("anna").locomotive_weighted == D("3000")


def test_a_credit_line_counts_against_the_period() -> None:
    lines = [line("anna", "5000", "2"), SaleLine("P9", date(2026, 11, 20), "anna", "X", D("-1500.00"),
                                                 D("2"), kind="credit", credits="P1")]
    anna = compute_results(NOV, lines).get("anna")
    assert (anna.net, anna.weighted, anna.lines) == (D("3500.00"), D("7000.00"), 2)


def test_no_share_when_the_organisation_sold_nothing() -> None:
    results = compute_results(NOV, [], staff=[{"id": "anna", "name": "A", "active": True}])
    assert results.get("anna").share is None and results.get("anna").contribution is None


# -- end to end: a hand-computed month ----------------------------------------------------------

@pytest.fixture
def november(kk, business):
    """Three sellers' November at Nordbygg Verktyg AB (today is 2026-11-20), and an October sale
    of anna's voided today. Products (examples/products.csv): BM-18V 2 495 kr weight 2, key
    product; HAM-16 289 kr weight 0.5; LAS-360 4 995 kr weight 3, key product; SDS-26 3 495 kr
    weight 2; TUM-2M 89 kr weight 0.3; SL-125 1 295 kr weight 1.5. No order reaches a discount."""
    load_example_business(kk)
    october = sell(business, "K1003", "anna", "2026-10-28", ("SL-125", 2))
    sell(business, "K1001", "anna", "2026-11-03", ("BM-18V", 4), ("HAM-16", 10))
    sell(business, "K1002", "erik", "2026-11-05", ("LAS-360", 2))
    sell(business, "K1016", "johan", "2026-11-06", ("SDS-26", 3))
    sell(business, "K1017", "johan", "2026-11-10", ("TUM-2M", 10))
    kk("--as", "maria", "purchase", "void", october, "--reason", "Returned unopened")
    kk("plan", "set", "--period", "2026-11", "--target", "60000", "--staff", "anna", "--target", "15000",
       "--staff", "erik", "--target", "25000", "--staff", "johan", "--target", "20000")
    return kk


def test_a_hand_computed_month_of_three_sellers(november) -> None:
    data = json.loads(november("incentive", "results", "--period", "2026-11", "--format", "json").stdout)
    figures = {r["staff"]: r for r in data["staff"]}
    # anna: 4 × 2 495 = 9 980 × 2 = 19 960; 10 × 289 = 2 890 × 0.5 = 1 445; the voided October
    # sale (2 × 1 295 = 2 590 × 1.5 = 3 885) counts against November: net 10 280, weighted 17 520
    assert (figures["anna"]["net"], figures["anna"]["weighted"]) == ("10280.00", "17520.00")
    # erik: 2 × 4 995 = 9 990 × 3 = 29 970
    assert (figures["erik"]["net"], figures["erik"]["weighted"]) == ("9990.00", "29970.00")
    # johan: 3 × 3 495 = 10 485 × 2 = 20 970; 10 × 89 = 890 × 0.3 = 267: net 11 375, weighted 21 237
    assert (figures["johan"]["net"], figures["johan"]["weighted"]) == ("11375.00", "21237.00")
    assert (data["net"], data["weighted"], data["target"]) == ("31645.00", "68727.00", "60000.00")
    # shares of 68 727; contributions to 60 000; attainment of 15 000 / 25 000 / 20 000
    assert [(figures[s]["share"], figures[s]["contribution"], figures[s]["attainment"])
            for s in ("anna", "erik", "johan")] == [("0.2549", "0.2920", "1.1680"),
                                                   ("0.4361", "0.4995", "1.1988"),
                                                   ("0.3090", "0.3540", "1.0619")]
    assert [r["staff"] for r in data["staff"]][:3] == ["erik", "johan", "anna"]
    assert data["attainment"] == "1.1455"  # 68 727 / 60 000


def test_october_keeps_the_sale_that_was_voided_in_november(november) -> None:
    data = json.loads(november("incentive", "results", "--period", "2026-10", "--format", "json").stdout)
    anna = next(r for r in data["staff"] if r["staff"] == "anna")
    assert (anna["net"], anna["weighted"]) == ("2590.00", "3885.00")
    quarter = json.loads(november("incentive", "results", "--period", "2026-Q4", "--format", "json").stdout)
    anna_q4 = next(r for r in quarter["staff"] if r["staff"] == "anna")
    assert (anna_q4["net"], anna_q4["weighted"]) == ("12870.00", "21405.00")  # sale and void cancel out


def test_the_hand_computed_month_rewarded_by_nordbygg_s_schemes(november) -> None:
    rows = json.loads(november("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    got = {(r["staff"], r["scheme"]): (r["amount"], r["item"]) for r in rows}
    assert got == {
        # provision: 1.5 % up to the personal target, 3 % above it
        ("anna", "provision"): ("300.60", None),    # 225.00 + 3 % of 2 520 = 75.60
        ("erik", "provision"): ("524.10", None),    # 375.00 + 3 % of 4 970 = 149.10
        ("johan", "provision"): ("337.11", None),   # 300.00 + 3 % of 1 237 = 37.11
        # planbonus: 3 000 at 100 %, + 200 a point above, at most 10 000
        ("anna", "planbonus"): ("6360.00", None),   # 116.8 %: 3 000 + 200 × 16.8
        ("erik", "planbonus"): ("6976.00", None),   # 119.88 %: 3 000 + 200 × 19.88
        ("johan", "planbonus"): ("4237.00", None),  # 106.185 %: 3 000 + 200 × 6.185
        # gava: all three between 100 % and 120 %: the gift card, 3 000 of the 6 000 budget
        ("erik", "gava"): ("1000.00", "Presentkort 1 000 kr, restaurang i Västerås"),
        ("anna", "gava"): ("1000.00", "Presentkort 1 000 kr, restaurang i Västerås"),
        ("johan", "gava"): ("1000.00", "Presentkort 1 000 kr, restaurang i Västerås"),
        # månadens säljare: the highest weighted sales, at least 100 %
        ("erik", "manadens-saljare"): (None, "Månadens säljare"),
    }
    cash = sum(Decimal(r["amount"]) for r in rows if r["kind"] == "cash")
    assert cash == Decimal("18734.81")


def test_explain_shows_the_lines_with_key_products_marked(november) -> None:
    result = november("incentive", "explain", "anna", "--period", "2026-11")
    out = result.stdout
    assert "17,520.00" in out and "116.8 %" in out
    lines = [l for l in out.splitlines() if l.startswith("2026-")]
    assert len(lines) == 3
    borr = next(l for l in lines if "BM-18V" in l)
    assert " * " in borr and "SEK 19,960.00" in borr
    ham = next(l for l in lines if "HAM-16" in l)
    assert " * " not in ham and "0.5" in ham
    credit = next(l for l in lines if "SL-125" in l)
    assert credit.startswith("2026-11-20") and "credit" in credit and "-SEK 3,885.00" in credit
    data = json.loads(november("incentive", "explain", "anna", "--period", "2026-11",
                               "--format", "json").stdout)
    assert data["figures"]["weighted"] == "17520.00"
    assert [(l["sku"], l["locomotive"], l["weighted"]) for l in data["lines"]] == [
        ("BM-18V", True, "19960.00"), ("HAM-16", False, "1445.00"), ("SL-125", False, "-3885.00")]


def test_explain_for_someone_without_sales_and_an_unknown_id(november) -> None:
    out = november("incentive", "explain", "olle", "--period", "2026-11")
    assert "No sales lines for olle in 2026-11." in out.stderr
    assert november("incentive", "explain", "nobody", "--period", "2026-11", code=1).stderr.startswith(
        "Error: no staff member with id 'nobody'")


def test_results_read_only_the_months_of_the_period(november, business) -> None:
    from kundkit.contribution import period_lines

    ctx = context(business)
    with ctx.store.read() as tx:
        assert {l.date.month for l in period_lines(tx, parse_period("2026-10"))} == {10}
        assert len(period_lines(tx, parse_period("2026-11"), seller="johan")) == 2
