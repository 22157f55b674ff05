"""``kundkit product``: the product range, each product's weight, and the locomotives."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, render_record, to_json
from kundkit.context import Context
from kundkit.i18n import _


@group("product")
def cli() -> None:
    """Products, their weight and the key products (locomotives).

    \b
    Example:
      kundkit product add --sku BM-18V --name "Borrmaskin 18 V" --price "1 895" --weight 1.5
      kundkit product list --locomotive
    """


def _money(ctx: Context) -> Callable[[Any], str]:
    from decimal import Decimal

    from kundkit.i18n import get_language
    from kundkit.money import format_money

    currency, language = ctx.config.currency, get_language()
    return lambda value: format_money(Decimal(value), currency, language) if value else ""


def _columns(ctx: Context) -> list[Column]:
    money = _money(ctx)
    return [Column("sku", "SKU"), Column("name", "Name"), Column("category", "Category"),
            Column("price", "Price", "right", show=money), Column("cost", "Cost", "right", show=money),
            Column("weight", "Weight", "right"), Column("locomotive", "Locomotive"),
            Column("active", "Active")]


def _field_options(func: Any) -> Any:
    options = [
        click.option("--name", help="Product name."),
        click.option("--category", help="Category, e.g. maskiner, handverktyg, service."),
        click.option("--price", help="Unit price, e.g. \"1 234,50\" or 1234.50."),
        click.option("--cost", help="Unit cost (optional)."),
        click.option("--weight", help="Importance to the finances: a positive number (default 1)."),
        click.option("--locomotive/--no-locomotive", default=None,
                     help="A key profit product that pulls the rest of the range along."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("add")
@click.option("--sku", help="Article number (SKU), unique.")
@_field_options
@pass_ctx
def product_add(ctx: Context, sku: str | None, **options: Any) -> None:
    """Add a product; prints the SKU."""
    from kundkit.cli.prompt import ask_text
    from kundkit.money import to_money
    from kundkit.products import create_product, parse_sku

    fields = {k: v for k, v in options.items() if v is not None}
    if not sku:
        sku = ask_text(ctx, _("SKU:"), option="--sku", check=parse_sku)
    if not fields.get("name"):
        fields["name"] = ask_text(ctx, _("Product name:"), option="--name")
    if not fields.get("price"):
        fields["price"] = ask_text(ctx, _("Unit price:"), option="--price",
                                   check=lambda t: to_money(t, ctx.config.currency, field="price"))
    with ctx.store.transaction() as tx:
        record = create_product(ctx, tx, {"sku": sku, **fields})
    click.echo(record["sku"])


@cli.command("list")
@click.option("--category", help="Only this category.")
@click.option("--locomotive", is_flag=True, default=None, help="Only the locomotives.")
@click.option("--search", "text", metavar="TEXT", help="Only products whose SKU or name contains this.")
@click.option("--all", "include_inactive", is_flag=True, help="Include inactive products.")
@output_options
@pass_ctx
def product_list(ctx: Context, category: str | None, locomotive: bool | None, text: str | None,
                 include_inactive: bool, output_format: str, table_style: str) -> None:
    """List products (prices in the business's currency, formatted for the language)."""
    from kundkit.products import list_products

    with ctx.store.read() as tx:
        rows = list_products(tx, category=category, locomotive=locomotive or None, text=text,
                             include_inactive=include_inactive)
    render(rows, _columns(ctx), output_format=output_format, table_style=table_style,
           empty=_("No products."))


@cli.command("show")
@click.argument("sku")
@output_options
@pass_ctx
def product_show(ctx: Context, sku: str, output_format: str, table_style: str) -> None:
    """One product."""
    from kundkit.products import get_product

    with ctx.store.read() as tx:
        record = get_product(tx, sku)
    if output_format == "json":
        click.echo(to_json(record))
        return
    render_record(record, _columns(ctx), output_format=output_format,
                  table_style="plain" if table_style == "simple" else table_style)


@cli.command("edit")
@click.argument("sku")
@_field_options
@click.option("--active/--inactive", default=None, help="Whether the product is still sold.")
@pass_ctx
def product_edit(ctx: Context, sku: str, **options: Any) -> None:
    """Change a product's fields (not its SKU)."""
    from kundkit.products import edit_product

    changes = {k: v for k, v in options.items() if v is not None}
    if not changes:
        raise click.UsageError(_("nothing to change: give at least one option"))
    with ctx.store.transaction() as tx:
        record = edit_product(ctx, tx, sku, changes)
    click.echo(_("Saved {id} {name}.").format(id=record["sku"], name=record["name"]), err=True)


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format (default: from its name or content).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@click.option("--update", is_flag=True, help="Update products whose SKU exists instead of refusing them.")
@pass_ctx
def product_import(ctx: Context, file: Path, fmt: str | None, dry_run: bool, update: bool) -> None:
    """Import products from CSV or JSON (columns: sku, name, category, price, cost, weight,
    locomotive, active); all rows are checked first, and all are saved or none.

    \b
    Example:
      kundkit product import examples/products.csv
    """
    from kundkit.product_files import import_products

    result = import_products(ctx, file, fmt=fmt, dry_run=dry_run, update=update)
    if dry_run:
        click.echo(_("{n} rows are valid; nothing was saved (--dry-run).").format(n=result.rows), err=True)
        return
    click.echo(_("Imported {n} products from {file}.").format(n=result.imported, file=file), err=True)


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@pass_ctx
def product_export(ctx: Context, fmt: str, output: Path | None) -> None:
    """Export every product as CSV or JSON ('product import' reads it back)."""
    from kundkit.product_files import export_products

    if output is None:
        export_products(ctx, sys.stdout, fmt=fmt)
        return
    with open(output, "w", encoding="utf-8", newline="") as stream:
        n = export_products(ctx, stream, fmt=fmt)
    click.echo(_("Exported {n} products to {file}.").format(n=n, file=output), err=True)
