"""Send-outs: company news to a group of customers, each through the first channel that is
allowed and possible, and single messages (a welcome, a complaint's acknowledgement).

A send-out is planned first (:func:`plan_sendout`): the audience is chosen, the template is
rendered for every customer in their language, and a channel is picked per customer. A template
error or a missing opt-out text stops it there, before anything is sent. The dry run shows the
plan; :func:`run_plan` sends it (see :mod:`kundkit.sendout_run`). :func:`send_message` (in
:mod:`kundkit.single_message`) sends one message to one customer.

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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, UsageError
from kundkit.i18n import _
from kundkit.idtable import get_numbered, number_of
from kundkit.single_message import SendResult, send_message

if TYPE_CHECKING:
    from kundkit.channels.contract import Channel
    from kundkit.context import Context
    from kundkit.messaging.models import Delivery, Message, Recipient
    from kundkit.store import Transaction

TABLE = "sendouts"
PREFIX = "S"
FIRST_NUMBER = 1001
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
    from kundkit.sendout_run import Runner, claim

    to_send = [item for item in plan.items if item.status == SEND]
    skipped = [item for item in plan.items if item.status == SKIPPED]
    runner = Runner(ctx, registered_channels(ctx), progress, environ)
    # The channels open before anything is recorded: a missing password or token stops the
    # send-out here, leaving no trace of it.
    runner.open({str(item.channel) for item in to_send})
    try:
        sendout, new = claim(ctx, plan)
    except BaseException:
        runner.abort()
        raise
    # claim() may have found some of them served by a run that finished in between.
    to_send = [item for item in to_send if item.status == SEND]
    report = Report(sendout=sendout, new=new, already_sent=plan.count(SENT),
                    failed_earlier=plan.count(FAILED))
    report.items = runner.deliver(sendout, to_send, skipped)
    report.sendout = runner.sendout
    return report


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


__all__ = ["Audience", "Item", "Plan", "Report", "SendResult", "find_sendout", "get_sendout",
           "list_sendouts", "plan_retry", "plan_sendout", "retry_sendout", "run_plan",
           "send_message", "sendout_key"]
