"""The ``email`` channel: e-mail through the business's SMTP server (``email:`` in kundkit.yaml).

One connection serves the whole send-out. The password is read from the environment variable
that ``email.password_env`` names when the send-out starts, so a missing password stops the
send-out before the first message rather than failing each one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kundkit.channels.contract import Channel, ChannelRun, ChannelSession
from kundkit.channels.mail import sender, with_sender
from kundkit.errors import DeliveryError
from kundkit.i18n import _
from kundkit.messaging.models import Delivery, Message, Recipient, Unreachable

if TYPE_CHECKING:
    from kundkit.config import Config


class EmailChannel(Channel):
    name = "email"
    consent = "email"
    needs = "email"
    description = "E-mail through the SMTP server in the email: section"

    def unavailable(self, config: Config) -> str | None:
        section = config.section("email", {})
        if not isinstance(section, dict) or not section.get("host"):
            return _("no email: section with the SMTP server in kundkit.yaml")
        return None

    def open(self, run: ChannelRun) -> ChannelSession:
        return _SmtpSession(self, run)


class _SmtpSession(ChannelSession):
    def __init__(self, channel: EmailChannel, run: ChannelRun) -> None:
        from kundkit.messaging.smtp import SmtpMailer, SmtpSettings, read_secret

        self.channel = channel
        self.run = run
        self.settings = SmtpSettings.from_config(run.section("email"))
        if self.settings.user and self.settings.password_env:
            read_secret(self.settings.password_env, environ=run.environ,
                        purpose=_("SMTP password of {user}").format(user=self.settings.user))
        self.sender = sender(run, "email")
        self.mailer = SmtpMailer(self.settings, environ=run.environ)
        # When the server cannot be reached at all, every later message would wait for the same
        # time-out; they fail at once with the same reason instead.
        self.broken: str | None = None

    def send(self, message: Message, recipient: Recipient) -> Delivery:
        from kundkit.messaging.eml import build_email

        now = self.run.now
        try:
            email = build_email(with_sender(message, self.sender), recipient, now=now,
                                message_id_domain=self.settings.message_id_domain)
        except Unreachable as exc:
            return Delivery("skipped", self.channel.name, now, detail=str(exc))
        if self.broken:
            return Delivery("failed", self.channel.name, now, detail=self.broken)
        try:
            self.mailer.open()
        except DeliveryError as exc:
            self.broken = str(exc)
            return Delivery("failed", self.channel.name, now, detail=self.broken)
        try:
            message_id = self.mailer.send(email)
        except DeliveryError as exc:
            return Delivery("failed", self.channel.name, now, detail=str(exc))
        return Delivery("sent", self.channel.name, now, detail=recipient.email or "",
                        provider_id=message_id)

    def close(self) -> dict[str, Delivery]:
        self.mailer.close()
        return {}
