"""The plain records the transports work with: who gets a message, what it says, what happened.

They hold no store handles: the channel plugins read customers from the store, build these, and
record the :class:`Delivery` that comes back.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType
from typing import Any, Literal

from kundkit.errors import DeliveryError, ValidationError
from kundkit.i18n import _

RecipientKind = Literal["company", "person"]
DeliveryStatus = Literal["sent", "failed", "skipped"]
DELIVERY_STATUSES: tuple[str, ...] = ("sent", "failed", "skipped")


@dataclass(frozen=True)
class Recipient:
    """One customer as a transport sees it.

    ``phone`` is in E.164 form (``+46701740605``); ``mobile`` says whether it can take an SMS.
    ``address`` holds the postal address lines in the order they are printed, name excluded
    (``("Storgatan 1", "123 45 Ås")``).
    """

    customer_id: str
    name: str
    kind: RecipientKind = "person"
    email: str | None = None
    phone: str | None = None
    mobile: bool = False
    address: tuple[str, ...] = ()
    language: str = "sv"

    def __post_init__(self) -> None:
        if self.kind not in ("company", "person"):
            raise ValidationError(
                _("Customer {id}: kind must be company or person, not {kind!r}")
                .format(id=self.customer_id, kind=self.kind), field="kind")
        # A list given by a caller would make the record mutable and unhashable.
        object.__setattr__(self, "address", tuple(self.address))


@dataclass(frozen=True)
class Message:
    """One rendered message, ready for a transport.

    ``marketing`` messages carry ``opt_out`` (the business's opt-out text) at the end of their
    text and, by e-mail, a ``List-Unsubscribe`` header pointing at ``unsubscribe`` (a ``mailto:``
    or ``https:`` address; the sender's address when not given). Service messages (a complaint's
    acknowledgement) carry neither.
    """

    subject: str
    text: str
    html: str | None = None
    marketing: bool = False
    opt_out: str = ""
    sender: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    unsubscribe: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))


def text_with_opt_out(message: Message) -> str:
    """The text as the customer reads it: a marketing message ends with the opt-out text."""
    text = message.text.rstrip()
    if not message.marketing:
        return text + "\n"
    opt_out = message.opt_out.strip()
    if not opt_out:
        # Sending marketing without a way to say no is not allowed, so it is refused here, where
        # every transport passes, rather than trusted to each caller.
        raise ValidationError(
            _("A marketing message needs the business's opt-out text (business.opt_out in "
              "kundkit.yaml)"), field="opt_out")
    if text.endswith(opt_out):
        return text + "\n"
    return f"{text}\n\n{opt_out}\n"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message to one customer through one channel."""

    status: DeliveryStatus
    channel: str
    at: datetime
    detail: str = ""
    provider_id: str | None = None

    def __post_init__(self) -> None:
        if self.status not in DELIVERY_STATUSES:
            raise ValidationError(
                _("Delivery status must be one of {allowed}, not {status!r}")
                .format(allowed=", ".join(DELIVERY_STATUSES), status=self.status), field="status")
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise ValidationError(_("Delivery time must carry a time zone"), field="at")

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "channel": self.channel, "at": self.at.isoformat(),
                "detail": self.detail, "provider_id": self.provider_id}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Delivery:
        return cls(status=data["status"], channel=data["channel"],
                   at=datetime.fromisoformat(data["at"]), detail=data.get("detail", ""),
                   provider_id=data.get("provider_id"))


class Unreachable(DeliveryError):
    """The customer lacks what the channel needs (no e-mail, not a mobile number, no address).

    Nothing was attempted; :func:`attempt` records it as ``skipped``, not ``failed``.
    """


def attempt(channel: str, action: Callable[[], str | None], *, now: datetime) -> Delivery:
    """Run one transport call and turn its outcome into a :class:`Delivery`.

    ``action`` returns the provider's id of the sent message (or None). ``Unreachable`` becomes
    ``skipped``, any other ``DeliveryError`` ``failed``, with the error's message as the detail.
    Other errors (a missing password variable, a marketing message without opt-out text) are
    not about this customer and would fail every one alike, so they propagate and stop the
    send-out.
    """
    try:
        provider_id = action()
    except Unreachable as exc:
        return Delivery("skipped", channel, now, detail=str(exc))
    except DeliveryError as exc:
        return Delivery("failed", channel, now, detail=str(exc))
    return Delivery("sent", channel, now, provider_id=provider_id)
