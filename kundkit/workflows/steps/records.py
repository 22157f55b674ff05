"""Step types that record things: ``purchase.record``, ``purchase.follow-up``, ``feedback.create``,
``feedback.update`` and ``task.create``. Each calls the owning area's domain function in the
step's transaction, and fires that area's event after the commit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.workflows.steptypes import StepCall, StepType


def _flag(value: Any, default: bool) -> bool:
    if value in (None, ""):
        return default
    return value in (True, "true", "yes", "ja", 1, "1")


def _lines(value: Any, currency: str) -> list[Any]:
    from kundkit.purchases import LineRequest, parse_line, parse_quantity
    from kundkit.money import to_money

    if isinstance(value, str):
        items: list[Any] = [part for part in value.replace("\n", ";").split(";") if part.strip()]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise ValidationError(_("lines: give SKU:QUANTITY[:PRICE] texts or {sku, quantity, price} "
                                "mappings"), field="lines")
    out = []
    for item in items:
        if isinstance(item, Mapping):
            price = item.get("price")
            out.append(LineRequest(sku=str(item.get("sku", "")).strip(),
                                   quantity=parse_quantity(item.get("quantity", 1)),
                                   unit_price=None if price in (None, "") else
                                   to_money(price, currency, field="price")))
        else:
            out.append(parse_line(str(item), currency))
    return out


class RecordPurchase(StepType):
    name = "purchase.record"
    description = ("Record a sale with its discount (as 'purchase add' does) and fire "
                   "purchase.recorded. Output: the purchase.")
    parameters = {
        "customer": "the customer id (default: the run's customer)",
        "lines": "SKU:QUANTITY[:PRICE] texts (a list, or separated by ;) or {sku, quantity, price}",
        "date": "the day of the sale, YYYY-MM-DD (default today)",
        "seller": "the seller's staff id (default: who runs the workflow)",
        "order": "the customer's order reference",
        "redeem_points": "true/false: use the customer's loyalty points",
        "follow_up": "false skips the key-product consultation task (default true)",
    }
    required = ("lines",)

    def run(self, call: StepCall) -> Any:
        from kundkit.purchases import PurchaseRequest, parse_date, record_purchase

        currency = call.ctx.config.currency
        redeem = call.arg("redeem_points")
        request = PurchaseRequest(
            customer=call.customer_arg(), lines=_lines(call.need("lines"), currency),
            date=parse_date(call.arg("date")) if call.arg("date") else None,
            seller=call.arg("seller"), order=call.arg("order"),
            redeem_points=None if redeem is None else _flag(redeem, False), source="workflow")
        record = record_purchase(call.ctx, call.store, request,
                                 follow_up=_flag(call.arg("follow_up"), True))
        call.emit("purchase_recorded", purchase=record)
        return record


class FollowUpPurchase(StepType):
    name = "purchase.follow-up"
    description = ("The key-product consultation for a sale, by the rule of the built-in "
                   "follow-up (kundkit/followup.py): at most one open consultation per customer "
                   "and product. Output: followups, tasks, created.")
    parameters = {"purchase": "the purchase id (P1042)"}
    required = ("purchase",)

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import get_customer
        from kundkit.followup import follow_up_purchase
        from kundkit.purchases import get_purchase

        tx = call.store
        purchase_id = call.need("purchase")
        if isinstance(purchase_id, Mapping):
            purchase_id = purchase_id.get("id")
        purchase = get_purchase(tx, str(purchase_id))
        customer = get_customer(tx, purchase["customer"])
        entries = follow_up_purchase(call.ctx, tx, purchase, customer)
        call.set_customer(customer["id"])
        return {"purchase": purchase["id"], "followups": entries,
                "tasks": [e["task"] for e in entries if e.get("task")],
                "created": sum(1 for e in entries if e.get("created"))}


_FEEDBACK_HELP = {
    "customer": "the customer id (default: the run's customer)",
    "kind": "complaint, claim, suggestion or comment",
    "category": "a category from the feedback section of kundkit.yaml",
    "text": "what the customer said",
    "purchase": "the purchase it concerns (P1042)",
    "channel": "the channel it came through (phone, email, ...)",
    "priority": "a priority from kundkit.yaml (default: its default_priority)",
    "assignee": "the staff id who handles it (default: the customer's manager)",
    "received_at": "when it came in (default now)",
}


class CreateFeedback(StepType):
    name = "feedback.create"
    description = ("Register a complaint, claim, suggestion or comment and fire "
                   "feedback.received. Output: the item, with its deadlines.")
    parameters = _FEEDBACK_HELP
    required = ("kind", "text")

    def run(self, call: StepCall) -> Any:
        from kundkit.feedback import create_feedback, with_deadlines

        fields = {key: call.args[key] for key in _FEEDBACK_HELP
                  if key != "customer" and call.args.get(key) not in (None, "")}
        fields["customer"] = call.customer_arg()
        record = create_feedback(call.ctx, call.store, fields)
        call.set_customer(record["customer"])
        call.emit("feedback_received", feedback=record)
        return with_deadlines(call.ctx, record)


class UpdateFeedback(StepType):
    name = "feedback.update"
    description = ("Change an item of feedback: assign, answer, set a status, resolve (with "
                   "compensation), close, rate. Without changes it reads the item as it is now. "
                   "Output: the item, with its deadlines.")
    parameters = {
        "feedback": "the item's id (F1003)",
        "category": "a new category",
        "priority": "a new priority",
        "assignee": "a staff id",
        "response": "an answer given to the customer (stops the first-response clock)",
        "via": "the channel the answer went through",
        "status": "acknowledged, in-progress, waiting, resolved, rejected or closed",
        "resolution": "what was done (needed to resolve or reject)",
        "compensation": "credit AMOUNT, discount AMOUNT or discount PERCENT%",
        "satisfaction": "the customer's satisfaction, 1-5",
        "note": "a note on the status change",
    }
    required = ("feedback",)

    def run(self, call: StepCall) -> Any:
        from kundkit.feedback import update_feedback, with_deadlines

        feedback_id = call.need("feedback")
        if isinstance(feedback_id, Mapping):
            feedback_id = feedback_id.get("id")
        changes = {key: call.operator_text(value) if key in ("response", "resolution", "note")
                   else value for key, value in call.args.items()
                   if key != "feedback" and value not in (None, "")}
        record = update_feedback(call.ctx, call.store, str(feedback_id), changes)
        call.set_customer(record["customer"])
        return with_deadlines(call.ctx, record)


class CreateTask(StepType):
    name = "task.create"
    description = ("Create a task for a staff member (default: the customer's manager). "
                   "Output: the task.")
    parameters = {
        "title": "what to do, or {sv: ..., en: ...}",
        "assignee": "the staff id (default: the run's customer's manager)",
        "due": "YYYY-MM-DD, today, tomorrow or +3d (default today)",
        "customer": "the customer id (default: the run's customer, if any)",
        "note": "a note for the assignee",
    }
    required = ("title",)

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import get_customer
        from kundkit.tasks import create_task

        tx = call.store
        customer_id = call.arg("customer")
        if isinstance(customer_id, Mapping):
            customer_id = customer_id.get("id")
        if customer_id is None and call.customer is not None:
            customer_id = call.customer["id"]
        assignee = call.arg("assignee")
        if assignee is None and customer_id is not None:
            assignee = get_customer(tx, str(customer_id)).get("manager")
        if assignee is None:
            raise ValidationError(_("{step}: no assignee, and the customer has no manager").format(
                step=call.step_id), field="assignee")
        return create_task(call.ctx, tx, assignee=str(assignee),
                           title=call.operator_text(call.need("title")),
                           due=call.arg("due", "today"), customer=customer_id,
                           source="workflow", ref={"run": call.run_id, "step": call.step_id},
                           note=call.operator_text(call.arg("note")) or None)
