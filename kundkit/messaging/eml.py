"""Standard e-mail (RFC 5322) from a :class:`Message`, and ``.eml`` files in an outbox folder.

The same :class:`~email.message.EmailMessage` is what the SMTP transport sends, so a message in
the outbox is byte for byte what a server would have received. Bodies are UTF-8 in
quoted-printable, so Swedish text survives every server, including those without 8BITMIME.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.messaging.files import safe_slug, unique_name, write_new_file
from kundkit.messaging.models import Message, Recipient, Unreachable, text_with_opt_out
from kundkit.messaging.schemas import OUTBOX_SCHEMA

# Headers kundkit writes itself; a caller's ``Message.headers`` may not replace them.
MANAGED_HEADERS = frozenset(h.lower() for h in (
    "From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type",
    "Content-Transfer-Encoding", "List-Unsubscribe", "List-Unsubscribe-Post"))
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-]*")


@dataclass(frozen=True)
class OutboxSettings:
    """The ``outbox:`` section of ``kundkit.yaml`` (see :data:`OUTBOX_SCHEMA`)."""

    folder: str = "outbox"
    sender: str = ""
    message_id_domain: str | None = None

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> OutboxSettings:
        known = set(OUTBOX_SCHEMA["properties"])
        return cls(**{key: value for key, value in section.items() if key in known})


def sender_address(sender: str) -> Address:
    """``"Firma AB <info@firma.se>"`` → an Address; a clear error when it is not one."""
    name, addr = parseaddr(sender or "")
    if not addr or "@" not in addr:
        raise ValidationError(
            _("The sender {sender!r} is not an e-mail address such as 'Firma AB <info@firma.se>'")
            .format(sender=sender), field="sender")
    try:
        return Address(display_name=name, addr_spec=addr)
    except (ValueError, IndexError) as exc:
        raise ValidationError(
            _("The sender {sender!r} is not a valid e-mail address: {reason}")
            .format(sender=sender, reason=exc), field="sender") from None


def recipient_address(recipient: Recipient) -> Address:
    if not recipient.email:
        raise Unreachable(_("Customer {id} has no e-mail address").format(id=recipient.customer_id))
    try:
        address = Address(display_name=recipient.name, addr_spec=recipient.email.strip())
    except (ValueError, IndexError):
        address = None
    if address is None or "@" not in address.addr_spec:
        raise Unreachable(_("Customer {id}: {email!r} is not a valid e-mail address")
                          .format(id=recipient.customer_id, email=recipient.email))
    return address


def unsubscribe_uri(message: Message, sender: Address) -> str:
    """Where the List-Unsubscribe header points: the message's own address, else a mail to the
    sender asking to unsubscribe."""
    uri = (message.unsubscribe or "").strip()
    if not uri:
        return f"mailto:{sender.addr_spec}?subject=unsubscribe"
    if not re.fullmatch(r"(mailto:|https://)[^\s<>]+", uri):
        raise ValidationError(
            _("The unsubscribe address {uri!r} must be a mailto: or https:// address")
            .format(uri=uri), field="unsubscribe")
    return uri


def _html_with_opt_out(html: str, opt_out: str) -> str:
    note = f'<p class="opt-out">{html_lib.escape(opt_out.strip())}</p>'
    closing = html.lower().rfind("</body>")
    if closing < 0:
        return f"{html.rstrip()}\n{note}\n"
    return f"{html[:closing]}{note}\n{html[closing:]}"


def _one_line(value: str) -> str:
    # A line break in a header value would let it start a new header: never allowed.
    return " ".join(value.split())


def build_email(message: Message, recipient: Recipient, *, now: datetime,
                message_id_domain: str | None = None) -> EmailMessage:
    """The e-mail for ``recipient``: From, To, Subject, Date (``now``), Message-ID, the text in
    UTF-8, the HTML body as an alternative when there is one, and for marketing the opt-out text
    and a ``List-Unsubscribe`` header (plus ``List-Unsubscribe-Post`` for an https address)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(_("The time of a message must carry a time zone"), field="now")
    sender = sender_address(message.sender)
    to = recipient_address(recipient)
    subject = _one_line(message.subject)
    if not subject:
        raise ValidationError(_("The message has no subject"), field="subject")

    email = EmailMessage(policy=policy.default)
    email["From"] = sender
    email["To"] = to
    email["Subject"] = subject
    email["Date"] = format_datetime(now)
    email["Message-ID"] = make_msgid(domain=message_id_domain or sender.domain)
    if message.marketing:
        uri = unsubscribe_uri(message, sender)
        email["List-Unsubscribe"] = f"<{uri}>"
        if uri.startswith("https://"):
            # RFC 8058 one-click: mail programs POST to the https address instead of opening it.
            email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in message.headers.items():
        if not _HEADER_NAME.fullmatch(name) or name.lower() in MANAGED_HEADERS:
            raise ValidationError(
                _("The header {name!r} cannot be set on a message").format(name=name),
                field="headers")
        email[name] = _one_line(value)

    text = text_with_opt_out(message)
    email.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if message.html:
        body = _html_with_opt_out(message.html, message.opt_out) if message.marketing \
            else message.html
        email.add_alternative(body, subtype="html", charset="utf-8", cte="quoted-printable")
    return email


def email_bytes(email: EmailMessage) -> bytes:
    """The message as it travels: CRLF line ends, every header folded to RFC 5322 limits."""
    return email.as_bytes(policy=policy.SMTP)


def write_eml(email: EmailMessage, folder: Path, *, customer_id: str, now: datetime) -> Path:
    """Write ``email`` as a new ``.eml`` file in ``folder`` and return its path.

    The name is ``<UTC time>-<customer id, reduced to letters and digits>-<random>.eml``: sortable,
    recognisable, never two alike, and never containing anything a customer typed verbatim. The
    file appears whole or not at all (see :func:`~kundkit.messaging.files.write_new_file`).
    """
    from datetime import timezone

    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stem = f"{stamp}-{safe_slug(customer_id)}"
    return write_new_file(Path(folder), lambda: unique_name(stem, ".eml"), email_bytes(email))
