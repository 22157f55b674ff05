"""``channel.send``: one message to one customer through a channel, with consent respected.

The channel is the one named, or the first that is allowed and possible for the customer, trying
the preferred medium first (the routing and consent rules of the channels area:
:func:`kundkit.channels.routing.choose_channel`, :func:`kundkit.consent.may_send`). A service
message (the default: an acknowledgement, an answer) needs no consent; ``marketing: true`` does,
and carries the business's opt-out text. The message is recorded as an interaction in the
customer's history, in the step's transaction.

It is sent while the step holds the store, so that the interaction and the run's state are
written together with the delivery; a crash after the hand-over and before the commit is the one
case in which a resumed run sends the message again.
"""

from __future__ import annotations

from typing import Any

from kundkit.errors import DeliveryError
from kundkit.i18n import _
from kundkit.workflows.steptypes import StepCall, StepFailed, StepType


def _flag(value: Any) -> bool:
    return value in (True, "true", "yes", "ja", 1, "1")


class SendMessage(StepType):
    name = "channel.send"
    description = ("Send the customer a message through a channel (the one named, else the first "
                   "allowed and possible, preferred first) and record it in the customer's "
                   "history. Output: status, channel, detail, interaction.")
    parameters = {
        "customer": "the customer id (default: the run's customer)",
        "subject": "the subject, or {sv: ..., en: ...} (the customer's language is used)",
        "text": "the message, or {sv: ..., en: ...}",
        "channel": "a channel name (outbox, email, sms, letter, phone, a plugin's)",
        "marketing": "true for news and offers (needs consent; adds the opt-out text); "
                     "default false, a service message",
    }
    required = ("text",)

    def run(self, call: StepCall) -> Any:
        from kundkit.channels.contract import ChannelRun
        from kundkit.channels.routing import (channel_order, choose_channel, get_channel,
                                              recipient_for)
        from kundkit.consent import may_send, opt_out_text
        from kundkit.customers import get_customer
        from kundkit.interactions import record_interaction
        from kundkit.messaging.models import Message
        from kundkit.workflows.model import pick_text

        tx = call.store
        customer = get_customer(tx, call.customer_arg())
        language = str(customer.get("language") or call.language)
        subject = pick_text(call.arg("subject"), language)
        text = pick_text(call.need("text"), language).strip()
        if not text:
            raise StepFailed(_("{step}: the message is empty").format(step=call.step_id))
        marketing = _flag(call.arg("marketing"))
        recipient = recipient_for(customer)
        if call.arg("channel"):
            channel = get_channel(call.ctx, str(call.arg("channel")))
            decision = may_send(customer, channel.consent, marketing=marketing)
            why = decision.reason if not decision else channel.unreachable(recipient)
            if why:
                raise StepFailed(_("{customer} cannot be sent this through {channel}: {reason}")
                                 .format(customer=customer["id"], channel=channel.name, reason=why))
        else:
            route = choose_channel(customer, recipient, channel_order(call.ctx), marketing=marketing)
            if route.channel is None:
                raise StepFailed(_("no channel reaches {customer}: {reasons}").format(
                    customer=customer["id"], reasons=route.reason or "-"))
            channel = route.channel
        if call.dry_run:
            call.note(_("would send '{subject}' to {customer} through {channel}").format(
                subject=subject, customer=customer["id"], channel=channel.name))
            return {"status": "dry-run", "channel": channel.name, "detail": None,
                    "interaction": None}
        opt_out = opt_out_text(call.ctx.config.section("business", {}) or {}, language) \
            if marketing else ""
        if marketing and not opt_out:
            raise StepFailed(_("marketing needs the business's opt-out text: add "
                               "business.opt_out.{language} to kundkit.yaml").format(
                language=language))
        message = Message(subject=subject, text=text, marketing=marketing, opt_out=opt_out)
        session = channel.open(ChannelRun(config=call.ctx.config, now=call.ctx.now()))
        with session:
            delivery = session.send(message, recipient)
            held = session.close()
        if delivery is None:
            delivery = held.get(customer["id"])
        if delivery is None:
            raise DeliveryError(_("the channel {channel} gave no delivery for {customer}").format(
                channel=channel.name, customer=customer["id"]))
        if delivery.status != "sent":
            raise DeliveryError(_("{channel}: {status}: {detail}").format(
                channel=channel.name, status=delivery.status, detail=delivery.detail or "-"))
        interaction = record_interaction(
            call.ctx, tx, customer=customer["id"], channel=channel.name, kind="message",
            subject=subject or text.splitlines()[0][:80], status=delivery.status,
            detail=delivery.detail,
            extra={"marketing": marketing, "language": language,
                   "provider_id": delivery.provider_id})
        return {"status": delivery.status, "channel": channel.name, "detail": delivery.detail,
                "interaction": interaction["id"]}
