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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from kundkit.errors import Problem, ProblemsError, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

COLUMNS = ("order", "date", "customer", "sku", "quantity", "unit_price", "seller")
IMPORTS = "purchase_imports"
MAX_PROBLEMS = 200
_PLAIN_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
_PLAIN_INT = re.compile(r"^\d+$")
_MISSING: Any = object()


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


class _Line(NamedTuple):
    order: str
    day: str
    customer: str
    sku: str
    quantity: int
    unit_price: Decimal
    seller: str | None
    line: int


class _Checker:
    """Checks rows one by one, remembering what it looked up and what each order said first.

    Problems are collected as ``file:line:col: field: message``; ``columns`` gives the column of
    each field in a CSV file (JSON rows report column 1)."""

    def __init__(self, ctx: Context, tx: Transaction, file: str) -> None:
        from kundkit.money import currency

        self.ctx, self.tx, self.file = ctx, tx, file
        self.currency = ctx.config.currency
        self.quantum = currency(self.currency).quantum
        self.minor_units = currency(self.currency).minor_units
        self.today = ctx.today().isoformat()
        self.customers: dict[str, str | None] = {}
        self.products: dict[str, dict[str, Any] | None] = {}
        self.sellers: dict[str, str | None] = {}
        self.days: dict[str, str | None] = {}
        self.prices: dict[str, Decimal | None] = {}
        self.price_errors: dict[str, str] = {}  # why a price text is not an amount (to_money's word)
        self.orders: dict[str, list[_Line]] = {}  # order id → its lines, in file order
        self.imported = imported_orders(tx)
        self.problems: list[Problem] = []
        self.count = 0

    def customer(self, text: str) -> str | None:
        found = self.customers.get(text, False)
        if found is False:
            from kundkit.customers import parse_customer_id, stored_customer

            found = None
            stored = stored_customer(self.tx, text)
            if stored is not None and not stored.get("forgotten_at"):
                found = f"K{parse_customer_id(text)}"
            self.customers[text] = found
        return found

    def product(self, sku: str) -> dict[str, Any] | None:
        if sku not in self.products:
            from kundkit.products import find_product

            found = find_product(self.tx, sku)
            if found is not None:
                found["price_decimal"] = Decimal(found["price"])
            self.products[sku] = found
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
                except ValidationError as exc:
                    value = None
                    self.price_errors[text] = exc.message.removeprefix("unit_price: ")
            self.prices[text] = value
        return self.prices[text]

    def rows(self, items: list[tuple[int, list[str]]], columns: dict[str, int]) -> None:
        """Check many rows; the common case (a good row whose values were seen before) is a few
        dictionary look-ups, and any row that is not plainly right goes through :meth:`row`, which
        says what is wrong."""
        days, customers, products, prices, sellers = (self.days, self.customers, self.products,
                                                      self.prices, self.sellers)
        orders, imported, today = self.orders, self.imported, self.today
        kept = 0
        miss = _MISSING
        for line, values in items:
            order, day_text, customer_text, sku, quantity_text, price_text, seller_text = values
            day = days.get(day_text, miss)
            if day is miss:
                day = self.day(day_text)
            customer = customers.get(customer_text, miss)
            if customer is miss:
                customer = self.customer(customer_text)
            product = products.get(sku, miss)
            if product is miss:
                product = self.product(sku)
            seller = None
            if seller_text:
                seller = sellers.get(seller_text, miss)
                if seller is miss:
                    seller = self.seller(seller_text)
            if price_text:
                unit_price = prices.get(price_text, miss)
                if unit_price is miss:
                    unit_price = self.price(price_text)
            else:
                unit_price = None if product is None else product["price_decimal"]
            if (day is None or customer is None or product is None or unit_price is None
                    or (seller_text and seller is None) or not quantity_text.isdigit()
                    or not quantity_text.isascii() or not order or order in imported or day > today
                    or unit_price < 0):
                self.row(line, columns, *values)
                continue
            quantity = int(quantity_text)
            group = orders.get(order)
            if quantity <= 0 or (group is not None and (group[0].day != day or group[0].customer != customer
                                                         or group[0].seller != seller)):
                self.row(line, columns, *values)
                continue
            checked = _Line(order, day, customer, product["sku"], quantity, unit_price, seller, line)
            if group is None:
                orders[order] = [checked]
            else:
                group.append(checked)
            kept += 1
        self.count += kept

    def row(self, line: int, columns: dict[str, int], order: str, day_text: str, customer_text: str,
            sku: str, quantity_text: str, price_text: str, seller_text: str) -> None:
        """Check one row (every value already stripped text) and keep it, or its problems."""
        problems: list[tuple[str, str]] = []
        if not (order and day_text and customer_text and sku and quantity_text):
            for name, value in (("order", order), ("date", day_text), ("customer", customer_text),
                                ("sku", sku), ("quantity", quantity_text)):
                if not value:
                    problems.append((name, _("a value is needed")))
            self._report(line, columns, problems)
            return
        day = self.day(day_text)
        if day is None:
            problems.append(("date", _("'{value}' is not a date (YYYY-MM-DD)").format(value=day_text)))
        elif day > self.today:
            problems.append(("date", _("{date} is in the future").format(date=day)))
        customer = self.customer(customer_text)
        if customer is None:
            problems.append(("customer", _("no customer with id '{id}'").format(id=customer_text)))
        product = self.product(sku)
        if product is None:
            problems.append(("sku", _("no product with SKU '{sku}'").format(sku=sku)))
        quantity = int(quantity_text) if _PLAIN_INT.match(quantity_text) else 0
        if quantity <= 0:
            problems.append(("quantity", _("'{value}' is not a whole number of pieces, 1 or more").format(
                value=quantity_text)))
        unit_price: Decimal | None
        if price_text:
            unit_price = self.price(price_text)
            if unit_price is None or unit_price < 0:
                problems.append(("unit_price", self.price_errors.get(price_text) or _(
                    "'{value}' is not an amount of money").format(value=price_text)))
        else:
            unit_price = product["price_decimal"] if product else None
        seller = self.seller(seller_text) if seller_text else None
        if seller_text and seller is None:
            problems.append(("seller", _("no staff member with id '{id}'").format(id=seller_text)))
        if order in self.imported:
            problems.append(("order", _("order '{order}' was imported before (as {purchase})").format(
                order=order, purchase=self.imported[order])))
        if problems or product is None or customer is None or day is None or unit_price is None:
            self._report(line, columns, problems)
            return
        checked = _Line(order, day, customer, product["sku"], quantity, unit_price, seller, line)
        group = self.orders.get(order)
        if group is None:
            self.orders[order] = [checked]
        else:
            first = group[0]
            for name, mine, theirs in (("date", day, first.day), ("customer", customer, first.customer),
                                       ("seller", seller, first.seller)):
                if mine != theirs:
                    self._report(line, columns, [(name, _(
                        "order '{order}' has {name} '{theirs}' on line {line}, not '{mine}'").format(
                        order=order, name=name, theirs=theirs or "", line=first.line, mine=mine or ""))])
                    return
            group.append(checked)
        self.count += 1

    def groups(self) -> list[list[_Line]]:
        """The orders, oldest first, so that purchase ids follow the dates and running totals
        build up in order."""
        return sorted(self.orders.values(), key=lambda group: (group[0].day, group[0].line))

    def _report(self, line: int, columns: dict[str, int], problems: list[tuple[str, str]]) -> None:
        for name, message in problems:
            self.problems.append(Problem(self.file, line, columns.get(name, 1), f"{name}: {message}"))


