"""``feedback import``: items with their past, every bad row with its line, all or nothing; and
``db load`` picking up feedback.csv."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.workflows_support import all_records, at, context, populate

GOOD = """id,customer,kind,category,priority,text,channel,assignee,received_at,status,first_response_at,resolved_at,closed_at,resolution,compensation,satisfaction
,K1001,complaint,leverans,normal,Kapsågen kom utan klinga,phone,anna,2026-10-05 09:12,closed,2026-10-05 10:30,2026-10-07 15:00,2026-10-12 09:00,Ny klinga skickad,discount 10%,4
F1010,K1002,claim,kvalitet,high,Borrmaskinen gick sönder,email,erik,2026-11-02 08:00,resolved,2026-11-02 09:00,2026-11-03 16:00,,Utbytt mot ny,,
,K1003,suggestion,service,,Öppna på lördagar,visit,,2026-11-19 11:00,,,,,,,
"""


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def test_items_come_in_with_their_past(biz: Path, kk: Any) -> None:
    (biz / "old.csv").write_text(GOOD, encoding="utf-8")
    result = kk("--as", "anna", "feedback", "import", "old.csv")
    assert result.stdout.split() == ["F1011", "F1010", "F1012"]
    assert result.stderr.strip() == "Imported 3 items of feedback from old.csv."
    items = {r["id"]: r for r in all_records(biz, "feedback")}
    closed = items["F1011"]
    assert [(h["at"], h["status"]) for h in closed["history"]] == [
        ("2026-10-05T09:12:00+02:00", "new"), ("2026-10-05T10:30:00+02:00", "acknowledged"),
        ("2026-10-07T15:00:00+02:00", "resolved"), ("2026-10-12T09:00:00+02:00", "closed")]
    assert closed["compensation"] == {"type": "discount", "percent": "10"}
    assert closed["satisfaction"] == 4 and closed["resolution"] == "Ny klinga skickad"
    assert items["F1012"]["status"] == "new" and items["F1012"]["assignee"] == "maria"
    assert items["F1012"]["priority"] == "normal"
    from kundkit.feedback import deadlines_of

    clocks = deadlines_of(context(biz), closed)
    assert clocks.first_response.met is True and clocks.resolution.met is True
    again = kk("--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "comment",
               "--text", "Bra service", "--category", "service")
    assert again.stdout == "F1013\n"
    assert all_records(biz, "workflow_runs") == []


def test_every_bad_row_is_reported_and_nothing_is_saved(biz: Path, kk: Any) -> None:
    (biz / "bad.csv").write_text(
        "customer,kind,text,received_at,status,resolved_at,assignee\n"
        "K1001,complaint,,2026-10-05 09:12,,,\n"
        "K9999,complaint,Hej,2026-10-01 10:00,,,\n"
        "K1001,claim,ok,2026-10-05 09:00,resolved,2026-10-04 09:00,\n"
        "K1001,claim,ok,2026-10-05 09:00,waiting,,nobody\n"
        "K1001,claim,ok,2026-10-05 09:00,,,anna\n", encoding="utf-8")
    result = kk("feedback", "import", "bad.csv", code=1)
    assert result.stderr.splitlines() == [
        "bad.csv:2:3: text: a value is needed",
        "bad.csv:3:1: customer: no customer with id 'K9999' (see 'kundkit customer find')",
        "bad.csv:4:1: resolution: a resolved item needs its resolution",
        "bad.csv:4:6: resolved_at: resolved_at comes before received_at",
        "bad.csv:5:7: assignee: no staff member with id 'nobody' (see 'kundkit staff list')",
    ]
    assert all_records(biz, "feedback") == []
    dry = kk("feedback", "import", "bad.csv", "--dry-run", code=1)
    assert dry.stderr.count("bad.csv:") == 5


def test_a_json_file_and_a_dry_run(biz: Path, kk: Any) -> None:
    rows = [{"customer": "K1002", "kind": "comment", "text": "Trevligt bemötande",
             "category": "bemotande", "received_at": "2026-11-18T14:00:00+01:00"}]
    (biz / "items.json").write_text(json.dumps(rows), encoding="utf-8")
    dry = kk("feedback", "import", "items.json", "--dry-run")
    assert dry.stderr.strip() == "1 rows are valid; nothing was saved (--dry-run)."
    assert all_records(biz, "feedback") == []
    kk("feedback", "import", "items.json")
    [item] = all_records(biz, "feedback")
    assert item["received_at"] == "2026-11-18T14:00:00+01:00" and item["assignee"] == "erik"


def test_db_load_picks_up_feedback(business: Path, kk: Any) -> None:
    folder = business / "load"
    folder.mkdir()
    (folder / "staff.csv").write_text("id,name,role\nanna,Anna Lind,sales\n", encoding="utf-8")
    (folder / "customers.csv").write_text(
        "name,kind,orgnr,manager\nBygg AB,company,556036-0793,anna\n", encoding="utf-8")
    (folder / "feedback.csv").write_text(
        "customer,kind,text,received_at\nK1001,complaint,Sent,2026-11-19 08:00\n", encoding="utf-8")
    kk("db", "load", "load")
    [item] = all_records(business, "feedback")
    assert item["id"] == "F1001" and item["assignee"] == "anna"
    assert at(item["received_at"]) == at("2026-11-19T08:00:00+01:00")
