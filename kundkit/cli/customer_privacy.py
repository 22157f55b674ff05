"""``kundkit customer data`` and ``customer forget``: a person's rights of access and erasure."""

from __future__ import annotations

from pathlib import Path

import click

from kundkit.cli.base import KundkitCommand, pass_ctx
from kundkit.cli.output import to_json
from kundkit.context import Context
from kundkit.i18n import _


@click.command("data", cls=KundkitCommand)
@click.argument("customer_id", metavar="ID")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@pass_ctx
def customer_data(ctx: Context, customer_id: str, output: Path | None) -> None:
    """Everything kundkit holds about a customer, from every table, as JSON (the right of access
    and data portability). The access is recorded in the audit log.

    \b
    Example:
      kundkit customer data K1042 -o K1042.json
    """
    from kundkit.privacy import customer_data as collect

    text = to_json(collect(ctx, customer_id)) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(_("Wrote {file}.").format(file=output), err=True)


@click.command("forget", cls=KundkitCommand)
@click.argument("customer_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def customer_forget(ctx: Context, customer_id: str, yes: bool) -> None:
    """Erase a customer's personal data everywhere (the right to be forgotten).

    Name, numbers, contact, e-mail, phone, address and notes are erased from every table; task
    notes go; purchases are kept for the books under a pseudonym. The erasure (not the erased
    data) is recorded in the audit log. Backups taken before keep their copy until they expire.

    \b
    Example:
      kundkit customer forget K1042 --yes
    """
    from kundkit.cli.prompt import ask_confirm
    from kundkit.customers import get_customer
    from kundkit.privacy import forget

    if not yes:
        with ctx.store.read() as tx:
            customer = get_customer(tx, customer_id)
        if not ask_confirm(ctx, _("Erase all personal data of {id} {name}? This cannot be undone.").format(
                id=customer["id"], name=customer["name"]), default=False, option="--yes"):
            raise click.Abort()
    report = forget(ctx, customer_id)
    tables = ", ".join(f"{table} {n}" for table, n in report.tables.items())
    click.echo(_("Forgot {id}; now known as {pseudonym}. Records changed: {tables}.").format(
        id=report.customer_id, pseudonym=report.pseudonym, tables=tables or "-"), err=True)


def attach(group: click.Group) -> None:
    group.add_command(customer_data)
    group.add_command(customer_forget)