def imported_orders(tx: Transaction) -> dict[str, str]:
    """Order id → the purchase id it became, for every order imported so far."""
    out: dict[str, str] = {}
    for batch in tx.raw(IMPORTS).values():
        for order, purchase in batch["orders"].items():
            out[order] = purchase
    return out


def _csv_rows(path: Path, checker: _Checker, progress: Callable[[int, int], None] | None) -> int:
    """Check every row of a CSV file; returns the number of rows.

    The header is checked by :mod:`kundkit.importing` (the same messages as every import); the rows
    are read here with plain ``csv.reader`` tuples, because building a dict and a ``Row`` for each
    of a few hundred thousand lines costs more than all the checking."""
    import csv
    import io

    from kundkit.importing import guess_delimiter, read_csv, read_text, unprotect_cell

    text = read_text(path)
    first_line = text.split("\n", 1)[0]
    read_csv(first_line + "\n", str(path), COLUMNS)  # raises on an unknown or repeated column
    delimiter = guess_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    columns = {name: col for col, name in enumerate(header, start=1) if name}
    where = [columns.get(name) for name in COLUMNS]
    width = len(header)
    total = max(text.count("\n") - 1, 1)
    quoted = "'" in text  # a cell protected from spreadsheets starts with an apostrophe
    # The usual file has the columns in the usual order and no spaces to strip: then a row's cells
    # are its values as they are.
    plain = header == list(COLUMNS) and " " not in text and "\t" not in text
    rows = 0
    batch: list[tuple[int, list[str]]] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if len(cells) != width:
                if len(cells) < width:
                    cells += [""] * (width - len(cells))
                elif any(c.strip() for c in cells[width:]):
                    checker.problems.append(Problem(str(path), line, width + 1, _(
                        "the row has {n} cells but the header names {m} columns").format(
                        n=len(cells), m=width)))
                    continue
            values = cells if plain else [cells[i - 1].strip() if i else "" for i in where]
            if not values[0] and not any(values):
                continue  # a row of empty cells, as spreadsheets leave at the end
            if quoted and any(v[:1] == "'" for v in values):
                values = [unprotect_cell(v) for v in values]
            batch.append((line, values))
            if len(batch) == 5000:
                checker.rows(batch, columns)
                rows += len(batch)
                batch = []
                if progress:
                    progress(rows, total)
    except csv.Error as exc:
        raise ProblemsError([Problem(str(path), reader.line_num, 1, _("not valid CSV: {reason}").format(
            reason=exc))]) from None
    checker.rows(batch, columns)
    rows += len(batch)
    if progress:
        progress(rows, rows)
    return rows


