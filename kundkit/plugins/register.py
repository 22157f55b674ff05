"""The customer register as a built-in plugin: its ``customers:`` section of ``kundkit.yaml``, the
references between its tables, and its part of ``customer data`` / ``customer forget`` for the
customers, tasks, audit log and purchases tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.hookspecs import hookimpl

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

_STAFF_LIST = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    strategy = {"enum": ["least-loaded", "round-robin", "by-segment", "none"]}
    return {
        "customers": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "segments": {"type": "array", "items": {"type": "string"}, "uniqueItems": True,
                             "description": "the customer segments; empty: any segment"},
                "default_segment": {"type": "string"},
                "managers": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "strategy": strategy,
                        "fallback": strategy,
                        "roles": {"type": "array", "items": {"type": "string"},
                                  "description": "only staff with one of these roles manage customers"},
                        "by_segment": {"type": "object", "additionalProperties": _STAFF_LIST},
                    },
                },
                "duplicates": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "name_similarity": {"type": "number", "minimum": 0.5, "maximum": 1},
                    },
                },
            },
        },
    }


@hookimpl
def check_config(config: Any) -> list[Any] | None:
    from kundkit.i18n import _

    section = config.section("customers", {})
    if not isinstance(section, dict):
        return None
    problems = []
    segments = section.get("segments") or []
    managers = section.get("managers") or {}
    default = section.get("default_segment")
    if default and segments and default not in segments:
        problems.append(config.problem(("customers", "default_segment"), _(
            "customers.default_segment: '{segment}' is not in customers.segments").format(segment=default)))
    by_segment = managers.get("by_segment") or {} if isinstance(managers, dict) else {}
    if isinstance(by_segment, dict):
        for name in by_segment:
            if segments and name not in segments:
                problems.append(config.problem(("customers", "managers", "by_segment", name), _(
                    "customers.managers.by_segment: '{segment}' is not in customers.segments").format(
                    segment=name), key=True))
    if isinstance(managers, dict) and managers.get("strategy") == "by-segment" and not by_segment:
        problems.append(config.problem(("customers", "managers", "strategy"), _(
            "customers.managers: the by-segment strategy needs a by_segment map")))
    return problems or None


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("customers", "manager", "staff"), ("tasks", "assignee", "staff"),
            ("tasks", "customer", "customers")]


def _purchase_partitions(tx: Transaction) -> list[str]:
    return tx.partitions("purchases")


@hookimpl
def customer_data(ctx: Context, tx: Transaction, customer_id: str) -> dict[str, Any]:
    from kundkit.auditlog import audit_entries
    from kundkit.customers import get_customer
    from kundkit.tasks import list_tasks

    purchases = [dict(r) for p in _purchase_partitions(tx) for r in tx.raw("purchases", p).values()
                 if r.get("customer") == customer_id]
    return {
        "customer": get_customer(tx, customer_id),
        "tasks": list_tasks(tx, customer=customer_id, status=None),
        "purchases": purchases,
        "audit_log": audit_entries(tx, customer=customer_id),
    }


@hookimpl
def forget_customer(ctx: Context, tx: Transaction, customer_id: str, pseudonym: str,
                    customer: dict[str, Any]) -> dict[str, int]:
    from kundkit.customers import store_customer
    from kundkit.idtable import replace_doc, replace_many, stamp
    from kundkit.privacy import erased_customer, personal_needles, scrub

    patterns = personal_needles(customer).all()
    store_customer(tx, erased_customer(customer, pseudonym, stamp(ctx), ctx.actor))
    counts = {"customers": 1}

    tasks: dict[int, dict[str, Any]] = {}
    for key, task in tx.raw("tasks").items():
        if task.get("customer") == customer_id:
            # A note on a call or visit is free text about the person: it goes entirely.
            kept, _n = scrub({**task, "note": None}, patterns, pseudonym)
            tasks[int(key)] = kept
    replace_many(tx, "tasks", tasks)
    counts["tasks"] = len(tasks)

    # Purchases are bookkeeping records: they stay, pointing to the erased customer id, with any
    # copy of the person's name or numbers replaced by the pseudonym.
    changed = 0
    for partition in _purchase_partitions(tx):
        found: dict[int, dict[str, Any]] = {}
        for key, purchase in tx.raw("purchases", partition).items():
            if purchase.get("customer") == customer_id:
                new, n = scrub(purchase, patterns, pseudonym)
                if n:
                    found[int(key)] = new
        for doc_id, new in found.items():
            replace_doc(tx, "purchases", doc_id, new, partition)
        changed += len(found)
    counts["purchases"] = changed
    return counts
