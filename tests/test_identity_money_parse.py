"""Amounts of money from what people type and from YAML values."""

from decimal import Decimal

import pytest

from kundkit.errors import ValidationError
from kundkit.money import CURRENCIES, currency, to_money


@pytest.mark.parametrize("text, expected", [
    ("1 234,50", "1234.50"),          # Swedish
    ("1234,50", "1234.50"),
    ("12,5", "12.50"),
    ("1 234,50 kr", "1234.50"),
    ("1234.50", "1234.50"),           # English / programs
    ("1,234.50", "1234.50"),
    ("1.234,50", "1234.50"),          # dots for thousands, as many Swedes and Danes write
    ("1 234 567,89", "1234567.89"),
    ("1,234,567.89", "1234567.89"),
    ("1.234.567", "1234567.00"),
    ("1\u00a0234,50\u00a0kr", "1234.50"),  # no-break spaces pasted from a spreadsheet
    ("1\u202f234,50", "1234.50"),
    ("1234", "1234.00"),
    ("0,05", "0.05"),
    (",5", "0.50"),
    ("199:-", "199.00"),
    ("199 kronor", "199.00"),
    ("SEK 100", "100.00"),
    ("100 sek", "100.00"),
    ("-99 kr", "-99.00"),
    ("\u221299,50", "-99.50"),         # a real minus sign
    ("+12", "12.00"),
    ("-0,00", "0.00"),
    ("  12,5  ", "12.50"),
])
def test_notations(text, expected):
    amount = to_money(text)
    assert amount == Decimal(expected)
    assert str(amount) == expected


@pytest.mark.parametrize("value, code, expected", [
    ("€12,50", "EUR", "12.50"),
    ("12,50 €", "EUR", "12.50"),
    ("EUR 1,234.50", "EUR", "1234.50"),
    ("$1,234.50", "USD", "1234.50"),
    ("-$5", "USD", "-5.00"),
    ("£3.20", "GBP", "3.20"),
    ("150 kr", "NOK", "150.00"),
    ("150 kr", "DKK", "150.00"),
    ("1 500", "JPY", "1500"),
    ("¥1,500,000", "JPY", "1500000"),
])
def test_other_currencies(value, code, expected):
    assert str(to_money(value, code)) == expected


@pytest.mark.parametrize("value, expected", [
    (12.5, "12.50"), (0.1, "0.10"), (1234.56, "1234.56"), (12, "12.00"), (0, "0.00"),
    (Decimal("12.500"), "12.50"), (Decimal("1E+2"), "100.00"), (-3, "-3.00"),
])
def test_yaml_and_python_values(value, expected):
    assert str(to_money(value)) == expected


def test_ten_thousand_ten_ore_make_exactly_a_thousand_kronor():
    assert sum((to_money("0,10") for _ in range(10_000)), Decimal(0)) == Decimal("1000.00")
    # The float path too: YAML's 0.1 is not summed as a binary fraction.
    total = sum((to_money(0.1) for _ in range(10_000)), Decimal(0))
    assert total == Decimal("1000.00") and str(total) == "1000.00"


def _error(value, code="SEK", field="amount"):
    with pytest.raises(ValidationError) as caught:
        to_money(value, code, field=field)
    assert caught.value.field == field
    return str(caught.value)


@pytest.mark.parametrize("value", ["abc", "12 kr 50", "12 34", "1,23,456.00", "12.", "1e3",
                                   "NaN", "inf", "Infinity", "kr", "--5", "1 234,567.00", "5%",
                                   "0x10", "12,50,", True, None, [1], "SEK 5 kr"])
def test_nonsense_is_refused(value):
    assert "not an amount of money" in _error(value)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), Decimal("NaN"),
                                   Decimal("Infinity"), Decimal("sNaN")])
def test_values_that_are_not_numbers(value):
    assert "not a number" in _error(value)


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_text(value):
    assert "empty" in _error(value)


@pytest.mark.parametrize("value", ["0,125", "1 234,567", "12.3456",
                                   12.345, Decimal("0.001")])
def test_too_many_decimals_for_the_currency(value):
    message = _error(value)
    assert "too many decimals" in message and "SEK has at most 2" in message


def test_whole_currencies_take_no_decimals():
    assert "JPY has at most 0" in _error("12,5", "JPY")


@pytest.mark.parametrize("text, plain", [("1,234", "1234"), ("1.234", "1234"),
                                         ("12,345", "12345")])
def test_a_lone_separator_before_three_digits_is_ambiguous(text, plain):
    message = _error(text)
    assert "ambiguous" in message and plain in message


def test_an_amount_in_another_currency_is_refused():
    assert "is in EUR, not SEK" in _error("100 EUR")
    assert "is in EUR, not SEK" in _error("€100")
    assert "is in SEK, not EUR" in _error("100 kr", "EUR")
    assert "is in USD, not SEK" in _error("$5")
    assert "is in CHF, not SEK" in _error("CHF 5")


def test_too_large():
    assert "too large" in _error(Decimal("1E+40"))


def test_the_error_names_the_field():
    message = _error("abc", field="price")
    assert message.startswith("price: ")


def test_currencies():
    assert {"SEK", "EUR", "NOK", "DKK", "USD", "GBP"} <= set(CURRENCIES)
    sek = currency("sek")
    assert (sek.code, sek.minor_units) == ("SEK", 2)
    assert (sek.symbol("sv"), sek.symbol("en")) == ("kr", "SEK")
    assert currency(" eur ").symbol("sv") == "€"
    assert currency("JPY").quantum == Decimal("1") and sek.quantum == Decimal("0.01")
    assert currency(sek) is sek
    with pytest.raises(ValidationError) as caught:
        currency("XYZ")
    assert caught.value.field == "currency" and "XYZ" in str(caught.value)
    with pytest.raises(ValidationError):
        to_money("12", "XYZ")
