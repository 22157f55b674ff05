"""Which channel reaches a customer: the channels in use, the customer as a channel sees them,
and the first channel that is allowed and possible, starting from the customer's preferred one.

``channels.order`` in ``kundkit.yaml`` lists the channels a send-out may use, in the order they
are tried after the customer's preferred one. Without it: ``email`` when an SMTP server is
configured, else ``outbox``; then ``sms`` when a gateway is configured; ``letter``; ``phone``;
then the channels of plugins, in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.consent import MEDIA, may_send
from kundkit.errors import ConfigError, ConfigProblems, UsageError
from kundkit.i18n import _, translator
from kundkit.messaging.models import Recipient
from kundkit.messaging.letter import MAX_ADDRESS_LINES

if TYPE_CHECKING:
    from kundkit.channels.contract import Channel
    from kundkit.context import Context

BUILT_IN_ORDER = ("email", "outbox", "sms", "letter", "phone")


def registered_channels(ctx: Context) -> dict[str, Channel]:
    """Every channel that plugins register, by name."""
    return ctx.registry("register_channels", "channel")


def get_channel(ctx: Context, name: str) -> Channel:
    """The channel ``name``, usable with this configuration; a clear error otherwise."""
    channels = registered_channels(ctx)
    if name not in channels:
        raise UsageError(_("no channel named '{name}'; the channels are: {names}").format(
            name=name, names=", ".join(sorted(channels))))
    channel = channels[name]
    why = channel.unavailable(ctx.config)
    if why:
        raise ConfigError(_("the channel '{name}' cannot be used: {reason}").format(
            name=name, reason=why))
    return channel


def channel_order(ctx: Context) -> list[Channel]:
    """The channels a send-out may use, in the order they are tried."""
    channels = registered_channels(ctx)
    config = ctx.config
    section = config.section("channels", {}) or {}
    order = section.get("order") if isinstance(section, Mapping) else None
    if order:
        problems = []
        for index, name in enumerate(order):
            if name not in channels:
                problems.append(config.problem(("channels", "order", index), _(
                    "channels.order: no channel named '{name}'; the channels are: {names}").format(
                    name=name, names=", ".join(sorted(channels)))))
                continue
            why = channels[name].unavailable(config)
            if why:
                problems.append(config.problem(("channels", "order", index), _(
                    "channels.order: the channel '{name}' cannot be used: {reason}").format(
                    name=name, reason=why)))
        if problems:
            raise ConfigProblems(problems)
        return [channels[name] for name in dict.fromkeys(order)]
    usable = [c for c in channels.values() if not c.unavailable(config)]
    names = {c.name for c in usable}
    if "email" in names:
        names.discard("outbox")  # the SMTP server takes the outbox's place for e-mail
    built_in = [channels[n] for n in BUILT_IN_ORDER if n in names]
    return built_in + [c for c in usable if c.name not in BUILT_IN_ORDER]


def is_mobile_number(phone: str | None) -> bool:
    if not phone:
        return False
    from kundkit.identity import is_mobile

    try:
        return is_mobile(phone)
    except Exception:  # a stored number phonenumbers cannot parse: then it takes no SMS
        return False


def recipient_for(customer: Mapping[str, Any]) -> Recipient:
    """The customer as the channels see them. A company's letter goes to its contact person
    (``Att: Per Lindqvist``) when the address has room for the line."""
    language = str(customer.get("language") or "sv")
    address = [str(line) for line in customer.get("address") or [] if str(line).strip()]
    contact = str(customer.get("contact") or "").strip()
    if customer.get("kind") == "company" and contact and address and \
            len(address) + 2 <= MAX_ADDRESS_LINES:
        address.insert(0, translator(language).gettext("Attn: {name}").format(name=contact))
    phone = customer.get("phone") or None
    return Recipient(
        customer_id=str(customer["id"]), name=str(customer.get("name") or ""),
        kind="company" if customer.get("kind") == "company" else "person",
        email=customer.get("email") or None, phone=phone, mobile=is_mobile_number(phone),
        address=tuple(address), language=language)


@dataclass
class Route:
    """The channel chosen for a customer (None: none would do), and why the others were not."""

    channel: Channel | None
    passed_over: list[str] = field(default_factory=list)

    @property
    def reason(self) -> str:
        return "; ".join(self.passed_over)


def choose_channel(customer: Mapping[str, Any], recipient: Recipient, channels: Sequence[Channel],
                   *, marketing: bool) -> Route:
    """The first channel that is possible (the customer has what it needs) and allowed
    (consent), trying the customer's preferred medium first and then ``channels`` in order."""
    preferred = customer.get("preferred_channel")
    if preferred in MEDIA:
        ordered = [c for c in channels if c.consent == preferred] + \
                  [c for c in channels if c.consent != preferred]
    else:
        ordered = list(channels)
    route = Route(None)
    for channel in ordered:
        # Whether the customer can be reached comes first: "no e-mail address" says more than
        # "no consent to e-mail" about a customer who has none.
        why = channel.unreachable(recipient)
        if why:
            route.passed_over.append(f"{channel.name}: {why}")
            continue
        decision = may_send(customer, channel.consent, marketing=marketing)
        if not decision:
            route.passed_over.append(f"{channel.name}: {decision.reason}")
            continue
        route.channel = channel
        return route
    if not ordered:
        route.passed_over.append(_("no channel can be used"))
    return route
