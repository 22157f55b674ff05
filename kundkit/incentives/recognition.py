"""``recognition``: a title such as "Employee of the month" for the highest weighted sales.

Settings::

    manadens-saljare:
      uses: recognition
      every: month               # or quarter: "employee of the quarter"
      title: Månadens säljare
      min_attainment: 100        # optional: only someone who reached this per cent of their target
      tie: attainment            # share (default): everyone tied gets the title;
                                 # attainment: the higher attainment wins, and if that ties too,
                                 # the title is shared

Weighted sales are compared as they are shown, rounded to the currency's minor unit, so that two
people who see the same figure are tied. Nobody is recognised for sales of zero or less.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.contribution import StaffResult
from kundkit.i18n import _
from kundkit.incentives.model import Reward, number
from kundkit.incentives.text import show_money, show_percent
from kundkit.plans import Period

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["title"],
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "min_attainment": {"type": "number", "minimum": 0, "description": "per cent of the personal target"},
        "tie": {"enum": ["share", "attainment"]},
    },
}


class Recognition:
    name = "recognition"
    description = "A title for the highest weighted sales, with a stated tie rule."
    schema = SCHEMA

    def rewards(self, *, period: Period, results: list[StaffResult], settings: dict[str, Any],
                currency: str) -> list[Reward]:
        from kundkit.money import round_money

        minimum = number(settings["min_attainment"]) if settings.get("min_attainment") is not None else None
        candidates = [r for r in results if r.weighted > 0 and (
            minimum is None or (r.attainment is not None and r.attainment * 100 >= minimum))]
        if not candidates:
            return []
        shown = {r.staff: round_money(r.weighted, currency) for r in candidates}
        top = max(shown.values())
        winners = [r for r in candidates if shown[r.staff] == top]
        tie_note = ""
        if len(winners) > 1 and settings.get("tie", "share") == "attainment":
            tied = winners
            best = max((r.attainment for r in tied if r.attainment is not None), default=None)
            if best is not None:
                winners = [r for r in tied if r.attainment == best]
                if len(winners) < len(tied):
                    tie_note = _("tied on weighted sales with {others}; the higher attainment "
                                 "({attained}) decides").format(
                        others=", ".join(r.staff for r in tied if r not in winners),
                        attained=show_percent(best * 100, 2))
        if len(winners) > 1:
            tie_note = _("shared: tied on weighted sales")
        title = str(settings["title"])
        out = []
        for winner in sorted(winners, key=lambda r: r.staff):
            reason = _("{title} {period}: the highest weighted sales, {amount}").format(
                title=title, period=period, amount=show_money(shown[winner.staff], currency))
            if minimum is not None:
                reason += "; " + _("attainment {attained} (at least {minimum} needed)").format(
                    attained=show_percent(winner.attainment * 100 if winner.attainment is not None
                                          else Decimal(0), 2),
                    minimum=show_percent(minimum))
            if tie_note:
                reason += "; " + tie_note
            out.append(Reward(winner.staff, "recognition", reason, item=title))
        return out
