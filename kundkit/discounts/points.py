"""``points``: loyalty points earned on net purchases, redeemable against later orders.

Settings::

    points:
      earn_every: 10       # one point per 10 (currency) of net purchases, whole points only
      point_value: 0.20    # what a point is worth when redeemed
      expiry_days: 365     # points expire this many days after the purchase that earned them
      min_redeem: 100      # the fewest points that can be redeemed
      max_share: 50        # points pay at most this percent of the discountable lines
      auto_redeem: false   # redeem whenever possible, without being asked
      segments: [privat]   # only customers of these segments take part (default: everyone)

Points are kept per customer as lots (one per earning purchase). Redemption spends the oldest
valid points first. A voided purchase gives back the points it spent and takes back those it earned
(from the remaining points, oldest first, when some of them were already spent).
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from kundkit.discounts.model import ZERO, History, Offer, Order, Standing, show_money
from kundkit.discounts.settings import NUMBER, PERCENT, dec
from kundkit.i18n import _
from kundkit.money import percent_of, round_money

FIELD = "discounts.policies.points"


def balance(state: dict[str, Any], day: date) -> int:
    """The points valid on ``day``."""
    key = day.isoformat()
    return sum(lot["left"] for lot in state.get("lots", []) if lot["expires"] > key)


def _whole(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _valid_lots(state: dict[str, Any], day: date) -> list[dict[str, Any]]:
    key = day.isoformat()
    lots = [lot for lot in state.get("lots", []) if lot["expires"] > key and lot["left"] > 0]
    return sorted(lots, key=lambda lot: (lot["earned"], lot["purchase"]))


def _take(lots: list[dict[str, Any]], points: int, spender: str | None) -> int:
    """Take ``points`` from ``lots`` oldest first; returns what could not be taken."""
    for lot in lots:
        if points <= 0:
            break
        used = min(lot["left"], points)
        lot["left"] -= used
        points -= used
        if spender is not None:
            lot.setdefault("used_by", {})[spender] = lot.get("used_by", {}).get(spender, 0) + used
    return points


class PointsPolicy:
    name = "points"
    description = "Loyalty points earned on net purchases, with an expiry, redeemable later."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["earn_every", "point_value"],
        "properties": {
            "earn_every": NUMBER,
            "point_value": NUMBER,
            "expiry_days": {"type": "integer", "minimum": 1},
            "min_redeem": {"type": "integer", "minimum": 1},
            "max_share": PERCENT,
            "auto_redeem": {"type": "boolean"},
            "segments": {"type": "array", "items": {"type": "string"}},
        },
    }

    @staticmethod
    def _takes_part(settings: dict[str, Any], customer: dict[str, Any]) -> bool:
        segments = settings.get("segments")
        return not segments or customer.get("segment") in segments

    @staticmethod
    def _numbers(settings: dict[str, Any]) -> tuple[Decimal, Decimal, int, int, Decimal]:
        every = dec(settings.get("earn_every"), field=f"{FIELD}.earn_every")
        value = dec(settings.get("point_value"), field=f"{FIELD}.point_value")
        expiry = int(settings.get("expiry_days") or 365)
        minimum = int(settings.get("min_redeem") or 1)
        share = dec(settings.get("max_share", 100), field=f"{FIELD}.max_share")
        return every, value, expiry, minimum, share

    def offer(self, *, settings: dict[str, Any], customer: dict[str, Any], history: History,
              order: Order) -> Offer | None:
        if not self._takes_part(settings, customer):
            return None
        redeem = order.redeem_points
        if redeem is None:
            redeem = bool(settings.get("auto_redeem", False))
        if not redeem:
            return None
        _every, value, _expiry, minimum, share = self._numbers(settings)
        have = balance(dict(history.state), order.date)
        if have < minimum or value <= 0:
            return None
        limit = percent_of(order.discountable_gross, share, order.currency)
        points = min(have, _whole(limit / value))
        if points < minimum:
            return None
        amount = round_money(points * value, order.currency)
        reason = _("{points} loyalty points redeemed, worth {amount} ({have} points available)").format(
            points=points, amount=show_money(amount, order.currency), have=have)
        return Offer(self.name, reason, amount=amount, data={"points": points})

    def shrink(self, *, settings: dict[str, Any], offer: Offer, amount: Decimal) -> Offer:
        # Only whole points are spent, so a cut-down redemption is rounded down to whole points.
        _every, value, *_rest = self._numbers(settings)
        points = _whole(amount / value) if value > 0 else 0
        return Offer(offer.policy, offer.reason, amount=(points * value).quantize(Decimal("0.01")),
                     data={**offer.data, "points": points})

    def on_purchase(self, *, settings: dict[str, Any], customer: dict[str, Any], history: History,
                    purchase: dict[str, Any]) -> dict[str, Any] | None:
        if not self._takes_part(settings, customer) and not history.state.get("lots"):
            return None
        every, _value, expiry, _minimum, _share = self._numbers(settings)
        day = date.fromisoformat(purchase["date"])
        state = copy.deepcopy(dict(history.state)) or {"lots": []}
        key = day.isoformat()
        state["lots"] = [lot for lot in state.get("lots", []) if lot["expires"] > key]
        for part in (purchase.get("discount") or {}).get("parts", []):
            if part.get("policy") == self.name and Decimal(part.get("applied", "0")) > 0:
                _take(_valid_lots(state, day), int(part.get("data", {}).get("points", 0)),
                      purchase["id"])
        earned = _whole(Decimal(purchase["net"]) / every) if every > 0 else 0
        if not self._takes_part(settings, customer):
            earned = 0  # moved out of the scheme's segments: spends what is left, earns no more
        if earned > 0:
            state["lots"].append({"purchase": purchase["id"], "earned": key,
                                  "expires": (day + timedelta(days=expiry)).isoformat(),
                                  "points": earned, "left": earned})
        return state

    def on_void(self, *, settings: dict[str, Any], customer: dict[str, Any], history: History,
                purchase: dict[str, Any], credit: dict[str, Any]) -> dict[str, Any] | None:
        if not history.state.get("lots"):
            return None  # nothing was earned or spent: nothing to give or take back
        state = copy.deepcopy(dict(history.state)) or {"lots": []}
        pid = purchase["id"]
        clawback = 0
        kept = []
        for lot in state.get("lots", []):
            given = lot.get("used_by", {}).pop(pid, 0)
            lot["left"] += given
            if lot["purchase"] == pid:
                clawback += lot["points"] - lot["left"]
                continue
            kept.append(lot)
        state["lots"] = kept
        if clawback:
            _take(_valid_lots(state, date.fromisoformat(credit["date"])), clawback, None)
        return state

    def standing(self, *, settings: dict[str, Any], customer: dict[str, Any], history: History,
                 today: date, currency: str) -> Standing:
        if not self._takes_part(settings, customer) and not history.state.get("lots"):
            return Standing(self.name, _("Loyalty points are for customers in the segments {segments}.").format(
                segments=", ".join(settings.get("segments") or [])))
        every, value, _expiry, minimum, _share = self._numbers(settings)
        state = dict(history.state)
        have = balance(state, today)
        lots = _valid_lots(state, today)
        worth = round_money(have * value, currency)
        facts: dict[str, Any] = {"balance": have, "worth": str(worth), "min_redeem": minimum}
        lapses = None
        explanation = _("{points} points, worth {worth}; one point per {every} of net purchases.").format(
            points=have, worth=show_money(worth, currency), every=show_money(every, currency))
        if lots:
            lapses = date.fromisoformat(lots[0]["expires"])
            expiring = sum(lot["left"] for lot in lots if lot["expires"] == lots[0]["expires"])
            facts.update(next_expiry=lapses.isoformat(), expiring=expiring)
            explanation += " " + _("{n} of them expire on {date}.").format(n=expiring,
                                                                          date=lapses.isoformat())
        next_level = needed = None
        if have < minimum:
            next_level = _("redeemable from {n} points").format(n=minimum)
            missing = minimum - have
            needed = _("{n} more points (about {amount} in purchases)").format(
                n=missing, amount=show_money(max(every * missing, ZERO), currency))
        return Standing(self.name, explanation, level=_("{n} points").format(n=have),
                        next_level=next_level, needed=needed, lapses=lapses, facts=facts)
