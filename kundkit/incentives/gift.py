"""``gift``: a gift from the catalogue, by level of attainment, within a budget per period.

The catalogue is ``incentives.gifts`` in kundkit.yaml: household or computer equipment, gift cards,
event tickets. Personal items, clothing and jewellery are never gifts: such an item is refused when
the configuration is read (:mod:`kundkit.incentives.settings`). Settings::

    gava:
      uses: gift
      levels:                       # per cent of the personal target → a catalogue item
        - {attainment: 90, gift: hockey}
        - {attainment: 110, gift: espresso}
      budget: 8000                  # the gifts of one period cost at most this (optional)

Each person gets at most one gift from the scheme: that of the highest level reached. The budget is
spent on the highest attainment first (then the higher weighted sales, then the staff id); when the
gift of someone's level no longer fits in what is left, the gift of the highest lower level that
fits is given instead, and when none fits, none.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.contribution import StaffResult
from kundkit.i18n import _
from kundkit.incentives.commission import money_setting
from kundkit.incentives.model import Gift, Reward, number
from kundkit.incentives.text import show_money, show_percent

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["levels"],
    "properties": {
        "levels": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["attainment", "gift"],
                "properties": {
                    "attainment": {"type": "number", "minimum": 0,
                                   "description": "per cent of the personal target"},
                    "gift": {"type": "string", "description": "the id of an item in incentives.gifts"},
                },
            },
        },
        "budget": {"type": ["number", "string"], "description": "an amount, e.g. 8000"},
    },
}


class GiftScheme:
    name = "gift"
    description = "A gift from the catalogue by level of attainment, within a budget."
    schema = SCHEMA

    def rewards(self, *, results: list[StaffResult], settings: dict[str, Any], currency: str,
                gifts: dict[str, Gift]) -> list[Reward]:
        levels = sorted((number(level["attainment"]), gifts[level["gift"]])
                        for level in settings["levels"])
        left = (money_setting(settings["budget"], currency, "budget")
                if settings.get("budget") is not None else None)
        ranked = sorted((r for r in results if r.attainment is not None and r.weighted > 0),
                        key=lambda r: (-r.attainment, -r.weighted, r.staff))  # type: ignore[operator]
        out = []
        for result in ranked:
            attained = result.attainment * 100  # type: ignore[operator]
            reached = [(start, gift) for start, gift in levels if attained >= start]
            if not reached:
                continue
            best = reached[-1]
            fitting = [(start, gift) for start, gift in reached if left is None or gift.value <= left]
            if not fitting:
                continue
            start, gift = fitting[-1]
            reason = _("gift: attainment {attained} reached the {level} level").format(
                attained=show_percent(attained, 2), level=show_percent(best[0]))
            if (start, gift) != best:
                reason += "; " + _("the budget left ({left}) did not cover {wanted} ({value}), so "
                                   "the gift of the {level} level").format(
                    left=show_money(left or Decimal(0), currency), wanted=best[1].name,
                    value=show_money(best[1].value, currency), level=show_percent(start))
            if left is not None:
                left -= gift.value
            out.append(Reward(result.staff, "gift", reason, amount=gift.value, item=gift.name))
        return out
