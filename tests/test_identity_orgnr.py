"""Organisation numbers: the forms people write, and why a wrong one is refused."""

import pytest

from kundkit.errors import ValidationError
from kundkit.identity import parse_orgnr

# Public organisation numbers of well-known Swedish legal persons.
REAL = {
    "AB Volvo": "556012-5790",
    "Telefonaktiebolaget LM Ericsson": "556016-0680",
    "H & M Hennes & Mauritz AB": "556042-7220",
    "Saab AB": "556036-0793",
    "Spotify AB": "556703-7485",
    "Skandinaviska Enskilda Banken AB": "502032-9081",
    "Stockholms kommun": "212000-0142",
}


@pytest.mark.parametrize("number", sorted(REAL.values()))
def test_real_organisation_numbers_are_accepted_as_they_are(number):
    assert parse_orgnr(number) == number


@pytest.mark.parametrize("text", [
    "556036-0793", "5560360793", "16556036-0793", "165560360793", "  556036-0793\n",
])
def test_every_accepted_form_gives_the_canonical_one(text):
    assert parse_orgnr(text) == "556036-0793"


def _error(text):
    with pytest.raises(ValidationError) as caught:
        parse_orgnr(text)
    assert caught.value.field == "orgnr"
    return str(caught.value)


def test_a_wrong_check_digit_names_the_right_one():
    message = _error("556036-0794")
    assert "check digit" in message and "should be 3" in message
    assert "should be 0" in _error("5560125791")


@pytest.mark.parametrize("text, count", [("55603-0793", 9), ("556036-07930", 11),
                                          ("1655603607931", 13)])
def test_a_wrong_length_says_how_many_digits_there_were(text, count):
    message = _error(text)
    assert f"has {count} digits" in message and "expected 10" in message


def test_a_personal_identity_number_is_not_an_organisation_number():
    # A sole trader's number is the owner's personnummer: third digit 0 or 1 (a birth month).
    message = _error("811218-9876")
    assert "not an organisation number" in message
    assert "third digit" in message


def test_the_twelve_digit_form_needs_the_16_prefix():
    assert "start with 16" in _error("195560360793")


@pytest.mark.parametrize("text", ["5560-360793", "556036 0793", "556036-079X", "org 556036-0793",
                                  "556036--0793", "16-556036-0793"])
def test_other_writings_are_refused(text):
    assert "NNNNNN-NNNN" in _error(text)


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_number(text):
    assert "empty" in _error(text)