def _json_rows(path: Path, checker: _Checker, progress: Callable[[int, int], None] | None) -> int:
    from kundkit.importing import read_rows

    rows = read_rows(path, fmt="json", known=COLUMNS)
    checker.rows([(row.line, ["" if row.values.get(name) is None else str(row.values[name]).strip()
                              for name in COLUMNS]) for row in rows], {})
    if progress:
        progress(len(rows), len(rows))
    return len(rows)


def import_purchases(ctx: Context, path: Path, *, fmt: str | None = None, apply_discounts: bool = False,
                     live: bool = False, dry_run: bool = False,
                     progress: Callable[[str, int, int], None] | None = None) -> ImportSummary:
    """Import a file of purchases (see the module's docstring); all or nothing.

    Every row is checked inside the write transaction, so the checks see exactly the state the
    import changes; nothing is written unless every row is right (and not with ``dry_run``).

    :param progress: called with (stage, done, total); stage is ``check`` or ``write``.
    :raises ProblemsError: every bad row, as ``file:line:col: field: message``.
    """
    from kundkit.importing import detect_format

    kind = detect_format(path, fmt)
    summary = ImportSummary(str(path), 0, 0, 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"),
                            None, None, dry_run)

    def checked(done: int, total: int) -> None:
        if progress:
            progress("check", done, total)

    with ctx.store.transaction() as tx:
        checker = _Checker(ctx, tx, str(path))
        reader = _json_rows if kind == "json" else _csv_rows
        summary.rows = reader(path, checker, checked)
        if checker.problems:
            raise _shortened(ProblemsError(checker.problems))
        if dry_run:
            summary.purchases = len(checker.orders)
            summary.lines = checker.count  # the checks only read: nothing is written
            summary.gross = summary.net = sum(
                (line.unit_price * line.quantity for group in checker.orders.values() for line in group),
                Decimal("0.00"))
        else:
            groups = checker.groups()
            checker.orders.clear()  # the groups hold the lines now; let them go as they are used
            _write(ctx, tx, groups, checker.count, summary, file=path.name,
                   apply_discounts=apply_discounts or live, live=live, progress=progress)
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


