"""Personal identity and coordination numbers, with the century taken from a given "today"."""

from datetime import date

import pytest

from kundkit.errors import ValidationError
from kundkit.identity import is_coordination_number, mask_personnummer, parse_personnummer

TODAY = date(2024, 6, 1)

# 19811218-9876 and 19121212-1212 ("Tolvan Tolvansson") are the numbers used throughout Swedish
# test data; the others below were built here for their dates, with a correct check digit.


@pytest.mark.parametrize("text", ["19811218-9876", "198112189876", "811218-9876", "8112189876",
                                  " 811218-9876 "])
def test_the_forms_of_one_number(text):
    assert parse_personnummer(text, today=TODAY) == "19811218-9876"


def test_tolvan():
    assert parse_personnummer("191212121212", today=TODAY) == "19121212-1212"


def test_plus_means_a_hundred_years_or_older():
    assert parse_personnummer("121212+1212", today=TODAY) == "19121212-1212"
    assert parse_personnummer("121212-1212", today=TODAY) == "20121212-1212"
    assert parse_personnummer("811218+9876", today=TODAY) == "18811218-9876"


def test_the_century_turns_on_today():
    # Born today is age 0; a birthday still to come this year must be a century back.
    assert parse_personnummer("240601-9873", today=TODAY) == "20240601-9873"
    assert parse_personnummer("240602-9872", today=TODAY) == "19240602-9872"
    assert parse_personnummer("240602+9872", today=TODAY) == "18240602-9872"
    assert parse_personnummer("240602-9872", today=date(2024, 6, 2)) == "20240602-9872"
    assert parse_personnummer("240601+9873", today=TODAY) == "19240601-9873"


def test_leap_days():
    assert parse_personnummer("000229-9980", today=TODAY) == "20000229-9980"
    assert parse_personnummer("20000229-9980", today=TODAY) == "20000229-9980"
    assert parse_personnummer("160229-9982", today=TODAY) == "20160229-9982"
    assert parse_personnummer("200229-9986", today=TODAY) == "20200229-9986"


@pytest.mark.parametrize("text, shown", [
    ("000229+9980", "1900-02-29"),   # 1900 was not a leap year
    ("190229-9989", "2019-02-29"),
    ("811232-9876", "1981-12-32"),
    ("811318-9876", "1981-13-18"),
    ("811200-9876", "1981-12-00"),
])
def test_impossible_dates_are_refused_with_the_date(text, shown):
    message = _error(text)
    assert "impossible date of birth" in message and shown in message


def test_coordination_numbers():
    canonical = parse_personnummer("701063-2391", today=TODAY)
    assert canonical == "19701063-2391"
    assert is_coordination_number(canonical)
    assert not is_coordination_number("19811218-9876")
    assert parse_personnummer("19701063-2391", today=TODAY) == "19701063-2391"


def test_a_coordination_number_with_an_unknown_day():
    canonical = parse_personnummer("900160-9875", today=TODAY)
    assert canonical == "19900160-9875"
    assert is_coordination_number(canonical)


def test_an_impossible_coordination_date():
    assert "1970-02-30" in _error("700290-2391")


def _error(text, today=TODAY):
    with pytest.raises(ValidationError) as caught:
        parse_personnummer(text, today=today)
    assert caught.value.field == "personnummer"
    return str(caught.value)


def test_a_wrong_check_digit_names_the_right_one():
    message = _error("811218-9875")
    assert "check digit" in message and "should be 6" in message
    assert "should be 1" in _error("19701063-2390")


def test_a_birth_date_in_the_future():
    assert "future" in _error("20240602-9872")


@pytest.mark.parametrize("text", ["81121-9876", "19811218+9876", "811218/9876", "81-12-18-9876",
                                  "abcdef-ghij", "1981121898760"])
def test_malformed_numbers(text):
    assert "YYMMDD-NNNN" in _error(text)


def test_an_organisation_number_is_recognised():
    assert "organisation number" in _error("556036-0793")
    assert "organisation number" in _error("165560360793")


def test_masking_keeps_the_date_only():
    assert mask_personnummer("19811218-9876") == "19811218-****"
    assert mask_personnummer(parse_personnummer("701063-2391", today=TODAY)) == "19701063-****"


def test_an_empty_number():
    assert "empty" in _error("  ")
