"""Record a walk through a behaviour algorithm as an interaction with a customer.

A conflict handled at the counter is part of the customer's history: the interaction says which
standard and algorithm were followed, every step and answer, and how it ended. It is written to
the ``interactions`` table as an in-person interaction of kind ``guide``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.errors import ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.standards.documents import StandardDocument
    from kundkit.standards.guide import Guide

TABLE = "interactions"
PREFIX = "I"


def log_walk(ctx: Context, customer_id: str, document: StandardDocument, guide: Guide) -> dict[str, Any]:
    """Store the walk of ``guide`` as an interaction with ``customer_id``; returns the record."""
    from kundkit.auditlog import record_audit
    from kundkit.customers import get_customer
    from kundkit.idtable import insert_numbered, make_id, stamp

    if not guide.path:
        raise ValidationError(_("nothing to record: the walk has no steps"))
    summary = f"{document.id}/{guide.algorithm.name}: {guide.summary()}"
    with ctx.store.transaction() as tx:
        customer = get_customer(tx, customer_id)
        number = tx.next_id(TABLE)
        record = {
            "id": make_id(PREFIX, number),
            "customer": customer["id"],
            "channel": "in-person",
            "kind": "guide",
            "note": summary,
            "at": stamp(ctx),
            "by": ctx.actor,
            "guide": {"document": document.id, "version": document.version,
                      "language": document.language, **guide.as_record()},
        }
        insert_numbered(tx, TABLE, record, number)
        record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"],
                     fields=["note", "guide"], customer=customer["id"])
    return record
