"""``purchase import``: purchases from a CSV or JSON file, all rows checked first, all or nothing.

The columns are ``order,date,customer,sku,quantity,unit_price,seller``; ``unit_price`` and
``seller`` may be empty (the product's list price; no seller). The rows of one order form one
purchase and must agree on its date, customer and seller. An order id that an earlier import
brought in is refused, so a file cannot be imported twice.

History is kept as invoiced: the unit prices are the prices paid, and no discount is worked out,
unless ``apply_discounts`` (each order then gets the discount today's policies would give it, in date
order, and earns loyalty points). ``live`` treats the rows as sales happening now: discounts, the
key-product follow-up and the ``purchase_recorded`` event, as at the counter.

Speed matters here (a few years of history is a few hundred thousand lines): rows are checked with
look-ups cached per distinct customer, product and seller, purchases are written with one table
rebuild per month, and the customers' running totals with one rebuild per totals file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import Problem, ProblemsError, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.importing import Row, RowProblems
    from kundkit.store import Transaction

COLUMNS = ("order", "date", "customer", "sku", "quantity", "unit_price", "seller")
REQUIRED = ("order", "date", "customer", "sku", "quantity")
IMPORTS = "purchase_imports"
MAX_PROBLEMS = 200
_PLAIN_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
_PLAIN_INT = re.compile(r"^\d+$")


@dataclass
class ImportSummary:
    file: str
    rows: int
    purchases: int
    lines: int
    gross: Decimal
    discount: Decimal
    net: Decimal
    first: str | None
    last: str | None
    dry_run: bool
    records: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "purchases": self.purchases, "lines": self.lines,
                "gross": str(self.gross), "discount": str(self.discount), "net": str(self.net),
                "first": self.first, "last": self.last, "dry_run": self.dry_run}


@dataclass
class _Line:
    order: str
    day: str
    customer: str
    sku: str
    quantity: int
    unit_price: Decimal
    seller: str | None
    line: int


class _Checker:
    """Checks rows one by one, remembering what it looked up and what each order said first."""

    def __init__(self, ctx: Context, tx: Transaction) -> None:
        self.ctx, self.tx = ctx, tx
        from kundkit.money import currency

        self.currency = ctx.config.currency
        self.quantum = currency(self.currency).quantum
        self.minor_units = currency(self.currency).minor_units
        self.today = ctx.today().isoformat()
        self.customers: dict[str, str | None] = {}
        self.products: dict[str, dict[str, Any] | None] = {}
        self.sellers: dict[str, str | None] = {}
        self.days: dict[str, str | None] = {}
        self.prices: dict[str, Decimal | None] = {}
        self.orders: dict[str, _Line] = {}
        self.imported = imported_orders(tx)

    def customer(self, text: str) -> str | None:
        if text not in self.customers:
            from kundkit.customers import get_customer
            from kundkit.errors import NotFound

            try:
                record = get_customer(self.tx, text)
                self.customers[text] = None if record.get("forgotten_at") else record["id"]
            except (NotFound, ValidationError):
                self.customers[text] = None
        return self.customers[text]

    def product(self, sku: str) -> dict[str, Any] | None:
        if sku not in self.products:
            from kundkit.products import find_product

            self.products[sku] = find_product(self.tx, sku)
        return self.products[sku]

    def seller(self, text: str) -> str | None:
        if text not in self.sellers:
            from kundkit.errors import NotFound
            from kundkit.staff import get_staff

            try:
                self.sellers[text] = get_staff(self.tx, text)["id"]
            except (NotFound, ValidationError):
                self.sellers[text] = None
        return self.sellers[text]

    def day(self, text: str) -> str | None:
        if text not in self.days:
            try:
                self.days[text] = date.fromisoformat(text).isoformat()
            except ValueError:
                self.days[text] = None
        return self.days[text]

    def price(self, text: str) -> Decimal | None:
        if text not in self.prices:
            value: Decimal | None
            if _PLAIN_MONEY.match(text) and len(text.partition(".")[2]) <= self.minor_units:
                value = Decimal(text).quantize(self.quantum)
            else:
                from kundkit.money import to_money

                try:
                    value = to_money(text, self.currency, field="unit_price")
                except ValidationError:
                    value = None
            self.prices[text] = value
        return self.prices[text]

    def __call__(self, tx: Transaction, row: Row, problems: RowProblems) -> _Line | None:
        values = row.values
        get = values.get
        for name in REQUIRED:
            if not str(get(name) or "").strip():
                problems.add(name, _("a value is needed"))
        if problems:
            return None
        order = str(get("order")).strip()
        day = self.day(str(get("date")).strip())
        if day is None:
            problems.add("date", _("'{value}' is not a date (YYYY-MM-DD)").format(value=get("date")))
        elif day > self.today:
            problems.add("date", _("{date} is in the future").format(date=day))
        customer = self.customer(str(get("customer")).strip())
        if customer is None:
            problems.add("customer", _("no customer with id '{id}'").format(id=get("customer")))
        sku = str(get("sku")).strip()
        product = self.product(sku)
        if product is None:
            problems.add("sku", _("no product with SKU '{sku}'").format(sku=sku))
        text = str(get("quantity")).strip()
        quantity = int(text) if _PLAIN_INT.match(text) else 0
        if quantity <= 0:
            problems.add("quantity", _("'{value}' is not a whole number of pieces, 1 or more").format(
                value=get("quantity")))
        price_text = str(get("unit_price") or "").strip()
        if price_text:
            unit_price = self.price(price_text)
            if unit_price is None or unit_price < 0:
                problems.add("unit_price", _("'{value}' is not an amount of money").format(
                    value=get("unit_price")))
        else:
            unit_price = Decimal(product["price"]) if product else None
        seller_text = str(get("seller") or "").strip()
        seller = self.seller(seller_text) if seller_text else None
        if seller_text and seller is None:
            problems.add("seller", _("no staff member with id '{id}'").format(id=seller_text))
        if order in self.imported:
            problems.add("order", _("order '{order}' was imported before (as {purchase})").format(
                order=order, purchase=self.imported[order]))
        if problems:
            return None
        line = _Line(order, day or "", customer or "", product["sku"] if product else sku, quantity,
                     unit_price or Decimal(0), seller, row.line)
        first = self.orders.get(order)
        if first is None:
            self.orders[order] = line
        else:
            for name, mine, theirs in (("date", line.day, first.day),
                                       ("customer", line.customer, first.customer),
                                       ("seller", line.seller, first.seller)):
                if mine != theirs:
                    problems.add(name, _("order '{order}' has {name} '{theirs}' on line {line}, "
                                         "not '{mine}'").format(order=order, name=name,
                                                                theirs=theirs or "", line=first.line,
                                                                mine=mine or ""))
                    return None
        return line


def imported_orders(tx: Transaction) -> dict[str, str]:
    """Order id → the purchase id it became, for every order imported so far."""
    out: dict[str, str] = {}
    for batch in tx.raw(IMPORTS).values():
        for order, purchase in batch["orders"].items():
            out[order] = purchase
    return out


def import_purchases(ctx: Context, path: Path, *, fmt: str | None = None, apply_discounts: bool = False,
                     live: bool = False, dry_run: bool = False,
                     progress: Callable[[str, int, int], None] | None = None) -> ImportSummary:
    """Import a file of purchases (see the module's docstring); all or nothing.

    :param progress: called with (stage, done, total); stage is ``check`` or ``write``.
    :raises ProblemsError: every bad row, as ``file:line:col: field: message``.
    """
    from kundkit.importing import import_rows

    summary = ImportSummary(str(path), 0, 0, 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
                            None, None, dry_run)
    checker: _Checker | None = None

    def check(tx: Transaction, row: Row, problems: RowProblems) -> _Line | None:
        nonlocal checker
        if checker is None:
            checker = _Checker(ctx, tx)
        return checker(tx, row, problems)

    def commit(tx: Transaction, items: list[tuple[Row, _Line]]) -> None:
        lines = [line for _row, line in items]
        records = _write(ctx, tx, lines, file=path.name, apply_discounts=apply_discounts or live,
                         live=live, progress=progress)
        summary.records = records
        _sum_up(summary, records)

    def checked(done: int, total: int) -> None:
        if progress:
            progress("check", done, total)

    try:
        result = import_rows(ctx, path, check=check, commit=commit, known=COLUMNS, fmt=fmt,
                             dry_run=dry_run, progress=checked)
    except ProblemsError as exc:
        raise _shortened(exc) from None
    summary.rows = result.rows
    if dry_run:
        orders = {line.order for _row, line in result.items}
        summary.purchases = len(orders)
        summary.lines = len(result.items)
    if live:
        for record in summary.records:
            ctx.emit("purchase_recorded", purchase=record)
    return summary


def _shortened(error: ProblemsError) -> ProblemsError:
    problems = error.problems
    if len(problems) <= MAX_PROBLEMS:
        return error
    last = problems[MAX_PROBLEMS - 1]
    more = Problem(last.file, last.line, last.col,
                   _("... and {n} more problems; nothing was imported").format(
                       n=len(problems) - MAX_PROBLEMS))
    return ProblemsError(problems[:MAX_PROBLEMS] + [more])


def _sum_up(summary: ImportSummary, records: list[dict[str, Any]]) -> None:
    summary.purchases = len(records)
    summary.lines = sum(len(r["lines"]) for r in records)
    summary.gross = sum((Decimal(r["gross"]) for r in records), Decimal("0.00"))
    summary.net = sum((Decimal(r["net"]) for r in records), Decimal("0.00"))
    summary.discount = summary.gross - summary.net
    if records:
        summary.first, summary.last = records[0]["id"], records[-1]["id"]


def _group(lines: list[_Line]) -> list[list[_Line]]:
    orders: dict[str, list[_Line]] = {}
    for line in lines:
        orders.setdefault(line.order, []).append(line)
    # Oldest first, so that purchase ids follow the dates and running totals build up in order.
    return sorted(orders.values(), key=lambda group: (group[0].day, group[0].line))


def _write(ctx: Context, tx: Transaction, lines: list[_Line], *, file: str, apply_discounts: bool,
           live: bool, progress: Callable[[str, int, int], None] | None) -> list[dict[str, Any]]:
    from kundkit.purchase_store import add_to_totals, load_totals, save_totals
    from kundkit.purchases import FIRST_NUMBER, store_purchases

    groups = _group(lines)
    stamp = ctx.now().isoformat(timespec="seconds")
    totals: dict[str, dict[str, Any]] = {}
    records: list[dict[str, Any]] = []
    products: dict[str, dict[str, Any]] = {}
    from kundkit.products import get_product

    for line in lines:
        if line.sku not in products:
            products[line.sku] = get_product(tx, line.sku)
    build = _Pricing(ctx, tx, products, totals, live=live) if apply_discounts else None
    for n, group in enumerate(groups, start=1):
        first = group[0]
        customer_totals = totals.get(first.customer)
        if customer_totals is None:
            customer_totals = totals[first.customer] = load_totals(tx, first.customer)
        number = tx.next_id("purchase", start=FIRST_NUMBER)
        if build is not None:
            record = build.record(number, group, stamp)
        else:
            record = _as_invoiced(number, group, products, stamp, ctx.actor, ctx.config.currency)
            add_to_totals(customer_totals, record["date"], Decimal(record["gross"]),
                          Decimal(record["net"]))
        records.append(record)
        if progress and (n % 2000 == 0 or n == len(groups)):
            progress("write", n, len(groups))
    store_purchases(tx, records)
    save_totals(tx, totals.values())
    batch = tx.next_id("purchase_import")
    from tinydb.table import Document

    tx.table(IMPORTS).insert(Document({
        "id": f"I{batch}", "file": file, "at": stamp, "by": ctx.actor,
        "apply_discounts": apply_discounts, "live": live, "purchases": len(records),
        "lines": len(lines), "orders": {r["order"]: r["id"] for r in records}}, doc_id=batch))
    return records


def _as_invoiced(number: int, group: list[_Line], products: dict[str, dict[str, Any]], stamp: str,
                 actor: str | None, currency: str) -> dict[str, Any]:
    first = group[0]
    out_lines = []
    total = Decimal("0.00")
    for line in group:
        product = products[line.sku]
        gross = line.unit_price * line.quantity
        total += gross
        text = f"{gross:f}"
        out_lines.append({
            "sku": line.sku, "name": product.get("name") or "", "category": product.get("category"),
            "quantity": line.quantity, "unit_price": f"{line.unit_price:f}",
            "weight": product.get("weight"), "locomotive": bool(product.get("locomotive")),
            "discountable": True, "gross": text, "discount": "0.00", "net": text,
        })
    amount = f"{total:f}"
    return {
        "id": f"P{number}", "kind": "sale", "date": first.day, "customer": first.customer,
        "seller": first.seller, "order": first.order, "source": "import", "currency": currency,
        "lines": out_lines, "gross": amount, "discount": None, "net": amount,
        "recorded_at": stamp, "recorded_by": actor, "policies": [],
    }


class _Pricing:
    """Prices imported orders as the counter would, on running totals kept in memory."""

    def __init__(self, ctx: Context, tx: Transaction, products: dict[str, dict[str, Any]],
                 totals: dict[str, dict[str, Any]], *, live: bool) -> None:
        from kundkit.discounts.engine import setup_for

        self.ctx, self.tx, self.products, self.totals, self.live = ctx, tx, products, totals, live
        self.setup = setup_for(ctx)
        self.customers: dict[str, dict[str, Any]] = {}

    def record(self, number: int, group: list[_Line], stamp: str) -> dict[str, Any]:
        from kundkit.customers import get_customer
        from kundkit.discounts.engine import price
        from kundkit.discounts.model import Order
        from kundkit.purchase_store import add_to_totals
        from kundkit.purchases import apply_policies, history_of, order_line, purchase_record

        first = group[0]
        customer = self.customers.get(first.customer)
        if customer is None:
            customer = self.customers[first.customer] = get_customer(self.tx, first.customer)
        lines = tuple(order_line(self.products[line.sku], line.quantity, line.unit_price, self.setup)
                      for line in group)
        order = Order(customer=first.customer, date=date.fromisoformat(first.day), lines=lines,
                      currency=self.setup.currency, seller=first.seller)
        totals = self.totals[first.customer]
        priced = price(self.setup, customer=customer, order=order, history=history_of(self.tx, totals))
        record = purchase_record(number, priced, recorded_at=stamp, recorded_by=self.ctx.actor,
                                 source="import", order_ref=first.order)
        record["policies"] = [active.name for active in self.setup.policies]
        add_to_totals(totals, record["date"], Decimal(record["gross"]), Decimal(record["net"]))
        apply_policies(self.setup, self.tx, totals, customer, record)
        if self.live and any(line["locomotive"] for line in record["lines"]):
            from kundkit.followup import follow_up_purchase

            record["followups"] = follow_up_purchase(self.ctx, self.tx, record, customer)
            if not customer.get("manager") and record["followups"]:
                customer["manager"] = record["followups"][0].get("assignee")
        return record
