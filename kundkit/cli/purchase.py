"""``kundkit purchase``: record sales at the counter, import them from files, list, show, void."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, echo_err, output_options, render, render_record
from kundkit.context import Context
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.purchases import PurchaseRequest, Quote


@group("purchase")
def cli() -> None:
    """Record and import purchases, and void them with a credit note.

    \b
    Example:
      kundkit purchase add --customer K1042 --line BORR-18V:2 --line SKRUV-100:10
      kundkit purchase import examples/purchases.csv
      kundkit purchase list --customer K1042 --period 2026
    """


# -- add -------------------------------------------------------------------------------------------

def _pick_customer(ctx: Context) -> str:
    from kundkit.cli.prompt import ask_choice, ask_text
    from kundkit.customers import find_customers

    while True:
        text = ask_text(ctx, _("Customer (search by name, id, number, e-mail or phone):"),
                        option="--customer")
        with ctx.store.read() as tx:
            found = find_customers(tx, text)
        if len(found) == 1:
            return str(found[0]["id"])
        if found:
            choices = [(c["id"], f"{c['id']}  {c.get('name') or ''}  ({c.get('segment') or '-'})")
                       for c in found[:30]]
            return ask_choice(ctx, _("Which customer?"), choices, option="--customer")
        echo_err(_("No customer matches '{text}'.").format(text=text))


def _ask_lines(ctx: Context, currency: str) -> list[str]:
    from kundkit.cli.prompt import ask_autocomplete, ask_confirm, ask_text
    from kundkit.errors import ValidationError
    from kundkit.products import list_products
    from kundkit.purchases import parse_quantity

    with ctx.store.read() as tx:
        products = list_products(tx)
    skus = {p["sku"]: p for p in products}
    labels = [f"{p['sku']} | {p['name']}" for p in products]

    def known(text: str) -> None:
        if text.split(" | ")[0].strip() not in skus:
            raise ValidationError(_("no product with SKU '{sku}'").format(sku=text), field="line")

    lines: list[str] = []
    while True:
        answer = ask_autocomplete(ctx, _("Product (SKU):"), labels, option="--line", check=known)
        sku = answer.split(" | ")[0].strip()
        quantity = ask_text(ctx, _("Quantity of {sku}:").format(sku=sku), option="--line",
                            check=parse_quantity, default="1")
        lines.append(f"{sku}:{quantity}")
        if not ask_confirm(ctx, _("Add another line?"), default=False):
            return lines


def _preview(quote: Quote) -> None:
    from kundkit.cli.purchase_view import discount_text, line_columns, money

    order = quote.order
    rows = [{"sku": line.sku, "name": line.name, "quantity": line.quantity,
             "unit_price": str(line.unit_price), "gross": str(line.gross), "discount": str(share),
             "net": str(line.gross - share), "key": _("yes") if line.locomotive else ""}
            for line, share in zip(order.lines, quote.priced.line_discounts)]
    click.echo(_("Customer: {id} {name}").format(id=quote.customer["id"],
                                                 name=quote.customer.get("name") or ""), err=True)
    from kundkit.cli.output import table_text

    click.echo(table_text(rows, line_columns(order.currency), "simple"), err=True)
    discount = quote.priced.discount
    click.echo(_("Gross {gross}, discount {discount}, net {net}").format(
        gross=money(order.gross, order.currency), discount=discount_text(discount, order.currency),
        net=money(quote.priced.net, order.currency)), err=True)
    if discount:
        click.echo(_("Why: {reason}").format(reason=discount["reason"]), err=True)


def _offer_points(ctx: Context, request: PurchaseRequest) -> None:
    """At the counter, offer to redeem the customer's points when there are enough."""
    from dataclasses import replace

    from kundkit.cli.prompt import ask_confirm
    from kundkit.cli.purchase_view import money
    from kundkit.discounts.engine import setup_for
    from kundkit.purchases import quote_purchase

    if request.redeem_points is not None or "points" not in [p.name for p in setup_for(ctx).policies]:
        return
    with ctx.store.read() as tx:
        trial = quote_purchase(ctx, tx, replace(request, redeem_points=True))
    for part in (trial.priced.discount or {}).get("parts", []):
        if part["policy"] == "points" and part["applied"] not in ("0", "0.00"):
            request.redeem_points = ask_confirm(ctx, _("Redeem {n} loyalty points, worth {amount}?").format(
                n=part["data"].get("points"), amount=money(part["applied"], trial.order.currency)),
                default=True)
            return


def _report_followups(record: dict[str, Any]) -> None:
    for entry in record.get("followups") or []:
        if entry.get("manager_assigned") and entry is record["followups"][0]:
            echo_err(_("{customer} had no permanent manager: {manager} was assigned.").format(
                customer=record["customer"], manager=entry["assignee"]))
        if entry.get("task") is None:
            echo_err(_("Key product {sku}: no staff member could be given the consultation.").format(
                sku=entry["sku"]))
        elif entry.get("created"):
            echo_err(_("Key product {sku}: consultation {task} for {assignee}, due {due}.").format(**entry))
        else:
            echo_err(_("Key product {sku}: consultation {task} is already open.").format(**entry))


