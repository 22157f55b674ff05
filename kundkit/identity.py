"""Identifiers of customers: organisation and personal identity numbers, e-mail, phone, names.

Each ``parse_*`` function takes what a person typed (or a value read from a file) and returns the
one canonical form that kundkit stores, or raises :class:`~kundkit.errors.ValidationError` with a
one-line message saying what is wrong and a ``field`` naming the value.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from kundkit.errors import ValidationError
from kundkit.i18n import _

__all__ = [
    "parse_orgnr",
    "parse_personnummer",
    "is_coordination_number",
    "mask_personnummer",
    "parse_email",
    "parse_phone",
    "is_mobile",
    "format_phone",
    "name_similarity",
]


def _luhn_digit(digits: str) -> int:
    """The Luhn check digit for ``digits`` (the 9 digits before the check digit)."""
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


# --- organisation numbers --------------------------------------------------------------------

# Bolagsverket writes NNNNNN-NNNN; Skatteverket's 12-digit form puts "16" in front so that the
# number has the same width as a personal identity number with its century.
_ORGNR = re.compile(r"(?:16)?(\d{6})-?(\d{4})")


def parse_orgnr(text: str) -> str:
    """A Swedish organisation number in its canonical form ``NNNNNN-NNNN``.

    Accepts ``556036-0793``, ``5560360793``, ``16556036-0793`` and ``165560360793``.
    """
    value = str(text).strip()
    if not value:
        raise ValidationError(_("The organisation number is empty"), field="orgnr")
    match = _ORGNR.fullmatch(value)
    if match is None:
        digits = re.sub(r"\D", "", value)
        only_digits = re.fullmatch(r"[\d-]+", value) is not None
        if only_digits and len(digits) not in (10, 12):
            raise ValidationError(
                _("Organisation number {value!r} has {count} digits; expected 10 (NNNNNN-NNNN)")
                .format(value=value, count=len(digits)), field="orgnr")
        if only_digits and len(digits) == 12 and not digits.startswith("16"):
            raise ValidationError(
                _("Organisation number {value!r}: the 12-digit form must start with 16")
                .format(value=value), field="orgnr")
        raise ValidationError(
            _("Organisation number {value!r} is not written as NNNNNN-NNNN").format(value=value),
            field="orgnr")
    digits = match.group(1) + match.group(2)
    # A legal person's number has 20 or more where a person's birth month would be, which is what
    # keeps the two kinds of number apart; a sole trader uses the owner's personal number instead.
    if int(digits[2]) < 2:
        raise ValidationError(
            _("{value!r} is not an organisation number: its third digit must be 2 or more "
              "(it looks like a personal identity number)").format(value=value), field="orgnr")
    expected = _luhn_digit(digits[:9])
    if int(digits[9]) != expected:
        raise ValidationError(
            _("Organisation number {value!r} has a wrong check digit: the last digit should be "
              "{expected}").format(value=value, expected=expected), field="orgnr")
    return f"{digits[:6]}-{digits[6:]}"


# --- personal identity numbers ---------------------------------------------------------------

_PERSONNUMMER = re.compile(r"(\d{8}|\d{6})([-+]?)(\d{4})")
# Skatteverket adds 60 to the day of birth in a coordination number (samordningsnummer).
_COORDINATION_OFFSET = 60


def parse_personnummer(text: str, *, today: date) -> str:
    """A personal identity or coordination number in its canonical form ``YYYYMMDD-NNNN``.

    Accepts ``YYMMDD-NNNN``, ``YYMMDDNNNN``, ``YYMMDD+NNNN`` (``+``: 100 years or older) and
    ``YYYYMMDD-NNNN`` / ``YYYYMMDDNNNN``. The century of a 10-digit number is inferred from
    ``today``, which the caller passes in so that the answer never depends on the clock.
    """
    value = str(text).strip()
    if not value:
        raise ValidationError(_("The personal identity number is empty"), field="personnummer")
    match = _PERSONNUMMER.fullmatch(value)
    if match is None or (len(match.group(1)) == 8 and match.group(2) == "+"):
        raise ValidationError(
            _("Personal identity number {value!r} must be written YYMMDD-NNNN or YYYYMMDD-NNNN")
            .format(value=value), field="personnummer")
    head, separator, tail = match.groups()
    month, day = int(head[-4:-2]), int(head[-2:])
    if month >= 20:
        raise ValidationError(
            _("{value!r} is not a personal identity number: the month is {month} "
              "(is it an organisation number?)").format(value=value, month=head[-4:-2]),
            field="personnummer")
    # A coordination number may be issued for an unknown day of birth, written 00 + 60; the
    # 1st of the month then stands in for it when checking the date.
    birth_day = day - _COORDINATION_OFFSET if day >= _COORDINATION_OFFSET else day
    known_day = birth_day if day != _COORDINATION_OFFSET else 1
    if len(head) == 8:
        year = int(head[:4])
    else:
        year = _infer_year(int(head[:2]), month, known_day, separator == "+", today)
    birth = _birth_date(year, month, known_day)
    if birth is None:
        raise ValidationError(
            _("Personal identity number {value!r} has an impossible date of birth "
              "{year:04d}-{month:02d}-{day:02d}").format(
                value=value, year=year, month=month, day=birth_day), field="personnummer")
    if birth > today:
        raise ValidationError(
            _("Personal identity number {value!r} has a date of birth in the future")
            .format(value=value), field="personnummer")
    ten = head[-6:] + tail
    expected = _luhn_digit(ten[:9])
    if int(ten[9]) != expected:
        raise ValidationError(
            _("Personal identity number {value!r} has a wrong check digit: the last digit "
              "should be {expected}").format(value=value, expected=expected),
            field="personnummer")
    return f"{year:04d}{head[-4:]}-{tail}"


def _infer_year(yy: int, month: int, day: int, centenarian: bool, today: date) -> int:
    """The most recent year ending in ``yy`` whose birthday is not after ``today``.

    With ``+`` the person is 100 or older, so the year is a further century back.
    """
    year = today.year - (today.year - yy) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    return year - 100 if centenarian else year


def _birth_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_coordination_number(canonical: str) -> bool:
    """True for a coordination number (samordningsnummer), whose day is 61–91 (or 60)."""
    return int(canonical[6:8]) >= _COORDINATION_OFFSET


def mask_personnummer(canonical: str) -> str:
    """``19811218-9876`` → ``19811218-****``: enough to tell people apart in lists and tables."""
    return canonical[:9] + "****"


# --- e-mail ----------------------------------------------------------------------------------

def parse_email(text: str) -> str:
    """An e-mail address with its domain in lower case; the local part is kept as written."""
    from email_validator import EmailNotValidError, validate_email

    value = str(text).strip()
    if not value:
        raise ValidationError(_("The e-mail address is empty"), field="email")
    try:
        # Deliverability needs DNS, which kundkit must not need to register a customer.
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationError(
            _("{value!r} is not a valid e-mail address: {reason}").format(value=value, reason=exc),
            field="email") from None
    return f"{result.local_part}@{result.domain.lower()}"


# --- phone numbers ---------------------------------------------------------------------------

def parse_phone(text: str, region: str = "SE") -> str:
    """A phone number in E.164 form (``+46701234567``).

    ``region`` is where a number without country code is dialled from: ``070-123 45 67`` is
    Swedish by default; ``+46 70 123 45 67`` and ``0046 70 123 45 67`` carry their own.
    """
    import phonenumbers

    value = str(text).strip()
    if not value:
        raise ValidationError(_("The phone number is empty"), field="phone")
    try:
        number = phonenumbers.parse(value, region.upper())
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("{value!r} is not a phone number").format(value=value), field="phone") from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("{value!r} is not a valid phone number (region {region})")
            .format(value=value, region=region.upper()), field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(e164: str) -> bool:
    """True when the number can receive SMS as far as the numbering plan tells."""
    import phonenumbers

    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def format_phone(e164: str, *, international: bool = False) -> str:
    """For display: ``070-123 45 67`` (national) or ``+46 70 123 45 67`` (international)."""
    import phonenumbers

    number = phonenumbers.parse(e164)
    style = (phonenumbers.PhoneNumberFormat.INTERNATIONAL if international
             else phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, style)


# --- names -----------------------------------------------------------------------------------

# Words that say what kind of company it is, not which one: "Nilsson Bygg AB" and
# "Nilsson Bygg Aktiebolag" are the same customer. Joining words go too ("&", "och", "and").
_NOISE_WORDS = frozenset("""
    ab hb kb ef publ aktiebolag aktiebolaget handelsbolag handelsbolaget kommanditbolag
    kommanditbolaget
    ltd limited inc incorporated llc llp plc corp corporation co company gmbh ag oy oyj as asa aps
    bv nv sa sarl srl spa
    och and und
