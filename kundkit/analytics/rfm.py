"""Recency, frequency and monetary (RFM) scores, 1 to 5 by quintiles.

5 is always the best fifth: the most recent last purchase, the most purchases, the most money.

The rule, exact and the same for all three scores: order the customers from worst to best value.
A customer's *position* is the share of customers with a strictly worse value plus half the share
with the same value (the mid-rank percentile, between 0 and 1). The score is the fifth that the
position falls in: [0, 0.2) gives 1, [0.2, 0.4) gives 2, [0.4, 0.6) gives 3, [0.6, 0.8) gives 4 and
[0.8, 1] gives 5; a position exactly on an edge belongs to the upper fifth. Consequences a reader
can check by hand:

- customers with the same value always get the same score (ties are never split by name or order);
- with n distinct values the scores are as even as the fifths allow (10 customers: two of each);
- a single customer, or customers who are all alike, score 3: there is nothing to rank them by.

The arithmetic is done in integers, so edges are exact: score = 1 + floor(5 * (2 * worse + tied)
/ (2 * n)), capped at 5.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from kundkit.errors import ValidationError
from kundkit.i18n import _


@dataclass(frozen=True)
class CustomerActivity:
    """What RFM looks at for one customer (the caller chooses the period and what counts as money,
    e.g. net revenue in the last two years)."""

    customer: str
    last_purchase: date
    frequency: int
    monetary: Decimal


@dataclass(frozen=True)
class RFMScore:
    customer: str
    recency: int
    frequency: int
    monetary: int

    @property
    def code(self) -> str:
        """The three scores as one code, e.g. ``"545"``, as RFM tables usually show them."""
        return f"{self.recency}{self.frequency}{self.monetary}"

    @property
    def total(self) -> int:
        return self.recency + self.frequency + self.monetary


def quintile_scores(values: Sequence[Hashable], *, higher_is_better: bool = True) -> list[int]:
    """Score each value 1-5 by the quintile of its mid-rank position (see the module docstring).

    ``values`` must be mutually comparable (numbers, ``Decimal`` amounts, dates). The scores come
    back in the order of ``values``.
    """
    n = len(values)
    if n == 0:
        return []
    counts = Counter(values)
    try:
        ordered = sorted(counts, reverse=not higher_is_better)
    except TypeError:
        raise ValidationError(_("Cannot rank values of different kinds against each other.")) from None
    worse = 0
    score_of: dict[Hashable, int] = {}
    for value in ordered:
        tied = counts[value]
        score_of[value] = min(5, 1 + (5 * (2 * worse + tied)) // (2 * n))
        worse += tied
    return [score_of[value] for value in values]


def rfm_scores(customers: Iterable[CustomerActivity]) -> list[RFMScore]:
    """The RFM scores of each customer, in the order given.

    Recency ranks the last purchase date (later is better), frequency the number of purchases,
    monetary the amount; each is scored with :func:`quintile_scores`.
    """
    rows = list(customers)
    seen: set[str] = set()
    for row in rows:
        if row.customer in seen:
            raise ValidationError(_("Customer {customer} appears twice in the RFM input.")
                                  .format(customer=row.customer), field="customer")
        seen.add(row.customer)
        if row.frequency < 0:
            raise ValidationError(_("Customer {customer} has a negative number of purchases.")
                                  .format(customer=row.customer), field="frequency")
        if not isinstance(row.monetary, Decimal):
            raise ValidationError(_("The amount of customer {customer} must be a Decimal, not {kind}.")
                                  .format(customer=row.customer, kind=type(row.monetary).__name__),
                                  field="monetary")
    recency = quintile_scores([row.last_purchase for row in rows])
    frequency = quintile_scores([row.frequency for row in rows])
    monetary = quintile_scores([row.monetary for row in rows])
    return [RFMScore(row.customer, r, f, m)
            for row, r, f, m in zip(rows, recency, frequency, monetary)]