def _write(ctx: Context, tx: Transaction, groups: list[list[_Line]], lines: int, summary: ImportSummary,
           *, file: str, apply_discounts: bool, live: bool,
           progress: Callable[[str, int, int], None] | None) -> None:
    """Build the purchases (oldest first) and store them, a month at a time. Only a live import
    keeps the records (for its events); the summary is added up on the way."""
    from kundkit.purchase_store import load_totals, save_totals
    from kundkit.purchases import FIRST_NUMBER, store_purchases

    stamp = ctx.now().isoformat(timespec="seconds")
    totals: dict[str, dict[str, Any]] = {}
    for group in groups:
        if group[0].customer not in totals:
            totals[group[0].customer] = load_totals(tx, group[0].customer)
    if apply_discounts:
        pricing = _Pricing(ctx, tx, _products(tx, groups), totals, live=live)

        def build(number: int, group: list[_Line]) -> dict[str, Any]:
            return pricing.record(number, group, stamp)
    else:
        invoiced = _AsInvoiced(ctx, tx, groups, stamp)
        build = invoiced.record
    orders: dict[str, str] = {}
    count = len(groups)

    def built() -> Iterator[dict[str, Any]]:
        for n in range(count):
            group = groups[n]
            groups[n] = []  # the checked lines are not needed once their purchase is built
            record = build(tx.next_id("purchase", start=FIRST_NUMBER), group)
            orders[record["order"]] = record["id"]
            summary.gross += Decimal(record["gross"])
            summary.net += Decimal(record["net"])
            if summary.first is None:
                summary.first = record["id"]
            summary.last = record["id"]
            if live:
                summary.records.append(record)
            if progress and ((n + 1) % 5000 == 0 or n + 1 == count):
                progress("write", n + 1, count)
            yield record

    store_purchases(tx, built())
    summary.purchases, summary.lines = count, lines
    summary.discount = summary.gross - summary.net
    if not apply_discounts:
        invoiced.add_up(totals)
    save_totals(tx, totals.values())
    batch = tx.next_id("purchase_import")
    from tinydb.table import Document

    tx.table(IMPORTS).insert(Document({
        "id": f"I{batch}", "file": file, "at": stamp, "by": ctx.actor,
        "apply_discounts": apply_discounts, "live": live, "purchases": count,
        "lines": lines, "orders": orders}, doc_id=batch))


def _products(tx: Transaction, groups: list[list[_Line]]) -> dict[str, dict[str, Any]]:
    from kundkit.products import get_product

    return {sku: get_product(tx, sku) for sku in {line.sku for group in groups for line in group}}


class _AsInvoiced:
    """Builds purchases as they were invoiced (no discount worked out), and adds them up per
    customer and day in Decimals, to be merged into the running totals once at the end."""

    def __init__(self, ctx: Context, tx: Transaction, groups: list[list[_Line]], stamp: str) -> None:
        from kundkit.discounts.engine import setup_for

        setup = setup_for(ctx)
        self.stamp, self.actor, self.currency = stamp, ctx.actor, ctx.config.currency
        self.products = {
            sku: (product.get("name") or "", product.get("category"), product.get("weight"),
                  bool(product.get("locomotive")), setup.discountable(sku, product.get("category")))
            for sku, product in _products(tx, groups).items()}
        self.sums: dict[str, dict[str, Decimal]] = {}   # customer → day → net
        self.counts: dict[str, int] = {}

    def record(self, number: int, group: list[_Line]) -> dict[str, Any]:
        first = group[0]
        out_lines = []
        total = Decimal("0.00")
        products = self.products
        # Every amount here has exactly two decimals (prices were made so when checked), and str()
        # of such a Decimal is its plain form ("2495.00"), without the cost of format().
        for line in group:
            name, category, weight, locomotive, discountable = products[line.sku]
            gross = line.unit_price * line.quantity
            total += gross
            text = str(gross)
            out_lines.append({
                "sku": line.sku, "name": name, "category": category, "quantity": line.quantity,
                "unit_price": str(line.unit_price), "weight": weight, "locomotive": locomotive,
                "discountable": discountable, "gross": text, "discount": "0.00", "net": text,
            })
        days = self.sums.setdefault(first.customer, {})
        days[first.day] = days.get(first.day, Decimal("0.00")) + total
        self.counts[first.customer] = self.counts.get(first.customer, 0) + 1
        amount = str(total)
        return {
            "id": f"P{number}", "kind": "sale", "date": first.day, "customer": first.customer,
            "seller": first.seller, "order": first.order, "source": "import", "currency": self.currency,
            "lines": out_lines, "gross": amount, "discount": None, "net": amount,
            "recorded_at": self.stamp, "recorded_by": self.actor, "policies": [],
        }

    def add_up(self, totals: dict[str, dict[str, Any]]) -> None:
        from kundkit.purchase_store import add_days

        for customer, days in self.sums.items():
            add_days(totals[customer], days, self.counts[customer])


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
