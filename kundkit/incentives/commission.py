"""``commission``: a rate on weighted sales, optionally by tiers of attainment, capped per period.

Settings (percentages are of weighted sales; tier thresholds are per cent of the personal target)::

    provision:
      uses: commission
      rate: 1.5            # the rate without tiers, or for a seller without a personal target
      tiers:               # optional; ascending thresholds
        - {from: 0, rate: 1.5}
        - {from: 100, rate: 3}   # an accelerator: 3 % on what is sold above 100 % of the target
      apply: marginal      # marginal (default): each tier's rate on the sales within its band;
                           # whole: the rate of the highest tier reached, on all weighted sales
      cap: 25000           # at most this much per period and person

Weighted sales below zero (more credited than sold) earn nothing; nothing is clawed back here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.contribution import StaffResult
from kundkit.i18n import _
from kundkit.incentives.model import Reward, number
from kundkit.incentives.text import show_money, show_percent

_PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
_MONEY = {"type": ["number", "string"], "description": "an amount, e.g. 25000 or \"25 000\""}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "rate": {**_PERCENT, "description": "per cent of weighted sales"},
        "tiers": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["from", "rate"],
                "properties": {"from": {"type": "number", "minimum": 0}, "rate": _PERCENT},
            },
        },
        "apply": {"enum": ["marginal", "whole"]},
        "cap": _MONEY,
    },
    "anyOf": [{"required": ["rate"]}, {"required": ["tiers"]}],
}


def money_setting(value: Any, currency: str, field: str) -> Decimal:
    from kundkit.money import to_money

    return to_money(str(value) if isinstance(value, float) else value, currency, field=field)


def _tiers(settings: dict[str, Any]) -> list[tuple[Decimal, Decimal]]:
    return sorted((number(t["from"]), number(t["rate"])) for t in settings.get("tiers") or [])


class Commission:
    name = "commission"
    description = "A rate on weighted sales, by tiers of attainment with accelerators, capped."
    schema = SCHEMA

    def rewards(self, *, results: list[StaffResult], settings: dict[str, Any],
                currency: str) -> list[Reward]:
        out = []
        for result in results:
            reward = self.reward_for(result, settings, currency)
            if reward is not None:
                out.append(reward)
        return out

    def reward_for(self, result: StaffResult, settings: dict[str, Any], currency: str) -> Reward | None:
        from kundkit.money import round_money

        weighted = result.weighted
        if weighted <= 0:
            return None
        tiers = _tiers(settings)
        base = number(settings["rate"]) if settings.get("rate") is not None else None
        parts: list[str] = []
        if not tiers or result.target is None:
            if base is None:
                return None  # tiers need a personal target, and no base rate was given
            amount = weighted * base / 100
            parts.append(_("{rate} of weighted sales {amount}").format(
                rate=show_percent(base, 2), amount=show_money(weighted, currency)))
            if tiers:
                parts.append(_("no personal target, so the base rate"))
        elif settings.get("apply", "marginal") == "whole":
            attained = weighted / result.target * 100
            reached = [(start, rate) for start, rate in tiers if attained >= start]
            if not reached:
                return None
            start, rate = reached[-1]
            amount = weighted * rate / 100
            parts.append(_("{rate} of weighted sales {amount} (attainment {attained} reached the "
                           "{start} tier)").format(rate=show_percent(rate, 2),
                                                   amount=show_money(weighted, currency),
                                                   attained=show_percent(attained),
                                                   start=show_percent(start)))
        else:
            amount = Decimal(0)
            for index, (start, rate) in enumerate(tiers):
                low = result.target * start / 100
                high = result.target * tiers[index + 1][0] / 100 if index + 1 < len(tiers) else None
                portion = (weighted if high is None else min(weighted, high)) - low
                if portion <= 0:
                    continue
                amount += portion * rate / 100
                parts.append(_("{rate} of {portion} (from {start} of target)").format(
                    rate=show_percent(rate, 2), portion=show_money(portion, currency),
                    start=show_percent(start)))
            if not parts:
                return None
        amount = round_money(amount, currency)
        cap = settings.get("cap")
        if cap is not None:
            limit = money_setting(cap, currency, "cap")
            if amount > limit:
                parts.append(_("capped at {cap} (was {amount})").format(
                    cap=show_money(limit, currency), amount=show_money(amount, currency)))
                amount = limit
        if amount <= 0:
            return None
        return Reward(result.staff, "cash", _("commission: {parts}").format(parts="; ".join(parts)),
                      amount=amount)
