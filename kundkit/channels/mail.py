"""What the two e-mail channels (outbox and SMTP) share: the sender address."""

from __future__ import annotations

from dataclasses import replace

from kundkit.channels.contract import ChannelRun
from kundkit.errors import ConfigError
from kundkit.i18n import _
from kundkit.messaging.models import Message


def sender(run: ChannelRun, section: str) -> str:
    """From: the channel's own ``sender``, else the other e-mail section's, else
    ``business.name <business.email>``."""
    for name in (section, "email", "outbox"):
        value = str(run.section(name).get("sender") or "").strip()
        if value:
            return value
    business = run.business
    address = str(business.get("email") or "").strip()
    if not address:
        raise ConfigError(_("E-mail needs a sender: set {section}.sender or business.email in "
                            "kundkit.yaml").format(section=section))
    name = str(business.get("name") or "").replace('"', "'")
    return f'"{name}" <{address}>' if name else address


def with_sender(message: Message, address: str) -> Message:
    return message if message.sender else replace(message, sender=address)
