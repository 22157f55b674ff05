"""Deadlines of feedback items: the policy, the pausing clock, overdue and due-within."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from kundkit.calendar import BusinessCalendar
from kundkit.deadlines import DEADLINES_SCHEMA, DeadlinePolicy, Target, compute_deadlines
from kundkit.errors import ValidationError
from kundkit.schemacheck import validate
from kundkit.yamldoc import parse_yaml

STHLM = ZoneInfo("Europe/Stockholm")
H = timedelta(hours=1)

POLICY = {
    "complaint": {
        "high": {"first_response": "2h", "resolution": "1d"},
        "default": {"first_response": "4h", "resolution": "3d"},
    },
    "claim": {"first_response": "1d", "resolution": "5d"},
    "default": {"resolution": "10d"},
}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=STHLM)


@pytest.fixture
def office() -> BusinessCalendar:
    return BusinessCalendar.from_config({"hours": {"mon-fri": "08:00-17:00"}})


@pytest.fixture
def policy(office) -> DeadlinePolicy:
    return DeadlinePolicy.from_config(POLICY, office)


def test_most_specific_target_wins(policy):
    assert policy.target("complaint", "high") == Target(2 * H, 9 * H)
    assert policy.target("complaint", "low") == Target(4 * H, 27 * H)
    assert policy.target("complaint") == Target(4 * H, 27 * H)
    assert policy.target("claim", "high") == Target(9 * H, 45 * H)
    assert policy.target("suggestion", "high") == Target(None, 90 * H)
    assert DeadlinePolicy.from_config({}).target("complaint") == Target()


def test_without_a_calendar_durations_are_clock_time():
    plain = DeadlinePolicy.from_config(POLICY)
    assert plain.target("complaint", "high") == Target(2 * H, 24 * H)


def test_christmas_eve_complaint(policy):
    received = at(2026, 12, 24, 15)
    deadlines = policy.deadlines("complaint", "normal", [(received, "new")],
                                 now=at(2026, 12, 27, 12))
    assert deadlines.first_response.due == at(2026, 12, 28, 12)
    assert deadlines.first_response.used == timedelta(0)
    # 27 open hours: 28, 29 and 30 December; new year's eve is closed.
    assert deadlines.resolution.due == at(2026, 12, 30, 17)
    assert not deadlines.overdue
    assert deadlines.next_due == at(2026, 12, 28, 12)


def test_friday_before_midsummer(policy):
    # Thursday 18 June 16:00; midsummer eve and midsummer day are closed.
    deadlines = policy.deadlines("complaint", "high", [(at(2026, 6, 18, 16), "new")],
                                 now=at(2026, 6, 22, 9))
    assert deadlines.first_response.due == at(2026, 6, 22, 9)
    assert deadlines.first_response.left == timedelta(0)
    assert not deadlines.first_response.overdue
    later = policy.deadlines("complaint", "high", [(at(2026, 6, 18, 16), "new")],
                             now=at(2026, 6, 22, 9, 1))
    assert later.first_response.overdue and later.overdue
    assert later.first_response.left == -timedelta(minutes=1)


def test_the_clock_pauses_while_waiting_for_the_customer(policy):
    history = [
        (at(2026, 3, 2, 10), "new"),
        (at(2026, 3, 2, 11), "acknowledged"),
        (at(2026, 3, 2, 15), "waiting"),
        (at(2026, 3, 4, 10), "in-progress"),
    ]
    waiting = policy.deadlines("complaint", "normal", history, now=at(2026, 3, 3, 12))
    clock = waiting.resolution
    assert clock.paused and not clock.running
    assert clock.used == 5 * H and clock.left == 22 * H
    assert clock.due is None
    assert clock.due_within(22 * H) and not clock.due_within(21 * H)
    assert waiting.status == "waiting"

    resumed = policy.deadlines("complaint", "normal", history, now=at(2026, 3, 5, 12))
    clock = resumed.resolution
    assert clock.running
    # Monday 10-15 (5 h) and Wednesday 10:00 to Thursday 12:00 (11 h); Tuesday does not count.
    assert clock.used == 16 * H and clock.left == 11 * H
    assert clock.due == at(2026, 3, 6, 14)
    first = resumed.first_response
    assert first.stopped_at == at(2026, 3, 2, 11) and first.used == H
    assert first.met is True and first.due is None and not first.overdue


def test_paused_after_the_deadline_is_still_overdue(policy):
    history = [
        (at(2026, 3, 2, 8), "new"),
        (at(2026, 3, 2, 8, 30), "in-progress"),
        (at(2026, 3, 3, 12), "waiting"),
    ]
    deadlines = policy.deadlines("complaint", "high", history, now=at(2026, 3, 4, 12))
    clock = deadlines.resolution
    assert clock.paused and clock.overdue and clock.breached
    assert clock.used == 13 * H
    assert clock.due == at(2026, 3, 2, 17)
    assert deadlines.overdue and deadlines.due_within(timedelta(0))


def test_overdue_first_response_over_a_weekend(policy):
    deadlines = policy.deadlines("complaint", "high", [(at(2026, 3, 6, 16), "new")],
                                 now=at(2026, 3, 9, 10))
    assert deadlines.first_response.used == 3 * H
    assert deadlines.first_response.overdue
    assert deadlines.first_response.due == at(2026, 3, 9, 9)
    assert deadlines.resolution.due == at(2026, 3, 9, 16)
    assert not deadlines.resolution.overdue
    assert deadlines.next_due == at(2026, 3, 9, 9)


def test_resolved_in_time_and_late(policy):
    in_time = [(at(2026, 3, 2, 8), "new"), (at(2026, 3, 2, 9), "acknowledged"),
               (at(2026, 3, 2, 15), "resolved"), (at(2026, 3, 3, 9), "closed")]
    deadlines = policy.deadlines("complaint", "high", in_time, now=at(2026, 3, 10, 12))
    clock = deadlines.resolution
    assert clock.met is True and not clock.overdue and clock.due is None
    assert clock.stopped_at == at(2026, 3, 2, 15)  # resolved, not closed
    assert clock.used == 7 * H
    assert not deadlines.due_within(timedelta(days=365))

    late = [(at(2026, 3, 2, 8), "new"), (at(2026, 3, 2, 9), "acknowledged"),
            (at(2026, 3, 3, 10), "rejected")]
    clock = policy.deadlines("complaint", "high", late, now=at(2026, 3, 10, 12)).resolution
    assert clock.met is False and clock.breached and not clock.overdue
    assert clock.due == at(2026, 3, 2, 17)


def test_reopening_resumes_from_the_time_used(policy):
    history = [(at(2026, 3, 2, 8), "new"), (at(2026, 3, 2, 12), "resolved"),
               (at(2026, 3, 4, 8), "in-progress")]
    clock = policy.deadlines("complaint", "high", history, now=at(2026, 3, 4, 10)).resolution
    assert clock.used == 6 * H and clock.running
    assert clock.due == at(2026, 3, 4, 13)


def test_changes_after_now_are_ignored(policy):
    history = [(at(2026, 3, 2, 8), "new"), (at(2026, 3, 2, 10), "acknowledged"),
               (at(2026, 3, 2, 12), "resolved")]
    deadlines = policy.deadlines("complaint", "high", history, now=at(2026, 3, 2, 9))
    assert deadlines.status == "new"
    assert deadlines.first_response.stopped_at is None
    assert deadlines.first_response.used == H
    assert deadlines.resolution.due == at(2026, 3, 2, 17)


def test_explicit_first_response(policy):
    history = [(at(2026, 3, 2, 8), "new")]
    deadlines = policy.deadlines("complaint", "high", history, now=at(2026, 3, 2, 12),
                                 first_response_at=at(2026, 3, 2, 9, 30))
    assert deadlines.first_response.met is True
    assert deadlines.first_response.used == timedelta(minutes=90)


def test_history_out_of_order_is_sorted(policy):
    history = [(at(2026, 3, 2, 11), "acknowledged"), (at(2026, 3, 2, 10), "new")]
    deadlines = policy.deadlines("complaint", "high", history, now=at(2026, 3, 2, 12))
    assert deadlines.received_at == at(2026, 3, 2, 10)
    assert deadlines.first_response.used == H


def test_24_7_deadline_across_the_spring_change():
    target = Target(first_response=24 * H, resolution=None)
    deadlines = compute_deadlines([(at(2026, 3, 28, 12), "new")], target,
                                  now=at(2026, 3, 29, 12))
    assert deadlines.first_response.due == at(2026, 3, 29, 13)
    assert deadlines.first_response.used == 23 * H
    assert deadlines.resolution is None
    assert [name for name, _clock in deadlines.clocks()] == ["first_response"]


def test_as_dict_is_json(policy):
    deadlines = policy.deadlines("complaint", "high", [(at(2026, 3, 6, 16), "new")],
                                 now=at(2026, 3, 9, 10))
    data = json.loads(json.dumps(deadlines.as_dict()))
    assert data["overdue"] is True
    assert data["first_response"] == {
        "target_seconds": 7200, "used_seconds": 10800, "left_seconds": -3600,
        "due": "2026-03-09T09:00:00+01:00", "stopped_at": None, "paused": False,
        "overdue": True, "met": None}


@pytest.mark.parametrize("history,now,message", [
    ([], at(2026, 3, 2, 8), "no status history"),
    ([(at(2026, 3, 2, 8), "pending")], at(2026, 3, 2, 9), "unknown status 'pending'"),
    ([(at(2026, 3, 2, 8), "new")], at(2026, 3, 1, 9), "before the item was received"),
    ([(datetime(2026, 3, 2, 8), "new")], at(2026, 3, 2, 9), "time zone"),
    ([(at(2026, 3, 2, 8),)], at(2026, 3, 2, 9), "must be \\(time, status\\)"),
])
def test_bad_history(policy, history, now, message):
    with pytest.raises(ValidationError, match=message):
        policy.deadlines("complaint", "high", history, now=now)


def test_bad_policy_names_the_field(office):
    with pytest.raises(ValidationError) as caught:
        DeadlinePolicy.from_config({"complaint": {"high": {"first_response": "soon"}}}, office)
    assert caught.value.field == "deadlines.complaint.high.first_response"
    assert "'soon' is not a duration" in str(caught.value)
    with pytest.raises(ValidationError, match="unknown key 'first_reponse'"):
        DeadlinePolicy.from_config({"complaint": {"first_response": "2h", "first_reponse": "1h"}})


def test_schema_reports_located_problems():
    doc, _problems = parse_yaml(
        "complaint:\n"
        "  high: {first_reponse: 2h}\n"
        "  normal: {first_response: 4h, resolution: 3d}\n"
        "comment: {resolution: soon}\n"
        "default: {resolution: 10d, first_response: null}\n", "kundkit.yaml")
    assert [str(p) for p in validate(doc, DEADLINES_SCHEMA)] == [
        "kundkit.yaml:2:10: complaint.high: unknown key 'first_reponse' "
        "(did you mean 'first_response'?)",
        "kundkit.yaml:4:23: comment.resolution: 'soon' has the wrong form "
        "(a duration such as 30m, 4h, 2d or 1d4h)",
    ]
    good, _problems = parse_yaml(
        "complaint:\n  high: {first_response: 2h, resolution: 1d}\n"
        "default: {resolution: 10d, first_response: null}\n", "kundkit.yaml")
    assert validate(good, DEADLINES_SCHEMA) == []
    assert DeadlinePolicy.from_config(good.data).target("x") == Target(None, 240 * H)
