"""How amounts and percentages read in the reasons and tables of incentives, in the active language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from kundkit.i18n import get_language


def show_money(amount: Decimal, currency: str) -> str:
    """``12 500,00 kr`` in Swedish, ``SEK 12,500.00`` in English."""
    from kundkit.money import format_money

    return format_money(amount, currency, get_language())


def show_number(value: Decimal, places: int = 1, *, fixed: bool = False) -> str:
    """A number as a person writes it: ``12.5`` (``12,5`` in Swedish), whole numbers without
    decimals; with ``fixed``, always ``places`` decimals (``102.0``), for columns that line up."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if fixed:
        text = f"{rounded:f}"
    elif rounded == rounded.to_integral_value():
        text = f"{rounded.to_integral_value():f}"
    else:
        text = f"{rounded.normalize():f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "-0" or "-0.0"
    if get_language() == "sv":
        text = text.replace(".", ",")
    return text


def show_percent(value: Decimal, places: int = 1, *, fixed: bool = False) -> str:
    """A percentage: ``112.5 %`` (``112,5 %`` in Swedish), ``100 %``."""
    return f"{show_number(value, places, fixed=fixed)} %"


def show_ratio(value: Decimal | None, places: int = 1, *, fixed: bool = False) -> str:
    """A ratio (``1.125``) as a percentage (``112.5 %``); an empty string for None."""
    return "" if value is None else show_percent(value * 100, places, fixed=fixed)
