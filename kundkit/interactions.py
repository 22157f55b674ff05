"""Interactions: every message sent to a customer and every contact logged by hand.

One record per interaction, in the table ``interactions`` split by month
(``interactions/2026-11.json``); a send-out's messages all stay in the month the send-out
started, so that its re-runs and retries update them in one file. Ids are ``I`` and a number that
is also the document id (``I1042``).

A record::

    {"id": "I1042", "customer": "K1001", "channel": "email", "direction": "out",
     "kind": "message", "subject": "God jul!", "note": null, "sendout": "S1001",
     "status": "sent", "detail": "...", "at": "2026-11-20T10:00:00+01:00", "by": "anna"}

``kind`` is message, call, visit, guide or note; ``direction`` out (we contacted the customer)
or in (the customer contacted us); ``channel`` a channel name (``email``, ``outbox``, ``sms``,
``letter``, ``phone``, a plugin's) or ``in-person``; ``status`` (sent, failed, skipped) only for
messages. Walks through a service standard (``standards guide --log``) are interactions of kind
``guide``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _
from kundkit.idtable import make_id, number_of

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "interactions"
PREFIX = "I"
SEQUENCE = "interactions"  # shared with the standards guide's log, so ids never collide
FIRST_NUMBER = 1001
KINDS: tuple[str, ...] = ("message", "call", "visit", "guide", "note")
DIRECTIONS: tuple[str, ...] = ("out", "in")
IN_PERSON = "in-person"
_CHANNEL = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
# Fields a caller may add besides the common ones (a send-out's bookkeeping, a call script).
EXTRA_FIELDS = ("template", "language", "marketing", "provider_id", "attempts", "last_at",
                "script", "called", "call_for", "guide")


def month_of(at: str) -> str:
    """The partition of a record stamped ``at`` (ISO 8601): ``2026-11``."""
    return at[:7]


def new_interaction(ctx: Context, *, customer: str, channel: str | None, kind: str,
                    direction: str = "out", subject: str | None = None, note: str | None = None,
                    sendout: str | None = None, status: str | None = None,
                    detail: str | None = None, at: str | None = None,
                    extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A checked interaction record without its id (see :func:`record_interactions`)."""
    from kundkit.idtable import stamp

    if kind not in KINDS:
        raise ValidationError(_("kind: {value!r} is not one of {choices}").format(
            value=kind, choices=", ".join(KINDS)), field="kind")
    if direction not in DIRECTIONS:
        raise ValidationError(_("direction: {value!r} is not in or out").format(value=direction),
                              field="direction")
    if channel is not None and not _CHANNEL.match(channel):
        raise ValidationError(_("channel: {value!r} is not a channel name").format(value=channel),
                              field="channel")
    if status is not None and status not in ("sent", "failed", "skipped"):
        raise ValidationError(_("status: {value!r} is not sent, failed or skipped").format(
            value=status), field="status")
    unknown = sorted(set(extra or {}) - set(EXTRA_FIELDS))
    if unknown:
        raise ValidationError(_("unknown interaction field {name!r}").format(name=unknown[0]),
                              field=unknown[0])
    record: dict[str, Any] = {
        "customer": customer, "channel": channel, "direction": direction, "kind": kind,
        "subject": _clean(subject), "note": (note or "").strip() or None, "sendout": sendout,
        "status": status, "detail": detail or None, "at": at or stamp(ctx), "by": ctx.actor,
    }
    record.update(extra or {})
    return record


def _clean(text: str | None) -> str | None:
    value = " ".join(str(text or "").split())
    return value or None


def record_interactions(tx: Transaction, records: Iterable[dict[str, Any]], *,
                        partition: str | None = None) -> list[dict[str, Any]]:
    """Give each record an id and store them all, one table rebuild per month touched.

    ``partition`` puts them all in one month (a send-out's); by default each goes to the month
    of its ``at``. Returns the stored records.
    """
    from tinydb.table import Document

    by_month: dict[str, list[Document]] = {}
    stored: list[dict[str, Any]] = []
    for record in records:
        number = tx.next_id(SEQUENCE, start=FIRST_NUMBER)
        full = {"id": make_id(PREFIX, number), **record}
        by_month.setdefault(partition or month_of(full["at"]), []).append(
            Document(full, doc_id=number))
        stored.append(full)
    for month, documents in by_month.items():
        tx.table(TABLE, month).insert_multiple(documents)
    return stored


