"""The feedback register: complaints, claims, suggestions and comments, each on a deadline.

An item's id is ``F`` and a number that is never reused (``F1003``); the number is also the TinyDB
document id. Its life::

    new → acknowledged → in-progress → resolved → closed
                  ↘ waiting (for the customer; the resolution clock pauses) ↗
    any open status → rejected → closed;   resolved, closed or rejected → reopen → in-progress

The first response is the first answer to the customer (``respond``) or the first status after
``new``; its clock and the resolution clock are computed by :mod:`kundkit.deadlines` from the
status history, in the open hours of the business calendar of the ``feedback:`` section.

Domain functions take the caller's transaction, so that a workflow step or an import writes an
item and what goes with it (a task, an audit entry) together or not at all. Call
``ctx.emit("feedback_received", feedback=record)`` after the transaction, or use
:func:`register_feedback`, which does.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.feedback_settings import KINDS, FeedbackSettings, feedback_settings
from kundkit.i18n import _
from kundkit.idtable import get_numbered, insert_numbered, make_id, number_of, replace_doc, stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.deadlines import Deadlines
    from kundkit.store import Transaction

TABLE = "feedback"
PREFIX = "F"
FIRST_NUMBER = 1001
STATUSES = ("new", "acknowledged", "in-progress", "waiting", "resolved", "closed", "rejected")
OPEN = frozenset({"new", "acknowledged", "in-progress", "waiting"})
DONE = frozenset({"resolved", "closed", "rejected"})
# The statuses a person may set directly; resolved/rejected go through resolve(), closed through
# close(), and leaving a done status through reopen(), each of which records what goes with it.
SETTABLE = ("acknowledged", "in-progress", "waiting")
FIELDS = ("customer", "kind", "category", "text", "purchase", "channel", "priority", "assignee",
          "received_at")

_KIND_WORDS = {
    "complaint": "complaint", "klagomål": "complaint", "reklamation": "claim", "claim": "claim",
    "suggestion": "suggestion", "förslag": "suggestion", "comment": "comment",
    "kommentar": "comment", "synpunkt": "comment",
}
_PURCHASE_ID = re.compile(r"^[A-Za-z]*\d+$")
_SLUG = re.compile(r"^[a-zåäö][a-zåäö0-9_-]{0,31}$")


@functools.lru_cache(maxsize=4)
def _catalog(language: str) -> Any:
    from kundkit.i18n import translator

    return translator(language)


def _word(context: str, text: str) -> str:
    # Context-qualified, so that another area's "new" or "closed" (a customer, a shop) cannot
    # change how a feedback item's status reads.
    from kundkit.i18n import get_language

    return str(_catalog(get_language()).pgettext(context, text))


def kind_label(value: Any) -> str:
    """A kind of feedback as a person reads it, in the active language."""
    if str(value) not in KINDS:
        return str(value or "")
    return _word("feedback kind", str(value))


def status_label(value: Any) -> str:
    """A status as a person reads it, in the active language."""
    words = {"new": "new", "acknowledged": "acknowledged", "in-progress": "in progress",
             "waiting": "waiting for the customer", "resolved": "resolved", "closed": "closed",
             "rejected": "rejected"}
    if str(value) not in words:
        return str(value or "")
    return _word("feedback status", words[str(value)])


# -- reading ---------------------------------------------------------------------------------------

def get_feedback(tx: Transaction, feedback_id: str) -> dict[str, Any]:
    """The item ``feedback_id`` (``F1003``; ``1003`` works too); :class:`NotFound` otherwise."""
    found = get_numbered(tx, TABLE, str(feedback_id), PREFIX)
    if found is None:
        raise NotFound(_("no feedback with id '{id}' (see 'kundkit feedback list')").format(
            id=feedback_id))
    return found


def list_feedback(tx: Transaction, *, status: str | None = None, kind: str | None = None,
                  customer: str | None = None, assignee: str | None = None,
                  category: str | None = None, include_done: bool = False) -> list[dict[str, Any]]:
    """Items in id order. Without ``status``, only open ones unless ``include_done``."""
    out = []
    raw = tx.raw(TABLE)
    for key in sorted(raw, key=int):
        record = raw[key]
        if status is not None:
            if record.get("status") != status:
                continue
        elif not include_done and record.get("status") not in OPEN:
            continue
        if kind is not None and record.get("kind") != kind:
            continue
        if customer is not None and record.get("customer") != customer:
            continue
        if assignee is not None and record.get("assignee") != assignee:
            continue
        if category is not None and record.get("category") != category:
            continue
        out.append(_copy(record))
    return out


def _copy(record: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(record)


# -- deadlines -------------------------------------------------------------------------------------

def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def history_of(record: dict[str, Any]) -> list[tuple[datetime, str]]:
    return [(_moment(entry["at"]), entry["status"]) for entry in record.get("history", [])]


def deadlines_of(ctx: Context, record: dict[str, Any], now: datetime | None = None) -> Deadlines:
    """Both clocks of an item (first response, resolution) as they stand at ``now``."""
    from kundkit.deadlines import DeadlinePolicy

    settings = feedback_settings(ctx)
    policy = settings.policy or DeadlinePolicy(rules={})
    moment = now or ctx.now()
    first = record.get("first_response_at")
    received = _moment(record["received_at"])
    return policy.deadlines(record["kind"], record.get("priority"), history_of(record),
                            now=max(moment, received),
                            first_response_at=_moment(first) if first else None)


def with_deadlines(ctx: Context, record: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
    """The record with ``deadlines`` (as :meth:`Deadlines.as_dict`), ``overdue`` and ``next_due``."""
    clocks = deadlines_of(ctx, record, now)
    out = dict(record)
    out["deadlines"] = clocks.as_dict()
    out["overdue"] = clocks.overdue
    out["next_due"] = clocks.next_due.isoformat() if clocks.next_due else None
    return out


def is_overdue(ctx: Context, record: dict[str, Any], now: datetime | None = None) -> bool:
    return deadlines_of(ctx, record, now).overdue


def is_due_within(ctx: Context, record: dict[str, Any], window: timedelta,
                  now: datetime | None = None) -> bool:
    """Not done, and a clock with at most ``window`` of open time left (overdue included)."""
    return deadlines_of(ctx, record, now).due_within(window)


def parse_window(ctx: Context, text: str) -> timedelta:
    """``4h``, ``2d`` (open days of the feedback calendar), ``30m``."""
    from kundkit.calendar import parse_duration

    calendar = feedback_settings(ctx).calendar
    return calendar.parse_duration(text) if calendar is not None else parse_duration(text)


# -- checking fields -------------------------------------------------------------------------------

def parse_kind(value: Any) -> str:
    kind = _KIND_WORDS.get(str(value or "").strip().casefold())
    if kind is None:
        raise ValidationError(_("kind: '{value}' is not one of {choices}").format(
            value=value, choices=", ".join(KINDS)), field="kind")
    return kind


def _choice(value: Any, choices: list[str], name: str) -> str:
    text = str(value or "").strip()
    if text not in choices:
        raise ValidationError(_("{field}: '{value}' is not one of {choices}").format(
            field=name, value=text, choices=", ".join(choices)), field=name)
    return text


def parse_satisfaction(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or text not in {"1", "2", "3", "4", "5"}:
        raise ValidationError(_("satisfaction: '{value}' must be a whole number from 1 to 5").format(
            value=value), field="satisfaction")
    return int(text)


def parse_compensation(value: Any, currency: str) -> dict[str, Any] | None:
    """A compensation: ``credit 500``, ``discount 10%``, ``discount 200 kr`` (Swedish: ``kredit``,
    ``rabatt``), or a mapping ``{type: credit, amount: "500.00"}``. Empty: None."""
    from kundkit.money import money_str, to_money

    if value in (None, "", {}):
        return None
    if isinstance(value, dict):
        kind = str(value.get("type", "")).strip()
        amount, percent = value.get("amount"), value.get("percent")
        text = f"{kind} {percent}%" if percent is not None else f"{kind} {amount}"
    else:
        text = str(value).strip()
    match = re.match(r"^(credit|kredit|discount|rabatt)\s+(.+)$", text, re.IGNORECASE)
    if match is None:
        raise ValidationError(_("compensation: '{value}' is neither 'credit AMOUNT' nor 'discount "
                                "AMOUNT' or 'discount PERCENT%'").format(value=text),
                              field="compensation")
    kind = {"kredit": "credit", "rabatt": "discount"}.get(match.group(1).lower(), match.group(1).lower())
    rest = match.group(2).strip()
    if rest.endswith("%"):
        if kind != "discount":
            raise ValidationError(_("compensation: a credit is an amount, not a percentage"),
                                  field="compensation")
        from decimal import Decimal, InvalidOperation

        try:
            percent = Decimal(rest[:-1].strip().replace(",", "."))
        except InvalidOperation:
            percent = Decimal(-1)
        if not percent.is_finite() or not 0 < percent <= 100:
            raise ValidationError(_("compensation: '{value}' is not a percentage from 0 to 100").format(
                value=rest), field="compensation")
        return {"type": "discount", "percent": f"{percent.normalize():f}"}
    amount = to_money(rest, currency, field="compensation")
    if amount <= 0:
        raise ValidationError(_("compensation: the amount must be more than zero"), field="compensation")
    return {"type": kind, "amount": money_str(amount, currency), "currency": currency}


def _received_at(ctx: Context, value: Any) -> str:
    now = ctx.now()
    if value in (None, ""):
        return stamp(ctx)
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(_("received_at: '{value}' is not a date and time (YYYY-MM-DD HH:MM)")
                                  .format(value=value), field="received_at") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ctx.tz)  # the zone, not today's offset: summer is +02:00
    if moment > now:
        raise ValidationError(_("received_at: {value} is in the future").format(
            value=moment.isoformat(timespec="minutes")), field="received_at")
    return moment.isoformat(timespec="seconds")


def _assignee(tx: Transaction, value: Any, customer: dict[str, Any], settings: FeedbackSettings) -> str | None:
    from kundkit.staff import require_active

    if value not in (None, ""):
        return require_active(tx, str(value), field="assignee")
    rule = settings.default_assignee
    if rule == "none":
        return None
    if rule == "manager":
        manager = customer.get("manager")
        return manager or None
    return require_active(tx, rule, field="feedback.default_assignee")


def check_feedback_fields(ctx: Context, tx: Transaction, fields: dict[str, Any]) -> dict[str, Any]:
    """Validated, normalised fields of a new item; a ValidationError naming the first bad field."""
    from kundkit.customers import get_customer

    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise ValidationError(_("unknown field '{name}'").format(name=unknown[0]), field=unknown[0])
    settings = feedback_settings(ctx)
    customer_id = str(fields.get("customer") or "").strip()
    if not customer_id:
        raise ValidationError(_("customer: a value is needed"), field="customer")
    try:
        customer = get_customer(tx, customer_id)
    except NotFound as exc:
        raise ValidationError(_("customer: {reason}").format(reason=exc.message), field="customer") from None
    kind = parse_kind(fields.get("kind"))
    text = str(fields.get("text") or "").strip()
    if not text:
        raise ValidationError(_("text: a value is needed"), field="text")
    category = fields.get("category")
    if category in (None, ""):
        category = None
    elif settings.categories:
        category = _choice(category, settings.categories, "category")
    else:
        category = str(category).strip()
    priority = fields.get("priority")
    priority = settings.default_priority if priority in (None, "") else _choice(
        priority, settings.priorities, "priority")
    channel = fields.get("channel")
    channel = None if channel in (None, "") else _choice(str(channel).strip().lower(),
                                                        settings.channels, "channel")
    purchase = fields.get("purchase")
    if purchase in (None, ""):
        purchase = None
    else:
        purchase = str(purchase).strip()
        if not _PURCHASE_ID.match(purchase):
            raise ValidationError(_("purchase: '{value}' is not a purchase id").format(value=purchase),
                                  field="purchase")
    return {
        "customer": customer["id"],
        "kind": kind,
        "category": category,
        "priority": priority,
        "text": text,
        "purchase": purchase,
        "channel": channel,
        "assignee": _assignee(tx, fields.get("assignee"), customer, settings),
        "received_at": _received_at(ctx, fields.get("received_at")),
    }


# -- writing ---------------------------------------------------------------------------------------

def _entry(ctx: Context, status: str, note: str | None = None, at: str | None = None) -> dict[str, Any]:
    entry: dict[str, Any] = {"at": at or stamp(ctx), "status": status, "by": ctx.actor}
    if note:
        entry["note"] = note
    return entry


def create_feedback(ctx: Context, tx: Transaction, fields: dict[str, Any]) -> dict[str, Any]:
    """Register an item in the caller's transaction and return the record.

    ``fields``: ``customer`` (id), ``kind``, ``text`` (required); ``category``, ``priority``,
    ``purchase``, ``channel`` (it came through), ``assignee``, ``received_at`` (default now).
    """
    from kundkit.auditlog import record_audit

    checked = check_feedback_fields(ctx, tx, fields)
    number = tx.next_id("feedback", start=FIRST_NUMBER)
    record = {
        "id": make_id(PREFIX, number),
        **checked,
        "status": "new",
        "history": [_entry(ctx, "new", at=checked["received_at"])],
        "responses": [],
        "first_response_at": None,
        "resolution": None,
        "resolved_at": None,
        "compensation": None,
        "satisfaction": None,
        "created_at": stamp(ctx),
        "created_by": ctx.actor,
        "updated_at": stamp(ctx),
    }
    insert_numbered(tx, TABLE, record, number)
    record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"],
                 customer=record["customer"], fields=[k for k in FIELDS if record.get(k)])
    return record


def register_feedback(ctx: Context, fields: dict[str, Any]) -> dict[str, Any]:
    """:func:`create_feedback` in its own transaction, then the ``feedback_received`` event."""
    with ctx.store.transaction() as tx:
        record = create_feedback(ctx, tx, fields)
    ctx.emit("feedback_received", feedback=record)
    return record


def _save(ctx: Context, tx: Transaction, record: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    from kundkit.auditlog import record_audit

    record["updated_at"] = stamp(ctx)
    replace_doc(tx, TABLE, number_of(record["id"], PREFIX) or 0, record)
    record_audit(ctx, tx, action="update", table=TABLE, record_id=record["id"],
                 customer=record["customer"], fields=changed)
    return record


def _move(ctx: Context, record: dict[str, Any], status: str, note: str | None = None) -> None:
    record["status"] = status
    record["history"].append(_entry(ctx, status, note))
    if status != "new" and not record.get("first_response_at"):
        record["first_response_at"] = stamp(ctx)


def _require_open(record: dict[str, Any]) -> None:
    if record["status"] not in OPEN:
        raise Conflict(_("feedback {id} is {status}; reopen it first ('kundkit feedback reopen "
                         "{id}')").format(id=record["id"], status=status_label(record["status"])))


def set_status(ctx: Context, tx: Transaction, feedback_id: str, status: str, *,
               note: str | None = None) -> dict[str, Any]:
    """Move an open item to ``acknowledged``, ``in-progress`` or ``waiting`` (for the customer)."""
    record = get_feedback(tx, feedback_id)
    if status not in SETTABLE:
        raise ValidationError(_("status: '{value}' cannot be set directly (choose from {choices}; "
                                "use resolve, close or reopen for the others)").format(
            value=status, choices=", ".join(SETTABLE)), field="status")
    _require_open(record)
    if record["status"] == status:
        return record
    _move(ctx, record, status, note)
    return _save(ctx, tx, record, ["status"])


def respond(ctx: Context, tx: Transaction, feedback_id: str, *, text: str, via: str | None = None,
            status: str | None = None) -> dict[str, Any]:
    """Record an answer to the customer. The first one stops the first-response clock; a new item
    becomes ``acknowledged`` unless ``status`` says otherwise (``in-progress``, ``waiting``)."""
    record = get_feedback(tx, feedback_id)
    _require_open(record)
    body = str(text or "").strip()
    if not body:
        raise ValidationError(_("text: a value is needed"), field="text")
    if status is not None and status not in SETTABLE:
        raise ValidationError(_("status: '{value}' is not one of {choices}").format(
            value=status, choices=", ".join(SETTABLE)), field="status")
    channel = None
    if via not in (None, ""):
        # An answer goes out through a channel (outbox, phone, a plugin's), not necessarily one
        # that feedback comes in through, so any short name will do.
        channel = str(via).strip().lower()
        if not _SLUG.match(channel):
            raise ValidationError(_("via: '{value}' is not a channel name").format(value=via),
                                  field="via")
    record["responses"].append({"at": stamp(ctx), "by": ctx.actor, "via": channel, "text": body})
    changed = ["responses"]
    if not record.get("first_response_at"):
        record["first_response_at"] = stamp(ctx)
        changed.append("first_response_at")
    target = status or ("acknowledged" if record["status"] == "new" else None)
    if target and target != record["status"]:
        _move(ctx, record, target)
        changed.append("status")
    return _save(ctx, tx, record, changed)


def assign(ctx: Context, tx: Transaction, feedback_id: str, assignee: str | None) -> dict[str, Any]:
    """Give the item to a staff member (None: to nobody)."""
    from kundkit.staff import require_active

    record = get_feedback(tx, feedback_id)
    who = require_active(tx, assignee, field="assignee") if assignee else None
    if record.get("assignee") == who:
        return record
    record["assignee"] = who
    return _save(ctx, tx, record, ["assignee"])


def resolve(ctx: Context, tx: Transaction, feedback_id: str, *, resolution: str,
            compensation: Any = None, reject: bool = False) -> dict[str, Any]:
    """Resolve (or reject) an open item: what was done or why not, and any compensation."""
    record = get_feedback(tx, feedback_id)
    _require_open(record)
    text = str(resolution or "").strip()
    if not text:
        raise ValidationError(_("resolution: say what was done (or why the item is rejected)"),
                              field="resolution")
    offered = parse_compensation(compensation, ctx.config.currency)
    if reject and offered:
        raise ValidationError(_("compensation: a rejected item gets no compensation"),
                              field="compensation")
    record["resolution"] = text
    record["compensation"] = offered
    record["resolved_at"] = stamp(ctx)
    _move(ctx, record, "rejected" if reject else "resolved")
    return _save(ctx, tx, record, ["status", "resolution", "resolved_at"]
                 + (["compensation"] if offered else []))


def close(ctx: Context, tx: Transaction, feedback_id: str, *,
          satisfaction: Any = None) -> dict[str, Any]:
    """Close a resolved or rejected item, with the customer's satisfaction (1–5) if known."""
    record = get_feedback(tx, feedback_id)
    if record["status"] == "closed":
        raise Conflict(_("feedback {id} is already closed").format(id=record["id"]))
    if record["status"] not in ("resolved", "rejected"):
        raise Conflict(_("feedback {id} is {status}: resolve or reject it before closing it "
                         "('kundkit feedback resolve {id}')").format(
            id=record["id"], status=status_label(record["status"])))
    changed = ["status"]
    if satisfaction not in (None, ""):
        record["satisfaction"] = parse_satisfaction(satisfaction)
        changed.append("satisfaction")
    _move(ctx, record, "closed")
    return _save(ctx, tx, record, changed)


