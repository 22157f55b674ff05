"""The channel contract: what a channel declares, and how a send-out drives it.

A channel is an object with a unique ``name``, the ``consent`` (medium) it sends under, the
customer field it ``needs``, and a way to send one rendered message to one customer. Subclass
:class:`Channel` and implement :meth:`Channel.send`; that is all most channels need. A channel
that must see a whole send-out at once (the letter channel makes one PDF of every letter)
overrides :meth:`Channel.open` and returns its own :class:`ChannelSession`.

A send-out opens each channel it uses once (``open``), calls ``session.send`` for each customer,
and ``session.close()`` at the end; ``session.abort()`` instead when the send-out stops early.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from kundkit.errors import DeliveryError
from kundkit.i18n import _
from kundkit.messaging.models import Delivery, Message, Recipient, Unreachable

if TYPE_CHECKING:
    from kundkit.config import Config

# The customer fields a channel can need.
NEEDS: tuple[str, ...] = ("email", "mobile", "address", "phone")


@dataclass
class ChannelRun:
    """What a channel may know about the send-out it serves.

    ``sendout`` is the send-out id (``S1001``), or None for a single message or a test;
    ``environ`` holds the environment variables that secrets are read from.
    """

    config: Config
    now: datetime
    sendout: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    test: bool = False

    def section(self, name: str) -> dict[str, Any]:
        """A section of ``kundkit.yaml`` (an empty dict when absent)."""
        value = self.config.section(name, {})
        return dict(value) if isinstance(value, Mapping) else {}

    def resolve(self, path: str) -> Path:
        """A path from ``kundkit.yaml``, relative to that file."""
        return self.config.resolve(path)

    def shown(self, path: Path) -> str:
        """``path`` as a person finds it: relative to the business folder when inside it."""
        try:
            return path.resolve().relative_to(self.config.root).as_posix()
        except ValueError:
            return str(path)

    @property
    def business(self) -> dict[str, Any]:
        return self.section("business")


class ChannelSession:
    """One channel at work for one send-out.

    ``send`` returns the :class:`Delivery` of one message, or None when the channel holds the
    message back to deliver it with the others at ``close`` (which then returns those
    deliveries, keyed by customer id).
    """

    def send(self, message: Message, recipient: Recipient) -> Delivery | None:
        raise NotImplementedError

    def close(self) -> dict[str, Delivery]:
        return {}

    def abort(self) -> None:
        """The send-out stopped early: release what is held, deliver nothing more."""
        self.close()

    def __enter__(self) -> ChannelSession:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            self.abort()


class Channel:
    """Base class of channels to customers.

    Set the class attributes and implement :meth:`send`:

    - ``name``: unique, lower case (``email``, ``sms``, ``fax``);
    - ``consent``: the medium the customer's consent and preference are about: ``email``,
      ``sms``, ``post`` or ``phone`` (kundkit applies the rules of consent, the channel does not);
    - ``needs``: the customer field it needs: ``email``, ``mobile``, ``address`` or ``phone``;
    - ``description``: one line for ``kundkit channel list``;
    - ``keeps_text``: True when the message text must stay with the customer's interaction
      (the phone channel's call list shows what to say); other texts are not stored.
    """

    name: ClassVar[str] = ""
    consent: ClassVar[str] = "email"
    needs: ClassVar[str] = "email"
    description: ClassVar[str] = ""
    keeps_text: ClassVar[bool] = False

    def unavailable(self, config: Config) -> str | None:
        """Why the channel cannot be used with this configuration; None when it can."""
        return None

    def unreachable(self, recipient: Recipient) -> str | None:
        """Why this customer cannot be reached through the channel; None when it can."""
        return missing_field(recipient, self.needs)

    def open(self, run: ChannelRun) -> ChannelSession:
        """Start serving a send-out. The default session calls :meth:`send` for each message."""
        return _EachMessage(self, run)

    def send(self, message: Message, recipient: Recipient, run: ChannelRun) -> Delivery:
        """Send one message to one customer and say what happened.

        Raise :class:`~kundkit.messaging.Unreachable` when the customer lacks what the channel
        needs (recorded as skipped) and :class:`~kundkit.errors.DeliveryError` when sending
        failed (recorded as failed, to be retried with ``news retry``).
        """
        raise NotImplementedError(f"channel {self.name!r} does not implement send()")


class _EachMessage(ChannelSession):
    def __init__(self, channel: Channel, run: ChannelRun) -> None:
        self.channel = channel
        self.run = run

    def send(self, message: Message, recipient: Recipient) -> Delivery:
        try:
            return self.channel.send(message, recipient, self.run)
        except Unreachable as exc:
            return Delivery("skipped", self.channel.name, self.run.now, detail=str(exc))
        except DeliveryError as exc:
            return Delivery("failed", self.channel.name, self.run.now, detail=str(exc))


def missing_field(recipient: Recipient, needs: str) -> str | None:
    """Why ``recipient`` lacks the field a channel ``needs``; None when it is there."""
    who = recipient.customer_id
    if needs == "email":
        email = (recipient.email or "").strip()
        if not email:
            return _("Customer {id} has no e-mail address").format(id=who)
        if "@" not in email or email.startswith("@") or email.endswith("@"):
            return _("Customer {id}: {email!r} is not a valid e-mail address").format(
                id=who, email=email)
        return None
    if needs == "mobile":
        if not recipient.phone:
            return _("Customer {id} has no phone number").format(id=who)
        if not recipient.mobile:
            return _("Customer {id}: {phone} is not a mobile number").format(
                id=who, phone=recipient.phone)
        return None
    if needs == "phone":
        return None if recipient.phone else _("Customer {id} has no phone number").format(id=who)
    if needs == "address":
        from kundkit.messaging.letter import address_problem

        return address_problem(recipient)
    raise ValueError(f"unknown need {needs!r}")  # a channel's own bug, caught by its tests

