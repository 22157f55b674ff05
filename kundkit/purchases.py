"""Purchases: recording a sale with its discount, voiding one with a credit note, and finding them.

A purchase (``P1042``) holds its customer, date, seller and lines; each line keeps the product's
name, category, weight and key-product ("locomotive") flag as they were at the time of sale, so
that later changes to a product never rewrite history. Money is ``Decimal`` and stored as a string.
A line's gross is quantity × unit price (exact); the discount is rounded once, to the currency's
minor unit, and split over the discountable lines so that the lines' nets add up to the net.

A void never deletes or changes the amounts of a purchase: it records a credit note (``kind:
credit``, negative amounts, ``credits: P1042``) and marks the original ``voided_by``. The customer's
running totals take the voided net off the day of the original sale, so later discounts follow.

Other areas record sales through :func:`record_purchase` inside their own transaction and fire
``purchase_recorded`` after it commits (:func:`add_purchase` does both).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from kundkit.discounts.model import History, Order, OrderLine
from kundkit.errors import Conflict, ValidationError
from kundkit.i18n import _
from kundkit.money import money_str, to_money
from kundkit.purchase_store import (
    PURCHASES, add_to_totals, daily_decimals, find_purchase, index_months, iter_purchases,
    load_totals, month_of, number_of, save_totals,
)

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.discounts.engine import Priced, Setup
    from kundkit.store import Transaction

PREFIX = "P"
FIRST_NUMBER = 1001
SOURCES = ("counter", "import", "workflow")
_LINE = re.compile(r"^\s*([^:]+?)\s*:\s*([^:]+?)\s*(?::\s*(.+?)\s*)?$")


@dataclass(frozen=True)
class LineRequest:
    """A line as asked for: a SKU, a quantity and, optionally, a unit price other than the list
    price."""

    sku: str
    quantity: int
    unit_price: Decimal | None = None


@dataclass
class PurchaseRequest:
    """A sale to record. ``date`` defaults to today, ``seller`` to the acting staff member."""

    customer: str
    lines: list[LineRequest]
    date: date | None = None
    seller: str | None = None
    redeem_points: bool | None = None
    order: str | None = None
    source: str = "counter"


@dataclass
class Quote:
    """A priced order, not yet recorded: what ``purchase add`` shows before it asks to confirm."""

    customer: dict[str, Any]
    order: Order
    priced: Priced
    totals: dict[str, Any] = field(repr=False, default_factory=dict)


# -- parsing ---------------------------------------------------------------------------------------

def parse_quantity(value: Any, *, field: str = "quantity") -> int:
    text = str(value).strip()
    if not re.fullmatch(r"[+]?\d+", text):
        raise ValidationError(_("{field}: '{value}' is not a whole number of pieces").format(
            field=field, value=value), field=field)
    quantity = int(text)
    if quantity <= 0:
        raise ValidationError(_("{field}: must be at least 1, not {value}").format(
            field=field, value=value), field=field)
    return quantity


def parse_line(text: str, currency: str) -> LineRequest:
    """``SKU:QTY`` or ``SKU:QTY:PRICE`` (the price in Swedish or English notation)."""
    match = _LINE.match(text or "")
    if match is None:
        raise ValidationError(_("--line: '{value}' is not SKU:QUANTITY or SKU:QUANTITY:PRICE").format(
            value=text), field="line")
    sku, quantity, price = match.groups()
    return LineRequest(sku=sku, quantity=parse_quantity(quantity, field="line"),
                       unit_price=None if price is None else to_money(price, currency, field="line"))


def parse_date(value: str | date, *, field: str = "date") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(_("{field}: '{value}' is not a date (YYYY-MM-DD)").format(
            field=field, value=value), field=field) from None


# -- building an order -----------------------------------------------------------------------------

def order_line(product: dict[str, Any], quantity: int, unit_price: Decimal | None,
               setup: Setup) -> OrderLine:
    price = unit_price if unit_price is not None else Decimal(product["price"])
    weight = product.get("weight")
    return OrderLine(sku=product["sku"], quantity=quantity, unit_price=price,
                     name=product.get("name") or "", category=product.get("category") or "",
                     weight=None if weight in (None, "") else Decimal(str(weight)),
                     locomotive=bool(product.get("locomotive")),
                     discountable=setup.discountable(product["sku"], product.get("category")))


def history_of(tx: Transaction, totals: dict[str, Any]) -> Any:
    """A function giving each policy its view of the customer's history."""
    daily = daily_decimals(totals)
    customer_id = totals["id"]

    def load() -> list[dict[str, Any]]:
        return [dict(p) for p in iter_purchases(tx) if p["customer"] == customer_id]

    def for_policy(name: str) -> History:
        return History(customer_id, daily, totals["state"].get(name, {}), load)

    return for_policy