""".split())
# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "þ": "th"})


def _name_tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    text = "".join(char for char in text if not unicodedata.combining(char))
    tokens = re.findall(r"[^\W_]+", text)
    kept = [token for token in tokens if token not in _NOISE_WORDS]
    # A name made only of such words ("AB & Co") is still a name; compare it as written.
    return kept or tokens


def _ratio(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _soft_overlap(left: list[str], right: list[str]) -> float:
    """Each token of ``left`` matched to its closest token of ``right``, weighted by length."""
    weight = sum(len(token) for token in left)
    return sum(len(token) * max(_ratio(token, other) for other in right)
               for token in left) / weight


def name_similarity(a: str, b: str) -> float:
    """How alike two customer names are, from 0.0 (nothing in common) to 1.0 (the same name).

    Case, spacing, punctuation, accents and legal-form words (AB, HB, Aktiebolag, Ltd, Inc, ...)
    do not count, nor does word order: ``"Bygg AB Nilsson"`` and ``"Nilsson Bygg AB"`` give 1.0.
    Misspelt words still score high, so a score of about 0.85 or more suggests a duplicate.
    """
    left, right = _name_tokens(a), _name_tokens(b)
    if not left and not right:
        return 1.0
    if not left or not right:
        return 0.0
    whole = _ratio(" ".join(sorted(left)), " ".join(sorted(right)))
    # The lower of the two directions, so that one extra word on one side lowers the score.
    tokens = min(_soft_overlap(left, right), _soft_overlap(right, left))
    return round(max(whole, tokens), 6)
