"""``kundkit feedback``: add, list (overdue, due within), show, respond, status, assign, resolve,
close, rate, reopen; formats; prompts; Swedish."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.workflows_support import populate

ADD = ["--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "complaint",
       "--category", "leverans", "--text", "The saw came without a blade", "--channel", "phone"]


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def test_add_prints_the_id_and_the_deadlines(biz: Path, kk: Any) -> None:
    result = kk(*ADD)
    assert result.stdout == "F1001\n"
    assert result.stderr.splitlines() == [
        "Registered F1001: complaint from K1001, assigned to anna.",
        "  first response: due 2026-11-20 14:00",
        "  resolution: due 2026-11-25 10:00",
    ]


def test_add_asks_for_what_is_missing_at_a_terminal(biz: Path, kk: Any) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        # customer, kind (the second choice: claim), category (the first), text
        inp.send_text("K1002\r")
        inp.send_text("\x1b[B\r")
        inp.send_text("\r")
        inp.send_text("The blade is blunt\r")
        result = kk("--as", "anna", "feedback", "add", env={"KUNDKIT_FORCE_PROMPTS": "1"})
    assert result.stdout == "F1001\n"
    shown = json.loads(kk("feedback", "show", "F1001", "--format", "json").stdout)
    assert (shown["customer"], shown["kind"], shown["category"], shown["text"]) == \
        ("K1002", "claim", "leverans", "The blade is blunt")


def test_add_without_anyone_to_ask_names_the_missing_option(biz: Path, kk: Any) -> None:
    result = kk("--as", "anna", "feedback", "add", "--customer", "K1001", code=2)
    assert result.stderr.strip() == ("Error: missing value for --kind (no one to ask: give it as "
                                     "an option)")
    bad = kk("--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "claim",
             "--category", "weather", "--text", "x", code=1)
    assert bad.stderr.strip().startswith("Error: category: 'weather' is not one of leverans")


def test_list_show_and_formats(biz: Path, kk: Any) -> None:
    kk(*ADD)
    kk("--as", "anna", "feedback", "add", "--customer", "K1002", "--kind", "suggestion",
       "--category", "service", "--text", "Open on Saturdays, please", "--received-at",
       "2026-11-19 09:00")
    table = kk("feedback", "list").stdout.splitlines()
    assert table[0].split() == ["ID", "Customer", "Kind", "Category", "Priority", "Status",
                                "Handled", "by", "Came", "in", "Next", "due"]
    assert table[2].split() == ["F1001", "K1001", "complaint", "leverans", "normal", "new", "anna",
                                "2026-11-20", "10:00", "2026-11-20", "14:00"]
    assert table[3].split() == ["F1002", "K1002", "suggestion", "service", "normal", "new", "erik",
                                "2026-11-19", "09:00", "2026-11-23", "09:00"]
    rows = json.loads(kk("feedback", "list", "--format", "json").stdout)
    assert [r["id"] for r in rows] == ["F1001", "F1002"]
    assert rows[0]["deadlines"]["first_response"]["due"] == "2026-11-20T14:00:00+01:00"
    assert rows[0]["overdue"] is False
    parsed = list(csv.DictReader(io.StringIO(kk("feedback", "list", "--format", "csv").stdout)))
    assert parsed[1]["kind"] == "suggestion" and parsed[1]["received_at"] == "2026-11-19T09:00:00+01:00"
    assert kk("feedback", "list", "--customer", "K1002", "--format", "json").stdout.count('"id"') == 1

    shown = kk("feedback", "show", "F1001").stdout
    assert "First response due  2026-11-20 14:00" in shown
    assert "Resolution due      2026-11-25 10:00" in shown
    assert "History:\n  2026-11-20 10:00 new (anna)" in shown
    missing = kk("feedback", "show", "F4711", code=1)
    assert missing.stderr.strip() == "Error: no feedback with id 'F4711' (see 'kundkit feedback list')"


def test_overdue_and_due_within_listing(biz: Path, kk: Any) -> None:
    kk(*ADD, "--received-at", "2026-11-19 08:00")                 # 4 open hours: long overdue
    kk(*ADD, "--received-at", "2026-11-20 09:00", "--priority", "high")   # due 11:00
    kk(*ADD)                                                      # due 14:00
    overdue = kk("feedback", "list", "--overdue").stdout.splitlines()
    assert [line.split()[0] for line in overdue[2:]] == ["F1001"]
    assert "OVERDUE since 2026-11-19 12:00" in overdue[2]
    soon = kk("feedback", "list", "--due-within", "1h", "--format", "json").stdout
    assert [r["id"] for r in json.loads(soon)] == ["F1001", "F1002"]
    later = kk("feedback", "list", "--due-within", "4h", "--format", "json").stdout
    assert [r["id"] for r in json.loads(later)] == ["F1001", "F1002", "F1003"]
    kk("--as", "anna", "feedback", "respond", "F1001", "--text", "Sorry, on it")
    # The first response came late, and the resolution clock still runs within its time.
    assert kk("feedback", "list", "--overdue").stderr.strip() == "No feedback."
    assert kk("feedback", "list", "--due-within", "nonsense", code=1).stderr.startswith(
        "Error: 'nonsense' is not a duration")


def test_the_commands_that_move_an_item_along(biz: Path, kk: Any) -> None:
    kk(*ADD)
    assert kk("--as", "anna", "feedback", "respond", "F1001", "--text", "A blade is coming",
              "--via", "phone").stderr.strip() == "F1001: answered; now acknowledged."
    assert kk("--as", "anna", "feedback", "status", "F1001", "waiting", "--note",
              "asked for the order number").stderr.strip() == "F1001: now waiting for the customer."
    assert kk("--as", "anna", "feedback", "assign", "F1001", "erik").stderr.strip() == \
        "F1001: assigned to erik."
    closing = kk("--as", "erik", "feedback", "close", "F1001", code=1)
    assert closing.stderr.strip() == ("Error: feedback F1001 is waiting for the customer: resolve "
                                      "or reject it before closing it ('kundkit feedback resolve "
                                      "F1001')")
    assert kk("--as", "erik", "feedback", "resolve", "F1001", "--resolution", "New blade sent",
              "--compensation", "discount 10%").stderr.strip() == "F1001: resolved."
    assert kk("--as", "erik", "feedback", "close", "F1001", "--satisfaction", "4").stderr.strip() \
        == "F1001: closed."
    assert kk("feedback", "rate", "F1001", "5").stderr.strip() == "F1001: satisfaction 5 of 5."
    assert kk("feedback", "list").stderr.strip() == "No feedback."
    assert kk("feedback", "list", "--all", "--format", "json").stdout.count('"F1001"') == 1
    assert kk("--as", "erik", "feedback", "reopen", "F1001", "--reason",
              "wrong blade").stderr.strip() == "F1001: reopened; now in progress."
    shown = json.loads(kk("feedback", "show", "F1001", "--format", "json").stdout)
    assert [(h["status"], h["by"]) for h in shown["history"]] == [
        ("new", "anna"), ("acknowledged", "anna"), ("waiting", "anna"), ("resolved", "erik"),
        ("closed", "erik"), ("in-progress", "erik")]
    assert shown["responses"] == [{"at": "2026-11-20T10:00:00+01:00", "by": "anna", "via": "phone",
                                   "text": "A blade is coming"}]
    assert shown["compensation"] == {"type": "discount", "percent": "10"}
    assert shown["satisfaction"] == 5 and shown["assignee"] == "erik"
    table = kk("feedback", "show", "F1001").stdout
    assert "Compensation        discount 10%" in table
    assert "  2026-11-20 10:00 anna (phone): A blade is coming" in table
    wrong = kk("feedback", "status", "F1001", "closed", code=2)
    assert "Invalid value for '{acknowledged|in-progress|waiting}'" in wrong.stderr


def test_feedback_in_swedish(biz: Path, kk_process: Any) -> None:
    env = {"KUNDKIT_LANG": "sv"}
    added = kk_process(*ADD, env=env)
    assert added.stderr.splitlines() == [
        "Registrerade F1001: klagomål från K1001, tilldelat anna.",
        "  första svar: senast 2026-11-20 14:00",
        "  lösning: senast 2026-11-25 10:00",
    ]
    listed = kk_process("feedback", "list", env=env).stdout.splitlines()
    assert listed[0].split() == ["ID", "Kund", "Typ", "Kategori", "Prioritet", "Status",
                                 "Handläggare", "Inkom", "Nästa", "frist"]
    assert "klagomål" in listed[2] and "nytt" in listed[2]
    closing = kk_process("feedback", "close", "F1001", env=env, code=1)
    assert closing.stderr.strip() == ("Fel: ärende F1001 är nytt: lös eller avvisa det innan det "
                                      "stängs ('kundkit feedback resolve F1001')")
    helptext = kk_process("feedback", "--help", env=env).stdout
    assert "Klagomål, reklamationer, förslag och synpunkter, med svarsfrister." in helptext
