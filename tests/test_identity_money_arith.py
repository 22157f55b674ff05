"""Rounding, percentages, splitting, display and storage of amounts."""

import random
from decimal import Decimal

import pytest

from kundkit.errors import ValidationError
from kundkit.money import (
    allocate, format_money, money_str, parse_stored, percent_of, round_money, to_money,
)

D = Decimal


@pytest.mark.parametrize("amount, expected", [
    ("2.345", "2.35"), ("2.335", "2.34"), ("2.344", "2.34"), ("-2.345", "-2.35"),
    ("0.005", "0.01"), ("-0.004", "0.00"), ("10", "10.00"), ("1234567.895", "1234567.90"),
])
def test_halves_round_away_from_zero(amount, expected):
    rounded = round_money(D(amount))
    assert str(rounded) == expected


def test_rounding_to_whole_units():
    assert round_money(D("12.5"), "JPY") == D("13")
    assert str(round_money(D("12.49"), "JPY")) == "12"


def test_a_float_is_a_programming_error():
    with pytest.raises(TypeError):
        round_money(0.1)
    with pytest.raises(TypeError):
        percent_of(D("10"), 12.5)


def test_percent_of_rounds_once():
    assert percent_of(D("199.90"), D("12.5")) == D("24.99")   # 24.9875
    assert percent_of(D("0.10"), D("25")) == D("0.03")        # 0.025
    assert percent_of(D("1000"), D("33.333")) == D("333.33")
    assert str(percent_of(D("80"), D("25"))) == "20.00"
    # Rounding the 12.5 % of each of the parts would lose an öre here; once at the end does not.
    assert percent_of(D("0.04") + D("0.04"), D("12.5")) == D("0.01")
    assert percent_of(D("-100"), D("12.5")) == D("-12.50")


def test_allocate_an_even_split():
    assert allocate(D("100"), [D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]
    assert allocate(D("0.02"), [D(1), D(1), D(1)]) == [D("0.01"), D("0.01"), D("0.00")]


def test_allocate_in_proportion():
    # The exact shares are 10.0002, 30.0006, 0 and 9.9992 kr; rounded down to whole öre they
    # leave one öre over, which goes to the last line, the one that lost most (0.92 öre).
    parts = allocate(D("50.00"), [D("100.00"), D("300.00"), D("0"), D("99.99")])
    assert parts == [D("10.00"), D("30.00"), D("0.00"), D("10.00")]
    assert allocate(D("10"), [D(1), D(1), D(1), D(1), D(1), D(1)]) == \
        [D("1.67")] * 4 + [D("1.66")] * 2


def test_allocate_a_negative_total():
    parts = allocate(D("-0.05"), [1, 1, 1, 0])
    assert parts == [D("-0.02"), D("-0.02"), D("-0.01"), D("0.00")]


def test_allocate_whole_units():
    assert allocate(D("10"), [D(1)] * 3, "JPY") == [D(4), D(3), D(3)]


def test_allocate_always_adds_up_exactly():
    rng = random.Random(20240601)
    for _ in range(3000):
        count = rng.randint(1, 12)
        weights = [D(rng.randint(0, 100_000)) / 100 for _ in range(count)]
        if not any(weights):
            weights[0] = D("0.01")
        total = D(rng.randint(-1_000_000, 1_000_000)) / 100
        parts = allocate(total, weights)
        assert sum(parts) == total
        assert all(part == part.quantize(D("0.01")) for part in parts)
        weight_sum = sum(weights)
        for part, weight in zip(parts, weights):
            exact = total * weight / weight_sum
            assert abs(part - exact) < D("0.01")
            if weight == 0:
                assert part == 0
            assert part == 0 or (part > 0) == (total > 0)


def test_allocate_zero():
    assert allocate(D("0"), [D(1), D(2)]) == [D("0.00"), D("0.00")]
    assert allocate(D("0"), [D(0), D(0)]) == [D("0.00"), D("0.00")]
    assert allocate(D("0"), []) == []


@pytest.mark.parametrize("total, weights, words", [
    (D("10"), [D(0), D(0)], "weights are zero"),
    (D("10"), [D(1), D(-1)], "negative"),
    (D("10"), [], "no parts"),
])
def test_allocate_refuses(total, weights, words):
    with pytest.raises(ValidationError) as caught:
        allocate(total, weights)
    assert words in str(caught.value) and caught.value.field == "weights"


def test_allocate_refuses_a_total_finer_than_the_currency():
    with pytest.raises(ValidationError, match="more decimals"):
        allocate(D("10.005"), [D(1)])


@pytest.mark.parametrize("amount, code, sv, en", [
    ("1234.5", "SEK", "1 234,50 kr", "SEK 1,234.50"),
    ("-1234.5", "SEK", "-1 234,50 kr", "-SEK 1,234.50"),
    ("0", "SEK", "0,00 kr", "SEK 0.00"),
    ("-0.001", "SEK", "0,00 kr", "SEK 0.00"),
    ("999.995", "SEK", "1 000,00 kr", "SEK 1,000.00"),
    ("1234567.89", "SEK", "1 234 567,89 kr", "SEK 1,234,567.89"),
    ("12.5", "EUR", "12,50 €", "€12.50"),
    ("-1234.5", "EUR", "-1 234,50 €", "-€1,234.50"),
    ("99", "USD", "99,00 USD", "$99.00"),
    ("3.2", "GBP", "3,20 GBP", "£3.20"),
    ("150", "NOK", "150,00 NOK", "NOK 150.00"),
    ("1500", "JPY", "1 500 JPY", "¥1,500"),
])
def test_format_money(amount, code, sv, en):
    assert format_money(D(amount), code, "sv") == sv
    assert format_money(D(amount), code, "en") == en


def test_format_money_defaults_to_swedish_kronor():
    assert format_money(D("1234.5")) == "1 234,50 kr"


@pytest.mark.parametrize("amount", ["0.01", "1234.50", "-1234.50", "1000000.00", "12.00"])
def test_formatted_amounts_read_back(amount):
    assert to_money(format_money(D(amount))) == D(amount)
    assert to_money(format_money(D(amount), language="en")) == D(amount)


def test_storage_strings():
    assert money_str(D("1234.5")) == "1234.50"
    assert money_str(D("1234.50")) == "1234.50"
    assert money_str(12) == "12.00"
    assert money_str(D("-0")) == "0.00"
    assert money_str(D("1E+3")) == "1000.00"
    assert money_str(D("1500"), "JPY") == "1500"
    assert parse_stored("1234.50") == D("1234.50")
    assert parse_stored("-3.10") == D("-3.10")
    for amount in ["0.00", "1234.50", "-99.99", "1000000.00"]:
        assert money_str(parse_stored(amount)) == amount


def test_storage_refuses_an_unrounded_amount():
    with pytest.raises(ValidationError, match="too many decimals"):
        money_str(D("0.125"))


@pytest.mark.parametrize("text", ["1 234,50", "1e3", "NaN", "", "12.", ".5", "+1", 12.5, None])
def test_parse_stored_accepts_only_what_money_str_writes(text):
    with pytest.raises(ValidationError) as caught:
        parse_stored(text, field="price")
    assert caught.value.field == "price"
