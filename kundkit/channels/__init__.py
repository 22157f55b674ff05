"""Channels to customers: the contract, and the built-in channels.

A plugin adds a channel through the ``register_channels`` hook (see ``docs/plugins.md``)::

    from kundkit import hookimpl
    from kundkit.channels import Channel, Delivery

    class Fax(Channel):
        name = "fax"
        consent = "post"
        needs = "phone"
        def send(self, message, recipient, run):
            ...
            return Delivery("sent", self.name, run.now)

Built in: :mod:`.outbox` (``.eml`` files, the default), :mod:`.email` (SMTP), :mod:`.sms` (an HTTP
gateway), :mod:`.letter` (one PDF per send-out) and :mod:`.phone` (a call list for staff).
"""

from __future__ import annotations

from kundkit.channels.contract import NEEDS, Channel, ChannelRun, ChannelSession, missing_field
from kundkit.consent import MEDIA
from kundkit.messaging.models import Delivery, Message, Recipient, Unreachable, attempt

__all__ = ["MEDIA", "NEEDS", "Channel", "ChannelRun", "ChannelSession", "Delivery", "Message",
           "Recipient", "Unreachable", "attempt", "missing_field"]
