"""A template rendered for one customer and made into a :class:`Message` ready for a channel.

Besides ``customer``, ``language``, ``today`` and ``now`` (given by the template library), a
template sees:

- ``business``: the business's name, address (a list of lines), phone, email and website;
- ``manager``: the customer's permanent manager (``manager.name``, ``manager.email``; empty
  texts when the customer has none);
- ``contact``: the contact person of a company (None for a private person or when not known):
  ``Hej {{ contact or customer.name }}!``.

A marketing message gets the business's opt-out text in the customer's language; one without
an opt-out text to give is refused before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kundkit.consent import opt_out_text
from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.messaging.models import Message, Recipient

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.messaging.templates import RenderedTemplate, TemplateLibrary
    from kundkit.store import Transaction

DEFAULT_TEMPLATES = "templates"
_BUSINESS_KEYS = ("name", "address", "phone", "email", "website", "orgnr")


def template_library(ctx: Context) -> TemplateLibrary:
    from kundkit.messaging.templates import TemplateLibrary

    config = ctx.config
    section = config.section("channels", {}) or {}
    folder = config.resolve(str(section.get("templates") or DEFAULT_TEMPLATES))
    return TemplateLibrary(folder, default_language=config.language, currency=config.currency)


@dataclass
class Composer:
    """Renders one template (or passes one message) for many customers."""

    library: TemplateLibrary
    business: dict[str, Any]
    now: datetime
    staff: dict[str, dict[str, str]] = field(default_factory=dict)
    unsubscribe: str | None = None

    @classmethod
    def for_context(cls, ctx: Context, tx: Transaction) -> Composer:
        """A composer for this business; reads the staff (for ``manager``) in ``tx``."""
        staff = {str(r.get("id")): {"id": str(r.get("id")), "name": str(r.get("name") or ""),
                                    "email": str(r.get("email") or "")}
                 for r in tx.raw("staff").values()}
        section = ctx.config.section("channels", {}) or {}
        return cls(library=template_library(ctx), business=dict(ctx.config.section("business", {})),
                   now=ctx.now(), staff=staff, unsubscribe=section.get("unsubscribe"))

    def variables(self, customer: Mapping[str, Any]) -> dict[str, Any]:
        manager = self.staff.get(str(customer.get("manager") or ""),
                                 {"id": "", "name": "", "email": ""})
        business = {key: self.business.get(key) or ("" if key != "address" else [])
                    for key in _BUSINESS_KEYS}
        contact = customer.get("contact") if customer.get("kind") == "company" else None
        return {"business": business, "manager": manager, "contact": contact or None}

    def render(self, template: str, customer: Mapping[str, Any], recipient: Recipient,
               extra: Mapping[str, Any] | None = None) -> RenderedTemplate:
        return self.library.render(template, recipient, {**self.variables(customer),
                                                         **(extra or {})}, now=self.now)

    def message(self, rendered: RenderedTemplate, *, marketing: bool) -> Message:
        return self.finish(Message(subject=rendered.subject, text=rendered.text,
                                   html=rendered.html, marketing=marketing),
                           rendered.language)

    def finish(self, message: Message, language: str) -> Message:
        """``message`` with the opt-out text and unsubscribe address it needs."""
        from dataclasses import replace

        if not message.marketing:
            return message
        opt_out = message.opt_out or opt_out_text(self.business, language)
        if not opt_out:
            raise ValidationError(
                _("Marketing needs the business's opt-out text: add business.opt_out.{language} "
                  "to kundkit.yaml").format(language=language), field="business.opt_out")
        return replace(message, opt_out=opt_out,
                       unsubscribe=message.unsubscribe or self.unsubscribe)


def is_marketing(rendered: RenderedTemplate, default: bool) -> bool:
    """What the template says in its front matter (``marketing: yes|no``), else ``default``."""
    return default if rendered.marketing is None else rendered.marketing
