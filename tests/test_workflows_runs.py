"""Runs as stored: waiting and resuming in a new process, a crash between two steps (kill -9 of a
real process), batches with bad rows, missing inputs, cancelling, and resuming what is due."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.workflows_support import (all_records, context, get_record, populate, set_section,
                                     write_workflow)

WAITER = """
    name: waiter
    inputs:
      customer: {type: customer}
    steps:
      - id: before
        uses: task.create
        with: {title: "Before the wait"}
      - id: pause
        uses: wait
        with: {message: "until the customer has called back"}
      - id: after
        uses: task.create
        with: {title: "After the wait"}
    """

BLOCKER = '''
import os
import time
from pathlib import Path

from kundkit import hookimpl


class Block:
    """Stops here while KUNDKIT_TEST_BLOCK names a file: the test kills the process meanwhile."""

    name = "test.block"
    description = "Waits to be killed"
    parameters = {}
    interactive = True

    def run(self, call):
        marker = os.environ.get("KUNDKIT_TEST_BLOCK")
        if marker:
            Path(marker).write_text("reached", encoding="utf-8")
            time.sleep(60)
        return "passed"


@hookimpl
def register_step_types(register):
    register(Block())
'''


@pytest.fixture
def biz(business: Path) -> Path:
    populate(business)
    return business


def test_a_run_waits_the_process_ends_and_a_new_process_resumes_it(biz: Path, kk_process: Any) -> None:
    write_workflow(biz, "waiter", WAITER)
    started = kk_process("--as", "anna", "workflow", "run", "waiter", "--set", "customer=K1001")
    assert started.stdout == "R1001\twaiting\n"
    assert "R1001: waiting at 'pause': until the customer has called back" in started.stderr
    listed = kk_process("workflow", "runs", "--status", "waiting", "--format", "json")
    [row] = json.loads(listed.stdout)
    assert (row["id"], row["shown_status"], row["waiting"]["step"]) == ("R1001", "waiting", "pause")

    resumed = kk_process("--as", "erik", "workflow", "resume", "R1001")
    assert resumed.stdout == "R1001\tdone\n"
    run = get_record(biz, "workflow_runs", "R1001")
    assert run["steps"]["pause"]["output"]["by"] == "erik"
    assert [t["title"] for t in all_records(biz, "tasks")] == ["Before the wait", "After the wait"]
    again = kk_process("workflow", "resume", "R1001", code=1)
    assert again.stderr.strip() == "Error: run R1001 is done; there is nothing to resume"


def test_a_crash_between_two_steps_resumes_from_the_last_completed_step(biz: Path,
                                                                         kk_process: Any) -> None:
    (biz / "plugins").mkdir(exist_ok=True)
    (biz / "plugins" / "blocker.py").write_text(BLOCKER, encoding="utf-8")
    set_section(biz, "plugins", ["plugins/blocker.py"])
    write_workflow(biz, "crashy", """
        name: crashy
        steps:
          - id: create
            uses: customer.create
            with: {name: Ny Kund, kind: person, email: ny@example.com, manager: anna}
          - id: block
            uses: test.block
          - id: call
            uses: task.create
            with: {title: "Call {{ customer.name }}"}
        """)
    marker = biz / "reached.txt"
    env = {**os.environ, "KUNDKIT_TEST_BLOCK": str(marker)}
    process = subprocess.Popen([sys.executable, "-m", "kundkit", "--as", "anna", "workflow", "run",
                                "crashy"], cwd=biz, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the blocking step"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate()

    run = get_record(biz, "workflow_runs", "R1001")
    assert run["status"] == "running" and run["next"] == "block"
    assert run["steps"]["create"]["status"] == "done" and "block" not in run["steps"]
    listed = kk_process("workflow", "runs", "--status", "interrupted")
    assert "R1001" in listed.stdout and "interrupted" in listed.stdout

    resumed = kk_process("--as", "anna", "workflow", "resume", "R1001")
    assert resumed.stdout == "R1001\tdone\n"
    customers = [c for c in all_records(biz, "customers") if c["name"] == "Ny Kund"]
    assert len(customers) == 1
    assert [t["title"] for t in all_records(biz, "tasks")] == ["Call Ny Kund"]


def test_a_batch_runs_the_good_rows_and_lists_the_bad_ones(biz: Path, kk: Any) -> None:
    write_workflow(biz, "signup", """
        name: signup
        inputs:
          name: {type: text}
          email: {type: email}
          manager: {type: staff, required: false}
        steps:
          - id: create
            uses: customer.create
            with:
              name: "{{ inputs.name }}"
              kind: person
              email: "{{ inputs.email }}"
              manager: "{{ inputs.manager }}"
        """)
    (biz / "rows.csv").write_text(
        "name,email,manager\n"
        "Lisa Berg,lisa@example.com,anna\n"
        "Utan Post,inte-en-adress,\n"
        ",tom@example.com,\n"
        "Karin Nilsson,karin@example.com,erik\n"
        "Olle Ny,olle@example.com,nobody\n"
        "Mats Mo,mats@example.com,\n", encoding="utf-8")
    result = kk("--as", "anna", "workflow", "run", "signup", "--input", "rows.csv", code=1)
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Line", "Status", "Run", "Error"]
    body = "\n".join(lines[2:])
    assert lines[2].split()[:2] == ["3", "invalid"] and "is not a valid e-mail" in lines[2]
    assert lines[3].split()[:2] == ["4", "invalid"] and "name: a value is needed" in lines[3]
    assert lines[4].split()[:3] == ["5", "failed", "R1002"]
    assert "looks already registered" in lines[4]
    assert lines[5].split()[:2] == ["6", "invalid"]
    assert "manager: no staff member with id 'nobody'" in body
    assert "6 row(s): 2 done, 1 failed, 3 invalid" in result.stderr
    assert result.stderr.strip().endswith("Error: 4 of 6 row(s) failed")
    names = sorted(c["name"] for c in all_records(biz, "customers"))
    assert "Lisa Berg" in names and "Mats Mo" in names and "Olle Ny" not in names


def test_a_batch_with_an_unknown_column_runs_nothing(biz: Path, kk: Any) -> None:
    write_workflow(biz, "waiter", WAITER)
    (biz / "rows.csv").write_text("customer;colour\nK1001;red\n", encoding="utf-8")
    result = kk("workflow", "run", "waiter", "--input", "rows.csv", code=2)
    assert "workflow 'waiter' has no input 'colour' (inputs: customer)" in result.stderr
    assert all_records(biz, "workflow_runs") == []


def test_missing_inputs_are_named_and_nothing_runs(biz: Path, kk: Any) -> None:
    write_workflow(biz, "waiter", WAITER)
    result = kk("--no-input", "workflow", "run", "waiter", code=2)
    assert result.stderr.strip() == ("Error: workflow 'waiter' needs customer: give them with "
                                     "--set NAME=VALUE")
    bad = kk("workflow", "run", "waiter", "--set", "customer=K9999", code=1)
    assert bad.stderr.strip() == "Error: customer: no customer matches 'K9999'"
    unknown = kk("workflow", "run", "waiter", "--set", "kund=K1001", code=2)
    assert "has no input 'kund'" in unknown.stderr
    assert all_records(biz, "workflow_runs") == []


def test_missing_inputs_are_asked_at_a_terminal(biz: Path, kk: Any) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    write_workflow(biz, "waiter", WAITER)
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        inp.send_text("Karin\r")
        result = kk("--as", "anna", "workflow", "run", "waiter",
                    env={"KUNDKIT_FORCE_PROMPTS": "1"})
    assert result.stdout == "R1001\twaiting\n"
    assert get_record(biz, "workflow_runs", "R1001")["inputs"] == {"customer": "K1002"}


def test_cancel_show_and_resume_rules(biz: Path, kk: Any) -> None:
    write_workflow(biz, "later", """
        name: later
        steps:
          - id: sleep
            uses: wait
            with: {until: "2026-12-01 08:00"}
          - id: done
            uses: end
        """)
    write_workflow(biz, "waiter", WAITER)
    assert kk("workflow", "run", "later").stdout == "R1001\twaiting\n"
    early = kk("workflow", "resume", "R1001", code=1)
    assert early.stderr.strip() == ("Error: run R1001 waits until 2026-12-01T08:00+01:00; resume "
                                    "with --force to go on now")
    assert kk("workflow", "resume", "--due").stderr.strip() == "No run is due."
    due = kk("workflow", "resume", "--due", env={"KUNDKIT_NOW": "2026-12-01T09:00:00+01:00"})
    assert due.stdout == "R1001\tdone\n"

    assert kk("workflow", "run", "waiter", "--set", "customer=K1001").stdout == "R1002\twaiting\n"
    shown = json.loads(kk("workflow", "show", "R1002", "--format", "json").stdout)
    assert shown["waiting"]["message"] == "until the customer has called back"
    table = kk("workflow", "show", "R1002").stdout
    assert "pause   wait" in table and "waiting" in table
    assert kk("--as", "anna", "workflow", "cancel", "R1002", "--reason", "customer left").stdout \
        == "R1002\tcancelled\n"
    again = kk("workflow", "cancel", "R1002", code=1)
    assert "only a running or waiting run can be cancelled" in again.stderr
    assert kk("workflow", "resume", "R1002", code=1).stderr.strip() == \
        "Error: run R1002 is cancelled; there is nothing to resume"
    assert get_record(biz, "workflow_runs", "R1002")["log"][-1]["message"] == "customer left"
    missing = kk("workflow", "show", "R4711", code=1)
    assert "no workflow run 'R4711'" in missing.stderr


def test_a_dry_run_from_the_command_line(biz: Path, kk: Any) -> None:
    write_workflow(biz, "waiter", WAITER)
    result = kk("--as", "anna", "workflow", "run", "waiter", "--set", "customer=K1001", "--dry-run")
    assert result.stdout == "R-DRY-RUN\tdone\n"
    assert "Dry run: nothing was stored or sent." in result.stderr
    assert all_records(biz, "tasks") == [] and all_records(biz, "workflow_runs") == []


def test_runs_are_kept_in_small_partitions(biz: Path) -> None:
    from kundkit.workflows.runs import partition_of

    assert partition_of(1001) == "r0010" and partition_of(1099) == "r0010"
    assert partition_of(1100) == "r0011"
    write_workflow(biz, "quick", "name: quick\nsteps: [{id: a, uses: end}]\n")
    from kundkit.workflows.engine import Engine
    from kundkit.workflows.model import load_workflow

    ctx = context(biz)
    workflow = load_workflow(ctx, "quick")
    for _ in range(3):
        Engine(ctx).start(workflow, {})
    assert sorted(p.name for p in (biz / "data" / "workflow_runs").iterdir()) == ["r0010.json"]