def quote_purchase(ctx: Context, tx: Transaction, request: PurchaseRequest) -> Quote:
    """Check a sale and work out its discount, without recording anything."""
    from kundkit.customers import get_customer
    from kundkit.discounts.engine import price, setup_for
    from kundkit.products import get_product
    from kundkit.staff import get_staff

    setup = setup_for(ctx)
    customer = get_customer(tx, request.customer)
    if customer.get("forgotten_at"):
        raise Conflict(_("customer {id} has been forgotten; no purchases can be recorded").format(
            id=customer["id"]))
    if not request.lines:
        raise ValidationError(_("a purchase needs at least one line (--line SKU:QUANTITY)"), field="line")
    day = request.date or ctx.today()
    if day > ctx.today():
        raise ValidationError(_("date: {date} is in the future").format(date=day.isoformat()),
                              field="date")
    seller = request.seller or ctx.actor
    if seller:
        seller = get_staff(tx, seller)["id"]
    lines = []
    for line in request.lines:
        product = get_product(tx, line.sku)
        if request.source == "counter" and not product.get("active", True):
            raise ValidationError(_("product '{sku}' is no longer sold").format(sku=product["sku"]),
                                  field="line")
        lines.append(order_line(product, line.quantity, line.unit_price, setup))
    order = Order(customer=customer["id"], date=day, lines=tuple(lines), currency=setup.currency,
                  seller=seller, redeem_points=request.redeem_points)
    totals = load_totals(tx, customer["id"])
    priced = price(setup, customer=customer, order=order, history=history_of(tx, totals))
    return Quote(customer, order, priced, totals)


# -- the record ------------------------------------------------------------------------------------

def purchase_record(number: int, priced: Priced, *, recorded_at: str, recorded_by: str | None,
                    source: str, order_ref: str | None = None) -> dict[str, Any]:
    """The stored form of a priced order."""
    order = priced.order
    cur = order.currency
    lines = []
    for line, discount in zip(order.lines, priced.line_discounts):
        gross = line.gross
        lines.append({
            "sku": line.sku, "name": line.name, "category": line.category or None,
            "quantity": line.quantity, "unit_price": money_str(line.unit_price, cur),
            "weight": None if line.weight is None else str(line.weight),
            "locomotive": line.locomotive, "discountable": line.discountable,
            "gross": money_str(gross, cur), "discount": money_str(discount, cur),
            "net": money_str(gross - discount, cur),
        })
    return {
        "id": f"{PREFIX}{number}",
        "kind": "sale",
        "date": order.date.isoformat(),
        "customer": order.customer,
        "seller": order.seller,
        "order": order_ref,
        "source": source,
        "currency": cur,
        "lines": lines,
        "gross": money_str(order.gross, cur),
        "discount": priced.discount,
        "net": money_str(priced.net, cur),
        "recorded_at": recorded_at,
        "recorded_by": recorded_by,
        "policies": [],
    }


def apply_policies(setup: Setup, tx: Transaction, totals: dict[str, Any], customer: dict[str, Any],
                   record: dict[str, Any], *, void_of: dict[str, Any] | None = None) -> None:
    """Let each active policy update its per-customer state (points earned, spent, given back)."""
    from kundkit.discounts.engine import call_policy

    history = history_of(tx, totals)
    for active in setup.policies:
        if void_of is not None and active.name not in (void_of.get("policies") or ()):
            continue  # the policy had no part in the sale (not active then, or a plain import)
        kwargs: dict[str, Any] = {"settings": active.settings, "customer": customer,
                                  "history": history(active.name)}
        if void_of is None:
            state = call_policy(active.policy, "on_purchase", purchase=record, **kwargs)
        else:
            state = call_policy(active.policy, "on_void", purchase=void_of, credit=record, **kwargs)
        if state is not None:
            totals["state"][active.name] = state


def _stamp(ctx: Context) -> str:
    return ctx.now().isoformat(timespec="seconds")


