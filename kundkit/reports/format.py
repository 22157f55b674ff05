"""How the figures of a report read, in the active language: the same text in the terminal table
and in the HTML page, so that a reader finds the same figure in both.

Amounts are shown to the öre without the currency symbol (the report says once which currency it
is in): ``12 500,00`` in Swedish, ``12,500.00`` in English.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from kundkit.i18n import _, get_language


def _localise(text: str) -> str:
    if get_language() == "sv":
        return text.replace(",", " ").replace(".", ",")
    return text


def amount(value: Decimal | str | None, places: int = 2) -> str:
    """``12 500,00`` / ``12,500.00``; an empty string for None. A stored amount (``"12500.00"``)
    with ``places`` decimals is shown without going through Decimal (reports show thousands)."""
    if value is None:
        return ""
    if isinstance(value, str):
        head, dot, tail = value.partition(".")
        sign = ""
        if head.startswith("-"):
            sign, head = "-", head[1:]
        if dot and len(tail) == places and head.isdigit() and tail.isdigit():
            whole = int(head)
            if not whole and not int(tail):
                sign = ""
            return _localise(f"{sign}{whole:,}.{tail}")
        value = Decimal(sign + head + dot + tail)
    if isinstance(value, Decimal) and value.as_tuple().exponent == -places:
        # Already to the öre (every amount of a report is): no rounding to do.
        return _localise(f"{value if value else abs(value):,.{places}f}")
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)
    return _localise(f"{rounded:,.{places}f}")


def whole(value: int | None) -> str:
    """A count with thousands grouped: ``12 500`` / ``12,500``."""
    return "" if value is None else _localise(f"{value:,d}")


def number(value: Decimal | float | None, places: int = 1) -> str:
    if value is None:
        return ""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _localise(f"{rounded:,.{places}f}")


def percent(ratio: Decimal | float | None, places: int = 1) -> str:
    """A ratio as a percentage: ``0.125`` → ``12.5 %`` (``12,5 %``)."""
    if ratio is None:
        return ""
    return f"{number(Decimal(str(ratio)) * 100, places)} %"


def change(ratio: Decimal | None, places: int = 0) -> str:
    """A relative change with its sign: ``+12 %``, ``−8 %``; a dash when there is none."""
    if ratio is None:
        return "–"
    text = percent(ratio, places)
    return text if text.startswith("-") else f"+{text}"


def years(days: int | None) -> str:
    """Days as years with one decimal (365 days a year)."""
    return "" if days is None else number(Decimal(days) / 365, 1)


def duration(value: timedelta | None) -> str:
    """``45 min``, ``3 h 20 min``, ``2 d 4 h`` (24-hour days)."""
    if value is None:
        return ""
    minutes = int(round(value.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    d, h, m = _("d"), _("h"), _("min")
    if days:
        return f"{days} {d} {hours} {h}" if hours else f"{days} {d}"
    if hours:
        return f"{hours} {h} {mins} {m}" if mins else f"{hours} {h}"
    return f"{mins} {m}"


def probability(value: float | None, places: int = 0) -> str:
    return "" if value is None else percent(Decimal(str(round(value, 6))), places)


def expected(value: float | None) -> str:
    return "" if value is None else number(Decimal(str(round(value, 6))), 2)


def significant(value: float | None, digits: int = 2) -> str:
    """A small number such as a p-value to ``digits`` significant digits: ``0.0042`` (``0,0042``);
    below 0.0001 as ``<0.0001``."""
    if value is None:
        return ""
    if value < 0.0001:
        return _localise("<0.0001")
    return _localise(f"{value:.{digits}g}")


def general(value: float | None, digits: int = 4) -> str:
    """A model parameter to ``digits`` significant digits: ``1.854``, ``1.3e-05`` (``1,854``)."""
    return "" if value is None else _localise(f"{value:.{digits}g}")
