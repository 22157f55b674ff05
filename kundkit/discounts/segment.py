"""``segment``: a fixed percent for every customer of a segment.

Settings::

    segment:
      percents:
        bygg: 5
        industri: 3
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.discounts.model import Offer, Order, Standing, pct_str
from kundkit.discounts.settings import PERCENT, dec
from kundkit.i18n import _


class SegmentPolicy:
    name = "segment"
    description = "A fixed percent per customer segment."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["percents"],
        "properties": {"percents": {"type": "object", "additionalProperties": PERCENT}},
    }

    @staticmethod
    def _percent(settings: dict[str, Any], customer: dict[str, Any]) -> tuple[str, Decimal | None]:
        segment = str(customer.get("segment") or "")
        value = (settings.get("percents") or {}).get(segment)
        if value is None:
            return segment, None
        return segment, dec(value, field=f"discounts.policies.segment.percents.{segment}")

    def offer(self, *, settings: dict[str, Any], customer: dict[str, Any], order: Order) -> Offer | None:
        segment, percent = self._percent(settings, customer)
        if not percent:
            return None
        reason = _("{percent} % segment discount for customers in the segment '{segment}'").format(
            percent=pct_str(percent), segment=segment)
        return Offer(self.name, reason, percent=percent, data={"segment": segment})

    def standing(self, *, settings: dict[str, Any], customer: dict[str, Any]) -> Standing:
        segment, percent = self._percent(settings, customer)
        if not percent:
            explanation = _("The segment '{segment}' has no segment discount.").format(
                segment=segment or _("(none)"))
            return Standing(self.name, explanation, facts={"segment": segment})
        return Standing(self.name, _("{percent} % on every order as a customer in the segment "
                                     "'{segment}'.").format(percent=pct_str(percent), segment=segment),
                        level=_("{percent} %").format(percent=pct_str(percent)), percent=percent,
                        facts={"segment": segment})
