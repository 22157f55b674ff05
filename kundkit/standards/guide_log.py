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

def log_walk(ctx: Context, customer_id: str, document: StandardDocument, guide: Guide) -> dict[str, Any]:
    """Store the walk of ``guide`` as an interaction with ``customer_id``; returns the record."""
    from kundkit.interactions import record_interaction

    if not guide.path:
        raise ValidationError(_("nothing to record: the walk has no steps"))
    summary = f"{document.id}/{guide.algorithm.name}: {guide.summary()}"
    with ctx.store.transaction() as tx:
        # The one way interactions are written (month partitions, ids, the audit log), so that the
        # walk shows in 'customer history' beside messages and calls.
        return record_interaction(
            ctx, tx, customer=customer_id, channel="in-person", kind="guide", direction="in",
            note=summary, extra={"guide": {"document": document.id, "version": document.version,
                                           "language": document.language, **guide.as_record()}})
