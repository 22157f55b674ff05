"""Workflows started by events, after the event's own write is committed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.workflows_support import all_records, populate, set_section, write_workflow


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def _runs(business: Path) -> list[dict[str, Any]]:
    return all_records(business, "workflow_runs")


def test_customer_created_starts_a_workflow_when_its_condition_holds(biz: Path, kk: Any) -> None:
    write_workflow(biz, "welcome-builders", """
        name: welcome-builders
        trigger:
          event: customer.created
          if: "event.customer.segment == 'bygg'"
        inputs:
          customer: {type: customer}
        steps:
          - id: call
            uses: task.create
            with: {title: "Welcome call to {{ customer.name }} ({{ inputs.customer }})"}
        """)
    kk("--as", "anna", "customer", "add", "--name", "Privat Person", "--person", "--segment",
       "privat", "--manager", "erik")
    assert _runs(biz) == []
    kk("--as", "anna", "customer", "add", "--name", "Takläggarna AB", "--company", "--orgnr",
       "556677-8899", "--segment", "bygg", "--manager", "anna")
    [run] = _runs(biz)
    assert run["status"] == "done"
    assert run["trigger"]["type"] == "event" and run["trigger"]["event"] == "customer.created"
    assert run["inputs"] == {"customer": "K1005"}
    [task] = all_records(biz, "tasks")
    assert task["title"] == "Welcome call to Takläggarna AB (K1005)" and task["assignee"] == "anna"


def test_feedback_received_fills_an_input_named_after_the_record(biz: Path, kk: Any) -> None:
    write_workflow(biz, "escalate", """
        name: escalate
        trigger: {event: feedback.received, if: "event.record.priority == 'high'"}
        inputs:
          feedback: {type: text}
        steps:
          - id: boss
            uses: feedback.update
            with: {feedback: "{{ inputs.feedback }}", assignee: maria}
        """)
    kk("--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "complaint",
       "--category", "leverans", "--text", "Late", "--priority", "normal")
    kk("--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "complaint",
       "--category", "leverans", "--text", "Very late", "--priority", "high")
    [run] = _runs(biz)
    assert run["inputs"] == {"feedback": "F1002"} and run["status"] == "done"
    assert [(f["id"], f["assignee"]) for f in all_records(biz, "feedback")] == [
        ("F1001", "anna"), ("F1002", "maria")]


def test_a_workflow_does_not_set_itself_off_and_disabled_ones_do_not_start(biz: Path,
                                                                            kk: Any) -> None:
    write_workflow(biz, "referral", """
        name: referral
        trigger: customer.created
        steps:
          - id: friend
            uses: customer.create
            with: {name: "Friend of {{ event.record.name }}", kind: person, manager: anna}
        """)
    kk("--as", "anna", "customer", "add", "--name", "Ada Ek", "--person", "--manager", "anna")
    # Its own customer.created event does not start it again.
    assert [r["workflow"] for r in _runs(biz)] == ["referral"]
    names = sorted(c["name"] for c in all_records(biz, "customers"))
    assert names.count("Friend of Ada Ek") == 1 and "Friend of Friend of Ada Ek" not in names

    set_section(biz, "workflows", {"disabled": ["referral"]})
    kk("--as", "anna", "customer", "add", "--name", "Bo Ek", "--person", "--manager", "anna")
    assert len(_runs(biz)) == 1


def test_an_invalid_or_failing_triggered_workflow_warns_and_the_command_succeeds(biz: Path,
                                                                                  kk: Any) -> None:
    write_workflow(biz, "broken", """
        name: broken
        trigger: customer.created
        steps:
          - id: x
            uses: no.such.step
        """)
    write_workflow(biz, "failing", """
        name: failing
        trigger: customer.created
        steps:
          - id: x
            uses: fail
            with: {message: "cannot do it"}
        """)
    result = kk("--as", "anna", "customer", "add", "--name", "Ada Ek", "--person", "--manager", "anna")
    assert result.stdout.strip() == "K1004"
    assert ("warning: customer.created: the workflow in workflows/broken.yaml was not started: it "
            "has 1 problem(s) ('kundkit workflow validate' lists them)") in result.stderr
    assert ("warning: customer.created: workflow run R1001 (failing) failed: x: cannot do it"
            in result.stderr)


def test_a_triggered_run_never_asks_it_waits(biz: Path, kk: Any) -> None:
    write_workflow(biz, "survey", """
        name: survey
        trigger: feedback.received
        steps:
          - id: mood
            uses: ask
            with: {name: mood, type: choice, choices: [good, bad]}
        """)
    kk("--as", "anna", "feedback", "add", "--customer", "K1002", "--kind", "suggestion",
       "--category", "service", "--text", "Open on Sundays")
    [run] = _runs(biz)
    assert run["status"] == "waiting" and run["waiting"]["kind"] == "answer"
    assert kk("workflow", "resume", run["id"], "--set", "mood=good").stdout == "R1001\tdone\n"


def test_an_event_workflow_is_not_run_by_hand(biz: Path, kk: Any) -> None:
    write_workflow(biz, "referral", """
        name: referral
        trigger: customer.created
        steps:
          - id: x
            uses: end
        """)
    result = kk("workflow", "run", "referral", code=2)
    assert "workflow 'referral' is started by customer.created, not by hand" in result.stderr
