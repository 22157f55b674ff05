"""One message to one customer now: a welcome, a complaint's acknowledgement.

The workflows call :func:`send_message`; it picks the channel like a send-out does, sends, and
records the message in the customer's history. It is also importable from
:mod:`kundkit.sendouts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from kundkit.idtable import stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.messaging.models import Delivery, Message

SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


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
    from kundkit.channels.routing import (channel_order, choose_channel, get_channel,
                                          recipient_for)
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
    channels = [get_channel(ctx, channel)] if channel else channel_order(ctx)
    route = choose_channel(customer, recipient, channels, marketing=marketing)
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
