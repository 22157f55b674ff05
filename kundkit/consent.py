"""May this customer be sent this message through this medium? The rules of consent.

- Marketing to a private person by e-mail or SMS needs the person's prior consent (the Swedish
  Marketing Act, 19 §, and the e-Privacy directive behind it).
- A company may be sent marketing until it opts out.
- By post or phone, marketing may go to anyone who has not said no.
- A withdrawn consent (``given: false``) stops marketing through that medium at once: every
  send-out checks it again just before each message leaves, and ``news retry`` checks it again.
- Service messages (an order confirmation, a complaint's acknowledgement) are not marketing and
  need no consent.
- Every marketing e-mail and SMS carries the business's opt-out text (``business.opt_out`` in
  ``kundkit.yaml``); :func:`opt_out_text` finds it in the customer's language.

Consents live on the customer record (``consent: {"email": {"given": true, "at", "how",
"by"}}``), written by the customer register (``customer add --consent``, ``customer edit
--consent/--withdraw``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kundkit.errors import ValidationError
from kundkit.i18n import _

# The media a consent or a preference is about: the keys of ``customer.consent`` and the values
# of ``customer.preferred_channel``.
MEDIA: tuple[str, ...] = ("email", "sms", "post", "phone")
# Media where a private person must have said yes beforehand; elsewhere silence is enough.
PRIOR_CONSENT_MEDIA: tuple[str, ...] = ("email", "sms")


@dataclass(frozen=True)
class Decision:
    """Whether a message may go out, and if not, why (one line a person reads)."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


def medium_label(medium: str) -> str:
    return {"email": _("e-mail"), "sms": _("SMS"), "post": _("post"), "phone": _("phone")}.get(
        medium, medium)


def check_medium(medium: str) -> str:
    if medium not in MEDIA:
        raise ValidationError(_("{value!r} is not a medium of consent; use one of {choices}")
                              .format(value=medium, choices=", ".join(MEDIA)), field="consent")
    return medium


def consent_entry(customer: Mapping[str, Any], medium: str) -> Mapping[str, Any] | None:
    """The customer's latest word on ``medium``, or None when the customer never said."""
    entry = (customer.get("consent") or {}).get(medium)
    return entry if isinstance(entry, Mapping) else None


def may_send(customer: Mapping[str, Any], medium: str, *, marketing: bool) -> Decision:
    """Whether ``customer`` may be sent a message through ``medium`` (email, sms, post, phone)."""
    check_medium(medium)
    if customer.get("forgotten_at"):
        return Decision(False, _("the customer's data has been erased"))
    if not marketing:
        return Decision(True)
    entry = consent_entry(customer, medium)
    label = medium_label(medium)
    if entry is not None and entry.get("given") is False:
        when = str(entry.get("at") or "")[:10]
        return Decision(False, _("withdrew consent to news by {medium} on {date}").format(
            medium=label, date=when) if when else
            _("withdrew consent to news by {medium}").format(medium=label))
    if customer.get("kind") == "company" or medium not in PRIOR_CONSENT_MEDIA:
        return Decision(True)
    if entry is not None and entry.get("given") is True:
        return Decision(True)
    return Decision(False, _("a private person needs to consent before getting news by {medium}")
                    .format(medium=label))


def opt_out_text(business: Mapping[str, Any], language: str) -> str:
    """The business's opt-out text in ``language``, else in another language it is written in;
    empty when there is none (a marketing message is then refused before anything is sent)."""
    texts = business.get("opt_out") or {}
    if not isinstance(texts, Mapping):
        return ""
    for code in (language, "sv", "en"):
        text = str(texts.get(code) or "").strip()
        if text:
            return text
    return ""

