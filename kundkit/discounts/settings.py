"""The ``discounts:`` section of kundkit.yaml: its schema, and reading numbers from it exactly.

YAML reads ``2.5`` as a float; a percent or an amount goes through its text (``str``) so that it
becomes ``Decimal("2.5")``, never a binary approximation.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from kundkit.errors import ValidationError
from kundkit.i18n import _

NUMBER = {"type": ["number", "string"], "description": "a number such as 10000 or \"2.5\""}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
TIERS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["from", "percent"],
        "properties": {"from": NUMBER, "percent": PERCENT},
    },
}
NAMES = {"type": "array", "items": {"type": "string"}}

DISCOUNTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "combine": {"enum": ["best", "add"],
                    "description": "best: the largest offer wins; add: offers add up, to the cap"},
        "cap": PERCENT,
        "exclude": {
            "type": "object",
            "additionalProperties": False,
            "properties": {"products": NAMES, "categories": NAMES},
        },
        # Each policy's own settings are checked against the schema the policy declares (built-in
        # ones here too, through the plugin's config_schema), so any policy name may appear.
        "policies": {"type": "object", "additionalProperties": {"type": "object"}},
    },
}


def dec(value: Any, *, field: str) -> Decimal:
    """A number from the configuration as an exact Decimal."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValidationError(_("{field}: expected a number, got {value!r}").format(
            field=field, value=value), field=field)
    text = str(value).strip().replace(" ", "").replace("\u00a0", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("{field}: '{value}' is not a number").format(
            field=field, value=value), field=field) from None
    if not number.is_finite():
        raise ValidationError(_("{field}: '{value}' is not a number").format(
            field=field, value=value), field=field)
    return number


def tiers(settings: dict[str, Any], *, field: str) -> list[tuple[Decimal, Decimal]]:
    """``tiers:`` as (from, percent) pairs, lowest first; they must rise strictly."""
    out: list[tuple[Decimal, Decimal]] = []
    for index, item in enumerate(settings.get("tiers") or []):
        where = f"{field}.tiers[{index}]"
        start = dec(item.get("from"), field=f"{where}.from")
        percent = dec(item.get("percent"), field=f"{where}.percent")
        if out and start <= out[-1][0]:
            raise ValidationError(_("{field}: the tiers must rise: {value} is not above {previous}").format(
                field=f"{where}.from", value=start, previous=out[-1][0]), field=f"{where}.from")
        out.append((start, percent))
    return out


def tier_for(levels: list[tuple[Decimal, Decimal]], value: Decimal) -> int | None:
    """The index of the highest tier that ``value`` reaches, or None."""
    found = None
    for index, (start, _percent) in enumerate(levels):
        if value >= start:
            found = index
    return found
