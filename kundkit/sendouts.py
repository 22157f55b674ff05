"""Send-outs: company news to a group of customers, each through the first channel that is
allowed and possible, and single messages (a welcome, a complaint's acknowledgement).

A send-out is planned first (:func:`plan_sendout`): the audience is chosen, the template is
rendered for every customer in their language, and a channel is picked per customer. A template
error or a missing opt-out text stops it there, before anything is sent. The dry run shows the
plan; :func:`run_plan` sends it.

A send-out is recorded in the table ``sendouts`` (ids ``S1001``), and each customer's message as
an interaction (see :mod:`kundkit.interactions`) with its delivery status. The same template to
the same audience is the same send-out: running it again sends only to those who have not got
it (new customers in the segment, those who could not be reached before and can now), never
twice to anyone; ``again=True`` starts a new send-out instead. Failed deliveries are sent again
by :func:`retry_sendout`.

Consent is checked when the send-out is planned and again just before each group of messages
leaves, so a consent withdrawn while a long send-out runs stops the messages not yet sent.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict, NotFound, UsageError
from kundkit.i18n import _
from kundkit.idtable import get_numbered, insert_numbered, make_id, number_of, replace_doc, stamp

if TYPE_CHECKING:
    from kundkit.channels.contract import Channel, ChannelSession
    from kundkit.context import Context
    from kundkit.messaging.models import Delivery, Message, Recipient
    from kundkit.store import Transaction

TABLE = "sendouts"
PREFIX = "S"
FIRST_NUMBER = 1001
# Results are written, and the next customers' consent checked again, every CHUNK messages or
# FLUSH_SECONDS, whichever comes first: a crash repeats at most that much, and a withdrawn
# consent is seen within seconds.
CHUNK = 50
FLUSH_SECONDS = 2.0
# A run that has not finished after this long is taken to have died, and may be taken over.
STALE_SECONDS = 15 * 60

Progress = Callable[[int, int], None]


# -- who ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Audience:
    """Who a send-out is for: customers matching every filter given, or ``everyone``."""

    segment: str | None = None
    tag: str | None = None
    kind: str | None = None
    manager: str | None = None
    customers: tuple[str, ...] = ()
    everyone: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "customers", tuple(self.customers))
        if not self.everyone and not self.as_dict():
            raise UsageError(_("say who gets the send-out: --segment, --tag, --kind, --manager, "
                               "--customer, or --all for every customer"))

    def as_dict(self) -> dict[str, Any]:
        values = {"segment": self.segment, "tag": self.tag, "kind": self.kind,
                  "manager": self.manager, "customers": list(self.customers)}
        return {k: v for k, v in values.items() if v}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Audience:
        return cls(segment=data.get("segment"), tag=data.get("tag"), kind=data.get("kind"),
                   manager=data.get("manager"), customers=tuple(data.get("customers") or ()),
                   everyone=not data)

    def describe(self) -> str:
        if not self.as_dict():
            return _("every customer")
        return ", ".join(f"{k} {', '.join(v) if isinstance(v, list) else v}"
                         for k, v in self.as_dict().items())

    def select(self, tx: Transaction) -> list[dict[str, Any]]:
        from kundkit.customers import get_customer, list_customers

        if self.customers:
            picked = {}
            for customer_id in self.customers:
                record = get_customer(tx, customer_id)
                picked[record["id"]] = record
            records = [r for r in picked.values() if not r.get("forgotten_at")]
        else:
            records = list_customers(tx)
        tag = self.tag.casefold() if self.tag else None
        return [r for r in records
                if (self.segment is None or r.get("segment") == self.segment)
                and (self.kind is None or r.get("kind") == self.kind)
                and (self.manager is None or r.get("manager") == self.manager)
                and (tag is None or tag in (t.casefold() for t in r.get("tags") or []))]


def sendout_key(template: str, audience: Audience, channel: str | None) -> str:
    """What makes two runs the same send-out."""
    return json.dumps({"template": template, "audience": audience.as_dict(), "channel": channel},
                      sort_keys=True, ensure_ascii=False)


# -- the records ----------------------------------------------------------------------------------

def get_sendout(tx: Transaction, sendout_id: str) -> dict[str, Any]:
    found = get_numbered(tx, TABLE, sendout_id, PREFIX) if number_of(sendout_id, PREFIX) else None
    if found is None:
        raise NotFound(_("no send-out with id '{id}' (see 'kundkit news list')").format(
            id=sendout_id))
    return found


def list_sendouts(tx: Transaction) -> list[dict[str, Any]]:
    """Every send-out, oldest first."""
    raw = tx.raw(TABLE)
    return [dict(raw[k]) for k in sorted(raw, key=int)]


def find_sendout(tx: Transaction, key: str) -> dict[str, Any] | None:
    """The latest send-out with this key, if any."""
    found = [r for r in tx.raw(TABLE).values() if r.get("key") == key]
    return dict(max(found, key=lambda r: number_of(r["id"], PREFIX) or 0)) if found else None


# -- the plan -------------------------------------------------------------------------------------

SEND, SENT, FAILED, SKIPPED = "send", "sent", "failed", "skipped"


@dataclass
class Item:
    """One customer of a send-out: what is planned, and after the run, what happened."""

    customer: dict[str, Any]
    recipient: Recipient
    status: str  # send (planned), sent, failed, skipped
    channel: str | None = None
    reason: str = ""
    subject: str = ""
    language: str | None = None
    message: Message | None = None
    existing: dict[str, Any] | None = None
    delivery: Delivery | None = None
    marketing: bool = True

    @property
    def customer_id(self) -> str:
        return str(self.customer["id"])

    def as_row(self) -> dict[str, Any]:
        return {"customer": self.customer_id, "name": self.customer.get("name"),
                "channel": self.channel, "language": self.language, "subject": self.subject,
                "status": self.status, "detail": self.reason,
                "provider_id": self.delivery.provider_id if self.delivery else None}


@dataclass
class Plan:
    """Who gets what through which channel, before anything is sent."""

    template: str
    audience: Audience
    channel: str | None
    items: list[Item]
    sendout: dict[str, Any] | None = None  # the send-out this continues; None: a new one
    again: bool = False
    marketing: bool = True

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)


def _check_segment(ctx: Context, segment: str | None) -> None:
    from kundkit.customers import settings

    known = settings(ctx).segments
    if segment is not None and known and segment not in known:
        raise UsageError(_("segment: {value!r} is not one of the segments in kundkit.yaml "
                           "({choices})").format(value=segment, choices=", ".join(known)))


def _channels(ctx: Context, channel: str | None) -> list[Channel]:
    from kundkit.channels.routing import channel_order, get_channel

    return [get_channel(ctx, channel)] if channel else channel_order(ctx)


def plan_sendout(ctx: Context, template: str, audience: Audience, *, channel: str | None = None,
                 again: bool = False) -> Plan:
    """Plan a send-out of ``template`` to ``audience`` (through ``channel`` only, if given).

    Raises :class:`~kundkit.messaging.templates.TemplateError` (one line naming the file and
    line) when the template cannot be rendered for any of the customers, before anything is sent.
    """
    from kundkit.channels.compose import Composer, is_marketing
    from kundkit.channels.routing import choose_channel, recipient_for
    from kundkit.interactions import sendout_interactions
    from kundkit.messaging.templates import check_template_name

    check_template_name(template)
    _check_segment(ctx, audience.segment)
    channels = _channels(ctx, channel)
    key = sendout_key(template, audience, channel)
    with ctx.store.read() as tx:
        customers = audience.select(tx)
        sendout = None if again else find_sendout(tx, key)
        earlier = {r["customer"]: r for r in sendout_interactions(tx, sendout["id"],
                                                                  sendout["partition"])} \
            if sendout else {}
        composer = Composer.for_context(ctx, tx)
    plan = Plan(template=template, audience=audience, channel=channel, items=[], sendout=sendout,
                again=again)
    marketing_seen: set[bool] = set()
    for customer in customers:
        recipient = recipient_for(customer)
        previous = earlier.get(customer["id"])
        if previous and previous.get("status") in (SENT, FAILED):
            plan.items.append(Item(customer, recipient, previous["status"],
                                   channel=previous.get("channel"),
                                   reason=previous.get("detail") or "",
                                   subject=previous.get("subject") or "",
                                   language=previous.get("language"), existing=previous))
            continue
        rendered = composer.render(template, customer, recipient)
        marketing = is_marketing(rendered, True)
        marketing_seen.add(marketing)
        route = choose_channel(customer, recipient, channels, marketing=marketing)
        item = Item(customer, recipient, SKIPPED, reason=route.reason, subject=rendered.subject,
                    language=rendered.language, existing=previous, marketing=marketing)
        if route.channel is not None:
            # The reason says why earlier channels were passed over, for the dry run.
            item.status, item.channel = SEND, route.channel.name
            item.message = composer.message(rendered, marketing=marketing)
        plan.items.append(item)
    plan.marketing = True in marketing_seen or not marketing_seen
    return plan


# -- sending --------------------------------------------------------------------------------------

@dataclass
class Report:
    """What one run of a send-out did."""

    sendout: dict[str, Any]
    items: list[Item] = field(default_factory=list)
    new: bool = False
    already_sent: int = 0
    failed_earlier: int = 0

    def by_channel(self) -> list[dict[str, Any]]:
        """Per channel: sent, failed and skipped in this run (skipped without a channel: ``-``)."""
        rows: dict[str, dict[str, Any]] = {}
        for item in self.items:
            name = item.channel or "-"
            row = rows.setdefault(name, {"channel": name, "sent": 0, "failed": 0, "skipped": 0})
            if item.status in (SENT, FAILED, SKIPPED):
                row[item.status] += 1
        return sorted(rows.values(), key=lambda r: (r["channel"] == "-", r["channel"]))

    def unreached(self) -> list[Item]:
        return [item for item in self.items if item.status in (FAILED, SKIPPED)]


def run_plan(ctx: Context, plan: Plan, *, progress: Progress | None = None,
             environ: Mapping[str, str] | None = None) -> Report:
    """Send what ``plan`` says. Progress is reported as ``progress(done, total)``."""
    from kundkit.channels.routing import registered_channels

    to_send = [item for item in plan.items if item.status == SEND]
    skipped = [item for item in plan.items if item.status == SKIPPED]
    channels = registered_channels(ctx)
    sendout, new = _claim(ctx, plan)
    # _claim may have found some of them served by a run that finished in between.
    to_send = [item for item in to_send if item.status == SEND]
    report = Report(sendout=sendout, new=new, already_sent=plan.count(SENT),
                    failed_earlier=plan.count(FAILED))
    runner = _Runner(ctx, sendout, channels, progress, environ)
    report.items = runner.deliver(to_send, skipped)
    report.sendout = runner.sendout
    return report


def _running_mark() -> dict[str, Any]:
    import os
    import socket

    return {"token": secrets.token_hex(8), "since": time.time(), "pid": os.getpid(),
            "host": socket.gethostname()}


def _still_running(mark: Mapping[str, Any] | None) -> bool:
    """Whether the run that marked a send-out may still be sending. A run on this machine whose
    process is gone is not; one elsewhere is given STALE_SECONDS."""
    import os
    import socket

    if not mark:
        return False
    if os.name == "posix" and mark.get("host") == socket.gethostname() and mark.get("pid"):
        try:
            os.kill(int(mark["pid"]), 0)  # signal 0: only asks whether the process exists
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return time.time() - float(mark.get("since", 0)) < STALE_SECONDS


def _claim(ctx: Context, plan: Plan) -> tuple[dict[str, Any], bool]:
    """Create the send-out record, or take up the existing one, marking it as being sent."""
    from kundkit.auditlog import record_audit
    from kundkit.interactions import month_of, sendout_interactions

    key = sendout_key(plan.template, plan.audience, plan.channel)
    with ctx.store.transaction() as tx:
        if plan.sendout is None:
            other = None if plan.again else find_sendout(tx, key)
            if other is not None:
                raise Conflict(_("another run has just started this send-out as {id}; run the "
                                 "command again to continue it").format(id=other["id"]))
            number = tx.next_id("sendout", start=FIRST_NUMBER)
            now = stamp(ctx)
            record = {
                "id": make_id(PREFIX, number), "key": key, "template": plan.template,
                "audience": plan.audience.as_dict(), "channel": plan.channel,
                "marketing": plan.marketing, "partition": month_of(now), "created_at": now,
                "created_by": ctx.actor, "status": "sending", "running": _running_mark(),
                "runs": [], "counts": {}, "error": None,
            }
            insert_numbered(tx, TABLE, record, number)
            record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"],
                         fields=["template", "audience"])
            return record, True
        record = get_sendout(tx, plan.sendout["id"])
        if _still_running(record.get("running")):
            raise Conflict(_("send-out {id} is being sent by another run right now; wait until "
                             "it has finished").format(id=record["id"]))
        served = {r["customer"]: r for r in sendout_interactions(tx, record["id"],
                                                                 record["partition"])}
        for item in plan.items:
            previous = served.get(item.customer_id)
            if previous is None:
                continue
            item.existing = previous
            if item.status == SEND and previous.get("status") == SENT:
                item.status = SENT
        record.update(status="sending", running=_running_mark(), error=None)
        replace_doc(tx, TABLE, number_of(record["id"], PREFIX) or 0, record)
        return record, False


class _Runner:
    """Drives the channel sessions of one run and writes what happened as it goes."""

    def __init__(self, ctx: Context, sendout: dict[str, Any], channels: Mapping[str, Channel],
                 progress: Progress | None, environ: Mapping[str, str] | None) -> None:
        import os

        from kundkit.channels.contract import ChannelRun

        self.ctx = ctx
        self.sendout = sendout
        self.channels = channels
        self.progress = progress
        self.run = ChannelRun(config=ctx.config, now=ctx.now(), sendout=sendout["id"],
                              environ=dict(os.environ if environ is None else environ))
        self.at = stamp(ctx)
        self.sessions: dict[str, ChannelSession] = {}
        self.pending: list[Item] = []  # done, not yet written
        self.held: dict[str, Item] = {}  # handed to a channel that delivers at close
        self.finished: list[Item] = []

    def deliver(self, items: list[Item], skipped: list[Item]) -> list[Item]:
        total, done = len(items), 0
        self.pending.extend(skipped)
        closed = False
        try:
            for name in sorted({str(item.channel) for item in items}):
                self.sessions[name] = self.channels[name].open(self.run)
            index = 0
            while index < len(items):
                window = items[index:index + CHUNK]
                self._write(recheck=window)
                started = time.monotonic()
                for item in window:
                    index += 1
                    if item.status == SEND:
                        self._send(item)
                    else:
                        self.pending.append(item)
                    done += 1
                    if self.progress:
                        self.progress(done, total)
                    if time.monotonic() - started > FLUSH_SECONDS:
                        break
            closed = True
            for session in self.sessions.values():
                for customer_id, delivery in session.close().items():
                    item = self.held.pop(customer_id, None)
                    if item is not None:
                        self._result(item, delivery)
            self._write(final=True)
        except BaseException as exc:
            if not closed:
                for session in self.sessions.values():
                    try:
                        session.abort()
                    except Exception:  # the first error is the one to report
                        pass
            # Letters held back were never printed: they stay unsent, for the next run.
            self.held.clear()
            try:
                self._write(final=True, error=str(exc) or type(exc).__name__)
            except Exception:  # the store itself failing: the first error is the one to report
                pass
            raise
        return self.finished

    def _send(self, item: Item) -> None:
        assert item.message is not None and item.channel is not None
        delivery = self.sessions[item.channel].send(item.message, item.recipient)
        if delivery is None:
            self.held[item.customer_id] = item
        else:
            self._result(item, delivery)

    def _result(self, item: Item, delivery: Delivery) -> None:
        item.delivery = delivery
        item.status = delivery.status
        item.reason = delivery.detail
        self.pending.append(item)

    def _recheck(self, tx: Transaction, window: list[Item]) -> None:
        from kundkit.consent import may_send
        from kundkit.customers import get_customer

        for item in window:
            if item.status != SEND or item.message is None:
                continue
            fresh = get_customer(tx, item.customer_id)
            decision = may_send(fresh, self.channels[str(item.channel)].consent,
                                marketing=item.message.marketing)
            if not decision:
                item.status, item.reason, item.message = SKIPPED, decision.reason, None
                item.channel = None

    def _record(self, item: Item) -> dict[str, Any]:
        from kundkit.interactions import new_interaction

        delivery = item.delivery
        channel = self.channels.get(str(item.channel)) if item.channel else None
        marketing = item.message.marketing if item.message else item.marketing
        attempted = delivery is not None and delivery.status in (SENT, FAILED)
        extra: dict[str, Any] = {
            "template": self.sendout["template"], "language": item.language,
            "marketing": marketing, "provider_id": delivery.provider_id if delivery else None,
            "attempts": int((item.existing or {}).get("attempts") or 0) + int(attempted),
            "last_at": self.at,
        }
        if channel is not None and getattr(channel, "keeps_text", False) and \
                item.message is not None and item.status == SENT:
            extra["script"] = f"{item.message.subject}\n\n{item.message.text.strip()}"
        fresh = new_interaction(self.ctx, customer=item.customer_id, channel=item.channel,
                                kind="message", subject=item.subject, sendout=self.sendout["id"],
                                status=item.status, detail=item.reason, at=self.at, extra=extra)
        if item.existing:
            return {**item.existing, **fresh, "id": item.existing["id"],
                    "at": item.existing.get("at", self.at)}
        return fresh

    def _write(self, *, recheck: list[Item] | None = None, final: bool = False,
               error: str | None = None) -> None:
        from kundkit.interactions import (record_interactions, sendout_interactions,
                                          update_interactions)

        partition = self.sendout["partition"]
        pending = list(self.pending)
        with self.ctx.store.transaction() as tx:
            fresh = [self._record(item) for item in pending if not item.existing]
            changed = [self._record(item) for item in pending if item.existing]
            stored = record_interactions(tx, fresh, partition=partition)
            update_interactions(tx, changed, partition)
            if recheck:
                self._recheck(tx, recheck)
            if final:
                record = get_sendout(tx, self.sendout["id"])
                rows = sendout_interactions(tx, record["id"], partition)
                counts: dict[str, dict[str, int]] = {}
                for row in rows:
                    per = counts.setdefault(row.get("channel") or "-", {})
                    per[row["status"]] = per.get(row["status"], 0) + 1
                run = {"at": self.at, "by": self.ctx.actor}
                for status in (SENT, FAILED, SKIPPED):
                    run[status] = sum(1 for i in self.finished + pending if i.status == status)
                record.update(counts=counts, running=None, error=error,
                              status="stopped" if error else "done",
                              runs=[*record.get("runs", []), run])
                replace_doc(tx, TABLE, number_of(record["id"], PREFIX) or 0, record)
                self.sendout = record
        for item, record in zip([i for i in pending if not i.existing], stored):
            item.existing = record
        self.pending = []
        self.finished.extend(pending)


# -- retrying -------------------------------------------------------------------------------------

def plan_retry(ctx: Context, sendout_id: str) -> Plan:
    """Plan to send the failed deliveries of a send-out again, through the same channels, after
    checking consent and the customers' data again."""
    from kundkit.channels.compose import Composer, is_marketing
    from kundkit.channels.routing import get_channel, recipient_for
    from kundkit.consent import may_send
    from kundkit.customers import get_customer
    from kundkit.interactions import sendout_interactions

    with ctx.store.read() as tx:
        sendout = get_sendout(tx, sendout_id)
        failed = [r for r in sendout_interactions(tx, sendout["id"], sendout["partition"])
                  if r.get("status") == FAILED]
        customers = {r["customer"]: get_customer(tx, r["customer"]) for r in failed}
        composer = Composer.for_context(ctx, tx)
    plan = Plan(template=sendout["template"], audience=Audience.from_dict(sendout["audience"]),
                channel=sendout.get("channel"), items=[], sendout=sendout,
                marketing=bool(sendout.get("marketing", True)))
    for record in failed:
        customer = customers[record["customer"]]
        channel = get_channel(ctx, record["channel"])
        recipient = recipient_for(customer)
        rendered = composer.render(sendout["template"], customer, recipient)
        marketing = is_marketing(rendered, bool(record.get("marketing", True)))
        item = Item(customer, recipient, SKIPPED, channel=channel.name, subject=rendered.subject,
                    language=rendered.language, existing=record, marketing=marketing)
        decision = may_send(customer, channel.consent, marketing=marketing)
        why = None if not decision else channel.unreachable(recipient)
        if not decision or why:
            item.reason = f"{channel.name}: {decision.reason or why}"
            item.channel = None
        else:
            item.status = SEND
            item.message = composer.message(rendered, marketing=marketing)
        plan.items.append(item)
    return plan


