"""Money: ``Decimal`` amounts in a currency, parsed from what people type, rounded, shown, split.

Amounts are never floats. A float that arrives anyway (a YAML ``12.5``) goes through ``str`` first,
so it becomes ``Decimal("12.5")`` and not ``12.4999999999999982236431605997495353221893310546875``.
The store keeps amounts as strings made by :func:`money_str` and read back by :func:`parse_stored`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType
from typing import Mapping

from kundkit.errors import ValidationError
from kundkit.i18n import _

__all__ = [
    "Currency",
    "CURRENCIES",
    "currency",
    "to_money",
    "round_money",
    "format_money",
    "allocate",
    "percent_of",
    "money_str",
    "parse_stored",
]


@dataclass(frozen=True)
class Currency:
    """A currency: its ISO 4217 code, how many decimals it has and its symbol in each language.

    In Swedish the symbol follows the amount (``1 234,50 kr``); in English it comes first
    (``SEK 1,234.50``, ``€1,234.50``).
    """

    code: str
    minor_units: int
    symbols: Mapping[str, str] = dataclass_field(default_factory=dict, hash=False)

    def symbol(self, language: str = "sv") -> str:
        return self.symbols.get(language, self.code)

    @property
    def quantum(self) -> Decimal:
        """The smallest amount: ``0.01`` for SEK, ``1`` for JPY."""
        return Decimal(1).scaleb(-self.minor_units)


def _make(code: str, minor_units: int, sv: str, en: str) -> Currency:
    return Currency(code, minor_units, MappingProxyType({"sv": sv, "en": en}))


# "kr" alone is kept for the krona; the Norwegian and Danish kroner are shown by their codes so
# that a Swedish reader never mistakes one for the other.
CURRENCIES: Mapping[str, Currency] = MappingProxyType({
    c.code: c for c in (
        _make("SEK", 2, "kr", "SEK"),
        _make("EUR", 2, "€", "€"),
        _make("NOK", 2, "NOK", "NOK"),
        _make("DKK", 2, "DKK", "DKK"),
        _make("USD", 2, "USD", "$"),
        _make("GBP", 2, "GBP", "£"),
        _make("CHF", 2, "CHF", "CHF"),
        _make("JPY", 0, "JPY", "¥"),
    )
})

# What may stand beside an amount to say which currency it is in, besides the code itself.
_MARKS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "SEK": ("kr", "kronor", ":-"),
    "NOK": ("kr", "kroner"),
    "DKK": ("kr", "kroner"),
    "EUR": ("€", "euro"),
    "USD": ("$", "us$"),
    "GBP": ("£",),
    "JPY": ("¥",),
})

CurrencyLike = str | Currency


def currency(code: CurrencyLike) -> Currency:
    """The currency with ISO code ``code`` (any letter case)."""
    if isinstance(code, Currency):
        return code
    found = CURRENCIES.get(str(code).strip().upper())
    if found is None:
        raise ValidationError(
            _("Unknown currency {code!r}; kundkit knows {known}")
            .format(code=code, known=", ".join(CURRENCIES)), field="currency")
    return found


# --- parsing ---------------------------------------------------------------------------------

# Spaces people and programs put between thousands: plain, no-break, narrow no-break, thin.
_GROUP_SPACES = re.compile("[ \u00a0\u202f\u2009]+")
_MINUS_SIGNS = ("-", "\u2212", "\u2013")


def to_money(value: str | int | Decimal | float, currency: CurrencyLike = "SEK", *,
             field: str = "amount") -> Decimal:
    """An amount of ``currency`` from user text or a value read from a file.

    Swedish and English notation both work: ``1 234,50``, ``1234.50``, ``1 234,50 kr``,
    ``1,234.50``, ``12,5``, ``-99 kr``, ``SEK 100``. The result has exactly the currency's number
    of decimals (``Decimal("12.50")``). A value with more decimals than the currency has is refused
    rather than rounded: the person meant something else.
    """
    cur = _currency(currency)
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, float)):
        raise ValidationError(
            _("{field}: {value!r} is not an amount of money").format(field=field, value=value),
            field=field)
    if isinstance(value, float):
        amount = Decimal(str(value))
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    else:
        amount = _parse_text(value, cur, field)
    if not amount.is_finite():
        raise ValidationError(
            _("{field}: {value!r} is not a number").format(field=field, value=str(value)),
            field=field)
    return _exact(amount, cur, field, value)


def _exact(amount: Decimal, cur: Currency, field: str, shown: object) -> Decimal:
    try:
        exact = amount.quantize(cur.quantum)
    except InvalidOperation:
        raise ValidationError(
            _("{field}: {value} is too large").format(field=field, value=shown),
            field=field) from None
    if exact != amount:
        raise ValidationError(
            _("{field}: {value} has too many decimals; {code} has at most {places}")
            .format(field=field, value=shown, code=cur.code, places=cur.minor_units),
            field=field)
    # Never "-0.00": a zero amount has no sign.
    return exact if exact else abs(exact)


def _parse_text(text: str, cur: Currency, field: str) -> Decimal:
    original = text
    text = text.strip()
    if not text:
        raise ValidationError(_("{field}: the amount is empty").format(field=field), field=field)
    text, negative = _strip_sign(text)
    text = _strip_currency(text, cur, field, original)
    if not negative:
        text, negative = _strip_sign(text)
    text = _GROUP_SPACES.sub(" ", text)
    if _is_ambiguous(text, cur):
        whole, fraction = re.split("[.,]", text)
        raise ValidationError(
            _("{field}: {value!r} is ambiguous (thousands separator or decimal mark?); "
              "write {plain} or {spaced}").format(field=field, value=original,
                                                 plain=whole + fraction,
                                                 spaced=whole + " " + fraction),
            field=field)
    number = _plain_number(text)
    if number is None:
        raise ValidationError(
            _("{field}: {value!r} is not an amount of money").format(field=field, value=original),
            field=field)
    return -number if negative else number


def _strip_sign(text: str) -> tuple[str, bool]:
    if text[:1] in _MINUS_SIGNS:
        return text[1:].strip(), True
    if text[:1] == "+":
        return text[1:].strip(), False
    return text, False


def _strip_currency(text: str, cur: Currency, field: str, original: str) -> str:
    """The text without a currency code or symbol before or after the number."""
    match = re.fullmatch(r"([^\d\s.,+\-\u2212\u2013]*)\s*(.*?)\s*([^\d\s.,+\-\u2212\u2013]*|:-)",
                         text)
    if match is None:
        return text
    before, number, after = match.groups()
    marks = [mark for mark in (before, after) if mark]
    if not marks:
        return text
    if len(marks) > 1:
        raise ValidationError(
            _("{field}: {value!r} is not an amount of money").format(field=field, value=original),
            field=field)
    mark = marks[0].casefold()
    if mark == cur.code.casefold() or mark in _MARKS.get(cur.code, ()):
        return number
    for other, other_marks in _MARKS.items():
        if mark == other.casefold() or mark in other_marks:
            raise ValidationError(
                _("{field}: {value!r} is in {other}, not {code}")
                .format(field=field, value=original, other=other, code=cur.code), field=field)
    if mark.upper() in CURRENCIES:
        raise ValidationError(
            _("{field}: {value!r} is in {other}, not {code}")
            .format(field=field, value=original, other=mark.upper(), code=cur.code), field=field)
    raise ValidationError(
        _("{field}: {value!r} is not an amount of money").format(field=field, value=original),
        field=field)


_GROUPED = r"\d{1,3}(?:%s\d{3})+"


def _plain_number(text: str) -> Decimal | None:
    """``1 234,50`` / ``1,234.50`` / ``1.234,50`` / ``12,5`` → Decimal; None if it is not one."""
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        # Both used: the one that comes last separates the decimals.
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
    elif commas > 1 or dots > 1:
        decimal_mark, group_mark = "", "," if commas else "."
    else:
        decimal_mark, group_mark = ("," if commas else "." if dots else ""), ""
    whole, _sep, fraction = text.partition(decimal_mark) if decimal_mark else (text, "", "")
    if not re.fullmatch(r"\d+", fraction) and decimal_mark:
        return None
    whole = _ungroup(whole, group_mark)
    if whole is None or not (whole or fraction):
        return None
    return Decimal(f"{whole or '0'}.{fraction or '0'}")


def _ungroup(whole: str, group_mark: str) -> str | None:
    if re.fullmatch(r"\d*", whole):
        return whole
    for mark in {" ", group_mark} - {""}:
        if re.fullmatch(_GROUPED % re.escape(mark), whole):
            return whole.replace(mark, "")
    return None


def _is_ambiguous(text: str, cur: Currency) -> bool:
    # "1,234" is one thousand two hundred and thirty-four to an English reader and one point two
    # three four to a Swedish one; "1.234" the other way round for many Swedes. Neither reading
    # is safe to guess for money, so the person is asked to write it unmistakably.
    return cur.minor_units != 3 and re.fullmatch(r"[1-9]\d{0,2}[.,]\d{3}", text) is not None


def _currency(value: CurrencyLike) -> Currency:
    return currency(value)


# --- arithmetic ------------------------------------------------------------------------------

def round_money(amount: Decimal | int, currency: CurrencyLike = "SEK") -> Decimal:
    """``amount`` rounded to the currency's minor unit, halves away from zero."""
    cur = _currency(currency)
    # Half away from zero is the rule of Swedish invoices, tills and calculators (and of most
    # people's schooling), so a total kundkit prints matches the one the customer works out by
    # hand. Banker's rounding would save a fraction of an öre over many lines and surprise people.
    rounded = _decimal(amount).quantize(cur.quantum, rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)


