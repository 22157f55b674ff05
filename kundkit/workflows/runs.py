"""Workflow runs as stored: table ``workflow_runs``, one record per run, saved after every step.

A run's id is ``R`` and a never-reused number (``R1042``). Runs are kept in partitions of a hundred
(``workflow_runs/r0010.json`` holds R1000–R1099), so that saving a run after each step rewrites a
small file however many runs there have been, and finding a run by id is one dictionary access.

A record::

    {"id": "R1042", "workflow": "complaint", "file": "workflows/complaint.yaml",
     "definition": {...the workflow as it was when the run started...},
     "status": "running" | "waiting" | "done" | "failed" | "cancelled",
     "trigger": {"type": "manual" | "event" | "batch", ...},
     "inputs": {...}, "given": {...answers given in advance...}, "vars": {...},
     "customer": "K1001", "next": "STEP" | null,
     "steps": {"STEP": {"status": "done" | "skipped" | "failed" | "waiting", "output": ...,
                        "error": ..., "at": ...}},
     "log": [{"at": ..., "step": ..., "status": ..., "message": ...}],
     "waiting": {"step": ..., "kind": "person" | "date" | "answer", "until": ..., "message": ...},
     "runner": {"pid": 4242, "host": "kassan", "token": "..."},
     "started_at": ..., "updated_at": ..., "finished_at": ..., "started_by": ..., "error": ...}

The definition is kept with the run, so that a run that waits for days resumes with the steps it
started with, even if the file has been edited since.
"""

from __future__ import annotations

import copy
import os
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound
from kundkit.i18n import _
from kundkit.idtable import make_id, number_of

if TYPE_CHECKING:
    from kundkit.store import Transaction

TABLE = "workflow_runs"
PREFIX = "R"
FIRST_NUMBER = 1001
BLOCK = 100
STATUSES = ("running", "waiting", "done", "failed", "cancelled")
ACTIVE = frozenset({"running", "waiting"})
# A run whose process died mid-step is shown as interrupted (its stored status is still running).
INTERRUPTED = "interrupted"


def partition_of(number: int) -> str:
    return f"r{number // BLOCK:04d}"


def new_run_id(tx: Transaction) -> tuple[str, int]:
    number = tx.next_id("workflow_run", start=FIRST_NUMBER)
    return make_id(PREFIX, number), number


def _number(run_id: str) -> int:
    number = number_of(str(run_id), PREFIX)
    if number is None:
        raise NotFound(_("'{id}' is not a run id (they look like R1042)").format(id=run_id))
    return number


def get_run(tx: Transaction, run_id: str) -> dict[str, Any]:
    """The run ``run_id`` (a copy); :class:`NotFound` otherwise."""
    number = _number(run_id)
    found = tx.raw(TABLE, partition_of(number)).get(str(number))
    if found is None:
        raise NotFound(_("no workflow run '{id}' (see 'kundkit workflow runs')").format(id=run_id))
    return copy.deepcopy(found)


def insert_run(tx: Transaction, record: dict[str, Any]) -> None:
    from tinydb.table import Document

    number = _number(record["id"])
    tx.table(TABLE, partition_of(number)).insert(Document(copy.deepcopy(record), doc_id=number))


def save_run(tx: Transaction, record: dict[str, Any]) -> None:
    from kundkit.idtable import replace_doc

    number = _number(record["id"])
    replace_doc(tx, TABLE, number, record, partition_of(number))


def iter_runs(tx: Transaction) -> Iterator[dict[str, Any]]:
    """Every run as stored (do not change them), oldest first."""
    for partition in tx.partitions(TABLE):
        raw = tx.raw(TABLE, partition)
        for key in sorted(raw, key=int):
            yield raw[key]


def runner_alive(runner: dict[str, Any] | None) -> bool:
    """Whether the process that runs a run is still there (only knowable on the same machine)."""
    if not runner:
        return False
    if runner.get("host") != socket.gethostname():
        return True  # another machine's process: assume alive; `resume --force` overrides
    pid = int(runner.get("pid") or 0)
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    # A killed child that its parent has not reaped yet still answers kill(pid, 0).
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def shown_status(record: dict[str, Any]) -> str:
    """The status to show: ``interrupted`` for a running run whose process is gone."""
    status = str(record.get("status"))
    if status == "running" and not runner_alive(record.get("runner")):
        return INTERRUPTED
    return status


def list_runs(tx: Transaction, *, status: str | None = None, workflow: str | None = None,
              customer: str | None = None) -> list[dict[str, Any]]:
    """Runs, oldest first, each with ``shown_status``; ``status`` filters on that."""
    out = []
    for record in iter_runs(tx):
        if workflow is not None and record.get("workflow") != workflow:
            continue
        if customer is not None and record.get("customer") != customer:
            continue
        shown = shown_status(record)
        if status is not None and shown != status:
            continue
        out.append({**copy.deepcopy(record), "shown_status": shown})
    return out
