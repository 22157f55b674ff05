"""``report customers``: every figure of a hand-computed business, to the öre.

The story (tests/reports_support.py), reported on 2026-11-20 (the frozen "now"):

Products: VERK 1000.00 (unit cost 600.00), SKRUV 50.00 (cost 20.00), HYRA 400.00 (no cost).
The segment bygg gets 10 % off. Unit costs of serving: a contact 40 (by phone 60, an e-mail 5),
feedback 100 (a complaint 300), each compensation 50 on top of its amount.

K1001 Alfa Bygg AB (bygg)
  P1001 2024-12-10  VERK×2 + SKRUV×10 = 2500.00 − 250.00 = 2250.00 (cost 1200 + 200)
  P1002 2025-06-15  HYRA×3            = 1200.00 − 120.00 = 1080.00 (no cost)
  P1003 2026-03-02  VERK×1 + SKRUV×4  = 1200.00 − 120.00 = 1080.00 (cost 600 + 80)
  P1004 2026-10-05  SKRUV×20          = 1000.00 − 100.00 =  900.00 (cost 400)
  P1009 2026-04-01  credit note of P1003: −1080.00, discount −120.00, cost −680
  F1001 2025-08-01  a suggestion: 100.00
  a call 2025-03-01 (60.00) and a visit 2026-05-10 (40.00)
K1002 Beata Berg (privat)
  P1005 2025-01-20  VERK×1 = 1000.00; P1006 2025-11-25 HYRA×1 = 400.00;
  P1007 2026-11-02  VERK×1 + SKRUV×2 = 1100.00 (cost 600 + 40)
  F1002 2026-02-10  a complaint (300.00), resolved 2026-02-12 with a credit of 200.00 (+ 50.00)
  an e-mail 2026-06-01 (5.00); an SMS on 2026-06-02 that failed (nothing)
K1003 Cesar Ceder (privat)
  P1008 2025-05-05  SKRUV×2 = 100.00 (cost 40)
  F1003 2026-06-01  a claim (100.00), resolved with 10 % off the next order (no amount; + 50.00)
K1004 Dora Dahl: nothing, so not in the report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import reports_support
from reports_support import run



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = reports_support.new_shop(tmp_path_factory, "hand", folders=True)
    reports_support.build(folder)
    return folder


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def report(*args: str) -> dict[str, Any]:
    return json.loads(run("report", "customers", "--format", "json", *args).stdout)


K1001 = {
    "customer": "K1001", "name": "Alfa Bygg AB", "segment": "bygg", "manager": "anna",
    "first_purchase": "2024-12-10", "last_purchase": "2026-10-05",  # P1003 was voided
    "tenure_days": 710, "purchases": 3,
    "revenue": "4230.00",                       # 2250 + 1080 + 1080 + 900 − 1080
    "revenue_per_year": "2171.52",              # 4230 × 365 / 711 days
    "revenue_by_year": {"2024": "2250.00", "2025": "1080.00", "2026": "900.00"},
    "costed_revenue": "3150.00",                # without HYRA's 1080
    "cost_of_goods": "1800.00",                 # 1400 + 680 + 400 − 680
    "gross_margin": "1350.00", "margin_rate": "0.4286", "margin_coverage": "0.7447",
    "discounts": "470.00",                      # 250 + 120 + 120 + 100 − 120
    "interactions": 2, "interaction_cost": "100.00",  # a call 60 + a visit 40
    "feedback_items": 1, "feedback_cost": "100.00",
    "compensations": 0, "compensation_cost": "0.00",
    "serving_cost": "200.00", "net_contribution": "1150.00",
    "last_12_months": "900.00",                 # 2025-11-21 … 2026-11-20: 1080 − 1080 + 900
    "previous_12_months": "3330.00",            # 2024-11-21 … 2025-11-20: 2250 + 1080
    "trend": "-0.7297",                         # (900 − 3330) / 3330
    "rfm": "345", "recency": 3, "frequency": 4, "monetary": 5,
}
K1002 = {
    "customer": "K1002", "name": "Beata Berg", "segment": "privat", "manager": "erik",
    "first_purchase": "2025-01-20", "last_purchase": "2026-11-02", "tenure_days": 669,
    "purchases": 3, "revenue": "2500.00",
    "revenue_per_year": "1361.94",              # 2500 × 365 / 670 days
    "revenue_by_year": {"2025": "1400.00", "2026": "1100.00"},
    "costed_revenue": "2100.00", "cost_of_goods": "1240.00", "gross_margin": "860.00",
    "margin_rate": "0.4095", "margin_coverage": "0.8400", "discounts": "0.00",
    "interactions": 1, "interaction_cost": "5.00",   # the failed SMS cost nothing
    "feedback_items": 1, "feedback_cost": "300.00",
    "compensations": 1, "compensation_cost": "250.00",   # the credit of 200 + 50 handling
    "serving_cost": "555.00", "net_contribution": "305.00",
    "last_12_months": "1500.00", "previous_12_months": "1000.00", "trend": "0.5000",
    "rfm": "543", "recency": 5, "frequency": 4, "monetary": 3,
}
K1003 = {
    "customer": "K1003", "name": "Cesar Ceder", "segment": "privat", "manager": "anna",
    "first_purchase": "2025-05-05", "last_purchase": "2025-05-05", "tenure_days": 564,
    "purchases": 1, "revenue": "100.00",
    "revenue_per_year": "64.60",                # 100 × 365 / 565 days
    "revenue_by_year": {"2025": "100.00"},
    "costed_revenue": "100.00", "cost_of_goods": "40.00", "gross_margin": "60.00",
    "margin_rate": "0.6000", "margin_coverage": "1.0000", "discounts": "0.00",
    "interactions": 0, "interaction_cost": "0.00",
    "feedback_items": 1, "feedback_cost": "100.00",
    "compensations": 1, "compensation_cost": "50.00",    # a percentage has no amount
    "serving_cost": "150.00", "net_contribution": "-90.00",
    "last_12_months": "0.00", "previous_12_months": "100.00", "trend": "-1.0000",
    "rfm": "111", "recency": 1, "frequency": 1, "monetary": 1,
}
TOTALS = {"purchases": 7, "revenue": "6830.00", "costed_revenue": "5350.00",
          "cost_of_goods": "3080.00", "gross_margin": "2270.00", "discounts": "470.00",
          "interaction_cost": "105.00", "feedback_cost": "500.00", "compensation_cost": "300.00",
          "serving_cost": "905.00", "net_contribution": "1365.00"}


def test_every_figure_of_the_whole_history(shop: Path) -> None:
    data = report()
    assert data["window"] == {"label": "up to 2026-11-20", "since": None, "until": "2026-11-20",
                              "period": None}
    assert data["currency"] == "SEK" and data["customers"] == 3 and data["shown"] == 3
    assert data["rows"] == [K1001, K1002, K1003]  # by net contribution, best first
    assert data["totals"] == TOTALS
    assert data["unit_costs"] == {"interactions": {"default": "40", "email": "5", "phone": "60"},
                                  "feedback": {"default": "100", "complaint": "300"},
                                  "compensation": "50"}
    assert any("HYRA" in note for note in data["notes"])


def test_every_figure_of_one_year(shop: Path) -> None:
    data = report("--period", "2026")
    assert data["window"] == {"label": "2026", "since": "2026-01-01", "until": "2026-11-20",
                              "period": "2026"}
    rows = {row["customer"]: row for row in data["rows"]}
    # First purchase, tenure and trend belong to the relationship, not to the window.
    assert rows["K1001"] == {
        **K1001, "purchases": 1, "revenue": "900.00",
        "revenue_per_year": "900.00",           # under a year in the window: not extrapolated
        "revenue_by_year": {"2026": "900.00"}, "costed_revenue": "900.00",
        "cost_of_goods": "400.00", "gross_margin": "500.00", "margin_rate": "0.5556",
        "margin_coverage": "1.0000", "discounts": "100.00", "interactions": 1,
        "interaction_cost": "40.00", "feedback_items": 0, "feedback_cost": "0.00",
        "serving_cost": "40.00", "net_contribution": "460.00",
        "rfm": "232", "recency": 2, "frequency": 3, "monetary": 2}
    assert rows["K1002"] == {
        **K1002, "purchases": 1, "revenue": "1100.00", "revenue_per_year": "1100.00",
        "revenue_by_year": {"2026": "1100.00"}, "costed_revenue": "1100.00",
        "cost_of_goods": "640.00", "gross_margin": "460.00", "margin_rate": "0.4182",
        "margin_coverage": "1.0000", "net_contribution": "-95.00",
        "rfm": "434", "recency": 4, "frequency": 3, "monetary": 4}
    # No purchase in 2026, but a claim and a compensation: a customer who only costs.
    assert rows["K1003"] == {
        **K1003, "purchases": 0, "revenue": "0.00", "revenue_per_year": "0.00",
        "revenue_by_year": {}, "costed_revenue": "0.00", "cost_of_goods": "0.00",
        "gross_margin": "0.00", "margin_rate": None, "margin_coverage": None,
        "net_contribution": "-150.00", "rfm": None, "recency": None, "frequency": None,
        "monetary": None}
    assert [row["customer"] for row in data["rows"]] == ["K1001", "K1002", "K1003"]
    assert data["totals"]["revenue"] == "2000.00" and data["totals"]["net_contribution"] == "215.00"


def test_filters_keep_the_scores_of_the_whole_customer_base(shop: Path) -> None:
    private = report("--segment", "privat")
    assert [row["customer"] for row in private["rows"]] == ["K1002", "K1003"]
    assert private["rows"] == [K1002, K1003]
    assert private["totals"]["revenue"] == "2600.00"
    anna = report("--manager", "anna")
    assert [row["customer"] for row in anna["rows"]] == ["K1001", "K1003"]
    assert anna["filters"] == {"segment": None, "manager": "anna"}


def test_sorting_and_top(shop: Path) -> None:
    assert [r["customer"] for r in report("--sort", "revenue", "--top", "2")["rows"]] == \
        ["K1001", "K1002"]
    assert [r["customer"] for r in report("--sort", "trend")["rows"]] == ["K1002", "K1001", "K1003"]
    assert [r["customer"] for r in report("--sort", "serving")["rows"]] == ["K1002", "K1001", "K1003"]
    assert [r["customer"] for r in report("--sort", "first")["rows"]] == ["K1001", "K1002", "K1003"]
    top = report("--top", "1")
    assert top["shown"] == 1 and top["customers"] == 3 and top["totals"] == TOTALS
    result = run("report", "customers", "--sort", "colour", code=1)
    assert "--sort: 'colour' is not one of" in result.stderr


def test_table_and_csv_show_the_same_figures(shop: Path) -> None:
    table = run("report", "customers").stdout
    assert "Customer economics · up to 2026-11-20" in table
    for text in ("4,230.00", "2,171.52", "1,350.00", "1,150.00", "-73 %", "345", "Total",
                 "6,830.00", "1,365.00", "-90.00"):
        assert text in table
    lines = run("report", "customers", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("customer,name,segment,manager,first_purchase,last_purchase")
    assert lines[1].startswith("K1001,Alfa Bygg AB,bygg,anna,2024-12-10,2026-10-05,710,3,4230.00")


def test_bad_windows_and_filters_are_refused(shop: Path) -> None:
    assert "not one of bygg, privat" in run("report", "customers", "--segment", "x", code=1).stderr
    assert "no staff" in run("report", "customers", "--manager", "nobody", code=1).stderr.lower()
    assert "either --period or --since" in run("report", "customers", "--period", "2026",
                                                "--since", "2026-01-01", code=2).stderr
    assert "in the future" in run("report", "customers", "--until", "2027-01-01", code=2).stderr
    assert "not a year, quarter" in run("report", "customers", "--period", "soon", code=2).stderr


def test_rfm_quintile_edges_through_the_report(business: Path, kk: Any) -> None:
    """Quintile scores at their edges, through the import and the report: customers with the same
    amount share a score, and a position exactly on a fifth's edge belongs to the upper fifth."""
    kk("staff", "import", "examples/staff.csv")
    kk("product", "import", "examples/products.csv")
    kk("customer", "import", "examples/customers.csv")
    rows = ["order,date,customer,sku,quantity,unit_price,seller"]
    # K1001..K1010 buy 1, 2, 3, 4, 4, 6, 7, 8, 9, 10 drills of 1000.00 on one day.
    for n, quantity in enumerate((1, 2, 3, 4, 4, 6, 7, 8, 9, 10), start=1):
        rows.append(f"O{n},2026-06-01,K{1000 + n},BM-18V,{quantity},1000.00,anna")
    (business / "p.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kk("purchase", "import", "p.csv")
    data = json.loads(kk("report", "customers", "--format", "json", "--sort", "customer").stdout)
    scores = {row["customer"]: row["monetary"] for row in data["rows"]}
    # Mid-rank positions (2·worse + tied) / (2·10): 1/20, 3/20, 5/20 → 1, 1, 2; the two 4000s
    # have 8/20 = 0.4, exactly on an edge → 3 (the upper fifth), like 6000 at 11/20; then
    # 13/20, 15/20 → 4; 17/20, 19/20 → 5.
    assert [scores[f"K{1000 + n}"] for n in range(1, 11)] == [1, 1, 2, 3, 3, 3, 4, 4, 5, 5]
    # Everyone bought once, on the same day: nothing to rank them by.
    assert {row["recency"] for row in data["rows"]} == {3}
    assert {row["frequency"] for row in data["rows"]} == {3}
