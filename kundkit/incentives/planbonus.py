"""``plan-bonus``: a cash bonus when personal attainment reaches a threshold, scaled above it,
capped.

Settings::

    planbonus:
      uses: plan-bonus
      threshold: 100     # per cent of the personal target
      amount: 3000       # paid at the threshold
      per_point: 200     # and this much more per percentage point above it (fractions count)
      cap: 10000         # at most this much per period and person

Someone without a personal target gets no plan bonus: there is nothing to attain.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.contribution import StaffResult
from kundkit.i18n import _
from kundkit.incentives.commission import money_setting
from kundkit.incentives.model import Reward, number
from kundkit.incentives.text import show_money, show_number, show_percent

_MONEY = {"type": ["number", "string"], "description": "an amount, e.g. 3000 or \"3 000\""}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["threshold", "amount"],
    "properties": {
        "threshold": {"type": "number", "minimum": 0, "description": "per cent of the personal target"},
        "amount": _MONEY,
        "per_point": _MONEY,
        "cap": _MONEY,
    },
}


class PlanBonus:
    name = "plan-bonus"
    description = "A cash bonus from a threshold of personal attainment, scaled above it, capped."
    schema = SCHEMA

    def rewards(self, *, results: list[StaffResult], settings: dict[str, Any],
                currency: str) -> list[Reward]:
        from kundkit.money import round_money

        threshold = number(settings["threshold"])
        base = money_setting(settings["amount"], currency, "amount")
        per_point = (money_setting(settings["per_point"], currency, "per_point")
                     if settings.get("per_point") is not None else Decimal(0))
        cap = money_setting(settings["cap"], currency, "cap") if settings.get("cap") is not None else None
        out = []
        for result in results:
            if result.target is None or result.attainment is None:
                continue
            attained = result.attainment * 100
            if attained < threshold:
                continue
            points = attained - threshold
            amount = round_money(base + per_point * points, currency)
            if per_point and points:
                reason = _("plan bonus: attainment {attained} ≥ {threshold}: {base} + {per_point} × "
                           "{points} points").format(attained=show_percent(attained, 2),
                                                     threshold=show_percent(threshold),
                                                     base=show_money(base, currency),
                                                     per_point=show_money(per_point, currency),
                                                     points=show_number(points, 2))
            else:
                reason = _("plan bonus: attainment {attained} ≥ {threshold}").format(
                    attained=show_percent(attained, 2), threshold=show_percent(threshold))
            if cap is not None and amount > cap:
                reason += "; " + _("capped at {cap} (was {amount})").format(
                    cap=show_money(cap, currency), amount=show_money(amount, currency))
                amount = cap
            if amount > 0:
                out.append(Reward(result.staff, "cash", reason, amount=amount))
        return out
