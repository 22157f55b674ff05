"""Importing feedback from a CSV or JSON file (``kundkit feedback import``, ``kundkit db load``):
every row checked first, every bad row reported with its line, then all or nothing.

Columns (only ``customer``, ``kind`` and ``text`` are required)::

    id, customer, kind, category, priority, text, purchase, channel, assignee, received_at,
    status, first_response_at, resolved_at, closed_at, resolution, compensation, satisfaction

A row may carry an item's whole past, so that the deadline report covers the years before
kundkit: the status history is rebuilt from the times given (received → acknowledged at the
first response → resolved or rejected → closed). An imported item fires no ``feedback_received``:
it is history, not news. The assignee may be a staff member who has left since.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.importing import ImportResult, Row, RowProblems
    from kundkit.store import Transaction

COLUMNS = ("id", "customer", "kind", "category", "priority", "text", "purchase", "channel",
           "assignee", "received_at", "status", "first_response_at", "resolved_at", "closed_at",
           "resolution", "compensation", "satisfaction")
_DONE_STATUSES = ("resolved", "closed", "rejected")


def _moment(ctx: Context, value: Any, name: str) -> datetime | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(_("{name}: '{value}' is not a date and time (YYYY-MM-DD HH:MM)").format(
            name=name, value=text), field=name) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ctx.tz)
    if moment > ctx.now():
        raise ValidationError(_("{name}: {value} is in the future").format(
            name=name, value=moment.isoformat(timespec="minutes")), field=name)
    return moment


class _FeedbackRows:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.ids: set[int] = set()

    def check(self, tx: Transaction, row: Row, problems: RowProblems) -> dict[str, Any] | None:
        from kundkit.feedback import (PREFIX, STATUSES, TABLE, check_feedback_fields,
                                      parse_compensation, parse_satisfaction)
        from kundkit.idtable import number_of
        from kundkit.staff import get_staff

        values = {k: v for k, v in row.values.items() if v not in (None, "")}
        number = None
        if values.get("id"):
            number = number_of(str(values["id"]), PREFIX)
            if number is None:
                problems.add("id", _("'{value}' is not a feedback id (F1042)").format(value=values["id"]))
            elif str(number) in tx.raw(TABLE) or number in self.ids:
                problems.add("id", _("{id} is taken").format(id=f"{PREFIX}{number}"))
            else:
                self.ids.add(number)
        fields = {k: values.get(k) for k in ("customer", "kind", "category", "priority", "text",
                                             "purchase", "channel", "received_at")}
        try:
            checked = check_feedback_fields(self.ctx, tx, fields)
        except ValidationError as exc:
            problems.add_error(exc)
            return None
        if values.get("assignee"):
            try:
                checked["assignee"] = get_staff(tx, str(values["assignee"]))["id"]
            except NotFound as exc:
                problems.add("assignee", exc.message)
        status = str(values.get("status") or "").strip() or None
        if status is not None and status not in STATUSES:
            problems.add("status", _("'{value}' is not one of {choices}").format(
                value=status, choices=", ".join(STATUSES)))
            return None
        times: dict[str, datetime | None] = {}
        for name in ("first_response_at", "resolved_at", "closed_at"):
            try:
                times[name] = _moment(self.ctx, values.get(name), name)
            except ValidationError as exc:
                problems.add_error(exc)
        extra: dict[str, Any] = {}
        try:
            extra["compensation"] = parse_compensation(values.get("compensation"),
                                                       self.ctx.config.currency)
            if values.get("satisfaction"):
                extra["satisfaction"] = parse_satisfaction(values["satisfaction"])
        except ValidationError as exc:
            problems.add_error(exc)
        if problems:
            return None
        history = self._history(checked, status, times, values, problems)
        if problems:
            return None
        return {"number": number, "fields": checked, "status": history[-1]["status"],
                "history": history, "times": times, "resolution": values.get("resolution"),
                **extra}

    def _history(self, checked: dict[str, Any], status: str | None,
                 times: dict[str, datetime | None], values: dict[str, Any],
                 problems: RowProblems) -> list[dict[str, Any]]:
        from kundkit.feedback import status_label

        received = datetime.fromisoformat(checked["received_at"])
        first, resolved, closed = (times.get("first_response_at"), times.get("resolved_at"),
                                   times.get("closed_at"))
        status = status or ("closed" if closed else "resolved" if resolved else
                            "acknowledged" if first else "new")
        if status in _DONE_STATUSES and resolved is None:
            problems.add("resolved_at", _("a {status} item needs the time it was resolved").format(
                status=status_label(status)))
        if status in _DONE_STATUSES and not str(values.get("resolution") or "").strip():
            problems.add("resolution", _("a {status} item needs its resolution").format(
                status=status_label(status)))
        if status == "closed":
            closed = closed or resolved
        order = [("received_at", received), ("first_response_at", first),
                 ("resolved_at", resolved), ("closed_at", closed)]
        known = [(name, moment) for name, moment in order if moment is not None]
        for (earlier, a), (later, b) in zip(known, known[1:]):
            if b < a:
                problems.add(later, _("{later} comes before {earlier}").format(later=later,
                                                                               earlier=earlier))
        actor = checked.get("assignee")

        def entry(moment: datetime, state: str) -> dict[str, Any]:
            return {"at": moment.isoformat(timespec="seconds"), "status": state, "by": actor}

        history = [entry(received, "new")]
        if first is not None and status != "new":
            history.append(entry(first, "acknowledged" if status not in ("in-progress", "waiting")
                                 else status))
        elif status in ("acknowledged", "in-progress", "waiting"):
            problems.add("first_response_at", _("a {status} item needs the time of the first "
                                                "response").format(status=status_label(status)))
        if status in ("in-progress", "waiting") and history[-1]["status"] != status:
            history.append(entry(first or received, status))
        if status in _DONE_STATUSES and resolved is not None:
            history.append(entry(resolved, "rejected" if status == "rejected" else "resolved"))
        if status == "closed" and closed is not None:
            history.append(entry(closed, "closed"))
        return history

    def commit(self, tx: Transaction, items: list[tuple[Row, dict[str, Any]]]) -> None:
        from kundkit.auditlog import record_audits
        from kundkit.feedback import FIRST_NUMBER, PREFIX, TABLE
        from kundkit.idtable import insert_many_numbered, make_id, stamp

        counters = dict(tx.meta.get("counters") or {})
        if self.ids:
            counters["feedback"] = max(int(counters.get("feedback", FIRST_NUMBER - 1)), max(self.ids))
            tx.set_meta("counters", counters)
        now = stamp(self.ctx)
        numbered = []
        for _row, item in items:
            number = item["number"] or tx.next_id("feedback", start=FIRST_NUMBER)
            times = item["times"]
            first = times.get("first_response_at")
            resolved = times.get("resolved_at")
            record = {
                "id": make_id(PREFIX, number),
                **item["fields"],
                "status": item["status"],
                "history": item["history"],
                "responses": [],
                "first_response_at": first.isoformat(timespec="seconds") if first else None,
                "resolution": str(item["resolution"]).strip() if item.get("resolution") else None,
                "resolved_at": resolved.isoformat(timespec="seconds") if resolved else None,
                "compensation": item.get("compensation"),
                "satisfaction": item.get("satisfaction"),
                "created_at": now,
                "created_by": self.ctx.actor,
                "updated_at": now,
            }
            item["id"] = record["id"]
            numbered.append((number, record))
        numbered.sort(key=lambda pair: pair[0])
        insert_many_numbered(tx, TABLE, numbered)
        record_audits(self.ctx, tx, [{"action": "import", "table": TABLE, "record_id": r["id"],
                                      "customer": r["customer"],
                                      "fields": [k for k in COLUMNS if r.get(k)]}
                                     for _n, r in numbered])


def import_feedback(ctx: Context, path: Path, *, fmt: str | None = None, dry_run: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> ImportResult[dict[str, Any]]:
    """Import feedback items from a CSV or JSON file, all or nothing."""
    from kundkit.importing import import_rows

    rows = _FeedbackRows(ctx)
    return import_rows(ctx, path, check=rows.check, commit=rows.commit, known=COLUMNS, fmt=fmt,
                       dry_run=dry_run, progress=progress)
