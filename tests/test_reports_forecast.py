"""``report forecast``: the BG/NBD fit through the whole report (import, store, report) on purchase
histories simulated from known parameters, and what the report says about each customer."""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

TRUE = {"r": 0.5, "alpha": 5.0, "a": 0.8, "b": 2.5}  # alpha per week: 0.1 purchases a week on average
NOW = date(2026, 11, 20)  # the frozen "now" of the tests
CUSTOMERS = 2000
SEED = 1


def simulate(seed: int = SEED) -> list[tuple[str, str, str]]:
    """Purchases ``(order, day, customer)`` drawn from the BG/NBD story: each customer's first
    purchase falls in the first half year of the 78 weeks before NOW; then purchases come at a
    Poisson rate lambda ~ Gamma(r, alpha) per week, and after each one the customer leaves for good
    with probability p ~ Beta(a, b). Times become whole days."""
    import numpy

    rng = numpy.random.default_rng(seed)
    start = NOW - timedelta(weeks=78)
    rows = []
    for number in range(CUSTOMERS):
        rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"])
        leave = rng.beta(TRUE["a"], TRUE["b"])
        first = start + timedelta(days=int(rng.integers(0, 26 * 7)))
        age = (NOW - first).days / 7
        days, t = [first], 0.0
        while True:
            t += rng.exponential(1 / rate)
            if t > age:
                break
            days.append(first + timedelta(days=int(t * 7)))
            if rng.random() < leave:
                break
        rows.extend((f"S{number}-{i}", day.isoformat(), f"K{1001 + number}")
                    for i, day in enumerate(days))
    return rows


@pytest.fixture(scope="module")
def simulated() -> list[tuple[str, str, str]]:
    return simulate()


@pytest.fixture
def shop(business: Path, kk: Any, simulated: list[tuple[str, str, str]]) -> Path:
    kk("staff", "import", "examples/staff.csv")
    kk("product", "import", "examples/products.csv")
    people = ["name,kind,segment"] + [f"Kund {n:04d},person,privat" for n in range(CUSTOMERS)]
    (business / "people.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    kk("customer", "import", "people.csv", "--force")
    lines = ["order,date,customer,sku,quantity,unit_price,seller"]
    lines += [f"{order},{day},{customer},HAM-16,1,289.00," for order, day, customer in simulated]
    (business / "sales.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    kk("purchase", "import", "sales.csv")
    return business


def test_the_fit_recovers_the_parameters_the_data_were_drawn_from(shop: Path, kk: Any) -> None:
    data = json.loads(kk("report", "forecast", "--format", "json").stdout)
    assert data["model"] == "BG/NBD" and data["unit_days"] == 7 and data["horizon_days"] == 90
    assert data["fitted_customers"] == CUSTOMERS and data["converged"] is True
    # Tolerance: each estimate within three of its own standard errors of the true value (with
    # 2000 customers these are about 4 % for r and alpha, 12-16 % for a and b).
    for name, true in TRUE.items():
        estimate, error = data["parameters"][name], data["standard_errors"][name]
        assert error < 0.2 * true, (name, error)
        assert abs(estimate - true) <= 3 * error, (name, estimate, true, error)


def test_each_customer_gets_the_models_figures_and_the_slipping_come_first(
        shop: Path, kk: Any, simulated: list[tuple[str, str, str]]) -> None:
    from kundkit.analytics.bgnbd import BGNBDParams, expected_purchases, p_alive

    data = json.loads(kk("report", "forecast", "--format", "json", "--days", "28").stdout)
    params = BGNBDParams(**data["parameters"])
    rows = data["rows"]
    assert data["customers"] == len(rows) == CUSTOMERS and data["horizon_days"] == 28
    by_id = {row["customer"]: row for row in rows}
    # One customer by hand: x, t_x and T in weeks from the purchase days.
    days = sorted({date.fromisoformat(day) for _o, day, c in simulated if c == "K1001"})
    x = len(days) - 1
    t_x, T = (days[-1] - days[0]).days / 7, (NOW - days[0]).days / 7
    row = by_id["K1001"]
    assert row["purchases"] == x + 1 and row["first_purchase"] == days[0].isoformat()
    assert row["last_purchase"] == days[-1].isoformat()
    assert row["days_since_last"] == (NOW - days[-1]).days
    assert row["p_alive"] == pytest.approx(p_alive(params, x, t_x, T), abs=2e-6)
    assert row["expected_purchases"] == pytest.approx(expected_purchases(params, 4, x, t_x, T),
                                                      abs=2e-6)
    # Order: every slipping customer first, least likely to be active first; one-time buyers last.
    slipping = [r for r in rows if r["slipping"]]
    assert slipping and rows[:len(slipping)] == slipping
    assert all(r["p_alive"] < 0.5 and r["purchases"] > 1 for r in slipping)
    assert [r["p_alive"] for r in slipping] == sorted(r["p_alive"] for r in slipping)
    once = [r for r in rows if r["purchases"] == 1]
    assert rows[len(rows) - len(once):] == once and data["one_time_buyers"] == len(once)
    assert data["expected_purchases_total"] == pytest.approx(
        sum(r["expected_purchases"] for r in rows), abs=1e-3)
    assert data["slipping"] == len(slipping)
    # A repeat customer who bought last week is not slipping (right after a purchase the model
    # only fears the drop-out chance a / (b + x - 1)); those who have been away long are.
    recent = next(r for r in rows if r["purchases"] >= 3 and r["days_since_last"] <= 7)
    assert not recent["slipping"] and recent["p_alive"] > 0.75
    assert min(r["days_since_last"] for r in slipping) > 60


def test_top_and_table(shop: Path, kk: Any) -> None:
    table = kk("report", "forecast", "--top", "5").stdout
    assert "Forecast of purchases" in table and "P(active)" in table
    assert "BG/NBD fitted to 2,000 customers" in table
    for name in ("r", "alpha", "a", "b"):
        assert f"\n{name} " in table
    assert len(json.loads(kk("report", "forecast", "--top", "5", "--format", "json").stdout)
               ["rows"]) == 5


def test_without_numpy_and_scipy_the_report_says_how_to_install_them(
        business: Path, kk: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    kk("staff", "import", "examples/staff.csv")
    kk("product", "import", "examples/products.csv")
    kk("customer", "import", "examples/customers.csv")
    (business / "s.csv").write_text("order,date,customer,sku,quantity,unit_price,seller\n"
                                    "A,2026-01-10,K1001,HAM-16,1,,\nB,2026-03-10,K1001,HAM-16,1,,\n",
                                    encoding="utf-8")
    kk("purchase", "import", "s.csv")
    for name in ("numpy", "scipy", "scipy.optimize", "scipy.special", "scipy.integrate"):
        monkeypatch.setitem(sys.modules, name, None)  # as if they were not installed
    result = kk("report", "forecast", code=1)
    assert "pip install 'kundkit[forecast]'" in result.stderr


def test_an_empty_history_is_explained(business: Path, kk: Any) -> None:
    result = kk("report", "forecast", code=1)
    assert "There are no purchases to forecast from (up to 2026-11-20)." in result.stderr
