"""Stored audits: each audit of a staff member against a standard, kept in ``standard_audits``.

An audit score is personal data about an employee, so storing one is written to the audit log
(which fields, never the values). Incentive schemes read :func:`latest_audit_score` to require a
minimum standard of service before a bonus is paid.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.standards.audit import AuditResult

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "standard_audits"
PREFIX = "SA"


def save_audit(ctx: Context, result: AuditResult) -> AuditResult:
    """Store ``result`` for an existing staff member; returns it with its new id (``SA1``)."""
    from kundkit.auditlog import record_audit
    from kundkit.idtable import insert_numbered, make_id
    from kundkit.staff import get_staff

    with ctx.store.transaction() as tx:
        result.staff = get_staff(tx, result.staff)["id"]
        number = tx.next_id(TABLE)
        result.id = make_id(PREFIX, number)
        record = {"id": result.id, **result.as_record(), "created_by": ctx.actor}
        insert_numbered(tx, TABLE, record, number)
        record_audit(ctx, tx, action="create", table=TABLE, record_id=result.id,
                     fields=["scores", "percent", "notes"] if result.notes else ["scores", "percent"],
                     detail={"staff": result.staff, "document": result.document})
    return result


def _sort_key(result: AuditResult) -> tuple[datetime, int]:
    from kundkit.idtable import number_of

    return result.at, number_of(result.id or "", PREFIX) or 0


def list_audits(ctx: Context, *, staff: str | None = None, document: str | None = None,
                tx: Transaction | None = None) -> list[AuditResult]:
    """Stored audits, oldest first, optionally of one staff member and/or one document.

    Pass ``tx`` when the caller already holds a transaction: the store's lock is not re-entrant,
    so opening a second session inside one would wait for itself.
    """
    wanted = staff.strip().lower() if staff else None
    if tx is not None:
        records = list(tx.raw(TABLE).values())
    else:
        with ctx.store.read() as rx:
            records = list(rx.raw(TABLE).values())
    results = [AuditResult.from_record(record) for record in records
               if (wanted is None or record.get("staff") == wanted)
               and (document is None or record.get("document") == document)]
    return sorted(results, key=_sort_key)


def audit_history(ctx: Context, *, staff: str | None = None,
                  document: str | None = None) -> list[dict[str, Any]]:
    """Rows for a listing of scores over time, each with ``change`` since the same staff
    member's previous audit against the same document (None for the first)."""
    previous: dict[tuple[str, str], Decimal] = {}
    rows = []
    for result in list_audits(ctx, staff=staff, document=document):
        key = (result.staff, result.document)
        change = result.percent - previous[key] if key in previous else None
        previous[key] = result.percent
        rows.append({"id": result.id, "at": result.at, "staff": result.staff,
                     "document": result.document, "version": result.version,
                     "language": result.language, "percent": result.percent, "change": change,
                     "auditor": result.auditor})
    return rows


def latest_audit_score(ctx: Context, staff_id: str, *, document: str | None = None,
                       tx: Transaction | None = None) -> Decimal | None:
    """The total (per cent) of the latest audit of ``staff_id`` (against ``document`` if given),
    or None when the staff member has never been audited. Give ``tx`` when inside a transaction."""
    audits = list_audits(ctx, staff=staff_id, document=document, tx=tx)
    return audits[-1].percent if audits else None
