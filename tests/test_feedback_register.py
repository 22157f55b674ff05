"""The feedback register: checked fields, the life of an item, compensation, and deadlines in the
open hours of the business calendar (across a weekend, Swedish holidays, and a pause while
waiting for the customer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kundkit.errors import Conflict, NotFound, ValidationError
from tests.workflows_support import at, context, populate

COMPLAINT = {"customer": "K1001", "kind": "complaint", "category": "leverans",
             "text": "The saw came without a blade", "channel": "phone"}


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def _add(business: Path, fields: dict[str, Any], now: str | None = None, **kwargs: Any) -> dict[str, Any]:
    from kundkit.feedback import create_feedback

    ctx = context(business, now=at(now) if now else None, **kwargs)
    with ctx.store.transaction() as tx:
        return create_feedback(ctx, tx, fields)


def _do(business: Path, now: str, action: str, feedback_id: str, **kwargs: Any) -> dict[str, Any]:
    import kundkit.feedback as register

    ctx = context(business, now=at(now))
    with ctx.store.transaction() as tx:
        return getattr(register, action)(ctx, tx, feedback_id, **kwargs)


def _clocks(business: Path, feedback_id: str, now: str) -> Any:
    from kundkit.feedback import deadlines_of, get_feedback

    ctx = context(business, now=at(now))
    with ctx.store.read() as tx:
        record = get_feedback(tx, feedback_id)
    return deadlines_of(ctx, record)


def test_a_new_item_gets_defaults_and_a_history(biz: Path) -> None:
    record = _add(biz, COMPLAINT)
    assert record["id"] == "F1001"
    assert (record["assignee"], record["priority"], record["status"]) == ("anna", "normal", "new")
    assert record["received_at"] == "2026-11-20T10:00:00+01:00"
    assert record["history"] == [{"at": "2026-11-20T10:00:00+01:00", "status": "new", "by": "anna"}]
    second = _add(biz, {**COMPLAINT, "kind": "förslag", "customer": "k1002", "priority": "high",
                        "assignee": "maria", "received_at": "2026-11-19 15:30"})
    assert (second["id"], second["kind"], second["customer"], second["assignee"]) == \
        ("F1002", "suggestion", "K1002", "maria")
    assert second["received_at"] == "2026-11-19T15:30:00+01:00"


@pytest.mark.parametrize("change, field, message", [
    ({"customer": "K9999"}, "customer", "customer: no customer with id 'K9999'"),
    ({"kind": "praise"}, "kind", "kind: 'praise' is not one of complaint, claim, suggestion, comment"),
    ({"category": "weather"}, "category", "category: 'weather' is not one of leverans, kvalitet"),
    ({"priority": "urgent"}, "priority", "priority: 'urgent' is not one of low, normal, high"),
    ({"channel": "fax"}, "channel", "channel: 'fax' is not one of phone, email"),
    ({"text": "  "}, "text", "text: a value is needed"),
    ({"received_at": "2026-11-21 08:00"}, "received_at", "received_at: 2026-11-21T08:00+01:00 is in "
                                                         "the future"),
    ({"assignee": "nobody"}, "assignee", "assignee: no staff member with id 'nobody'"),
    ({"purchase": "P 10"}, "purchase", "purchase: 'P 10' is not a purchase id"),
    ({"colour": "red"}, "colour", "unknown field 'colour'"),
])
def test_bad_fields_are_refused_naming_the_field(biz: Path, change: dict[str, Any], field: str,
                                                 message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _add(biz, {**COMPLAINT, **change})
    assert caught.value.field == field
    assert caught.value.message.startswith(message)


def test_the_life_of_an_item(biz: Path) -> None:
    _add(biz, COMPLAINT)
    answered = _do(biz, "2026-11-20T11:00:00+01:00", "respond", "F1001",
                   text="A blade is on its way", via="phone")
    assert answered["status"] == "acknowledged"
    assert answered["first_response_at"] == "2026-11-20T11:00:00+01:00"
    waiting = _do(biz, "2026-11-20T12:00:00+01:00", "set_status", "F1001", status="waiting",
                  note="asked for a photo")
    assert waiting["history"][-1]["note"] == "asked for a photo"
    with pytest.raises(Conflict, match="resolve or reject it before closing it"):
        _do(biz, "2026-11-20T12:00:00+01:00", "close", "F1001")
    with pytest.raises(ValidationError, match="resolution: say what was done"):
        _do(biz, "2026-11-20T12:00:00+01:00", "resolve", "F1001", resolution=" ")
    resolved = _do(biz, "2026-11-23T09:00:00+01:00", "resolve", "F1001",
                   resolution="New blade delivered", compensation="kredit 1 234,50 kr")
    assert resolved["compensation"] == {"type": "credit", "amount": "1234.50", "currency": "SEK"}
    with pytest.raises(Conflict, match="resolved; reopen it first"):
        _do(biz, "2026-11-23T09:00:00+01:00", "respond", "F1001", text="more")
    closed = _do(biz, "2026-11-23T10:00:00+01:00", "close", "F1001", satisfaction=3)
    assert closed["satisfaction"] == 3
    with pytest.raises(Conflict, match="already closed"):
        _do(biz, "2026-11-23T10:00:00+01:00", "close", "F1001")
    rated = _do(biz, "2026-11-24T10:00:00+01:00", "rate", "F1001", satisfaction="5")
    assert rated["satisfaction"] == 5
    reopened = _do(biz, "2026-11-25T10:00:00+01:00", "reopen", "F1001", reason="blade was wrong")
    assert reopened["status"] == "in-progress"
    assert [h["status"] for h in reopened["history"]] == [
        "new", "acknowledged", "waiting", "resolved", "closed", "in-progress"]
    with pytest.raises(Conflict, match="not resolved, rejected or closed"):
        _do(biz, "2026-11-25T10:00:00+01:00", "reopen", "F1001")
    with pytest.raises(NotFound, match="no feedback with id 'F4711'"):
        _do(biz, "2026-11-25T10:00:00+01:00", "reopen", "F4711")


def test_rejecting_rating_and_the_statuses_that_cannot_be_set(biz: Path) -> None:
    _add(biz, COMPLAINT)
    with pytest.raises(Conflict, match="the customer rates it once it is resolved"):
        _do(biz, "2026-11-20T11:00:00+01:00", "rate", "F1001", satisfaction=4)
    with pytest.raises(ValidationError, match="a rejected item gets no compensation"):
        _do(biz, "2026-11-20T11:00:00+01:00", "resolve", "F1001", resolution="No fault",
            compensation="credit 100", reject=True)
    with pytest.raises(ValidationError, match="cannot be set directly"):
        _do(biz, "2026-11-20T11:00:00+01:00", "set_status", "F1001", status="closed")
    rejected = _do(biz, "2026-11-20T11:00:00+01:00", "resolve", "F1001",
                   resolution="The saw was used outdoors in rain", reject=True)
    assert rejected["status"] == "rejected" and rejected["first_response_at"] is not None
    with pytest.raises(ValidationError, match="from 1 to 5"):
        _do(biz, "2026-11-20T11:00:00+01:00", "close", "F1001", satisfaction=6)
    with pytest.raises(ValidationError, match="an item cannot go back to 'new'"):
        _do(biz, "2026-11-20T11:00:00+01:00", "update_feedback", "F1001", changes={"status": "new"})


@pytest.mark.parametrize("text, expected", [
    ("credit 500", {"type": "credit", "amount": "500.00", "currency": "SEK"}),
    ("Kredit 1 234,50 kr", {"type": "credit", "amount": "1234.50", "currency": "SEK"}),
    ("discount 10%", {"type": "discount", "percent": "10"}),
    ("rabatt 12,5 %", {"type": "discount", "percent": "12.5"}),
    ("discount 200", {"type": "discount", "amount": "200.00", "currency": "SEK"}),
    ({"type": "discount", "percent": 15}, {"type": "discount", "percent": "15"}),
    ("", None),
])
def test_compensation_is_a_discount_or_a_credit(text: Any, expected: Any) -> None:
    from kundkit.feedback import parse_compensation

    assert parse_compensation(text, "SEK") == expected


@pytest.mark.parametrize("text, message", [
    ("gift card", "is neither 'credit AMOUNT'"),
    ("credit 10%", "a credit is an amount, not a percentage"),
    ("discount 120%", "is not a percentage from 0 to 100"),
    ("credit -5", "the amount must be more than zero"),
])
def test_bad_compensation(text: str, message: str) -> None:
    from kundkit.feedback import parse_compensation

    with pytest.raises(ValidationError, match=message):
        parse_compensation(text, "SEK")


def test_deadlines_skip_the_weekend(biz: Path) -> None:
    # Open 07:00-17:00 on weekdays; a high-priority complaint gets 2 h to the first response.
    _add(biz, {**COMPLAINT, "priority": "high", "received_at": "2026-11-20 16:00"},
         now="2026-11-20T16:00:00+01:00")
    clocks = _clocks(biz, "F1001", "2026-11-20T16:30:00+01:00")
    assert clocks.first_response.due == at("2026-11-23T08:00:00+01:00")   # Monday
    assert clocks.resolution.due == at("2026-11-23T16:00:00+01:00")       # one open day: 10 h
    assert not clocks.overdue
    assert _clocks(biz, "F1001", "2026-11-23T08:01:00+01:00").overdue


def test_deadlines_skip_christmas(biz: Path) -> None:
    # Wednesday 23 December, 15:00: Christmas Eve is closed (a holiday eve), Christmas Day and
    # Boxing Day are public holidays, then a Sunday; New Year's Eve is closed too.
    _add(biz, {**COMPLAINT, "received_at": "2026-12-23 15:00"}, now="2026-12-23T15:00:00+01:00")
    clocks = _clocks(biz, "F1001", "2026-12-23T15:00:00+01:00")
    assert clocks.first_response.due == at("2026-12-28T09:00:00+01:00")   # 2 h + 2 h
    assert clocks.resolution.due == at("2026-12-30T15:00:00+01:00")       # 2 + 10 + 10 + 8 h
    late = _clocks(biz, "F1001", "2027-01-04T08:00:00+01:00")
    assert late.overdue and late.resolution.used.total_seconds() == (2 + 10 + 10 + 10 + 1) * 3600


def test_waiting_for_the_customer_pauses_the_resolution_clock(biz: Path) -> None:
    _add(biz, {**COMPLAINT, "received_at": "2026-11-23 08:00"}, now="2026-11-23T08:00:00+01:00")
    _do(biz, "2026-11-23T10:00:00+01:00", "set_status", "F1001", status="waiting")
    paused = _clocks(biz, "F1001", "2026-11-24T12:00:00+01:00")
    assert paused.resolution.paused and paused.resolution.due is None
    assert paused.resolution.used.total_seconds() == 2 * 3600
    _do(biz, "2026-11-25T10:00:00+01:00", "set_status", "F1001", status="in-progress")
    going = _clocks(biz, "F1001", "2026-11-26T10:00:00+01:00")
    assert going.resolution.used.total_seconds() == (2 + 7 + 3) * 3600
    assert going.resolution.due == at("2026-11-30T08:00:00+01:00")
    assert going.first_response.met is True


def test_overdue_and_due_within(biz: Path) -> None:
    from kundkit.feedback import is_due_within, is_overdue, list_feedback, parse_window

    _add(biz, {**COMPLAINT, "received_at": "2026-11-19 08:00"})               # 4 h: overdue
    _add(biz, {**COMPLAINT, "kind": "claim", "received_at": "2026-11-20 09:00"})  # 1 open day
    _add(biz, {**COMPLAINT, "kind": "suggestion"})                            # 2 open days
    ctx = context(biz)
    with ctx.store.read() as tx:
        items = list_feedback(tx)
    assert [r["id"] for r in items if is_overdue(ctx, r)] == ["F1001"]
    window = parse_window(ctx, "1d")
    assert [r["id"] for r in items if is_due_within(ctx, r, window)] == ["F1001", "F1002"]
    assert [r["id"] for r in items if is_due_within(ctx, r, parse_window(ctx, "4h"))] == ["F1001"]
