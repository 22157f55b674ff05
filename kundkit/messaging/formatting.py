"""Dates and amounts of money written the way a Swedish or an English reader expects them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from kundkit.errors import ValidationError
from kundkit.i18n import _, normalize_language

# Names of months and weekdays are data about each language rather than messages, so they live
# here instead of in the catalogs (a translator cannot get "december" wrong by leaving it out).
_MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
_WEEKDAYS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
DATE_STYLES = ("long", "short", "iso", "weekday")


def language_code(language: str | None) -> str:
    return normalize_language(language) or "en"


def as_date(value: date | datetime | str) -> date:
    """A date from a ``date``, a ``datetime`` (its own local date) or an ISO 8601 string."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.strip()).date()
        except ValueError:
            pass
    raise ValidationError(_("{value!r} is not a date").format(value=value), field="date")


def format_date(value: date | datetime | str, language: str = "sv", style: str = "long") -> str:
    """``24 december 2024`` / ``24 December 2024`` (long), ``2024-12-24`` (short, iso),
    ``tisdag 24 december 2024`` / ``Tuesday 24 December 2024`` (weekday)."""
    day = as_date(value)
    lang = language_code(language)
    if style in ("short", "iso"):
        # ISO dates are the Swedish standard way and unambiguous to an English reader.
        return day.isoformat()
    if style not in DATE_STYLES:
        raise ValidationError(
            _("Unknown date style {style!r}; use one of {allowed}")
            .format(style=style, allowed=", ".join(DATE_STYLES)), field="style")
    text = f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"
    if style == "weekday":
        text = f"{_WEEKDAYS[lang][day.weekday()]} {text}"
    return text


def format_amount(value: Decimal | int | float | str, language: str = "sv",
                  currency: str = "SEK") -> str:
    """An amount for a customer: ``1 234,50 kr`` / ``SEK 1,234.50``, rounded to the öre.

    Values reaching a template may come from YAML or JSON as floats or strings; they go through
    ``str`` to ``Decimal`` so that no binary-float error shows.
    """
    from kundkit.money import format_money

    if isinstance(value, bool):
        raise ValidationError(_("{value!r} is not an amount of money").format(value=value),
                              field="amount")
    try:
        amount = value if isinstance(value, (Decimal, int)) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("{value!r} is not an amount of money").format(value=value),
                              field="amount") from None
    return format_money(amount, currency, language_code(language))
