"""The customer register in and out of files: CSV and JSON with the same column names as the
``customer add`` options, so that an export imports back into an empty store unchanged.

In CSV, a list is written as text: address lines one per line inside the cell, tags separated by
``;``, consents as the JSON object the store keeps (with when, how and by whom), so nothing is
lost on the way through a spreadsheet.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kundkit.customers import (FIELDS, FIRST_NUMBER, PREFIX, TABLE, check_customer_fields, field_check,
                               filled_fields, insert_customers, list_customers, new_record, settings,
                               stored_customer)
from kundkit.duplicates import DuplicateFinder, describe_match
from kundkit.i18n import _
from kundkit.idtable import make_id, number_of
from kundkit.importing import ImportResult, Row, RowProblems, import_rows, rows_to_csv
from kundkit.managers import ManagerPicker

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

EXTRA = ("id", "created_at", "created_by")
COLUMNS = ("id", *FIELDS, "created_at", "created_by")


def cell_text(key: str, value: Any) -> str:
    """How a customer field is written in a CSV cell."""
    if value is None:
        return ""
    if key == "address":
        return "\n".join(value)
    if key == "tags":
        return ";".join(value)
    if key == "consent":
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_customers(ctx: Context, stream: TextIO, *, fmt: str = "csv", segment: str | None = None,
                     manager: str | None = None) -> int:
    """Write the customers (all fields) to ``stream``; returns how many."""
    with ctx.store.read() as tx:
        records = list_customers(tx, segment=segment, manager=manager)
    rows = [{k: r.get(k) for k in COLUMNS} for r in records]
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        rows_to_csv(rows, COLUMNS, stream, cell_text)
    return len(rows)


class _CustomerRows:
    """Checks the rows of one import: fields, manager, ids and duplicates within the file too."""

    def __init__(self, ctx: Context, force: bool) -> None:
        self.ctx, self.force = ctx, force
        self.check_env = field_check(ctx, _("import"))
        self.settings = settings(ctx)
        self.picker: ManagerPicker | None = None
        self.finder: DuplicateFinder | None = None
        self.ids: set[int] = set()
        self.staff: dict[str, bool] | None = None

    def _prepare(self, tx: Transaction) -> None:
        if self.finder is None:
            from kundkit.staff import all_staff

            self.finder = DuplicateFinder(tx, self.settings.name_similarity)
            self.picker = ManagerPicker(self.ctx, tx)
            self.staff = {s["id"]: bool(s.get("active")) for s in all_staff(tx)}

    def check(self, tx: Transaction, row: Row, problems: RowProblems) -> dict[str, Any] | None:
        self._prepare(tx)
        assert self.finder is not None and self.picker is not None and self.staff is not None
        values = {k: v for k, v in row.values.items() if v not in (None, "")}
        fields = {k: v for k, v in values.items() if k in FIELDS}
        checked, found = check_customer_fields(fields, self.check_env)
        for name, message in found:
            problems.add(name, message)
        number = None
        if values.get("id"):
            number = number_of(str(values["id"]), PREFIX)
            if number is None or not str(values["id"]).strip()[:1].isalpha():
                problems.add("id", _("{value!r} is not a customer id (K1042)").format(value=values["id"]))
            elif stored_customer(tx, make_id(PREFIX, number)) is not None or number in self.ids:
                problems.add("id", _("customer {id} already exists").format(id=make_id(PREFIX, number)))
            else:
                self.ids.add(number)
        manager = checked.get("manager")
        if manager and manager not in self.staff:
            problems.add("manager", _("no staff member with id '{id}'").format(id=manager))
        elif manager and not self.staff[manager]:
            problems.add("manager", _("staff member '{id}' is no longer active").format(id=manager))
        if problems:
            return None
        if not checked.get("segment") and self.settings.default_segment:
            checked["segment"] = self.settings.default_segment
        if not self.force:
            matches = self.finder.find(checked)
            if matches:
                problems.add(None, _("looks already registered: {match} (use --force to import anyway)")
                             .format(match=describe_match(matches[0])))
                return None
        if not manager:
            checked["manager"] = self.picker.pick(checked)
        record = new_record("", checked, self.check_env)
        for key in ("created_at", "created_by"):
            if values.get(key):
                record[key] = str(values[key])
        record["id"] = make_id(PREFIX, number) if number is not None else ""
        self.finder.add({**record, "_line": row.line})
        return record

    def commit(self, tx: Transaction, items: list[tuple[Row, dict[str, Any]]]) -> None:
        from kundkit.auditlog import record_audits

        numbered: list[tuple[int, dict[str, Any]]] = []
        for _row, record in items:
            if record["id"]:
                numbered.append((number_of(record["id"], PREFIX) or 0, record))
        counters = tx.meta.setdefault("counters", {})
        highest = max([n for n, _r in numbered], default=0)
        counters["customer"] = max(int(counters.get("customer", FIRST_NUMBER - 1)), highest)
        tx.set_meta("counters", counters)
        for _row, record in items:
            if not record["id"]:
                number = tx.next_id("customer", start=FIRST_NUMBER)
                record["id"] = make_id(PREFIX, number)
                numbered.append((number, record))
        numbered.sort(key=lambda pair: pair[0])
        insert_customers(tx, numbered)
        record_audits(self.ctx, tx, [{"action": "import", "table": TABLE, "record_id": r["id"],
                                      "fields": filled_fields(r)} for _n, r in numbered])


def import_customers(ctx: Context, path: Path, *, fmt: str | None = None, dry_run: bool = False,
                     force: bool = False,
                     progress: Callable[[int, int], None] | None = None) -> ImportResult[dict[str, Any]]:
    """Import customers from a CSV or JSON file, all or nothing (see :mod:`kundkit.importing`).

    Rows with an ``id`` keep it (it must be free); the others get the next numbers. A row that
    looks like a registered customer, or like an earlier row, is a problem unless ``force``.
    """
    rows = _CustomerRows(ctx, force)
    return import_rows(ctx, path, check=rows.check, commit=rows.commit, known=COLUMNS, fmt=fmt,
                       dry_run=dry_run, progress=progress)
