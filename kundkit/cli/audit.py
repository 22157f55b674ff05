"""``kundkit audit``: who changed which fields of which record, and when (never the values)."""

from __future__ import annotations

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context
from kundkit.i18n import _


@group("audit")
def cli() -> None:
    """The audit log of changes to personal data."""


def _detail(value: object) -> str:
    if not isinstance(value, dict):
        return ""
    return ", ".join(f"{k}={v}" for k, v in value.items())


@cli.command("list")
@click.option("--customer", metavar="ID", help="Only entries about this customer.")
@click.option("--actor", metavar="STAFF", help="Only what this staff member did.")
@click.option("--table", help="Only entries about this table (customers, staff, products, tasks, ...).")
@click.option("--since", metavar="DATE", help="Only entries from this date (YYYY-MM-DD).")
@output_options
@pass_ctx
def audit_list(ctx: Context, customer: str | None, actor: str | None, table: str | None,
               since: str | None, output_format: str, table_style: str) -> None:
    """List audit entries, oldest first.

    \b
    Example:
      kundkit audit list --customer K1042
    """
    from kundkit.auditlog import audit_entries
    from kundkit.idtable import make_id, number_of

    if customer is not None:
        number = number_of(customer, "K")
        customer = make_id("K", number) if number is not None else customer
    with ctx.store.read() as tx:
        rows = audit_entries(tx, customer=customer, actor=actor, table=table, since=since)
    render(rows, [Column("at", "When"), Column("actor", "Who"), Column("action", "Action"),
                  Column("table", "Table"), Column("record", "Record"), Column("fields", "Fields"),
                  Column("detail", "Detail", show=_detail)],
           output_format=output_format, table_style=table_style, empty=_("No audit entries."))
