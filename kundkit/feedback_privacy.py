"""The feedback register's and the workflow runs' part in ``customer show``, ``customer data`` and
``customer forget``.

What a customer said (the text of a complaint, the answers given, notes on the history) is
personal data with no purpose once the customer is forgotten, so it is erased; what the books and
the reports need (kind, category, dates, statuses, the compensation granted, the satisfaction
score) stays under the pseudonym. A workflow run about the customer keeps its steps and statuses;
the values in it (inputs, answers, variables, step outputs, the event's record) are scrubbed of
the person's name, numbers, e-mail and phone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

_ERASED_TEXT = "-"


def feedback_summary(ctx: Context, tx: Transaction, customer: dict[str, Any]) -> dict[str, Any] | None:
    """The customer's open feedback, for ``customer show``."""
    from kundkit.feedback import OPEN, TABLE, is_overdue

    now = ctx.now()
    mine = [r for r in tx.raw(TABLE).values() if r.get("customer") == customer["id"]]
    if not mine:
        return None
    open_items = [r for r in mine if r.get("status") in OPEN]
    return {"feedback": {
        "total": len(mine),
        "open": [{"id": r["id"], "kind": r["kind"], "status": r["status"],
                  "received_at": r["received_at"], "overdue": is_overdue(ctx, r, now)}
                 for r in sorted(open_items, key=lambda r: r["received_at"])],
    }}


def feedback_data(tx: Transaction, customer_id: str) -> dict[str, Any] | None:
    """Every feedback item and workflow run about the customer, as stored."""
    import copy

    from kundkit.feedback import TABLE
    from kundkit.workflows.runs import TABLE as RUNS, iter_runs

    items = [copy.deepcopy(r) for r in tx.raw(TABLE).values() if r.get("customer") == customer_id]
    runs = [copy.deepcopy(r) for r in iter_runs(tx) if r.get("customer") == customer_id]
    out: dict[str, Any] = {}
    if items:
        out[TABLE] = sorted(items, key=lambda r: r["id"])
    if runs:
        out[RUNS] = runs
    return out or None


def forget_feedback(tx: Transaction, customer_id: str, pseudonym: str,
                    customer: dict[str, Any]) -> dict[str, int]:
    """Erase the free text of the customer's feedback and scrub the runs about the customer."""
    from kundkit.feedback import TABLE
    from kundkit.idtable import replace_doc
    from kundkit.privacy import personal_needles, scrub
    from kundkit.workflows.runs import TABLE as RUNS, iter_runs, save_run

    patterns = personal_needles(customer).all()
    changed_items = 0
    for key, record in list(tx.raw(TABLE).items()):
        if record.get("customer") != customer_id:
            continue
        new = {**record, "text": _ERASED_TEXT,
               "responses": [{**r, "text": _ERASED_TEXT} for r in record.get("responses") or []],
               "history": [{k: v for k, v in h.items() if k != "note"}
                           for h in record.get("history") or []]}
        new, _count = scrub(new, patterns, pseudonym)
        replace_doc(tx, TABLE, int(key), new)
        changed_items += 1
    changed_runs = 0
    for run in [dict(r) for r in iter_runs(tx) if r.get("customer") == customer_id]:
        values = {key: run.get(key) for key in ("inputs", "given", "vars", "steps", "trigger", "log",
                                                "waiting", "error")}
        scrubbed, count = scrub(values, patterns, pseudonym)
        if count:
            save_run(tx, {**run, **scrubbed})
            changed_runs += 1
    out = {}
    if changed_items:
        out[TABLE] = changed_items
    if changed_runs:
        out[RUNS] = changed_runs
    return out