def rate(ctx: Context, tx: Transaction, feedback_id: str, satisfaction: Any) -> dict[str, Any]:
    """Record the customer's satisfaction (1–5) with how a resolved, rejected or closed item went."""
    record = get_feedback(tx, feedback_id)
    if record["status"] in OPEN:
        raise Conflict(_("feedback {id} is still {status}; the customer rates it once it is "
                         "resolved").format(id=record["id"], status=status_label(record["status"])))
    record["satisfaction"] = parse_satisfaction(satisfaction)
    return _save(ctx, tx, record, ["satisfaction"])


def reopen(ctx: Context, tx: Transaction, feedback_id: str, *, reason: str | None = None) -> dict[str, Any]:
    """Take a resolved, rejected or closed item up again (``in-progress``); the resolution clock
    goes on from the time already used."""
    record = get_feedback(tx, feedback_id)
    if record["status"] in OPEN:
        raise Conflict(_("feedback {id} is {status}, not resolved, rejected or closed").format(
            id=record["id"], status=status_label(record["status"])))
    _move(ctx, record, "in-progress", str(reason).strip() if reason else None)
    return _save(ctx, tx, record, ["status"])


def update_feedback(ctx: Context, tx: Transaction, feedback_id: str,
                    changes: dict[str, Any]) -> dict[str, Any]:
    """Apply several changes in the order a person would: category/priority, assignee, a response,
    a status, a resolution (or rejection), closing with satisfaction, a later rating.

    Keys: ``category``, ``priority``, ``assignee``, ``response`` (+ ``via``), ``status``
    (any status; resolved/rejected need ``resolution``), ``resolution``, ``compensation``,
    ``satisfaction``, ``note``. Unknown keys are refused. Returns the record.
    """
    allowed = {"category", "priority", "assignee", "response", "via", "status", "resolution",
               "compensation", "satisfaction", "note"}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(_("unknown field '{name}'").format(name=unknown[0]), field=unknown[0])
    given = {k: v for k, v in changes.items() if v not in (None, "")}
    settings = feedback_settings(ctx)
    record = get_feedback(tx, feedback_id)
    edits: dict[str, Any] = {}
    if "category" in given:
        edits["category"] = (_choice(given["category"], settings.categories, "category")
                             if settings.categories else str(given["category"]).strip())
    if "priority" in given:
        edits["priority"] = _choice(given["priority"], settings.priorities, "priority")
    if edits:
        record.update(edits)
        record = _save(ctx, tx, record, sorted(edits))
    if "assignee" in given:
        record = assign(ctx, tx, record["id"], str(given["assignee"]))
    status = given.get("status")
    if status is not None and status not in STATUSES:
        raise ValidationError(_("status: '{value}' is not one of {choices}").format(
            value=status, choices=", ".join(STATUSES)), field="status")
    if status == record["status"] and "response" not in given:
        # Asking for the status an item already has changes nothing, so that a workflow step
        # that closes an item does not fail when a person closed it first.
        status = None
    if "response" in given:
        record = respond(ctx, tx, record["id"], text=str(given["response"]), via=given.get("via"),
                         status=status if status in SETTABLE else None)
    elif status in SETTABLE:
        if record["status"] in DONE:
            record = reopen(ctx, tx, record["id"], reason=given.get("note"))
        record = set_status(ctx, tx, record["id"], status, note=given.get("note"))
    if status in ("resolved", "rejected") or ("resolution" in given and status is None):
        if record["status"] in OPEN:
            record = resolve(ctx, tx, record["id"], resolution=str(given.get("resolution", "")),
                             compensation=given.get("compensation"), reject=status == "rejected")
    if status == "closed":
        record = close(ctx, tx, record["id"], satisfaction=given.get("satisfaction"))
    elif "satisfaction" in given:
        record = rate(ctx, tx, record["id"], given["satisfaction"])
    if status == "new" and record["status"] != "new":
        raise ValidationError(_("status: an item cannot go back to 'new'"), field="status")
    return record
