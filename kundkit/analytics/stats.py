"""Median and percentiles of numbers, ``Decimal`` amounts and durations.

Definition (the one spreadsheets call PERCENTILE.INC, Hyndman & Fan's type 7, numpy's default):
sort the n values x[0] <= ... <= x[n-1]; the p-th percentile (0 <= p <= 100) lies at position
h = (n - 1) * p / 100; with k = floor(h) it is x[k] + (h - k) * (x[k+1] - x[k]), i.e. linear
interpolation between the two neighbouring values, and both ends are inclusive (p = 0 is the
smallest value, p = 100 the largest). The median is the 50th percentile.

The arithmetic is exact: ``Decimal`` results are ``Decimal`` (not rounded to öre: the caller
quantises for display), ``timedelta`` results are rounded to the nearest microsecond, and
``int``/``float`` results are ``float``. Empty input gives ``None``, which a report shows as "no data".
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar, Union

from kundkit.errors import ValidationError
from kundkit.i18n import _

Value = TypeVar("Value", int, float, Decimal, timedelta)
Number = Union[int, float, Decimal, Fraction]

_MICROSECONDS_PER_DAY = 86_400_000_000


def percentile(values: Iterable[Value], p: Number) -> Value | float | None:
    """The ``p``-th percentile (0-100) of ``values`` by inclusive linear interpolation.

    Returns ``Decimal`` for ``Decimal`` values, ``timedelta`` for durations, ``float`` for plain
    numbers, and ``None`` when there are no values.
    """
    share = _share(p)
    items = _checked(values)
    if not items:
        return None
    items.sort()
    position = (len(items) - 1) * share
    low = math.floor(position)
    fraction = position - low
    below = items[low]
    above = items[min(low + 1, len(items) - 1)]
    return _interpolate(below, above, fraction)


def percentiles(values: Iterable[Value], ps: Iterable[Number]) -> list[Value | float | None]:
    """Several percentiles of the same values (sorted once)."""
    items = _checked(values)
    items.sort()
    return [percentile(items, p) for p in ps]


def median(values: Iterable[Value]) -> Value | float | None:
    """The median: the 50th percentile, i.e. the mean of the two middle values when n is even."""
    return percentile(values, 50)


def _share(p: Number) -> Fraction:
    finite = not isinstance(p, bool) and isinstance(p, (int, float, Decimal, Fraction)) and \
        not (isinstance(p, float) and not math.isfinite(p)) and \
        not (isinstance(p, Decimal) and not p.is_finite())
    share = Fraction(p) / 100 if finite else None
    if share is None or not 0 <= share <= 1:
        raise ValidationError(_("A percentile must be a number from 0 to 100, not {value!r}.")
                              .format(value=p), field="percentile")
    return share


def _checked(values: Iterable[Value]) -> list:
    items = list(values)
    kinds = {_kind(v) for v in items}
    if len(kinds) > 1:
        raise ValidationError(_("Cannot take percentiles of a mix of numbers, amounts (Decimal) "
                                "and durations (timedelta)."))
    for value in items:
        if isinstance(value, float) and math.isnan(value) or \
                isinstance(value, Decimal) and value.is_nan():
            raise ValidationError(_("Cannot take percentiles of a value that is not a number."))
    return items


def _kind(value: object) -> str:
    if isinstance(value, timedelta):
        return "durations"
    if isinstance(value, Decimal):
        return "amounts"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "numbers"
    raise ValidationError(_("Cannot take percentiles of {value!r}: not a number, amount or duration.")
                          .format(value=value))


def _interpolate(below: Value, above: Value, fraction: Fraction) -> Value | float:
    if isinstance(below, timedelta):
        low = _microseconds(below)
        exact = low + (_microseconds(above) - low) * fraction
        return timedelta(microseconds=round(exact))
    if isinstance(below, Decimal):
        if fraction == 0:
            return below
        return below + (above - below) * (Decimal(fraction.numerator) / Decimal(fraction.denominator))
    if fraction == 0:
        return float(below)
    return float(Fraction(below) + (Fraction(above) - Fraction(below)) * fraction)


def _microseconds(value: timedelta) -> int:
    return value.days * _MICROSECONDS_PER_DAY + value.seconds * 1_000_000 + value.microseconds