@cli.command("add")
@click.option("--customer", "customer_id", metavar="ID", help="The customer (e.g. K1042).")
@click.option("--line", "lines", multiple=True, metavar="SKU:QTY[:PRICE]",
              help="A line of the purchase; repeat for several. PRICE overrides the list price.")
@click.option("--seller", metavar="STAFF", help="Who made the sale (default: --as).")
@click.option("--date", "day", metavar="YYYY-MM-DD", help="The date of the sale (default: today).")
@click.option("--redeem-points/--no-redeem-points", "redeem", default=None,
              help="Redeem the customer's loyalty points (default: as the points policy says; asked "
                   "at a terminal).")
@click.option("--yes", is_flag=True, help="Record without showing the purchase and asking first.")
@output_options
@pass_ctx
def purchase_add(ctx: Context, customer_id: str | None, lines: tuple[str, ...], seller: str | None,
                 day: str | None, redeem: bool | None, yes: bool, output_format: str,
                 table_style: str) -> None:
    """Record a sale; prints the new purchase id (the whole purchase with --format json).

    The discount and why, and the key-product consultation a key product calls for, are shown on
    stderr. At a terminal, a missing customer is found by search, missing lines are asked for, and
    the purchase and its discount are shown before it is recorded.

    \b
    Example:
      kundkit --as anna purchase add --customer K1042 --line BORR-18V:2 --line SKRUV-100:10:79,00
    """
    from kundkit.cli.prompt import ask_confirm
    from kundkit.cli.purchase_view import show_purchase
    from kundkit.purchases import PurchaseRequest, add_purchase, parse_date, parse_line, quote_purchase

    currency = ctx.config.currency
    if not customer_id:
        customer_id = _pick_customer(ctx)
    if not lines:
        lines = tuple(_ask_lines(ctx, currency))
    request = PurchaseRequest(customer=customer_id, lines=[parse_line(text, currency) for text in lines],
                              date=parse_date(day) if day else None, seller=seller,
                              redeem_points=redeem)
    if not ctx.no_input and not yes:
        _offer_points(ctx, request)
        with ctx.store.read() as tx:
            quote = quote_purchase(ctx, tx, request)
        _preview(quote)
        if not ask_confirm(ctx, _("Record this purchase?"), default=True):
            raise click.Abort()
    record = add_purchase(ctx, request)
    from kundkit.cli.purchase_view import discount_text, money

    echo_err(_("Recorded {id} for {customer}: gross {gross}, discount {discount}, net {net}.").format(
        id=record["id"], customer=record["customer"], gross=money(record["gross"], currency),
        discount=discount_text(record["discount"], currency), net=money(record["net"], currency)))
    if record["discount"]:
        echo_err(_("Why: {reason}").format(reason=record["discount"]["reason"]))
    if redeem and not any(p["policy"] == "points" and p["applied"] not in ("0", "0.00")
                          for p in (record.get("discount") or {}).get("parts", [])):
        echo_err(_("No loyalty points were redeemed (too few points, or another discount was better)."))
    _report_followups(record)
    if output_format == "table":
        # The id alone, like 'customer add', so that a script can take it; the sale was shown
        # above (and before confirming, at a terminal). 'purchase show ID' prints it all.
        click.echo(record["id"])
    else:
        show_purchase(record, output_format=output_format, table_style=table_style)


# -- import ----------------------------------------------------------------------------------------

@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--input-format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format (default: by its suffix or content).")
@click.option("--apply-discounts", is_flag=True,
              help="Work out each order's discount with today's policies (default: amounts as invoiced).")
@click.option("--live", is_flag=True,
              help="The rows are sales happening now: discounts, key-product follow-ups and the "
                   "purchase_recorded event, as at the counter.")
