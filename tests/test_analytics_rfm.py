"""RFM scores 1-5 by quintiles of the mid-rank position: edges, ties and the direction of "best"."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from kundkit.analytics.rfm import CustomerActivity, RFMScore, quintile_scores, rfm_scores
from kundkit.errors import ValidationError


def test_five_distinct_values_get_one_score_each():
    assert quintile_scores([10, 20, 30, 40, 50]) == [1, 2, 3, 4, 5]
    assert quintile_scores([50, 10, 40, 20, 30]) == [5, 1, 4, 2, 3]


def test_ten_and_twenty_values_fill_the_fifths_evenly():
    assert quintile_scores(list(range(10))) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert quintile_scores(list(range(20))) == [s for s in range(1, 6) for _ in range(4)]


def test_seven_values_by_hand():
    # Positions (i + 1/2) / 7: 0.07 0.21 0.36 0.5 0.64 0.79 0.93.
    assert quintile_scores([1, 2, 3, 4, 5, 6, 7]) == [1, 2, 2, 3, 4, 4, 5]


def test_a_position_on_an_edge_belongs_to_the_upper_fifth():
    # Two tied lowest of five: position (0 + 2/2) / 5 = 0.2 exactly, the edge of 1 and 2.
    assert quintile_scores([1, 1, 2, 3, 4]) == [2, 2, 3, 4, 5]
    # Ten values, the lowest four tied: position 0.2 again; the next one sits at 0.45.
    assert quintile_scores([0, 0, 0, 0, 1, 2, 3, 4, 5, 6])[:5] == [2, 2, 2, 2, 3]
    # 0.4 exactly: one worse and two tied of five, (1 + 2/2) / 5.
    assert quintile_scores([1, 2, 2, 3, 4]) == [1, 3, 3, 4, 5]
    # 0.8 exactly: the top four of ten tied, (6 + 4/2) / 10; they score 5.
    assert quintile_scores([1, 2, 3, 4, 5, 6, 9, 9, 9, 9]) == [1, 1, 2, 2, 3, 3, 5, 5, 5, 5]


def test_ties_always_share_a_score():
    # Most customers bought once: they all get the same score, in the middle of their block.
    frequencies = [1] * 7 + [2, 3, 5]
    assert quintile_scores(frequencies) == [2] * 7 + [4, 5, 5]


def test_nothing_to_rank_gives_the_middle_score():
    assert quintile_scores([42]) == [3]
    assert quintile_scores([7, 7, 7, 7]) == [3, 3, 3, 3]
    assert quintile_scores([]) == []


def test_lower_is_better_reverses_the_scores():
    assert quintile_scores([10, 20, 30, 40, 50], higher_is_better=False) == [5, 4, 3, 2, 1]


def test_rfm_five_is_most_recent_most_frequent_most_money():
    base = date(2024, 6, 30)
    customers = [CustomerActivity(name, base - timedelta(days=days), frequency, Decimal(money))
                 for name, days, frequency, money in [
                     ("anna", 3, 12, "15000.00"),   # best in everything
                     ("bo", 400, 1, "99.00"),       # worst in everything
                     ("cilla", 30, 4, "2500.50"),
                     ("dan", 90, 2, "800.00"),
                     ("eva", 10, 6, "6000.00"),
                 ]]
    scores = rfm_scores(customers)
    assert scores[0] == RFMScore("anna", 5, 5, 5) and scores[0].code == "555"
    assert scores[1] == RFMScore("bo", 1, 1, 1) and scores[1].total == 3
    assert [s.customer for s in scores] == ["anna", "bo", "cilla", "dan", "eva"]
    assert scores[2] == RFMScore("cilla", 3, 3, 3)
    assert scores[4] == RFMScore("eva", 4, 4, 4)


def test_rfm_money_compares_decimals_exactly():
    customers = [CustomerActivity("a", date(2024, 1, 1), 1, Decimal("100.00")),
                 CustomerActivity("b", date(2024, 1, 1), 1, Decimal("100.0")),
                 CustomerActivity("c", date(2024, 1, 1), 1, Decimal("100.01"))]
    assert [s.monetary for s in rfm_scores(customers)] == [2, 2, 5]


def test_rfm_refuses_bad_rows():
    day = date(2024, 1, 1)
    with pytest.raises(ValidationError, match="a") as error:
        rfm_scores([CustomerActivity("a", day, 1, Decimal(1)),
                    CustomerActivity("a", day, 2, Decimal(2))])
    assert error.value.field == "customer"
    with pytest.raises(ValidationError) as error:
        rfm_scores([CustomerActivity("a", day, 1, 12.5)])  # a float is not money
    assert error.value.field == "monetary"
    with pytest.raises(ValidationError) as error:
        rfm_scores([CustomerActivity("a", day, -1, Decimal(1))])
    assert error.value.field == "frequency"
    with pytest.raises(ValidationError):
        quintile_scores([1, "x"])
