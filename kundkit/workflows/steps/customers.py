"""Step types of the customer register: ``customer.find``, ``customer.create``,
``customer.update`` and ``customer.assign-manager``. They call the register's own functions
(:mod:`kundkit.customers`), in the step's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kundkit.i18n import _
from kundkit.workflows.steptypes import StepCall, StepFailed, StepType

_FIELD_HELP = {
    "name": "the name of the company or person",
    "kind": "company or person",
    "orgnr": "organisation number",
    "personnummer": "personal identity number",
    "contact": "contact person",
    "email": "e-mail address",
    "phone": "phone number",
    "address": "address lines (a list, or text with one line per row)",
    "segment": "a segment from kundkit.yaml",
    "manager": "the permanent manager's staff id",
    "tags": "tags (a list, or text separated by ;)",
    "consent": "channels the customer agrees to be contacted through (email, sms, post, phone)",
    "notes": "notes",
    "preferred_channel": "email, sms, post or phone",
    "language": "sv or en",
}


def _fields(call: StepCall, names: tuple[str, ...]) -> dict[str, Any]:
    """The given fields, without the empty ones (an optional input that was not given)."""
    return {key: call.args[key] for key in names
            if key in call.args and call.args[key] not in (None, "", [])}


def _flag(value: Any) -> bool:
    return value in (True, "true", "yes", "ja", 1, "1")


class FindCustomer(StepType):
    name = "customer.find"
    description = ("Find customers by id, by a search text, or those that look like given details "
                   "(the duplicate check of 'customer add'). Output: found, count, customer, "
                   "customers.")
    parameters = {
        "id": "a customer id",
        "query": "a search text (name, e-mail, phone, number, tag)",
        **{key: _FIELD_HELP[key] for key in ("name", "orgnr", "personnummer", "email", "phone")},
    }

    def check(self, args: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        if not args:
            return [((), _("give 'id', 'query', or details to compare (name, orgnr, e-mail, "
                           "phone)"))]
        return []

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import (check_customer_fields, field_check, find_customers,
                                       find_duplicates, get_customer)
        from kundkit.errors import NotFound

        tx = call.store
        found: list[dict[str, Any]] = []
        reasons: dict[str, list[str]] = {}
        if call.arg("id"):
            try:
                found = [get_customer(tx, str(call.arg("id")))]
            except NotFound:
                found = []
        elif call.arg("query"):
            found = find_customers(tx, str(call.arg("query")))
        else:
            given = _fields(call, ("name", "orgnr", "personnummer", "email", "phone"))
            checked, problems = check_customer_fields(given, field_check(call.ctx, "workflow"),
                                                      partial=True)
            if problems:
                field, message = problems[0]
                from kundkit.errors import ValidationError

                raise ValidationError(message, field=field)
            for match in find_duplicates(call.ctx, tx, checked):
                found.append(match.customer)
                reasons[match.customer["id"]] = list(match.reasons)
        if len(found) == 1:
            call.set_customer(found[0]["id"])
        return {"found": bool(found), "count": len(found),
                "customer": found[0] if found else None, "customers": found,
                "reasons": reasons}


class CreateCustomer(StepType):
    name = "customer.create"
    description = ("Register a customer (checked like 'customer add', refused when it looks "
                   "registered already unless force). Becomes the run's customer.")
    parameters = {**_FIELD_HELP, "force": "true registers even when it looks like a duplicate"}
    required = ("name",)

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import FIELDS, create_customer

        fields = _fields(call, FIELDS)
        if call.dry_run:
            call.note(_("would register {name}").format(name=fields.get("name")))
        record = create_customer(call.ctx, call.store, fields, force=_flag(call.arg("force")),
                                 how=f"workflow {call.workflow}")
        call.set_customer(record["id"])
        call.emit("customer_created", customer=record)
        return record


class UpdateCustomer(StepType):
    name = "customer.update"
    description = "Change fields of a customer (the run's customer unless 'customer' is given)."
    parameters = {"customer": "the customer id (default: the run's customer)",
                  **{k: v for k, v in _FIELD_HELP.items()},
                  "force": "true accepts a change that makes it look like another customer"}

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import FIELDS, edit_customer

        customer_id = call.customer_arg()
        changes = _fields(call, FIELDS)
        record = edit_customer(call.ctx, call.store, customer_id, changes,
                               force=_flag(call.arg("force")))
        call.set_customer(record["id"])
        return record


class AssignManager(StepType):
    name = "customer.assign-manager"
    description = ("Give the customer a permanent manager: the one named, else keep the one it "
                   "has, else the one the strategy in kundkit.yaml picks. Output: customer, "
                   "manager, manager_name, changed.")
    parameters = {"customer": "the customer id (default: the run's customer)",
                  "manager": "a staff id (default: the current manager, or the strategy's pick)"}

    def run(self, call: StepCall) -> Any:
        from kundkit.customers import assign_manager, get_customer, reassign
        from kundkit.staff import get_staff

        tx = call.store
        customer = get_customer(tx, call.customer_arg())
        wanted = call.arg("manager")
        previous = customer.get("manager")
        if wanted is None:
            if previous:
                return {"customer": customer["id"], "manager": previous,
                        "manager_name": get_staff(tx, previous).get("name"), "changed": False}
            wanted = assign_manager(call.ctx, tx, customer)
            if wanted is None:
                raise StepFailed(_("no active staff member can be the manager of {id}").format(
                    id=customer["id"]))
        record = reassign(call.ctx, tx, customer["id"], str(wanted))
        call.set_customer(record["id"])
        return {"customer": record["id"], "manager": record.get("manager"),
                "manager_name": get_staff(tx, record["manager"]).get("name"),
                "changed": record.get("manager") != previous}
