"""The ``outbox`` channel: each e-mail written as a standard ``.eml`` file into a folder.

The default channel for e-mail: it needs no server. The files are exactly what an SMTP server
would receive; open them in a mail program, or hand the folder to one that sends them.
"""

from __future__ import annotations

from kundkit.channels.contract import Channel, ChannelRun, ChannelSession
from kundkit.channels.mail import sender, with_sender
from kundkit.errors import DeliveryError
from kundkit.messaging.models import Delivery, Message, Recipient, Unreachable


class OutboxChannel(Channel):
    name = "outbox"
    consent = "email"
    needs = "email"
    description = "E-mail written as .eml files into a folder; no server needed"

    def open(self, run: ChannelRun) -> ChannelSession:
        return _OutboxSession(self, run)


class _OutboxSession(ChannelSession):
    def __init__(self, channel: OutboxChannel, run: ChannelRun) -> None:
        from kundkit.messaging.eml import OutboxSettings

        self.channel = channel
        self.run = run
        self.settings = OutboxSettings.from_config(run.section("outbox"))
        self.folder = run.resolve(self.settings.folder)
        self.sender = sender(run, "outbox")

    def send(self, message: Message, recipient: Recipient) -> Delivery:
        from kundkit.messaging.eml import build_email, write_eml

        now = self.run.now
        try:
            email = build_email(with_sender(message, self.sender), recipient, now=now,
                                message_id_domain=self.settings.message_id_domain)
        except Unreachable as exc:
            return Delivery("skipped", self.channel.name, now, detail=str(exc))
        try:
            path = write_eml(email, self.folder, customer_id=recipient.customer_id, now=now)
        except DeliveryError as exc:
            return Delivery("failed", self.channel.name, now, detail=str(exc))
        return Delivery("sent", self.channel.name, now, detail=self.run.shown(path),
                        provider_id=str(email["Message-ID"]))
