"""The ``sms`` channel: text messages through an HTTP SMS gateway (``sms:`` in kundkit.yaml),
to mobile numbers only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kundkit.channels.contract import Channel, ChannelRun, ChannelSession
from kundkit.errors import DeliveryError
from kundkit.i18n import _
from kundkit.messaging.models import Delivery, Message, Recipient, Unreachable

if TYPE_CHECKING:
    from kundkit.config import Config


class SmsChannel(Channel):
    name = "sms"
    consent = "sms"
    needs = "mobile"
    description = "SMS through the HTTP gateway in the sms: section; mobile numbers only"

    def unavailable(self, config: Config) -> str | None:
        section = config.section("sms", {})
        if not isinstance(section, dict) or not section.get("url"):
            return _("no sms: section with the gateway's address in kundkit.yaml")
        return None

    def open(self, run: ChannelRun) -> ChannelSession:
        return _SmsSession(self, run)


class _SmsSession(ChannelSession):
    def __init__(self, channel: SmsChannel, run: ChannelRun) -> None:
        from kundkit.messaging.smtp import read_secret
        from kundkit.messaging.sms import SmsSettings

        self.channel = channel
        self.run = run
        self.settings = SmsSettings.from_config(run.section("sms"))
        if self.settings.token_env:
            read_secret(self.settings.token_env, environ=run.environ,
                        purpose=_("SMS gateway token"))

    def send(self, message: Message, recipient: Recipient) -> Delivery:
        from kundkit.messaging.sms import send_sms

        now = self.run.now
        try:
            receipt = send_sms(message, recipient, self.settings, reference=self.run.sendout or "",
                               environ=self.run.environ)
        except Unreachable as exc:
            return Delivery("skipped", self.channel.name, now, detail=str(exc))
        except DeliveryError as exc:
            return Delivery("failed", self.channel.name, now, detail=str(exc))
        return Delivery("sent", self.channel.name, now, detail=recipient.phone or "",
                        provider_id=receipt.provider_id)
