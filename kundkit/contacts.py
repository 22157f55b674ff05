"""Contacts logged by hand, and the call lists of the phone channel.

A send-out through the ``phone`` channel puts each customer on a call list: an interaction of
kind ``message`` through ``phone`` with the text to say (``script``). When staff have called,
``kundkit contact log K1042 --channel phone --note "..."`` records the call (kind ``call``) and
ticks it off the list: the call-list entry gets ``called: <the call's id>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

# Channels a contact can be logged through besides the registered ones.
MEDIA_CHANNELS: tuple[str, ...] = ("phone", "email", "sms", "post", "in-person")
_DEFAULT_KIND = {"phone": "call", "in-person": "visit"}


def contact_channels(ctx: Context) -> list[str]:
    """Every channel a contact may be logged through: the media, in person, and every channel
    registered by a plugin."""
    from kundkit.channels.routing import registered_channels

    return list(dict.fromkeys([*MEDIA_CHANNELS, *sorted(registered_channels(ctx))]))


def is_open_call(record: dict[str, Any]) -> bool:
    return record.get("channel") == "phone" and record.get("kind") == "message" and \
        record.get("status") == "sent" and not record.get("called")


def open_call(tx: Transaction, customer_id: str, sendout: str | None = None
              ) -> tuple[dict[str, Any], str | None] | None:
    """The customer's latest call-list entry not yet called (in ``sendout``, if given)."""
    from kundkit.interactions import all_interactions

    found: tuple[dict[str, Any], str | None] | None = None
    for partition, record in all_interactions(tx):
        if record.get("customer") != customer_id or not is_open_call(record):
            continue
        if sendout is not None and record.get("sendout") != sendout:
            continue
        if found is None or str(record.get("at", "")) >= str(found[0].get("at", "")):
            found = (dict(record), partition)
    return found


def log_contact(ctx: Context, customer_id: str, *, channel: str, note: str | None = None,
                kind: str | None = None, direction: str = "out", subject: str | None = None,
                sendout: str | None = None) -> dict[str, Any]:
    """Record a contact with a customer (a call, a visit, a letter that came in, ...).

    An outgoing phone call ticks off the customer's open call-list entry (of ``sendout``, or the
    latest one). Returns the stored interaction.
    """
    from kundkit.customers import get_customer
    from kundkit.interactions import record_interaction, update_interactions

    channels = contact_channels(ctx)
    if channel not in channels:
        raise ValidationError(_("channel: {value!r} is not one of {choices}").format(
            value=channel, choices=", ".join(channels)), field="channel")
    if not (note or "").strip() and not (subject or "").strip():
        raise ValidationError(_("note: say what was said or done"), field="note")
    kind = kind or _DEFAULT_KIND.get(channel, "message" if direction == "in" else "note")
    with ctx.store.transaction() as tx:
        customer = get_customer(tx, customer_id)["id"]
        call = None
        if channel == "phone" and direction == "out":
            call = open_call(tx, customer, sendout)
            if call is None and sendout is not None:
                raise NotFound(_("customer {id} has no open call in send-out {sendout}").format(
                    id=customer_id, sendout=sendout))
        extra = {"call_for": call[0]["id"]} if call else None
        record = record_interaction(ctx, tx, customer=customer, channel=channel, kind=kind,
                                    direction=direction, subject=subject, note=note,
                                    sendout=call[0].get("sendout") if call else sendout,
                                    extra=extra)
        if call is not None:
            entry, partition = call
            update_interactions(tx, [{**entry, "called": record["id"]}], partition)
    return record


def call_list(tx: Transaction, *, sendout: str | None = None, manager: str | None = None,
              include_called: bool = False) -> list[dict[str, Any]]:
    """The phone channel's call list, oldest first: one row per customer to call, with the
    number, the permanent manager and what to say."""
    from kundkit.customers import customer_records
    from kundkit.idtable import number_of
    from kundkit.interactions import all_interactions

    staff = {str(r.get("id")): r for r in tx.raw("staff").values()}
    customers = customer_records(tx)
    rows: list[dict[str, Any]] = []
    for _partition, record in all_interactions(tx):
        if record.get("channel") != "phone" or record.get("kind") != "message" or \
                record.get("status") != "sent":
            continue
        if sendout is not None and record.get("sendout") != sendout:
            continue
        if record.get("called") and not include_called:
            continue
        customer = customers.get(str(number_of(record["customer"], "K")), {})
        if manager is not None and customer.get("manager") != manager:
            continue
        who = staff.get(str(customer.get("manager") or ""), {})
        rows.append({
            "id": record["id"], "sendout": record.get("sendout"), "customer": record["customer"],
            "name": customer.get("name"), "contact": customer.get("contact"),
            "phone": customer.get("phone"), "manager": customer.get("manager"),
            "manager_name": who.get("name"), "subject": record.get("subject"),
            "script": record.get("script"), "at": record.get("at"),
            "called": record.get("called"),
        })
    rows.sort(key=lambda r: (str(r["at"]), r["customer"]))
    return rows
