"""``cumulative``: a percent that grows with the customer's net purchases over a rolling window.

Settings::

    cumulative:
      window_days: 365          # the window ends with the day of the order, which it includes
      tiers:
        - {from: 10000, percent: 3}
        - {from: 50000, percent: 5}

The order itself does not count towards its own tier; purchases recorded earlier the same day do.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from kundkit.discounts.model import History, Offer, Order, Standing, pct_str, show_money
from kundkit.discounts.settings import TIERS, tier_for, tiers
from kundkit.i18n import _

DEFAULT_WINDOW = 365


def window_of(settings: dict[str, Any]) -> int:
    return int(settings.get("window_days") or DEFAULT_WINDOW)


def lapse_date(history: History, today: date, days: int, threshold: Decimal) -> date | None:
    """The first day on which the window's net falls below ``threshold`` if nothing more is bought."""
    first = today - timedelta(days=days - 1)
    running = history.net_in_window(today, days)
    # A day's net leaves the window ``days`` days after it; walk those departures in order.
    for day in sorted(d for d in history.daily if first.isoformat() <= d <= today.isoformat()):
        running -= history.daily[day]
        if running < threshold:
            return date.fromisoformat(day) + timedelta(days=days)
    return None


class CumulativePolicy:
    name = "cumulative"
    description = "A percent by the customer's net purchases over a rolling window."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["tiers"],
        "properties": {"window_days": {"type": "integer", "minimum": 1}, "tiers": TIERS},
    }

    def offer(self, *, settings: dict[str, Any], history: History, order: Order) -> Offer | None:
        levels = tiers(settings, field="discounts.policies.cumulative")
        days = window_of(settings)
        total = history.net_in_window(order.date, days)
        index = tier_for(levels, total)
        if index is None:
            return None
        start, percent = levels[index]
        reason = _("{percent} % cumulative discount: net purchases of {total} in the {days} days up "
                   "to {date} reach the level from {start}").format(
            percent=pct_str(percent), total=show_money(total, order.currency), days=days,
            date=order.date.isoformat(), start=show_money(start, order.currency))
        return Offer(self.name, reason, percent=percent,
                     data={"window_net": str(total), "level_from": str(start)})

    def standing(self, *, settings: dict[str, Any], history: History, today: date,
                 currency: str) -> Standing:
        levels = tiers(settings, field="discounts.policies.cumulative")
        days = window_of(settings)
        total = history.net_in_window(today, days)
        index = tier_for(levels, total)
        nxt = levels[0] if index is None else (levels[index + 1] if index + 1 < len(levels) else None)
        facts: dict[str, Any] = {"window_days": days, "window_net": str(total)}
        level = percent = lapses = None
        if index is None:
            explanation = _("Net purchases of {total} in the last {days} days: below the first level "
                            "({start}).").format(total=show_money(total, currency), days=days,
                                                 start=show_money(levels[0][0], currency))
        else:
            start, percent = levels[index]
            level = _("{percent} %").format(percent=pct_str(percent))
            lapses = lapse_date(history, today, days, start)
            explanation = _("Net purchases of {total} in the last {days} days give {percent} % "
                            "(level from {start}).").format(
                total=show_money(total, currency), days=days, percent=pct_str(percent),
                start=show_money(start, currency))
        needed = next_level = None
        if nxt is not None:
            next_level = _("{percent} %").format(percent=pct_str(nxt[1]))
            missing = nxt[0] - total
            needed = _("{amount} more in net purchases within the window").format(
                amount=show_money(missing, currency))
            facts["needed_amount"] = str(missing)
        return Standing(self.name, explanation, level=level, percent=percent, next_level=next_level,
                        needed=needed, lapses=lapses, facts=facts)
