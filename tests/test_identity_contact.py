"""E-mail addresses and phone numbers as staff type them."""

import pytest

from kundkit.errors import ValidationError
from kundkit.identity import format_phone, is_mobile, parse_email, parse_phone


@pytest.mark.parametrize("text", ["070-123 45 67", "0701234567", "070 123 45 67",
                                  "+46 70 123 45 67", "+46701234567", "0046 70 123 45 67",
                                  "0046701234567", "+46 (0)70-123 45 67", " 070-1234567 "])
def test_one_swedish_mobile_number_written_many_ways(text):
    assert parse_phone(text) == "+46701234567"


def test_a_stockholm_landline():
    number = parse_phone("08-123 456 78")
    assert number == "+46812345678"
    assert not is_mobile(number)
    assert format_phone(number) == "08-123 456 78"
    assert format_phone(number, international=True) == "+46 8 123 456 78"


def test_a_mobile_number_is_shown_nationally_or_internationally():
    number = parse_phone("0701234567")
    assert is_mobile(number)
    assert format_phone(number) == "070-123 45 67"
    assert format_phone(number, international=True) == "+46 70 123 45 67"


def test_the_region_decides_numbers_without_country_code():
    assert parse_phone("412 34 567", region="NO") == "+4741234567"
    assert parse_phone("412 34 567", region="no") == "+4741234567"
    # With its own country code the region does not matter.
    assert parse_phone("+47 412 34 567") == "+4741234567"


def _error(function, text, field):
    with pytest.raises(ValidationError) as caught:
        function(text)
    assert caught.value.field == field
    return str(caught.value)


@pytest.mark.parametrize("text", ["123", "070-123 45 6", "070-123 45 678 9", "+46 12"])
def test_numbers_that_cannot_exist_are_refused(text):
    assert "not a valid phone number" in _error(parse_phone, text, "phone")


@pytest.mark.parametrize("text", ["abc", "phone me"])
def test_text_that_is_no_number(text):
    assert "not a phone number" in _error(parse_phone, text, "phone")


def test_an_empty_phone_number():
    assert "empty" in _error(parse_phone, "  ", "phone")


def test_the_domain_is_lower_cased_and_the_local_part_kept():
    assert parse_email("Anna.Svensson@Example.SE") == "Anna.Svensson@example.se"
    assert parse_email("  order+kundkit@foretag.se\n") == "order+kundkit@foretag.se"


def test_international_addresses():
    assert parse_email("åsa@Företag.SE") == "åsa@företag.se"


@pytest.mark.parametrize("text", ["anna", "anna@", "@example.se", "anna@example",
                                  "anna..svensson@example.se", "anna svensson@example.se",
                                  "anna@exa mple.se"])
def test_invalid_addresses_are_refused_with_a_reason(text):
    message = _error(parse_email, text, "email")
    assert message.startswith(repr(text.strip()) + " is not a valid e-mail address: ")
    assert len(message) > len(repr(text)) + len(" is not a valid e-mail address: ")


def test_an_empty_address():
    assert "empty" in _error(parse_email, "", "email")


def test_no_dns_is_needed():
    # A domain that does not exist is still a well-formed address: deliverability is not checked
    # (no network in tests, nor for a clerk registering a customer offline).
    assert parse_email("kund@no-such-domain-kundkit.invalid.se") == \
        "kund@no-such-domain-kundkit.invalid.se"


def test_importing_the_modules_loads_no_heavy_library():
    import subprocess
    import sys

    code = ("import sys, kundkit.identity, kundkit.money; heavy = "
            "('phonenumbers', 'email_validator', 'yaml'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
