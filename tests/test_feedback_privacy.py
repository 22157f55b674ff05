"""Feedback and workflow runs in ``customer show``, ``customer data`` and ``customer forget``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.workflows_support import get_record, populate, write_workflow


def test_show_data_and_forget(business: Path, kk: Any) -> None:
    populate(business)
    kk("--as", "anna", "feedback", "add", "--customer", "K1001", "--kind", "complaint",
       "--category", "leverans", "--text", "Per Lindqvist (070-123 45 67) got a broken saw",
       "--received-at", "2026-11-19 08:00")
    kk("--as", "anna", "feedback", "respond", "F1001", "--text", "Sorry Per, a new saw is coming")
    write_workflow(business, "note", """
        name: note
        inputs:
          customer: {type: customer}
          about: {type: text}
        steps:
          - id: wait
            uses: wait
        """)
    kk("--as", "anna", "workflow", "run", "note", "--set", "customer=K1001",
       "--set", "about=Call Per Lindqvist at info@byggmontage.example")

    shown = json.loads(kk("customer", "show", "K1001", "--format", "json").stdout)
    assert shown["feedback"] == {"total": 1, "open": [
        {"id": "F1001", "kind": "complaint", "status": "acknowledged",
         "received_at": "2026-11-19T08:00:00+01:00", "overdue": False}]}

    data = json.loads(kk("--as", "anna", "customer", "data", "K1001").stdout)
    assert [f["id"] for f in data["feedback"]] == ["F1001"]
    assert [r["id"] for r in data["workflow_runs"]] == ["R1001"]

    kk("--as", "anna", "customer", "forget", "K1001", "--yes")
    item = get_record(business, "feedback", "F1001")
    assert item["text"] == "-" and item["responses"][0]["text"] == "-"
    assert (item["kind"], item["category"], item["status"]) == ("complaint", "leverans",
                                                                "acknowledged")
    run = get_record(business, "workflow_runs", "R1001")
    assert "Lindqvist" not in json.dumps(run) and "byggmontage" not in json.dumps(run)
    assert run["status"] == "waiting"