def record_purchase(ctx: Context, tx: Transaction, request: PurchaseRequest, *,
                    follow_up: bool = True) -> dict[str, Any]:
    """Record a sale in the caller's transaction and return the purchase record.

    The discount is worked out by the configured policies, the customer's running totals and
    policy states are updated, and (unless ``follow_up`` is False) a consultation task is created
    for each key product sold. The caller fires ``ctx.emit("purchase_recorded", purchase=record)``
    after its transaction commits (:func:`add_purchase` does it all).
    """
    from kundkit.discounts.engine import setup_for

    if request.source not in SOURCES:
        raise ValidationError(_("source: {value!r} is not one of {choices}").format(
            value=request.source, choices=", ".join(SOURCES)), field="source")
    quote = quote_purchase(ctx, tx, request)
    setup = setup_for(ctx)
    number = tx.next_id("purchase", start=FIRST_NUMBER)
    record = purchase_record(number, quote.priced, recorded_at=_stamp(ctx), recorded_by=ctx.actor,
                             source=request.source, order_ref=request.order)
    record["policies"] = [active.name for active in setup.policies]
    totals = quote.totals
    add_to_totals(totals, record["date"], Decimal(record["gross"]), Decimal(record["net"]))
    apply_policies(setup, tx, totals, quote.customer, record)
    if follow_up and any(line["locomotive"] for line in record["lines"]):
        from kundkit.followup import follow_up_purchase

        record["followups"] = follow_up_purchase(ctx, tx, record, quote.customer)
    store_purchases(tx, [record])
    save_totals(tx, [totals])
    return record


def add_purchase(ctx: Context, request: PurchaseRequest) -> dict[str, Any]:
    """:func:`record_purchase` in its own transaction, then the ``purchase_recorded`` event."""
    with ctx.store.transaction() as tx:
        record = record_purchase(ctx, tx, request)
    ctx.emit("purchase_recorded", purchase=record)
    return record


def store_purchases(tx: Transaction, records: Iterable[dict[str, Any]]) -> None:
    """Insert purchase records: one table rebuild per month, and the month index updated.

    Records given in date order (as an import gives them) are written a month at a time, so that
    a big batch is not held twice in memory."""
    from tinydb.table import Document

    added: dict[str, tuple[list[int], int]] = {}
    pending: dict[str, list[dict[str, Any]]] = {}

    def flush(month: str) -> None:
        batch = pending.pop(month)
        numbers, lines = added.get(month, ([], 0))
        for record in batch:
            numbers.append(int(record["id"][1:]))  # written by kundkit: always P and digits
            lines += len(record["lines"])
        added[month] = (numbers, lines)
        tx.table(PURCHASES, month).insert_multiple(
            Document(record, doc_id=number) for record, number in zip(batch, numbers[-len(batch):]))

    for record in records:
        month = record["date"][:7]
        if month not in pending and len(pending) == 1:
            flush(next(iter(pending)))
        pending.setdefault(month, []).append(record)
    for month in list(pending):
        flush(month)
    index_months(tx, added)


# -- voids -----------------------------------------------------------------------------------------

def _negate(amount: str) -> str:
    value = -Decimal(amount)
    return f"{value if value else abs(value):f}"


def credit_note(number: int, original: dict[str, Any], *, day: date, reason: str, recorded_at: str,
                recorded_by: str | None) -> dict[str, Any]:
    lines = [{**line, "quantity": -line["quantity"], "gross": _negate(line["gross"]),
              "discount": _negate(line["discount"]), "net": _negate(line["net"])}
             for line in original["lines"]]
    discount = original.get("discount")
    if discount:
        discount = {**discount, "amount": _negate(discount["amount"])}
    return {
        "id": f"{PREFIX}{number}", "kind": "credit", "date": day.isoformat(),
        "customer": original["customer"], "seller": original.get("seller"),
        "order": original.get("order"), "source": original.get("source"),
        "currency": original["currency"], "credits": original["id"], "reason": reason,
        "lines": lines, "gross": _negate(original["gross"]), "discount": discount,
        "net": _negate(original["net"]), "recorded_at": recorded_at, "recorded_by": recorded_by,
        "policies": list(original.get("policies") or []),
    }