def record_interaction(ctx: Context, tx: Transaction, *, customer: str, channel: str | None,
                       kind: str, direction: str = "out", subject: str | None = None,
                       note: str | None = None, sendout: str | None = None,
                       status: str | None = None, detail: str | None = None,
                       at: str | None = None, extra: Mapping[str, Any] | None = None
                       ) -> dict[str, Any]:
    """Record one interaction with an existing customer in the caller's transaction.

    Contacts logged by hand carry a note and are written to the audit log (the note is personal
    data); messages are not, they are recorded by the thousand.
    """
    from kundkit.auditlog import record_audit
    from kundkit.customers import get_customer

    found = get_customer(tx, customer)
    record = new_interaction(ctx, customer=found["id"], channel=channel, kind=kind,
                             direction=direction, subject=subject, note=note, sendout=sendout,
                             status=status, detail=detail, at=at, extra=extra)
    stored = record_interactions(tx, [record])[0]
    if kind != "message":
        record_audit(ctx, tx, action="create", table=TABLE, record_id=stored["id"],
                     fields=[k for k in ("subject", "note") if stored.get(k)],
                     customer=found["id"])
    return stored


def update_interactions(tx: Transaction, records: Iterable[dict[str, Any]],
                        partition: str | None) -> None:
    """Replace stored records (matched by id) in one month's partition, in one table rebuild."""
    from kundkit.idtable import replace_many

    by_number: dict[int, dict[str, Any]] = {}
    for record in records:
        number = number_of(record["id"], PREFIX)
        if number is None:
            raise ValueError(f"not an interaction id: {record['id']!r}")
        by_number[number] = record
    replace_many(tx, TABLE, by_number, partition)


def _sources(tx: Transaction) -> list[str]:
    return tx.partitions(TABLE)


def get_interaction(tx: Transaction, interaction_id: str) -> tuple[dict[str, Any], str]:
    """The interaction ``I1042`` (a copy) and the partition it lives in."""
    number = number_of(interaction_id, PREFIX)
    if number is not None:
        for partition in reversed(_sources(tx)):
            found = tx.raw(TABLE, partition).get(str(number))
            if found is not None:
                return dict(found), partition
    raise NotFound(_("no interaction with id '{id}'").format(id=interaction_id))


def customer_history(tx: Transaction, customer_id: str, *, kinds: Iterable[str] | None = None,
                     since: str | None = None) -> list[dict[str, Any]]:
    """Every interaction with ``customer_id``, oldest first; ``since`` is a date
    (``YYYY-MM-DD``) and skips the months before it unread."""
    from kundkit.customers import get_customer

    customer = get_customer(tx, customer_id)["id"]
    wanted = set(kinds) if kinds else None
    out: list[dict[str, Any]] = []
    for partition in _sources(tx):
        if since and partition < since[:7]:
            continue
        for record in tx.raw(TABLE, partition).values():
            if record.get("customer") != customer:
                continue
            if wanted is not None and record.get("kind") not in wanted:
                continue
            if since and str(record.get("at", "")) < since:
                continue
            out.append(dict(record))
    out.sort(key=lambda r: (str(r.get("at", "")), number_of(str(r.get("id")), PREFIX) or 0))
    return out


def sendout_interactions(tx: Transaction, sendout_id: str, partition: str) -> list[dict[str, Any]]:
    """The messages of one send-out (copies), in id order."""
    rows = [dict(r) for r in tx.raw(TABLE, partition).values() if r.get("sendout") == sendout_id]
    rows.sort(key=lambda r: number_of(str(r.get("id")), PREFIX) or 0)
    return rows


def all_interactions(tx: Transaction) -> Iterable[tuple[str, dict[str, Any]]]:
    """(partition, record) of every interaction as stored: do not change them, copy first."""
    for partition in _sources(tx):
        for record in tx.raw(TABLE, partition).values():
            yield partition, record
