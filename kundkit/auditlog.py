"""The audit log: who changed which fields of which record, and when — never the values.

Personal data must not leak into the log that exists to account for it, so an entry names the
fields that changed, not what they were or became. The log is split by month (``audit_log/
2026-11.json``) so that recording an entry touches one small file, however long the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kundkit.idtable import stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "audit_log"

# The action words other areas use; any short word is accepted, these are the ones kundkit writes.
ACTIONS = ("create", "update", "delete", "assign", "import", "consent", "forget", "export", "access")


def _entry(ctx: Context, *, action: str, table: str, record_id: str, fields: Iterable[str],
           customer: str | None, detail: dict[str, Any] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "at": stamp(ctx),
        "actor": ctx.actor,
        "action": action,
        "table": table,
        "record": record_id,
        "customer": customer if customer is not None else (record_id if table == "customers" else None),
        "fields": sorted(set(fields)),
    }
    if detail:
        entry["detail"] = detail
    return entry


def record_audit(ctx: Context, tx: Transaction, *, action: str, table: str, record_id: str,
                 fields: Iterable[str], customer: str | None = None,
                 detail: dict[str, Any] | None = None) -> dict[str, Any]:
    """Record that ``ctx.actor`` did ``action`` to ``fields`` of ``table``/``record_id``.

    ``customer`` links the entry to a customer when the record is not the customer itself (a task,
    a purchase), so that ``audit list --customer`` finds it. ``detail`` is for facts that are not
    personal data (counts, a new manager's staff id); never put a personal value there.
    """
    entry = _entry(ctx, action=action, table=table, record_id=record_id, fields=fields,
                   customer=customer, detail=detail)
    tx.table(TABLE, ctx.now().strftime("%Y-%m")).insert(entry)
    return entry


def record_audits(ctx: Context, tx: Transaction, entries: Iterable[dict[str, Any]]) -> int:
    """Record many entries at once (each a dict of :func:`record_audit`'s keyword arguments)."""
    built = [_entry(ctx, action=e["action"], table=e["table"], record_id=e["record_id"],
                    fields=e.get("fields", ()), customer=e.get("customer"), detail=e.get("detail"))
             for e in entries]
    if built:
        tx.table(TABLE, ctx.now().strftime("%Y-%m")).insert_multiple(built)
    return len(built)


def audit_entries(tx: Transaction, *, customer: str | None = None, actor: str | None = None,
                  table: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
    """Entries, oldest first, filtered by customer, actor, table and start date (``YYYY-MM-DD``)."""
    out: list[dict[str, Any]] = []
    for partition in tx.partitions(TABLE):
        if since and partition < since[:7]:
            continue
        for entry in tx.raw(TABLE, partition).values():
            if customer is not None and entry.get("customer") != customer:
                continue
            if actor is not None and entry.get("actor") != actor:
                continue
            if table is not None and entry.get("table") != table:
                continue
            if since and entry.get("at", "") < since:
                continue
            out.append(dict(entry))
    out.sort(key=lambda e: e.get("at", ""))
    return out
