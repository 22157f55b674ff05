"""``kundkit customer import`` and ``customer export``: the register in and out as CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kundkit.cli.base import KundkitCommand, pass_ctx
from kundkit.cli.output import Progress
from kundkit.context import Context
from kundkit.i18n import _


@click.command("import", cls=KundkitCommand)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format (default: from its name or content).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@click.option("--force", is_flag=True, help="Import rows that look like registered customers too.")
@click.option("--events", is_flag=True, help="Fire customer_created for each imported customer (e.g. "
                                             "to start onboarding workflows).")
@pass_ctx
def customer_import(ctx: Context, file: Path, fmt: str | None, dry_run: bool, force: bool,
                    events: bool) -> None:
    """Import customers from a CSV or JSON file: every row is checked first, every bad row is
    reported with its line number, and either all rows are saved or none.

    The columns are the names of the 'customer add' options: name, kind, orgnr, personnummer,
    contact, email, phone, address, segment, manager, tags, consent, notes, preferred_channel,
    language (and id, created_at, created_by, as 'customer export' writes them).

    \b
    Example:
      kundkit customer import examples/customers.csv --dry-run
    """
    from kundkit.customer_files import import_customers

    progress: Progress | None = None

    def report(done: int, total: int) -> None:
        nonlocal progress
        if total < 1000:
            return  # a small file is checked before anyone would look at a counter
        if progress is None:
            progress = Progress(total, _("Checked"))
        progress.advance(done - progress.done)

    result = import_customers(ctx, file, fmt=fmt, dry_run=dry_run, force=force, progress=report)
    if progress is not None:
        progress.close()
    if dry_run:
        click.echo(_("{n} rows are valid; nothing was saved (--dry-run).").format(n=result.rows), err=True)
        return
    for _row, record in result.items:
        click.echo(record["id"])
    click.echo(_("Imported {n} customers from {file}.").format(n=result.imported, file=file), err=True)
    if events:
        for _row, record in result.items:
            ctx.emit("customer_created", customer=record)


@click.command("export", cls=KundkitCommand)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--segment", help="Only this segment.")
@click.option("--manager", metavar="STAFF", help="Only customers of this manager.")
@pass_ctx
def customer_export(ctx: Context, fmt: str, output: Path | None, segment: str | None,
                    manager: str | None) -> None:
    """Export customers, in full, as CSV or JSON ('customer import' reads it back unchanged).

    CSV cells that a spreadsheet would run as a formula are written with a leading apostrophe;
    numbers such as +46701234567 are left alone.

    \b
    Example:
      kundkit customer export --format csv -o kunder.csv
    """
    from kundkit.customer_files import export_customers

    if output is None:
        count = export_customers(ctx, sys.stdout, fmt=fmt, segment=segment, manager=manager)
    else:
        with open(output, "w", encoding="utf-8", newline="") as stream:
            count = export_customers(ctx, stream, fmt=fmt, segment=segment, manager=manager)
        click.echo(_("Exported {n} customers to {file}.").format(n=count, file=output), err=True)


def attach(group: click.Group) -> None:
    group.add_command(customer_import)
    group.add_command(customer_export)