@click.option("--dry-run", is_flag=True, help="Check every row, but record nothing.")
@output_options
@pass_ctx
def purchase_import(ctx: Context, file: Path, fmt: str | None, apply_discounts: bool, live: bool,
                    dry_run: bool, output_format: str, table_style: str) -> None:
    """Import purchases from a CSV or JSON file, all or nothing.

    Columns: order,date,customer,sku,quantity,unit_price,seller (unit_price and seller may be
    empty). The rows of one order form one purchase. Every row is checked first; if any is wrong,
    each bad row is reported with its line number and nothing is imported.

    \b
    Example:
      kundkit purchase import examples/purchases.csv
      kundkit purchase import webshop-today.json --live
    """
    from kundkit.cli.output import Progress
    from kundkit.purchase_import import import_purchases

    bars: dict[str, Progress] = {}
    labels = {"check": _("Checking rows"), "write": _("Recording purchases")}

    def progress(stage: str, done: int, total: int) -> None:
        if total < 1000:
            return  # a small file is done before a progress line could help anyone
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[stage] = Progress(total, labels[stage])
        bar.advance(done - bar.done)

    try:
        summary = import_purchases(ctx, file, fmt=fmt, apply_discounts=apply_discounts, live=live,
                                   dry_run=dry_run, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    if dry_run:
        echo_err(_("Checked {rows} rows: {purchases} purchases, all in order; nothing was recorded "
                   "(--dry-run).").format(rows=summary.rows, purchases=summary.purchases))
    else:
        echo_err(_("Imported {purchases} purchases ({lines} lines) from {file}.").format(
            purchases=summary.purchases, lines=summary.lines, file=file))
        for record in summary.records:
            _report_followups(record)
    from kundkit.cli.purchase_view import money

    fields = [Column("file", "File"), Column("rows", "Rows"), Column("purchases", "Purchases"),
              Column("lines", "Lines"), Column("gross", "Gross", show=money),
              Column("discount", "Discount", show=money), Column("net", "Net", show=money),
              Column("first", "First purchase"), Column("last", "Last purchase"), Column("dry_run", "Dry run")]
    render_record(summary.as_dict(), fields, output_format=output_format)


# -- list / show / void ----------------------------------------------------------------------------

def _period(period: str | None, first: str | None, last: str | None) -> tuple[date | None, date | None]:
    from kundkit.purchases import parse_date, parse_period

    start, end = parse_period(period) if period else (None, None)
    if first:
        start = parse_date(first, field="--from")
    if last:
        end = parse_date(last, field="--to")
    return start, end


@cli.command("list")
@click.option("--customer", "customer_id", metavar="ID", help="Only this customer's purchases.")
@click.option("--seller", metavar="STAFF", help="Only this seller's.")
@click.option("--product", "sku", metavar="SKU", help="Only purchases with this product.")
@click.option("--period", metavar="PERIOD", help="A year, quarter, month or day: 2026, 2026-Q3, 2026-11.")
@click.option("--from", "first", metavar="YYYY-MM-DD", help="From this date (included).")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Up to this date (included).")
@click.option("--kind", type=click.Choice(["sale", "credit"]), help="Only sales or only credit notes.")
@output_options
@pass_ctx
def purchase_list(ctx: Context, customer_id: str | None, seller: str | None, sku: str | None,
                  period: str | None, first: str | None, last: str | None, kind: str | None,
                  output_format: str, table_style: str) -> None:
    """List purchases and credit notes, oldest first.

    \b
    Example:
      kundkit purchase list --customer K1042 --period 2026
      kundkit purchase list --product SAG-KAP --from 2026-01-01 --format csv
    """
    from kundkit.cli.purchase_view import list_columns, note_text
    from kundkit.purchases import list_purchases

    start, end = _period(period, first, last)
    with ctx.store.read() as tx:
        if customer_id:
            from kundkit.customers import get_customer

            customer_id = get_customer(tx, customer_id)["id"]
        records = list_purchases(tx, customer=customer_id, seller=seller, first=start, last=end,
                                 sku=sku, kind=kind)
    if output_format != "json":
        records = [dict(r, line_count=len(r["lines"]), note=note_text(r),
                        discount_amount=(r.get("discount") or {}).get("amount", "0.00"))
                   for r in records]
    render(records, list_columns(ctx.config.currency), output_format=output_format,
           table_style=table_style, empty=_("No purchases."))


@cli.command("show")
@click.argument("purchase_id", metavar="ID")
@output_options
@pass_ctx
def purchase_show(ctx: Context, purchase_id: str, output_format: str, table_style: str) -> None:
    """Show a purchase or credit note: lines, discount and why, key-product follow-up.

    \b
    Example:
      kundkit purchase show P1042
      kundkit purchase show P1042 --format json
    """
    from kundkit.cli.purchase_view import show_purchase
    from kundkit.customers import get_customer
    from kundkit.purchases import get_purchase

    with ctx.store.read() as tx:
        record = get_purchase(tx, purchase_id)
        name = get_customer(tx, record["customer"]).get("name")
    show_purchase(record, output_format=output_format, table_style=table_style, customer_name=name)


@cli.command("void")
@click.argument("purchase_id", metavar="ID")
@click.option("--reason", help="Why the purchase is voided (kept on the credit note).")
@output_options
@pass_ctx
def purchase_void(ctx: Context, purchase_id: str, reason: str | None, output_format: str,
                  table_style: str) -> None:
    """Void a purchase with a credit note; the original stays, marked as voided.

    The customer's totals, later discounts and loyalty points follow; an open key-product
    consultation that the sale created is cancelled.

    \b
    Example:
      kundkit purchase void P1042 --reason "Returned unopened"
    """
    from kundkit.cli.prompt import ask_text
    from kundkit.cli.purchase_view import show_purchase
    from kundkit.purchases import void

    if not reason:
        reason = ask_text(ctx, _("Why is {id} voided?").format(id=purchase_id), option="--reason")
    credit = void(ctx, purchase_id, reason=reason)
    echo_err(_("Voided {id} with the credit note {credit}.").format(id=credit["credits"],
                                                                   credit=credit["id"]))
    show_purchase(credit, output_format=output_format, table_style=table_style)
