"""Tasks for staff: call a customer back, follow up a key product, answer a complaint.

Every area creates its tasks through :func:`create_task`, inside its own transaction, so that a
complaint and the task to answer it are written together or not at all. A task's id is ``T`` and
a number that is also its document id.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kundkit.auditlog import record_audit
from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.i18n import _
from kundkit.idtable import get_numbered, insert_numbered, make_id, number_of, replace_many, stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "tasks"
PREFIX = "T"
FIRST_NUMBER = 1001
SOURCES = ("manual", "key-product", "feedback", "workflow")
STATUSES = ("open", "done", "cancelled")
_SPAN = re.compile(r"^(\d+)\s*([dwm]?)$")


def parse_due(text: str | date, *, today: date) -> str:
    """A due date: ``YYYY-MM-DD``, ``today``, ``tomorrow``/``imorgon``, or ``+3d`` / ``3d`` / ``2w``."""
    if isinstance(text, date):
        return text.isoformat()
    value = str(text).strip().casefold()
    if value in ("today", "idag", "i dag"):
        return today.isoformat()
    if value in ("tomorrow", "imorgon", "i morgon"):
        return (today + timedelta(days=1)).isoformat()
    span = parse_span(value.lstrip("+"), field="due") if value.startswith("+") or _SPAN.match(value) else None
    if span is not None:
        return (today + span).isoformat()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValidationError(_("due: {value!r} is not a date (YYYY-MM-DD, today, tomorrow or +3d)").format(
            value=text), field="due") from None


def parse_span(text: str, *, field: str = "due-within") -> timedelta:
    """``3d``, ``2w``, ``1m`` (30 days) or a plain number of days."""
    match = _SPAN.match(str(text).strip().casefold())
    if match is None:
        raise ValidationError(_("{field}: {value!r} is not a span of time such as 3d, 2w or 1m").format(
            field=field, value=text), field=field)
    n, unit = int(match.group(1)), match.group(2) or "d"
    return timedelta(days=n * {"d": 1, "w": 7, "m": 30}[unit])


def create_task(ctx: Context, tx: Transaction, *, assignee: str, title: str, due: str | date,
                customer: str | None = None, source: str = "manual", ref: dict[str, Any] | None = None,
                note: str | None = None) -> dict[str, Any]:
    """Create an open task in the caller's transaction and return it.

    :param assignee: the staff id who does it (must be active).
    :param due: ``YYYY-MM-DD`` (a :class:`date`, ``today``, ``+3d`` work too).
    :param customer: the customer id it is about, if any (must exist).
    :param source: manual, key-product, feedback or workflow.
    :param ref: what it came from, e.g. ``{"feedback": "F1003"}`` or ``{"run": "R12", "step": "call"}``.
    """
    from kundkit.customers import customer_exists
    from kundkit.staff import require_active

    who = require_active(tx, assignee, field="assignee")
    text = re.sub(r"\s+", " ", str(title or "")).strip()
    if not text:
        raise ValidationError(_("title: a value is needed"), field="title")
    if source not in SOURCES:
        raise ValidationError(_("source: {value!r} is not one of {choices}").format(
            value=source, choices=", ".join(SOURCES)), field="source")
    if customer is not None and not customer_exists(tx, customer):
        raise ValidationError(_("customer: no customer with id '{id}'").format(id=customer), field="customer")
    customer_id = None
    if customer is not None:
        customer_id = make_id("K", number_of(customer, "K") or 0)
    number = tx.next_id("task", start=FIRST_NUMBER)
    record = {
        "id": make_id(PREFIX, number),
        "assignee": who,
        "customer": customer_id,
        "title": text,
        "due": parse_due(due, today=ctx.today()),
        "source": source,
        "status": "open",
        "ref": dict(ref or {}),
        "created_at": stamp(ctx),
        "created_by": ctx.actor,
        "done_at": None,
        "note": note,
    }
    insert_numbered(tx, TABLE, record, number)
    return record


def get_task(tx: Transaction, task_id: str) -> dict[str, Any]:
    found = get_numbered(tx, TABLE, task_id, PREFIX)
    if found is None:
        raise NotFound(_("no task with id '{id}' (see 'kundkit task list')").format(id=task_id))
    return found


def list_tasks(tx: Transaction, *, customer: str | None = None, assignee: str | None = None,
               status: str | None = "open", due_before: str | None = None,
               due_until: str | None = None, source: str | None = None) -> list[dict[str, Any]]:
    """Tasks sorted by due date then id. ``due_before`` is exclusive, ``due_until`` inclusive."""
    out = []
    for record in tx.raw(TABLE).values():
        if status is not None and record.get("status") != status:
            continue
        if customer is not None and record.get("customer") != customer:
            continue
        if assignee is not None and record.get("assignee") != assignee:
            continue
        if source is not None and record.get("source") != source:
            continue
        if due_before is not None and not record.get("due", "") < due_before:
            continue
        if due_until is not None and not record.get("due", "") <= due_until:
            continue
        out.append(dict(record, ref=dict(record.get("ref") or {})))
    return sorted(out, key=lambda r: (r.get("due", ""), number_of(r["id"], PREFIX) or 0))


def open_tasks(tx: Transaction, customer: str | None = None, assignee: str | None = None) -> list[dict[str, Any]]:
    """The open tasks, of one customer and/or one assignee, soonest due first."""
    return list_tasks(tx, customer=customer, assignee=assignee, status="open")


def _finish(ctx: Context, tx: Transaction, task_id: str, status: str, note: str | None) -> dict[str, Any]:
    task = get_task(tx, task_id)
    if task["status"] == "done":
        raise Conflict(_("task {id} is already done").format(id=task["id"]))
    if task["status"] != "open":
        raise Conflict(_("task {id} was cancelled").format(id=task["id"]))
    task.update(status=status, done_at=stamp(ctx), done_by=ctx.actor)
    if note:
        task["note"] = note if not task.get("note") else f"{task['note']}\n{note}"
    replace_many(tx, TABLE, {number_of(task["id"], PREFIX) or 0: task})
    if task.get("customer"):
        record_audit(ctx, tx, action="update", table=TABLE, record_id=task["id"], customer=task["customer"],
                     fields=["status"] + (["note"] if note else []))
    return task


def complete_task(ctx: Context, tx: Transaction, task_id: str, note: str | None = None) -> dict[str, Any]:
    """Mark an open task done (with an optional note on what was done)."""
    return _finish(ctx, tx, task_id, "done", note)


def cancel_task(ctx: Context, tx: Transaction, task_id: str, note: str | None = None) -> dict[str, Any]:
    """Cancel an open task."""
    return _finish(ctx, tx, task_id, "cancelled", note)


def move_open_tasks(ctx: Context, tx: Transaction, *, customer: str | None, from_assignee: str | None,
                    to_assignee: str) -> int:
    """Hand the open tasks of ``from_assignee`` (of one customer, or all when ``customer`` is None)
    to ``to_assignee``; returns how many moved."""
    if from_assignee is None:
        return 0
    changed: dict[int, dict[str, Any]] = {}
    for key, record in tx.raw(TABLE).items():
        if record.get("status") != "open" or record.get("assignee") != from_assignee:
            continue
        if customer is not None and record.get("customer") != customer:
            continue
        changed[int(key)] = {**record, "assignee": to_assignee}
    replace_many(tx, TABLE, changed)
    return len(changed)
