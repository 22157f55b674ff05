"""Sales plans from a file: ``period,staff,target`` rows, one period's organisation target (staff
empty) and personal targets; all rows checked first, then all set or none (``kundkit db load``)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.importing import ImportResult, Row, RowProblems
    from kundkit.store import Transaction

FIELDS = ("period", "staff", "target")


def import_plans(ctx: Context, path: Path, *, fmt: str | None = None,
                 dry_run: bool = False) -> ImportResult[tuple[Any, str, Decimal]]:
    from kundkit.errors import KundkitError
    from kundkit.importing import import_rows
    from kundkit.plans import parse_period, parse_target, set_plan
    from kundkit.staff import require_active

    currency = ctx.config.currency
    seen: dict[tuple[str, str], int] = {}

    def check(tx: Transaction, row: Row, problems: RowProblems) -> tuple[Any, str, Decimal] | None:
        values = row.values
        try:
            period = parse_period((values.get("period") or "").strip())
        except KundkitError as exc:
            problems.add("period", exc.message)
            return None
        staff = (values.get("staff") or "").strip()
        if staff:
            try:
                staff = require_active(tx, staff, field="staff")
            except KundkitError as exc:
                problems.add("staff", exc.message)
        try:
            target = parse_target((values.get("target") or "").strip(), currency)
            if target <= 0:
                problems.add("target", _("a target must be more than zero"))
        except KundkitError as exc:
            problems.add("target", exc.message)
            return None
        key = (str(period), staff)
        if key in seen:
            problems.add("staff" if staff else "period", _(
                "a second target for the same period and person (first on line {line})").format(
                line=seen[key]))
        seen.setdefault(key, row.line)
        return period, staff, target

    def commit(tx: Transaction, items: list[tuple[Row, tuple[Any, str, Decimal]]]) -> None:
        by_period: dict[str, tuple[Any, Decimal | None, dict[str, Decimal]]] = {}
        for _row, (period, staff, target) in items:
            entry = by_period.setdefault(str(period), (period, None, {}))
            if staff:
                entry[2][staff] = target
            else:
                by_period[str(period)] = (period, target, entry[2])
        for period, target, staff_targets in by_period.values():
            set_plan(ctx, tx, period, target=target, staff_targets=staff_targets or None)

    return import_rows(ctx, path, check=check, commit=commit, known=FIELDS, fmt=fmt, dry_run=dry_run)