def retry_sendout(ctx: Context, sendout_id: str, *, progress: Progress | None = None,
                  environ: Mapping[str, str] | None = None) -> Report:
    """Send the failed deliveries of ``sendout_id`` again; returns what this retry did."""
    plan = plan_retry(ctx, sendout_id)
    if not plan.items:
        return Report(sendout=plan.sendout or {})
    return run_plan(ctx, plan, progress=progress, environ=environ)


# -- one message ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SendResult:
    """What :func:`send_message` did: the channel used (None when none would do), the delivery
    status (sent, failed, skipped) with its detail, and the interaction recorded."""

    customer: str
    channel: str | None
    status: str
    detail: str
    interaction: str
    provider_id: str | None = None


def send_message(ctx: Context, customer_id: str, template_or_message: str | Message, *,
                 marketing: bool, channel: str | None = None,
                 context: Mapping[str, Any] | None = None,
                 environ: Mapping[str, str] | None = None) -> SendResult:
    """Send one message to one customer now: a template name (``welcome``) rendered for the
    customer, or a ready :class:`~kundkit.messaging.Message`.

    The channel is ``channel``, or the first one allowed and possible from the customer's
    preferred one. ``marketing`` says whether consent is needed (a welcome offer: yes; a
    complaint's acknowledgement: no); a template that says ``marketing: yes`` is marketing
    whatever the caller says. A customer who cannot be reached is not an error: the result says
    ``skipped`` and why, and the attempt is in the customer's history. A template error, an
    unusable channel or a missing password raises.
    """
    import os

    from kundkit.channels.compose import Composer
    from kundkit.channels.contract import ChannelRun
    from kundkit.channels.routing import choose_channel, recipient_for
    from kundkit.customers import get_customer
    from kundkit.interactions import new_interaction, record_interactions
    from kundkit.messaging.models import Message

    with ctx.store.read() as tx:
        customer = get_customer(tx, customer_id)
        composer = Composer.for_context(ctx, tx)
    recipient = recipient_for(customer)
    template: str | None = None
    if isinstance(template_or_message, Message):
        marketing = marketing or template_or_message.marketing
        message = replace(template_or_message, marketing=marketing)
        language = recipient.language
    else:
        template = template_or_message
        rendered = composer.render(template, customer, recipient, context)
        marketing = marketing or rendered.marketing is True
        message = Message(subject=rendered.subject, text=rendered.text, html=rendered.html,
                          marketing=marketing)
        language = rendered.language
    route = choose_channel(customer, recipient, _channels(ctx, channel), marketing=marketing)
    delivery: Delivery | None = None
    if route.channel is not None:
        message = composer.finish(message, language)
        run = ChannelRun(config=ctx.config, now=ctx.now(),
                         environ=dict(os.environ if environ is None else environ))
        session = route.channel.open(run)
        with session:
            delivery = session.send(message, recipient)
            held = session.close()
        delivery = delivery or held.get(recipient.customer_id)
    status = delivery.status if delivery else SKIPPED
    detail = delivery.detail if delivery else route.reason
    extra: dict[str, Any] = {"template": template, "language": language, "marketing": marketing,
                             "provider_id": delivery.provider_id if delivery else None,
                             "attempts": int(status in (SENT, FAILED)), "last_at": stamp(ctx)}
    if route.channel is not None and route.channel.keeps_text and status == SENT:
        extra["script"] = f"{message.subject}\n\n{message.text.strip()}"
    record = new_interaction(ctx, customer=customer["id"],
                             channel=route.channel.name if route.channel else None,
                             kind="message", subject=message.subject, status=status,
                             detail=detail, extra=extra)
    with ctx.store.transaction() as tx:
        stored = record_interactions(tx, [record])[0]
    return SendResult(customer=customer["id"], channel=stored["channel"], status=status,
                      detail=detail, interaction=stored["id"],
                      provider_id=delivery.provider_id if delivery else None)
