"""The discount-policy contract: what a policy is given and what it answers.

A policy is an object with a ``name`` that a plugin registers through ``register_discount_policies``.
kundkit calls its methods with keyword arguments only, and passes only the arguments a method
declares, so a method may leave out what it does not need and kundkit can add arguments later
without breaking a policy:

``offer(*, settings, customer, history, order) -> Offer | None``
    The discount this policy gives the new ``order`` (required).
``standing(*, settings, customer, history, today) -> Standing | None``
    The customer's current level, what is needed for the next one and when it lapses (optional).
``on_purchase(*, settings, customer, history, purchase) -> dict | None``
    Update the policy's own per-customer state after a sale (optional; e.g. points earned/spent).
    Return the new state (a JSON-safe dict) or None to leave it unchanged.
``on_void(*, settings, customer, history, purchase, credit) -> dict | None``
    The same when a purchase is voided by a credit note (optional).
``shrink(*, settings, offer, amount) -> Offer``
    The offer cut down to ``amount`` when a cap applies (optional; default: the same offer with the
    smaller amount).

and optionally ``description`` (one line, shown by ``kundkit discount policies``) and ``schema``
(the JSON Schema of its settings under ``discounts.policies.<name>`` in kundkit.yaml).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class OrderLine:
    """One line of an order, with the facts of the product at the time of sale."""

    sku: str
    quantity: int
    unit_price: Decimal
    name: str = ""
    category: str = ""
    weight: Decimal | None = None
    locomotive: bool = False
    discountable: bool = True  # False when the product or its category is excluded from discounts

    @property
    def gross(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True)
class Order:
    """A new order, before any discount."""

    customer: str
    date: date
    lines: tuple[OrderLine, ...]
    currency: str = "SEK"
    seller: str | None = None
    redeem_points: bool | None = None  # None: as the points policy's ``auto_redeem`` says

    @property
    def gross(self) -> Decimal:
        return sum((line.gross for line in self.lines), ZERO)

    @property
    def discountable_gross(self) -> Decimal:
        """The gross of the lines that may be discounted (excluded products left out)."""
        return sum((line.gross for line in self.lines if line.discountable), ZERO)

    @property
    def discountable_quantity(self) -> int:
        return sum(line.quantity for line in self.lines if line.discountable)


@dataclass
class History:
    """What a policy may know about the customer's past, kept at hand so that a sale never scans
    the purchase history.

    ``daily`` is the net of the customer's purchases per day (ISO date → amount; a voided purchase
    is taken off the day it was made). ``state`` is this policy's own per-customer state, as its
    ``on_purchase``/``on_void`` last returned it. ``purchases()`` loads every purchase of the
    customer: slow on a large store, meant for reports rather than for a sale.
    """

    customer: str
    daily: Mapping[str, Decimal] = field(default_factory=dict)
    state: Mapping[str, Any] = field(default_factory=dict)
    loader: Callable[[], list[dict[str, Any]]] | None = None

    def net_between(self, first: date, last: date) -> Decimal:
        """The net of purchases dated from ``first`` to ``last``, both included."""
        lo, hi = first.isoformat(), last.isoformat()
        return sum((amount for day, amount in self.daily.items() if lo <= day <= hi), ZERO)

    def net_in_window(self, until: date, days: int) -> Decimal:
        """The net of the ``days`` days that end with ``until`` (``until`` included)."""
        return self.net_between(until - timedelta(days=days - 1), until)

    def purchases(self) -> list[dict[str, Any]]:
        return self.loader() if self.loader else []


@dataclass(frozen=True)
class Offer:
    """A policy's answer for one order: a percent of the discountable lines, or an amount, and the
    reason a person reads. ``data`` is kept with the purchase (JSON-safe), e.g. the points spent."""

    policy: str
    reason: str
    percent: Decimal | None = None
    amount: Decimal | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Standing:
    """A customer's standing under one policy, for ``kundkit discount show``."""

    policy: str
    explanation: str
    level: str | None = None           # the current level as a person reads it ("5 %"), or None
    percent: Decimal | None = None
    next_level: str | None = None      # the next level ("8 %"), None at the top
    needed: str | None = None          # what it takes to reach it ("SEK 3,400.00 more by ...")
    lapses: date | None = None         # when the current level ends without further purchases
    facts: Mapping[str, Any] = field(default_factory=dict)  # machine-readable details (JSON-safe)

    def as_dict(self) -> dict[str, Any]:
        return {"policy": self.policy, "level": self.level,
                "percent": None if self.percent is None else pct_str(self.percent),
                "next_level": self.next_level, "needed": self.needed,
                "lapses": self.lapses.isoformat() if self.lapses else None,
                "explanation": self.explanation, "facts": dict(self.facts)}


def pct_str(value: Decimal) -> str:
    """``Decimal("5.00")`` → ``"5"``, ``2.50`` → ``"2.5"``: a percent as people write it."""
    text = format(value.quantize(Decimal("0.01")).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def show_money(amount: Decimal, currency: str) -> str:
    """An amount as the reader of the active language writes it (``12 500,00 kr``)."""
    from kundkit.i18n import get_language
    from kundkit.money import format_money

    return format_money(amount, currency, get_language())
