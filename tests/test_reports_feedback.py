"""``report feedback``: counts, deadline percentages, times and satisfaction, worked out by hand.

Deadlines (counted around the clock, no calendar): a complaint 4 h to the first response and 2 days
to the resolution; a claim 1 day and 5 days; anything else 2 days to the first response and no
resolution deadline. The report is made on 2026-11-20 10:00.

    F1001 complaint leverans K1001 10-01 09:00  answered 1 h   resolved after 24 h   closed, 5
    F1002 complaint leverans K1002 10-05 09:00  answered 6 h ✗ resolved after 72 h ✗ credit 300, 2
    F1003 complaint kvalitet K1002 10-10 09:00  answered 2 h   waiting 12:00–10-14 12:00, resolved
                                                 10-15 12:00: 3 h + 24 h = 27 h      closed, 4
    F1004 claim     kvalitet K1003 11-10 09:00  no answer: both clocks overdue
    F1005 claim     leverans K1001 11-19 09:00  answered 1 h, in progress: 25 h of 5 days used
    F1006 suggestion  —      K1003 11-01 09:00  answered 24 h, resolved after 96 h (no deadline)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import reports_support
from reports_support import at, run, set_section

FEEDBACK = {
    "categories": ["leverans", "kvalitet"],
    "deadlines": {"complaint": {"first_response": "4h", "resolution": "2d"},
                  "claim": {"first_response": "1d", "resolution": "5d"},
                  "default": {"first_response": "2d"}},
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from kundkit.feedback import close, create_feedback, rate, resolve, respond, set_status

    business = reports_support.new_shop(tmp_path_factory, "feedback")
    reports_support.configure(business)
    set_section(business, "feedback", FEEDBACK)
    ctx = at(business, "2026-09-01T09:00:00")
    with ctx.store.transaction() as tx:
        reports_support.add_people(ctx, tx, products=False, customers=3)

    def step(moment: str, action: Any, *args: Any, **kwargs: Any) -> None:
        now = at(business, f"2026-{moment}:00")
        with now.store.transaction() as tx:
            action(now, tx, *args, **kwargs)

    def receive(moment: str, customer: str, kind: str, category: str | None) -> None:
        step(moment, create_feedback, {"customer": customer, "kind": kind, "category": category,
                                       "text": f"{kind} about {category or 'something'}"})

    receive("10-01T09:00", "K1001", "complaint", "leverans")
    step("10-01T10:00", respond, "F1001", text="We are on it")
    step("10-02T09:00", resolve, "F1001", resolution="Delivered")
    step("10-03T09:00", close, "F1001", satisfaction=5)
    receive("10-05T09:00", "K1002", "complaint", "leverans")
    step("10-05T15:00", respond, "F1002", text="Sorry")
    step("10-08T09:00", resolve, "F1002", resolution="Credited", compensation="credit 300")
    step("10-09T09:00", rate, "F1002", 2)
    receive("10-10T09:00", "K1002", "complaint", "kvalitet")
    step("10-10T11:00", respond, "F1003", text="Send us a photo")
    step("10-10T12:00", set_status, "F1003", "waiting")
    step("10-14T12:00", set_status, "F1003", "in-progress")
    step("10-15T12:00", resolve, "F1003", resolution="Replaced")
    step("10-16T12:00", close, "F1003", satisfaction=4)
    receive("11-10T09:00", "K1003", "claim", "kvalitet")
    receive("11-19T09:00", "K1001", "claim", "leverans")
    step("11-19T10:00", respond, "F1005", text="Looking into it", status="in-progress")
    receive("11-01T09:00", "K1003", "suggestion", None)
    step("11-02T09:00", respond, "F1006", text="Good idea")
    step("11-05T09:00", resolve, "F1006", resolution="Done")
    return business


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def report(*args: str) -> dict[str, Any]:
    return json.loads(run("report", "feedback", "--format", "json", *args).stdout)


HOUR = 3600


def test_deadline_percentages_times_and_counts(shop: Path) -> None:
    data = report()
    assert data["as_of"] == "2026-11-20T10:00:00+01:00" and data["items"] == 6
    # First response: met F1001, F1003, F1005, F1006; late F1002; overdue F1004 → 4 of 6.
    # Times 1, 1, 2, 6, 24 h: median 2 h; 90th percentile at 3.6 → 6 + 0.6 × 18 = 16.8 h.
    assert data["first_response"] == {
        "met": 4, "late": 1, "overdue": 1, "running": 0, "no_deadline": 0,
        "share_in_time": "0.6667", "measured": 5,
        "median_seconds": 2 * HOUR, "p90_seconds": int(16.8 * HOUR)}
    # Resolution: met F1001 (24 h), F1003 (27 h, the 4 days waiting not counted); late F1002
    # (72 h); F1004 overdue; F1005 running; F1006 without a deadline → 2 of 4.
    # Times 24, 27, 72, 96 h: median 49.5 h; 90th percentile at 2.7 → 72 + 0.7 × 24 = 88.8 h.
    assert data["resolution"] == {
        "met": 2, "late": 1, "overdue": 1, "running": 1, "no_deadline": 1,
        "share_in_time": "0.5000", "measured": 4,
        "median_seconds": int(49.5 * HOUR), "p90_seconds": int(88.8 * HOUR)}
    assert data["by_kind"] == [{"key": "complaint", "count": 3, "share": "0.5000"},
                               {"key": "claim", "count": 2, "share": "0.3333"},
                               {"key": "suggestion", "count": 1, "share": "0.1667"}]
    assert data["by_category"] == [{"key": "leverans", "count": 3, "share": "0.5000"},
                                   {"key": "kvalitet", "count": 2, "share": "0.3333"},
                                   {"key": None, "count": 1, "share": "0.1667"}]
    assert data["by_segment"] == [{"key": "privat", "count": 4, "share": "0.6667"},
                                  {"key": "bygg", "count": 2, "share": "0.3333"}]
    assert [(s["key"], s["count"]) for s in data["by_status"]] == [
        ("closed", 2), ("resolved", 2), ("in-progress", 1), ("new", 1)]
    assert data["open"] == 2
    assert [(o["id"], o["late"], o["due"]) for o in data["overdue"]] == [
        ("F1004", ["first_response", "resolution"], "2026-11-11T09:00:00+01:00")]
    assert data["satisfaction"] == {"rated": 3, "mean": "3.67", "satisfied_share": "0.6667",
                                    "scores": {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}}
    assert data["compensations"] == {"count": 1, "amount": "300.00"}


def test_a_window_in_the_past_is_seen_as_it_stood_then(shop: Path) -> None:
    data = report("--until", "2026-11-12")
    assert data["as_of"] == "2026-11-12T23:59:59+01:00" and data["items"] == 5
    assert data["first_response"]["share_in_time"] == "0.6000"      # 3 of 5
    # F1004 has used 3 days 15 hours of its 5: still running then.
    assert (data["resolution"]["met"], data["resolution"]["running"],
            data["resolution"]["overdue"]) == (2, 1, 0)
    assert data["resolution"]["share_in_time"] == "0.6667"          # 2 of 3
    november = report("--period", "2026-11")
    assert november["items"] == 3
    assert november["first_response"]["share_in_time"] == "0.6667"  # F1005, F1006 of 3
    assert november["resolution"]["share_in_time"] == "0.0000"      # only F1004 decided


def test_filters_by_segment_and_manager(shop: Path) -> None:
    private = report("--segment", "privat")
    assert private["items"] == 4 and private["by_segment"] == [
        {"key": "privat", "count": 4, "share": "1.0000"}]
    anna = report("--manager", "anna")  # K1001 and K1003
    assert anna["items"] == 4 and anna["first_response"]["share_in_time"] == "0.7500"


def test_table_and_csv(shop: Path) -> None:
    text = run("report", "feedback").stdout
    for expected in ("6 items received; 2 open, 1 overdue", "66.7 %", "50.0 %", "2 h",
                     "16 h 48 min", "2 d 1 h", "3 d 16 h",
                     "mean 3.67 of 5", "Compensation granted: 1, in money 300.00 SEK", "F1004"):
        assert expected in text, expected
    lines = run("report", "feedback", "--format", "csv").stdout.splitlines()
    assert lines[0] == "group,key,count,share" and "kind,complaint,3,0.5000" in lines
