"""Rendering messages and carrying them to customers: e-mail, ``.eml`` outbox, SMS, letters.

The pure transport layer under the channel plugins. Nothing here reads the store: callers pass
:class:`Recipient` and :class:`Message` records and get back what happened.

- :mod:`.templates`: Jinja2 templates per language, sandboxed, strict;
- :mod:`.eml`: RFC 5322 e-mail and ``.eml`` files; :mod:`.smtp`: sending it;
- :mod:`.sms`: an HTTP SMS gateway; :mod:`.letter`: one PDF of letters per send-out;
- :mod:`.schemas`: the JSON Schemas of their ``kundkit.yaml`` sections.
"""

from __future__ import annotations

from kundkit.messaging.models import (
    Delivery,
    Message,
    Recipient,
    Unreachable,
    attempt,
    text_with_opt_out,
)

__all__ = ["Delivery", "Message", "Recipient", "Unreachable", "attempt", "text_with_opt_out"]
