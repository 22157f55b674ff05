"""Periods and sales plans: parsing, containment, and targets per kind of period (set, summed from
the parts, or shared out of the enclosing period)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from kundkit.errors import ValidationError
from kundkit.plans import Period, parse_period, period_of, resolve_from_records


@pytest.mark.parametrize(("text", "kind", "start", "end"), [
    ("2026-11", "month", date(2026, 11, 1), date(2026, 12, 1)),
    ("2026-12", "month", date(2026, 12, 1), date(2027, 1, 1)),
    ("2026-2", "month", date(2026, 2, 1), date(2026, 3, 1)),
    ("2026-Q4", "quarter", date(2026, 10, 1), date(2027, 1, 1)),
    ("2026-q1", "quarter", date(2026, 1, 1), date(2026, 4, 1)),
    ("2026-K3", "quarter", date(2026, 7, 1), date(2026, 10, 1)),
    ("2026", "year", date(2026, 1, 1), date(2027, 1, 1)),
])
def test_periods_parse_and_span(text: str, kind: str, start: date, end: date) -> None:
    period = parse_period(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert parse_period(str(period)) == period


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-Q5", "26-11", "november", "2026-11-01", ""])
def test_malformed_periods_are_refused_with_the_value(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_period(text)
    assert info.value.field == "period"
    assert repr(text) in info.value.message or text in info.value.message


def test_containment_of_days_and_periods() -> None:
    q4, nov, year = parse_period("2026-Q4"), parse_period("2026-11"), parse_period("2026")
    assert nov.contains(date(2026, 11, 30)) and not nov.contains(date(2026, 12, 1))
    assert q4.covers(nov) and year.covers(q4) and year.covers(nov) and nov.covers(nov)
    assert not nov.covers(q4) and not parse_period("2026-Q3").covers(nov)
    assert q4.month_keys() == ["2026-10", "2026-11", "2026-12"]
    assert [str(p) for p in year.parts()] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert nov.parent() == q4 and q4.parent() == year and year.parent() is None
    assert period_of(date(2026, 11, 20), "quarter") == q4
    assert sorted([nov, year, q4], key=lambda p: p.sort_key) == [year, q4, nov]


def _plan(period: str, target: str | None = None, **staff: str) -> dict:
    return {"period": period, "target": target, "staff": staff}


def test_a_target_set_for_the_period_wins() -> None:
    records = [_plan("2026-11", "500000.00", anna="120000.00"), _plan("2026-Q4", "1200000.00")]
    targets = resolve_from_records(records, Period("month", 2026, 11))
    assert targets.organisation.amount == Decimal("500000.00")
    assert targets.organisation.source == "set"
    assert targets.of("anna").amount == Decimal("120000.00")


def test_a_quarter_is_the_sum_of_its_months_when_all_are_set() -> None:
    records = [_plan("2026-10", "400000.00", anna="100000.00"), _plan("2026-11", "500000.00", anna="120000.00"),
               _plan("2026-12", "300000.00")]
    targets = resolve_from_records(records, parse_period("2026-Q4"))
    assert (targets.organisation.amount, targets.organisation.source) == (Decimal("1200000.00"), "sum")
    assert targets.of("anna") is None  # anna has no December target: her quarter cannot be summed


def test_a_year_is_the_sum_of_quarters_set_or_summed() -> None:
    records = [_plan("2026-Q1", "1000000"), _plan("2026-Q2", "1100000"), _plan("2026-Q3", "900000"),
               _plan("2026-10", "400000"), _plan("2026-11", "500000"), _plan("2026-12", "300000")]
    targets = resolve_from_records(records, parse_period("2026"))
    assert targets.organisation.amount == Decimal("4200000")
    assert targets.organisation.source == "sum"


def test_a_month_without_a_target_gets_its_share_of_what_is_left_of_the_quarter() -> None:
    records = [_plan("2026-Q4", "1500000.00", johan="300000.00"), _plan("2026-11", "500000.00")]
    december = resolve_from_records(records, parse_period("2026-12"))
    # (1 500 000 − November's 500 000) over October and December
    assert december.organisation.amount == Decimal("500000.00")
    assert (december.organisation.source, december.organisation.basis) == ("share", "2026-Q4")
    assert december.of("johan").amount == Decimal("100000.00")


def test_a_month_of_a_year_plan_gets_a_twelfth_rounded_once() -> None:
    records = [_plan("2027", "1000000.00")]
    month = resolve_from_records(records, parse_period("2027-03"))
    # 1 000 000 / 4 quarters / 3 months = 83 333.333… → 83 333.33
    assert month.organisation.amount == Decimal("83333.33")
    quarter = resolve_from_records(records, parse_period("2027-Q2"))
    assert quarter.organisation.amount == Decimal("250000.00")


def test_no_plan_means_no_target() -> None:
    targets = resolve_from_records([_plan("2025-11", "1")], parse_period("2026-11"))
    assert targets.organisation is None and targets.staff == {}


# -- the commands -------------------------------------------------------------------------------

@pytest.fixture
def staffed(kk):
    kk("staff", "import", "examples/staff.csv")
    return kk


def test_plan_set_pairs_each_target_with_the_staff_member_before_it(staffed) -> None:
    kk = staffed
    result = kk("plan", "set", "--period", "2026-11", "--target", "500 000", "--staff", "anna",
                "--target", "120000", "--staff", "erik", "--target", "100000,50")
    assert "Plan for 2026-11 saved." in result.stderr
    shown = json.loads(kk("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    targets = {row["staff"]: row["target"] for row in shown["targets"]}
    assert targets == {None: "500000.00", "anna": "120000.00", "erik": "100000.50"}
    # A later call for another staff member keeps the targets already set.
    kk("plan", "set", "--period", "2026-11", "--staff", "sara", "--target", "90000")
    shown = json.loads(kk("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    assert [row["staff"] for row in shown["targets"]] == [None, "anna", "erik", "sara"]


def test_plan_show_says_how_a_target_was_found(staffed) -> None:
    kk = staffed
    kk("plan", "set", "--period", "2026-Q4", "--target", "1500000", "--staff", "johan", "--target", "300000")
    kk("plan", "set", "--period", "2026-11", "--target", "500000")
    out = kk("plan", "show", "--period", "2026-12").stdout
    assert "SEK 500,000.00" in out and "share of 2026-Q4" in out
    assert "Johan Markström" in out and "SEK 100,000.00" in out


def test_plan_list_in_calendar_order(staffed) -> None:
    kk = staffed
    kk("plan", "set", "--period", "2026-11", "--target", "500000", "--staff", "anna", "--target", "100000")
    kk("plan", "set", "--period", "2026", "--target", "6000000")
    kk("plan", "set", "--period", "2026-Q4", "--target", "1500000")
    rows = json.loads(kk("plan", "list", "--format", "json").stdout)
    assert [(r["period"], r["kind"]) for r in rows] == [("2026", "year"), ("2026-Q4", "quarter"),
                                                        ("2026-11", "month")]
    assert rows[2]["staff_sum"] == "100000.00"


@pytest.mark.parametrize(("args", "message"), [
    (["--period", "2026-11", "--staff", "anna"], "--staff anna needs a --target after it"),
    (["--period", "2026-11", "--target", "1", "--target", "2"], "two targets for the organisation"),
    (["--period", "2026-11", "--target", "-5"], "more than zero"),
    (["--period", "2026-11", "--target", "0"], "more than zero"),
    (["--period", "2026-11", "--staff", "nobody", "--target", "5"], "no staff member with id 'nobody'"),
    (["--period", "2026-14", "--target", "5"], "there is no month 14"),
])
def test_plan_set_refuses_what_it_cannot_mean(staffed, args: list[str], message: str) -> None:
    result = staffed("plan", "set", *args, code=None)
    assert result.exit_code in (1, 2)
    assert message in result.stderr


def test_plan_set_from_a_csv_file(staffed, business) -> None:
    (business / "targets.csv").write_text("staff,target\n,500000\nanna,120000\nerik,\"100 000\"\n",
                                         encoding="utf-8")
    staffed("plan", "set", "--period", "2026-11", "--file", "targets.csv")
    shown = json.loads(staffed("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    assert {r["staff"]: r["target"] for r in shown["targets"]} == {
        None: "500000.00", "anna": "120000.00", "erik": "100000.00"}


def test_plan_remove_a_staff_target_or_the_whole_plan(staffed) -> None:
    kk = staffed
    kk("plan", "set", "--period", "2026-11", "--target", "500000", "--staff", "anna", "--target", "1")
    kk("plan", "remove", "--period", "2026-11", "--staff", "anna")
    shown = json.loads(kk("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    assert [r["staff"] for r in shown["targets"]] == [None]
    kk("plan", "remove", "--period", "2026-11")
    assert kk("plan", "remove", "--period", "2026-11", code=1).stderr.startswith("Error: no plan is set")


def test_a_missing_period_is_named_when_nobody_can_be_asked(staffed) -> None:
    result = staffed("plan", "set", "--target", "5", code=2)
    assert "--period" in result.stderr


def test_plan_set_asks_for_what_is_missing_at_a_terminal(staffed) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        # a wrong period is refused and asked again; then the organisation's target
        pipe.send_text("2026-13\r" + "\x7f" * 7 + "2026-11\r500 000\r")
        staffed("plan", "set", env={"KUNDKIT_FORCE_PROMPTS": "1"})
    shown = json.loads(staffed("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    assert shown["targets"] == [{"staff": None, "name": "(organisation)", "target": "500000.00",
                                 "source": "set", "basis": None, "how": "set"}]
