"""Median and percentiles: inclusive linear interpolation, exact for amounts and durations."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from kundkit.analytics.stats import median, percentile, percentiles
from kundkit.errors import ValidationError


def test_median_of_odd_and_even_counts():
    assert median([7, 1, 3]) == 3.0
    assert median([4, 1, 3, 2]) == 2.5
    assert median([5]) == 5.0


def test_percentiles_by_hand():
    values = [50, 15, 40, 20, 35]  # sorted: 15 20 35 40 50, positions 0..4
    assert percentile(values, 0) == 15.0
    assert percentile(values, 100) == 50.0
    assert percentile(values, 40) == 29.0   # h = 1.6: 20 + 0.6 * (35 - 20)
    assert percentile(values, 90) == 46.0   # h = 3.6: 40 + 0.6 * (50 - 40)
    assert percentile(values, 25) == 20.0   # h = 1.0 exactly: a value of the data
    assert percentiles(values, [0, 50, 100]) == [15.0, 35.0, 50.0]


def test_amounts_stay_exact_decimals():
    amounts = [Decimal("10.00"), Decimal("20.55"), Decimal("0.10")]
    assert median(amounts) == Decimal("10.00") and isinstance(median(amounts), Decimal)
    result = median([Decimal("10.00"), Decimal("20.55")])
    assert result == Decimal("15.275") and isinstance(result, Decimal)
    # 90th of three: h = 1.8, 10.00 + 0.8 * 10.55 = 18.44, with no binary rounding.
    assert percentile(amounts, 90) == Decimal("18.44")
    assert percentile(amounts, Decimal("12.5")) == Decimal("2.5750")


def test_durations_interpolate_to_the_microsecond():
    answered = [timedelta(hours=1), timedelta(hours=5), timedelta(hours=2)]
    assert median(answered) == timedelta(hours=2)
    assert percentile(answered, 90) == timedelta(hours=4, minutes=24)  # 2h + 0.8 * 3h
    assert median([timedelta(days=1), timedelta(days=2, microseconds=3)]) == \
        timedelta(days=1, hours=12, microseconds=2)  # 1.5 µs rounds to the even 2 µs
    assert median([timedelta(days=-1), timedelta(days=3)]) == timedelta(days=1)


def test_agrees_with_numpys_default_linear_method():
    np = pytest.importorskip("numpy")
    rng = random.Random(5)
    for size in (1, 2, 3, 10, 101):
        values = [rng.uniform(-100, 100) for _ in range(size)]
        for p in (0, 1, 10, 25, 33.3, 50, 90, 99, 100):
            assert percentile(values, p) == pytest.approx(float(np.percentile(values, p)),
                                                          rel=1e-12, abs=1e-12)


def test_order_of_input_does_not_matter_and_input_is_not_changed():
    values = [3, 1, 2]
    assert percentile(values, 75) == 2.5
    assert values == [3, 1, 2]
    assert percentile(iter([3, 1, 2]), Fraction(75)) == 2.5


def test_no_values_give_none():
    assert median([]) is None
    assert percentile([], 90) is None
    assert percentiles([], [50, 90]) == [None, None]


@pytest.mark.parametrize("p", [-1, 100.5, float("nan"), float("inf"), "50", None, True])
def test_a_percentile_outside_0_to_100_is_refused(p):
    with pytest.raises(ValidationError) as error:
        percentile([1, 2], p)
    assert error.value.field == "percentile"


def test_mixed_or_unknown_values_are_refused():
    with pytest.raises(ValidationError, match="mix"):
        median([Decimal("1"), 2.0])
    with pytest.raises(ValidationError, match="mix"):
        median([timedelta(1), 2])
    with pytest.raises(ValidationError):
        median(["1", "2"])
    with pytest.raises(ValidationError):
        median([1.0, float("nan")])