def void_purchase(ctx: Context, tx: Transaction, purchase_id: str, *, reason: str) -> dict[str, Any]:
    """Void a purchase with a credit note (returned); the original stays, marked ``voided_by``.

    The customer's totals lose the purchase's net on the day it was made, its points are given
    back or taken back, and an open key-product task it created is cancelled.
    """
    from kundkit.customers import get_customer
    from kundkit.discounts.engine import setup_for
    from kundkit.idtable import replace_doc

    text = re.sub(r"\s+", " ", reason or "").strip()
    if not text:
        raise ValidationError(_("--reason: say why the purchase is voided"), field="reason")
    original = find_purchase(tx, purchase_id)
    if original["kind"] != "sale":
        raise Conflict(_("{id} is a credit note; it cannot be voided").format(id=original["id"]))
    if original.get("voided_by"):
        raise Conflict(_("{id} was already voided by {credit}").format(id=original["id"],
                                                                      credit=original["voided_by"]))
    setup = setup_for(ctx)
    number = tx.next_id("purchase", start=FIRST_NUMBER)
    now = _stamp(ctx)
    credit = credit_note(number, original, day=max(ctx.today(), date.fromisoformat(original["date"])),
                         reason=text, recorded_at=now, recorded_by=ctx.actor)
    marked = {**original, "voided_by": credit["id"], "voided_at": now, "void_reason": text}
    replace_doc(tx, PURCHASES, number_of(original["id"], PREFIX), marked,
                partition=month_of(original["date"]))
    store_purchases(tx, [credit])
    totals = load_totals(tx, original["customer"])
    add_to_totals(totals, original["date"], Decimal(credit["gross"]), Decimal(credit["net"]),
                  credit=True)
    apply_policies(setup, tx, totals, get_customer(tx, original["customer"]), credit, void_of=original)
    save_totals(tx, [totals])
    if original.get("followups"):
        from kundkit.followup import cancel_followups

        cancel_followups(ctx, tx, original, credit)
    return credit


def void(ctx: Context, purchase_id: str, *, reason: str) -> dict[str, Any]:
    """:func:`void_purchase` in its own transaction."""
    with ctx.store.transaction() as tx:
        return void_purchase(ctx, tx, purchase_id, reason=reason)


# -- reading ---------------------------------------------------------------------------------------

def get_purchase(tx: Transaction, purchase_id: str) -> dict[str, Any]:
    """The purchase or credit note ``purchase_id`` (a copy); :class:`NotFound` otherwise."""
    return find_purchase(tx, purchase_id)


def list_purchases(tx: Transaction, *, customer: str | None = None, seller: str | None = None,
                   first: date | None = None, last: date | None = None, sku: str | None = None,
                   kind: str | None = None) -> list[dict[str, Any]]:
    """Purchases and credit notes in the period (only its months are read), by date then id."""
    out = []
    for record in iter_purchases(tx, first, last):
        if customer is not None and record["customer"] != customer:
            continue
        if seller is not None and record.get("seller") != seller:
            continue
        if kind is not None and record["kind"] != kind:
            continue
        if sku is not None and not any(line["sku"] == sku for line in record["lines"]):
            continue
        out.append(dict(record))
    return out


def purchase_summary(tx: Transaction, customer_id: str) -> dict[str, Any]:
    """A customer's purchases in a few figures, from the running totals (no scan)."""
    totals = load_totals(tx, customer_id)
    return {"purchases": totals["purchases"], "credits": totals["credits"],
            "gross": totals["gross"], "net": totals["net"],
            "first": totals["first"], "last": totals["last"]}


def parse_period(text: str) -> tuple[date, date]:
    """``2026`` (a year), ``2026-11`` (a month), ``2026-Q3`` (a quarter) or ``2026-11-20`` (a day)
    → the first and last day."""
    import calendar

    value = str(text).strip().upper()
    try:
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return date(year, 1, 1), date(year, 12, 31)
        quarter = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if quarter:
            year, q = int(quarter.group(1)), int(quarter.group(2))
            last_month = q * 3
            return (date(year, last_month - 2, 1),
                    date(year, last_month, calendar.monthrange(year, last_month)[1]))
        month = re.fullmatch(r"(\d{4})-(\d{2})", value)
        if month:
            year, m = int(month.group(1)), int(month.group(2))
            return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])
        day = date.fromisoformat(value)
        return day, day
    except ValueError:
        pass
    raise ValidationError(_("--period: '{value}' is not a year, quarter, month or day (2026, "
                            "2026-Q3, 2026-11, 2026-11-20)").format(value=text), field="period")
