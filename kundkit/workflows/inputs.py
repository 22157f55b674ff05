"""Typed values of workflow inputs and ``ask`` answers: checking what a person typed, storing it
as JSON, and giving expressions the value with its type back.

=========  ==================================  =====================  ========================
type       accepts                             stored                 in expressions
=========  ==================================  =====================  ========================
text       any text                            text                   text
number     ``12``, ``1 234,50``, ``-3.5``      text ``"1234.50"``     Decimal
choice     one of ``choices``                  text                   text
date       ``2026-12-01``, today, +3d, 2w      ``"2026-12-01"``       date
email      an e-mail address                   normalised             text
phone      a phone number (region of config)   E.164 ``+46701234567``  text
orgnr      a Swedish organisation number       ``556703-7485``        text
customer   ``K1042`` or a text that finds one  the id                 the id
staff      an active staff member's id         the id                 the id
=========  ==================================  =====================  ========================
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction
    from kundkit.workflows.model import InputSpec

_NUMBER_SPACES = re.compile(r"[ \u00a0\u202f]")


def parse_number(text: Any, name: str) -> str:
    if isinstance(text, bool):
        raise ValidationError(_("{name}: '{value}' is not a number").format(name=name, value=text),
                              field=name)
    raw = _NUMBER_SPACES.sub("", str(text).strip())
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValidationError(_("{name}: '{value}' is not a number").format(name=name, value=text),
                              field=name)
    return f"{number:f}"


def _customer(tx: Transaction, text: str, name: str) -> str:
    from kundkit.customers import find_customers, get_customer

    try:
        return str(get_customer(tx, text)["id"])
    except NotFound:
        pass
    found = find_customers(tx, text) if text else []
    if len(found) == 1:
        return str(found[0]["id"])
    if not found:
        raise ValidationError(_("{name}: no customer matches '{value}'").format(name=name, value=text),
                              field=name)
    shown = ", ".join(f"{c['id']} {c.get('name', '')}" for c in found[:5])
    raise ValidationError(_("{name}: '{value}' matches {n} customers ({shown}); give the id").format(
        name=name, value=text, n=len(found), shown=shown), field=name)


def parse_value(ctx: Context, tx: Transaction | None, kind: str, value: Any, name: str,
                choices: tuple[tuple[str, Any], ...] = ()) -> Any:
    """``value`` checked and normalised for storage, or a ValidationError naming ``name``.

    ``tx`` is needed for the types that look in the store (customer, staff).
    """
    from kundkit.identity import parse_email, parse_orgnr, parse_phone

    text = value.strip() if isinstance(value, str) else value
    if kind == "text":
        return str(text)
    if kind == "number":
        return parse_number(text, name)
    if kind == "choice":
        allowed = [c[0] for c in choices]
        if str(text) not in allowed:
            raise ValidationError(_("{name}: '{value}' is not one of {choices}").format(
                name=name, value=text, choices=", ".join(allowed)), field=name)
        return str(text)
    if kind == "date":
        from kundkit.tasks import parse_due

        if isinstance(text, date):
            return text.isoformat()
        try:
            return parse_due(str(text), today=ctx.today())
        except ValidationError:
            raise ValidationError(_("{name}: '{value}' is not a date (YYYY-MM-DD, today, tomorrow "
                                    "or +3d)").format(name=name, value=text), field=name) from None
    try:
        if kind == "email":
            return parse_email(str(text))
        if kind == "phone":
            return parse_phone(str(text), ctx.config.region)
        if kind == "orgnr":
            return parse_orgnr(str(text))
    except ValidationError as exc:
        raise ValidationError(f"{name}: {exc.message}", field=name) from None
    if kind in ("customer", "staff"):
        if tx is None:
            with ctx.store.read() as read_tx:
                return parse_value(ctx, read_tx, kind, value, name, choices)
        if kind == "customer":
            return _customer(tx, str(text), name)
        from kundkit.staff import require_active

        return require_active(tx, str(text), field=name)
    raise ValidationError(_("{name}: unknown input type '{kind}'").format(name=name, kind=kind),
                          field=name)


def typed(kind: str, stored: Any) -> Any:
    """The value of a stored input as expressions see it (a number as Decimal, a date as date)."""
    if stored is None:
        return None
    if kind == "number":
        try:
            return Decimal(str(stored))
        except InvalidOperation:
            return stored
    if kind == "date":
        try:
            return date.fromisoformat(str(stored))
        except ValueError:
            return stored
    return stored


def check_default(spec: InputSpec) -> str | None:
    """Why the default of an input cannot be right (checked without a store), or None."""
    if spec.default is None or not isinstance(spec.default, (str, int, float)):
        return None
    if isinstance(spec.default, str) and "{{" in spec.default:
        return None
    if spec.type == "number":
        try:
            parse_number(spec.default, spec.name)
        except ValidationError:
            return _("the default '{value}' is not a number").format(value=spec.default)
    if spec.type == "choice" and spec.choices and str(spec.default) not in [c[0] for c in spec.choices]:
        return _("the default '{value}' is not one of the choices ({choices})").format(
            value=spec.default, choices=", ".join(c[0] for c in spec.choices))
    return None
