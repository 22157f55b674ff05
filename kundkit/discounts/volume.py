"""``volume``: a percent by the size of the order itself, in money or in pieces.

Settings::

    volume:
      measure: amount           # or quantity
      tiers:
        - {from: 20000, percent: 2}
        - {from: 100000, percent: 4}

Only the lines that may be discounted count (excluded products are left out of the size too).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kundkit.discounts.model import Offer, Order, Standing, pct_str, show_money
from kundkit.discounts.settings import TIERS, tier_for, tiers
from kundkit.i18n import _


class VolumePolicy:
    name = "volume"
    description = "A percent by the size of the order (amount or quantity)."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["tiers"],
        "properties": {"measure": {"enum": ["amount", "quantity"]}, "tiers": TIERS},
    }

    @staticmethod
    def _size(settings: dict[str, Any], order: Order) -> Decimal:
        if settings.get("measure") == "quantity":
            return Decimal(order.discountable_quantity)
        return order.discountable_gross

    @staticmethod
    def _show(settings: dict[str, Any], value: Decimal, currency: str) -> str:
        if settings.get("measure") == "quantity":
            return _("{n} pieces").format(n=value)
        return show_money(value, currency)

    def offer(self, *, settings: dict[str, Any], order: Order) -> Offer | None:
        levels = tiers(settings, field="discounts.policies.volume")
        size = self._size(settings, order)
        index = tier_for(levels, size)
        if index is None:
            return None
        start, percent = levels[index]
        reason = _("{percent} % volume discount: the order of {size} reaches the level from "
                   "{start}").format(percent=pct_str(percent),
                                     size=self._show(settings, size, order.currency),
                                     start=self._show(settings, start, order.currency))
        return Offer(self.name, reason, percent=percent, data={"size": str(size)})

    def standing(self, *, settings: dict[str, Any], today: date, currency: str) -> Standing:
        levels = tiers(settings, field="discounts.policies.volume")
        steps = "; ".join(_("{percent} % from {start}").format(
            percent=pct_str(p), start=self._show(settings, s, currency)) for s, p in levels)
        return Standing(self.name, _("Every order by its size: {steps}.").format(steps=steps),
                        facts={"tiers": [{"from": str(s), "percent": pct_str(p)} for s, p in levels]})
