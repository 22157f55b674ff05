"""Tasks (add, list with --mine / --overdue / --due-within, done) and staff (add, list, show, edit)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import add_staff, context, field


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    add_staff(kk)
    kk("--no-input", "customer", "add", "--name", "Karin Öhman", "--person", "--manager", "anna")
    return business


def task_ids(kk: Any, *args: str) -> list[str]:
    return [t["id"] for t in json.loads(kk(*args, "--format", "json").stdout)]


def test_tasks_by_due_date_mine_overdue_and_within_a_span(shop: Path, kk: Any) -> None:
    # Today is 2026-11-20 (the frozen clock).
    assert kk("--as", "anna", "task", "add", "--title", "Ring Karin", "--customer", "k1001",
              "--due", "2026-11-18").stdout == "T1001\n"
    kk("--as", "anna", "task", "add", "--title", "Skicka offert", "--due", "today")
    kk("--as", "anna", "task", "add", "--title", "Besök bygget", "--due", "+3d")
    kk("--as", "anna", "task", "add", "--title", "Kvartalsmöte", "--due", "2w")
    kk("--as", "anna", "task", "add", "--title", "Erik gör det", "--due", "tomorrow", "--assignee", "erik")
    assert task_ids(kk, "--as", "anna", "task", "list", "--mine") == ["T1001", "T1002", "T1003", "T1004"]
    assert task_ids(kk, "task", "list", "--overdue") == ["T1001"]
    assert task_ids(kk, "--as", "anna", "task", "list", "--mine", "--due-within", "3d") == [
        "T1001", "T1002", "T1003"]
    assert task_ids(kk, "task", "list", "--due-within", "1d") == ["T1001", "T1002", "T1005"]
    assert task_ids(kk, "task", "list", "--customer", "K1001") == ["T1001"]
    tasks = json.loads(kk("task", "list", "--format", "json").stdout)
    first = tasks[0]
    assert first == {"id": "T1001", "assignee": "anna", "customer": "K1001", "title": "Ring Karin",
                     "due": "2026-11-18", "source": "manual", "status": "open", "ref": {},
                     "created_at": "2026-11-20T10:00:00+01:00", "created_by": "anna", "done_at": None,
                     "note": None}
    assert [t["due"] for t in tasks] == ["2026-11-18", "2026-11-20", "2026-11-21", "2026-11-23", "2026-12-04"]


def test_mine_needs_to_know_who_is_acting(shop: Path, kk: Any) -> None:
    result = kk("task", "list", "--mine", code=2)
    assert result.stderr == "Error: who is acting? give --as STAFF or set KUNDKIT_USER\n"


def test_done_records_when_and_who_and_cannot_be_done_twice(shop: Path, kk: Any) -> None:
    kk("--as", "anna", "task", "add", "--title", "Ring Karin", "--customer", "K1001")
    done = kk("--as", "anna", "task", "done", "T1001", "--note", "Hon vill ha offert på borrar")
    assert done.stderr == "Done: T1001 Ring Karin\n"
    assert task_ids(kk, "task", "list") == []
    [task] = json.loads(kk("task", "list", "--status", "done", "--format", "json").stdout)
    assert (task["done_at"], task["done_by"], task["note"]) == ("2026-11-20T10:00:00+01:00", "anna",
                                                                "Hon vill ha offert på borrar")
    assert kk("task", "done", "T1001", code=1).stderr == "Error: task T1001 is already done\n"
    assert kk("task", "done", "T9999", code=1).stderr.startswith("Error: no task with id 'T9999'")


def test_bad_tasks_are_refused(shop: Path, kk: Any) -> None:
    assert "due: 'snart' is not a date" in kk("--as", "anna", "task", "add", "--title", "X", "--due",
                                               "snart", code=1).stderr
    assert "assignee: no staff member with id 'bosse'" in kk("task", "add", "--title", "X", "--assignee",
                                                             "bosse", code=1).stderr
    assert "customer: no customer with id 'K2000'" in kk("--as", "anna", "task", "add", "--title", "X",
                                                         "--customer", "K2000", code=1).stderr
    assert "missing value for --title" in kk("--no-input", "task", "add", code=2).stderr
    assert "due-within: '3 dagar' is not a span" in kk("task", "list", "--due-within", "3 dagar", code=1).stderr


def test_other_areas_create_tasks_inside_their_own_transaction(shop: Path) -> None:
    from kundkit.tasks import create_task, open_tasks

    ctx = context(shop, actor="erik")

    class Failed(Exception):
        pass

    with pytest.raises(Failed):
        with ctx.store.transaction() as tx:
            create_task(ctx, tx, assignee="anna", title="Svara på reklamation", due="+2d", customer="K1001",
                        source="feedback", ref={"feedback": "F1001"})
            raise Failed  # the caller's unit of work fails: the task must not be saved either
    with ctx.store.read() as tx:
        assert open_tasks(tx) == []
    with ctx.store.transaction() as tx:
        task = create_task(ctx, tx, assignee="anna", title="Svara på reklamation", due="+2d",
                           customer="K1001", source="feedback", ref={"feedback": "F1001"})
    assert (task["id"], task["source"], task["ref"], task["due"]) == ("T1001", "feedback",
                                                                      {"feedback": "F1001"}, "2026-11-22")
    with ctx.store.read() as tx:
        assert [t["id"] for t in open_tasks(tx, customer="K1001", assignee="anna")] == ["T1001"]


def test_staff_add_list_show_edit(shop: Path, kk: Any) -> None:
    assert kk("--as", "anna", "staff", "add", "--id", "Bertil", "--name", "Bertil Ek", "--role",
              "service").stdout == "bertil\n"
    assert "already exists" in kk("staff", "add", "--id", "bertil", "--name", "B", code=1).stderr
    assert "staff id 'B E'" in kk("staff", "add", "--id", "B E", "--name", "B", code=1).stderr
    assert "missing value for --id" in kk("--no-input", "staff", "add", code=2).stderr
    kk("staff", "edit", "bertil", "--email", "bertil.ek@nordbygg.example", "--role", "lager")
    staff = {s["id"]: s for s in json.loads(kk("staff", "list", "--format", "json").stdout)}
    assert staff["bertil"]["email"] == "bertil.ek@nordbygg.example"
    assert staff["bertil"]["role"] == "lager" and staff["bertil"]["active"] is True
    assert (staff["anna"]["customers"], staff["anna"]["open_tasks"]) == (1, 0)
    shown = kk("staff", "show", "anna").stdout
    assert field(shown, "Name") == "Anna Lind" and field(shown, "Customers") == "1"
    assert kk("staff", "show", "bosse", code=1).stderr == (
        "Error: no staff member with id 'bosse' (see 'kundkit staff list')\n")
    kk("staff", "deactivate", "bertil")
    kk("staff", "edit", "bertil", "--activate")
    assert "bertil" in [s["id"] for s in json.loads(kk("staff", "list", "--format", "json").stdout)]


def test_the_acting_staff_member_is_recorded(shop: Path, kk: Any) -> None:
    kk("--no-input", "customer", "add", "--name", "Nils Ek", "--person", env={"KUNDKIT_USER": "erik"})
    record = json.loads(kk("customer", "show", "K1002", "--format", "json").stdout)
    assert record["created_by"] == "erik"
