"""The key-product follow-up: a sale of a key ("locomotive") product earns the customer a
consultation by their permanent manager, within the days set in kundkit.yaml::

    followup:
      enabled: true
      due_days: 7

One open consultation per customer and product is enough: a second sale while one is open is
covered by it. A customer without a manager gets one from the assignment strategy of the register,
and the task's note says so. :func:`followup_report` tells, per manager, how many key-product sales
got their consultation in time, late, or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

SOURCE = "key-product"
DEFAULT_DUE_DAYS = 7


@dataclass(frozen=True)
class FollowupSettings:
    enabled: bool = True
    due_days: int = DEFAULT_DUE_DAYS


def followup_settings(ctx: Context) -> FollowupSettings:
    section = ctx.config.section("followup", {}) or {}
    return FollowupSettings(enabled=bool(section.get("enabled", True)),
                            due_days=int(section.get("due_days") or DEFAULT_DUE_DAYS))


def _key_products(record: dict[str, Any]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for line in record["lines"]:
        if line.get("locomotive") and line["sku"] not in seen:
            seen[line["sku"]] = line
    return list(seen.values())


def follow_up_purchase(ctx: Context, tx: Transaction, record: dict[str, Any],
                       customer: dict[str, Any]) -> list[dict[str, Any]]:
    """Create the consultation tasks a sale calls for, in the caller's transaction.

    Returns one entry per key product of the sale: ``{"sku", "task", "created", "assignee",
    "due", "manager_assigned"}``; ``task`` is the new task or the open one that already covers the
    product, and None when nobody can be assigned (no active staff).
    """
    from kundkit.customers import assign_manager, reassign, settings
    from kundkit.tasks import create_task, open_tasks

    wanted = _key_products(record)
    config = followup_settings(ctx)
    if not wanted or not config.enabled:
        return []
    manager = customer.get("manager")
    assigned = False
    if not manager:
        manager = assign_manager(ctx, tx, customer)
        if manager is None:
            return [{"sku": line["sku"], "task": None, "created": False, "assignee": None,
                     "due": None, "manager_assigned": False} for line in wanted]
        reassign(ctx, tx, customer["id"], manager)
        assigned = True
    strategy = settings(ctx).strategy
    covering = {task["ref"].get("sku"): task for task in open_tasks(tx, customer=customer["id"])
                if task.get("source") == SOURCE}
    due = date.fromisoformat(record["date"]) + timedelta(days=config.due_days)
    out = []
    for line in wanted:
        existing = covering.get(line["sku"])
        if existing is not None:
            out.append({"sku": line["sku"], "task": existing["id"], "created": False,
                        "assignee": existing["assignee"], "due": existing["due"],
                        "manager_assigned": assigned})
            continue
        note = None
        if assigned:
            note = _("The customer had no permanent manager; {manager} was assigned by the "
                     "'{strategy}' strategy with this sale.").format(
                manager=manager, strategy=strategy)
        title = _("Key-product consultation with {customer}: {product} ({sku}), bought {date} "
                  "({purchase})").format(customer=customer.get("name") or customer["id"],
                                         product=line.get("name") or line["sku"], sku=line["sku"],
                                         date=record["date"], purchase=record["id"])
        task = create_task(ctx, tx, assignee=manager, title=title, due=due, customer=customer["id"],
                           source=SOURCE, ref={"purchase": record["id"], "sku": line["sku"]},
                           note=note)
        out.append({"sku": line["sku"], "task": task["id"], "created": True,
                    "assignee": manager, "due": task["due"], "manager_assigned": assigned})
    return out


def cancel_followups(ctx: Context, tx: Transaction, original: dict[str, Any],
                     credit: dict[str, Any]) -> list[str]:
    """Cancel the open consultations that a voided sale created; returns their ids."""
    from kundkit.tasks import cancel_task, get_task

    cancelled = []
    for entry in original.get("followups") or []:
        if not entry.get("created") or not entry.get("task"):
            continue
        task = get_task(tx, entry["task"])
        if task["status"] != "open" or task["ref"].get("purchase") != original["id"]:
            continue
        cancel_task(ctx, tx, task["id"], note=_("The sale {purchase} was voided by {credit}.").format(
            purchase=original["id"], credit=credit["id"]))
        cancelled.append(task["id"])
    return cancelled


# -- the report -------------------------------------------------------------------------------------

OUTCOMES = ("in_time", "late", "not_done", "pending")


def outcome(task: dict[str, Any] | None, today: date) -> str:
    """``in_time``, ``late``, ``not_done`` (cancelled, missing, or open past its due date) or
    ``pending`` (open, not yet due)."""
    if task is None or task.get("status") == "cancelled":
        return "not_done"
    due = str(task.get("due") or "")
    if task.get("status") == "done":
        done = str(task.get("done_at") or "")[:10]
        return "in_time" if done and done <= due else "late"
    return "pending" if due >= today.isoformat() else "not_done"


def followup_sales(ctx: Context, since: date | None, until: date | None) -> list[dict[str, Any]]:
    """Every key-product sale in the period (voided ones left out) with its consultation's fate:
    ``{"purchase", "date", "customer", "sku", "manager", "task", "due", "done_at", "outcome"}``."""
    from kundkit.customers import customer_records
    from kundkit.purchase_store import iter_purchases

    today = ctx.today()
    with ctx.store.read() as tx:
        tasks = {record["id"]: record for record in tx.raw("tasks").values()}
        # A consultation made for a sale afterwards (the workflow step purchase.follow-up) is not
        # in the purchase's record, but its task names the purchase and the product.
        by_sale = {(t["ref"].get("purchase"), t["ref"].get("sku")): t["id"] for t in tasks.values()
                   if t.get("source") == SOURCE and isinstance(t.get("ref"), dict)}
        customers = customer_records(tx)
        rows = []
        for record in iter_purchases(tx, since, until):
            if record["kind"] != "sale" or record.get("voided_by"):
                continue
            entries = {entry["sku"]: entry for entry in record.get("followups") or []}
            for line in _key_products(record):
                entry = entries.get(line["sku"], {})
                task = tasks.get(entry.get("task") or by_sale.get((record["id"], line["sku"])) or "")
                manager = (task or {}).get("assignee") or entry.get("assignee")
                if manager is None:
                    customer = customers.get(record["customer"][1:]) or {}
                    manager = customer.get("manager")
                rows.append({"purchase": record["id"], "date": record["date"],
                             "customer": record["customer"], "sku": line["sku"],
                             "manager": manager, "task": (task or {}).get("id"),
                             "due": (task or {}).get("due"), "done_at": (task or {}).get("done_at"),
                             "outcome": outcome(task, today)})
    return rows


def followup_report(ctx: Context, since: date | None, until: date | None) -> list[dict[str, Any]]:
    """Per manager: key-product sales in the period and how many got their consultation in time,
    late, not at all, or are still pending. Rows ``{"manager", "sales", "in_time", "late",
    "not_done", "pending"}``, sorted by manager (no manager last, as None)."""
    per: dict[str | None, dict[str, Any]] = {}
    for row in followup_sales(ctx, since, until):
        entry = per.setdefault(row["manager"], {"manager": row["manager"], "sales": 0,
                                                **{key: 0 for key in OUTCOMES}})
        entry["sales"] += 1
        entry[row["outcome"]] += 1
    return sorted(per.values(), key=lambda r: (r["manager"] is None, r["manager"] or ""))