def percent_of(amount: Decimal | int, percent: Decimal | int,
               currency: CurrencyLike = "SEK") -> Decimal:
    """``percent`` per cent of ``amount``, rounded once at the end (never step by step)."""
    return round_money(_decimal(amount) * _decimal(percent) / 100, currency)


def allocate(total: Decimal | int, weights: list[Decimal] | list[int],
             currency: CurrencyLike = "SEK") -> list[Decimal]:
    """Split ``total`` over parts in proportion to ``weights``, in whole minor units.

    The parts add up to exactly ``total`` (largest-remainder method: every part gets its share
    rounded down, and the minor units left over go to the parts that lost most in rounding,
    earlier parts first on a tie). A part with weight 0 gets 0. A negative total is split like
    its absolute value, with every part negative.
    """
    cur = _currency(currency)
    total = _decimal(total)
    if total.quantize(cur.quantum) != total:
        raise ValidationError(
            _("Cannot split {total}: it has more decimals than {code} has")
            .format(total=total, code=cur.code), field="amount")
    shares = [Fraction(_decimal(weight)) for weight in weights]
    if not shares and total:
        raise ValidationError(
            _("Cannot split {total} over no parts").format(total=total), field="weights")
    if any(share < 0 for share in shares):
        raise ValidationError(_("Cannot split an amount by negative weights"), field="weights")
    weight_sum = sum(shares, Fraction(0))
    if weight_sum == 0:
        if total == 0:
            return [Decimal(0).quantize(cur.quantum) for _share in shares]
        raise ValidationError(
            _("Cannot split {total} when all the weights are zero").format(total=total),
            field="weights")
    units = int(abs(total).scaleb(cur.minor_units))
    exact = [units * share / weight_sum for share in shares]
    parts = [int(value) for value in exact]  # int() of a non-negative Fraction rounds down
    left_over = units - sum(parts)
    by_loss = sorted(range(len(parts)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in by_loss[:left_over]:
        parts[index] += 1
    sign = -1 if total < 0 else 1
    return [(sign * part * cur.quantum).quantize(cur.quantum) for part in parts]


def _decimal(value: Decimal | int) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        # A programming mistake rather than a user's: money in kundkit is never a float.
        raise TypeError(f"expected Decimal or int, got {type(value).__name__}: {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValidationError(_("{value} is not a number").format(value=value), field="amount")
    return amount


# --- display and storage ---------------------------------------------------------------------

def format_money(amount: Decimal | int, currency: CurrencyLike = "SEK",
                 language: str = "sv") -> str:
    """``1 234,50 kr`` in Swedish, ``SEK 1,234.50`` in English (rounded to the minor unit)."""
    cur = _currency(currency)
    rounded = round_money(amount, cur)
    digits = f"{abs(rounded):,.{cur.minor_units}f}"
    sign = "-" if rounded < 0 else ""
    symbol = cur.symbol(language)
    if language == "sv":
        # Plain spaces, not the no-break spaces of CLDR, so that output pasted into a
        # spreadsheet or a script reads back the same.
        digits = digits.replace(",", " ").replace(".", ",")
        return f"{sign}{digits} {symbol}"
    gap = " " if symbol.isalpha() else ""
    return f"{sign}{symbol}{gap}{digits}"


_STORED = re.compile(r"-?\d+(\.\d+)?")


def money_str(amount: Decimal | int, currency: CurrencyLike = "SEK") -> str:
    """The string the store keeps: ``"1234.50"``, with exactly the currency's decimals.

    An amount with more decimals than that is refused: the store must hold what was computed,
    so round first with :func:`round_money`.
    """
    cur = _currency(currency)
    exact = _exact(_decimal(amount), cur, "amount", amount)
    return f"{exact:f}"


def parse_stored(text: str, *, field: str = "amount") -> Decimal:
    """The amount in a string written by :func:`money_str`."""
    if not isinstance(text, str) or _STORED.fullmatch(text) is None:
        raise ValidationError(
            _("{field}: stored amount {value!r} is not a plain decimal number")
            .format(field=field, value=text), field=field)
    return Decimal(text)
