"""``kundkit channel``: the channels to customers, and a test message through one of them."""

from __future__ import annotations

from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context
from kundkit.i18n import _


@group("channel")
def cli() -> None:
    """Channels to customers: e-mail, SMS, letters, phone.

    \b
    Example:
      kundkit channel list
      kundkit channel test email --to anna.lind@nordbygg.example
    """


def _needs(value: Any) -> str:
    return {"email": _("e-mail address"), "mobile": _("mobile number"),
            "address": _("postal address"), "phone": _("phone number")}.get(str(value), str(value))


@cli.command("list")
@output_options
@pass_ctx
def channel_list(ctx: Context, output_format: str, table_style: str) -> None:
    """List the channels: the consent each sends under, what it needs, and whether send-outs
    use it (and in which order)."""
    from kundkit.channels.routing import channel_order, registered_channels
    from kundkit.consent import medium_label

    channels = registered_channels(ctx)
    order = [c.name for c in channel_order(ctx)]
    plugin_of = _owners(ctx)
    rows = []
    for name, channel in sorted(channels.items(), key=lambda kv: (
            kv[0] not in order, order.index(kv[0]) if kv[0] in order else 0, kv[0])):
        why = channel.unavailable(ctx.config)
        if name in order:
            use = _("yes, as no. {n}").format(n=order.index(name) + 1)
        elif why:
            use = _("no: {reason}").format(reason=why)
        else:
            use = _("no: not in channels.order")
        rows.append({"name": name, "consent": channel.consent, "needs": channel.needs,
                     "in_use": name in order, "order": order.index(name) + 1 if name in order
                     else None, "use": use, "unavailable": why,
                     "description": _(channel.description) if channel.description else "",
                     "plugin": plugin_of.get(name)})
    render(rows, [Column("name", "Channel"), Column("consent", "Consent", show=medium_label),
                  Column("needs", "Needs", show=_needs), Column("use", "Used by send-outs"),
                  Column("description", "Description")],
           output_format=output_format, table_style=table_style, empty=_("No channels."))


def _owners(ctx: Context) -> dict[str, str]:
    """Which plugin registered each channel."""
    owners: dict[str, str] = {}
    for impl in ctx.plugins.pm.hook.register_channels.get_hookimpls():
        def register(obj: Any, _plugin: str = impl.plugin_name) -> None:
            owners.setdefault(str(getattr(obj, "name", "")), _plugin)

        impl.function(**{k: v for k, v in {"register": register}.items() if k in impl.argnames})
    return owners


def _test_recipient(ctx: Context, needs: str, to: str) -> Any:
    from kundkit.channels.routing import is_mobile_number
    from kundkit.messaging.models import Recipient

    language = ctx.config.language
    name = _("Test recipient")
    if needs == "email":
        from kundkit.identity import parse_email

        return Recipient("TEST", name, email=parse_email(to), language=language)
    if needs in ("mobile", "phone"):
        from kundkit.identity import parse_phone

        phone = parse_phone(to, ctx.config.region)
        return Recipient("TEST", name, phone=phone, mobile=is_mobile_number(phone),
                         language=language)
    lines = [line.strip() for line in to.split(";") if line.strip()]
    if len(lines) < 2:
        raise click.BadParameter(_("give the name and the address lines separated by ';', e.g. "
                                   "\"Anna Lind;Storgatan 1;722 12 Västerås\""),
                                 param_hint="--to")
    return Recipient("TEST", lines[0], address=tuple(lines[1:]), language=language)


@cli.command("test")
@click.argument("name")
@click.option("--to", "to", metavar="ADDRESS",
              help="Where to send: an e-mail address, a phone number, or for a letter "
                   "'Name;Street;Postcode Town'.")
@pass_ctx
def channel_test(ctx: Context, name: str, to: str | None) -> None:
    """Send a short test message (not marketing) through one channel, to an address you give.

    \b
    Example:
      kundkit channel test outbox --to anna.lind@nordbygg.example
      kundkit channel test sms --to "070-174 06 05"
      kundkit channel test letter --to "Anna Lind;Verkstadsgatan 12;722 33 Västerås"
    """
    from kundkit.channels.contract import ChannelRun
    from kundkit.channels.routing import get_channel
    from kundkit.cli.prompt import ask_text
    from kundkit.errors import DeliveryError
    from kundkit.i18n import translator
    from kundkit.messaging.models import Message

    channel = get_channel(ctx, name)
    if not to:
        to = ask_text(ctx, _("Send the test to:"), option="--to")
    recipient = _test_recipient(ctx, channel.needs, to)
    why = channel.unreachable(recipient)
    if why:
        raise click.BadParameter(why, param_hint="--to")
    words = translator(ctx.config.language)
    business = ctx.config.business_name
    message = Message(subject=words.gettext("Test message from kundkit"),
                      text=words.gettext("This is a test of the channel {channel} of {business}. "
                                         "No reply is needed.").format(channel=name,
                                                                       business=business))
    run = ChannelRun(config=ctx.config, now=ctx.now(), test=True)
    with channel.open(run) as session:
        delivery = session.send(message, recipient)
        held = session.close()
    delivery = delivery or held.get(recipient.customer_id)
    if delivery is None or delivery.status != "sent":
        detail = delivery.detail if delivery else _("the channel gave no answer")
        raise DeliveryError(_("The test through {channel} failed: {detail}").format(
            channel=name, detail=detail))
    click.echo(_("Sent through {channel}: {detail}").format(
        channel=name, detail=delivery.detail or delivery.provider_id or ""))
