"""``kundkit staff``: the staff members, who is active, and handing customers over when one leaves."""

from __future__ import annotations

from pathlib import Path

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, render_record, to_json
from kundkit.context import Context
from kundkit.i18n import _


@group("staff")
def cli() -> None:
    """Staff members and who is active.

    \b
    Example:
      kundkit staff add --id anna --name "Anna Lind" --email anna@nordbygg.example --role sales
    """


def _columns() -> list[Column]:
    return [Column("id", "ID"), Column("name", "Name"), Column("email", "E-mail"), Column("role", "Role"),
            Column("active", "Active"), Column("customers", "Customers", "right"),
            Column("open_tasks", "Open tasks", "right")]


@cli.command("add")
@click.option("--id", "staff_id", metavar="ID", help="Short id typed in --as and --manager (e.g. anna).")
@click.option("--name", help="Full name.")
@click.option("--email", help="E-mail address.")
@click.option("--role", help="Role, e.g. sales, service, office.")
@pass_ctx
def staff_add(ctx: Context, staff_id: str | None, name: str | None, email: str | None,
              role: str | None) -> None:
    """Add a staff member; prints the id."""
    from kundkit.cli.prompt import ask_text
    from kundkit.staff import create_staff, parse_staff_id

    if not staff_id:
        staff_id = ask_text(ctx, _("Staff id (e.g. anna):"), option="--id", check=parse_staff_id)
    if not name:
        name = ask_text(ctx, _("Full name:"), option="--name")
    with ctx.store.transaction() as tx:
        record = create_staff(ctx, tx, staff_id=staff_id, name=name, email=email, role=role)
    click.echo(record["id"])


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format (default: from its name or content).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@pass_ctx
def staff_import(ctx: Context, file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import staff from CSV or JSON (columns: id, name, email, role), all rows or none.

    \b
    Example:
      kundkit staff import examples/staff.csv
    """
    from kundkit.staff import import_staff

    result = import_staff(ctx, file, fmt=fmt, dry_run=dry_run)
    if dry_run:
        click.echo(_("{n} rows are valid; nothing was saved (--dry-run).").format(n=result.rows), err=True)
        return
    click.echo(_("Imported {n} staff members from {file}.").format(n=result.imported, file=file), err=True)


@cli.command("list")
@click.option("--all", "include_inactive", is_flag=True, help="Include staff who are no longer active.")
@output_options
@pass_ctx
def staff_list(ctx: Context, include_inactive: bool, output_format: str, table_style: str) -> None:
    """List staff with how many customers and open tasks each has."""
    from kundkit.staff import all_staff, workload

    with ctx.store.read() as tx:
        rows = all_staff(tx, include_inactive=include_inactive)
        load = workload(tx)
    for row in rows:
        row.update(load.get(row["id"], {"customers": 0, "open_tasks": 0}))
    render(rows, _columns(), output_format=output_format, table_style=table_style,
           empty=_("No staff yet: add one with 'kundkit staff add'."))


@cli.command("show")
@click.argument("staff_id", metavar="ID")
@output_options
@pass_ctx
def staff_show(ctx: Context, staff_id: str, output_format: str, table_style: str) -> None:
    """A staff member, with the number of customers and open tasks."""
    from kundkit.staff import get_staff, workload

    with ctx.store.read() as tx:
        record = get_staff(tx, staff_id)
        record.update(workload(tx).get(record["id"], {"customers": 0, "open_tasks": 0}))
    if output_format == "json":
        click.echo(to_json(record))
        return
    fields = _columns() + [Column("created_at", "Created")]
    render_record(record, fields, output_format=output_format,
                  table_style="plain" if table_style == "simple" else table_style)


@cli.command("edit")
@click.argument("staff_id", metavar="ID")
@click.option("--name", help="Full name.")
@click.option("--email", help="E-mail address (\"\" clears it).")
@click.option("--role", help="Role (\"\" clears it).")
@click.option("--activate", is_flag=True, help="Make an inactive staff member active again.")
@pass_ctx
def staff_edit(ctx: Context, staff_id: str, name: str | None, email: str | None, role: str | None,
               activate: bool) -> None:
    """Change a staff member's name, e-mail or role."""
    from kundkit.staff import edit_staff, set_active

    changes = {k: v for k, v in {"name": name, "email": email, "role": role}.items() if v is not None}
    if not changes and not activate:
        raise click.UsageError(_("nothing to change: give at least one option"))
    with ctx.store.transaction() as tx:
        record = edit_staff(ctx, tx, staff_id, changes) if changes else None
        if activate:
            record = set_active(ctx, tx, staff_id, True)
    assert record is not None
    click.echo(_("Saved {id} {name}.").format(id=record["id"], name=record["name"]), err=True)


@cli.command("deactivate")
@click.argument("staff_id", metavar="ID")
@click.option("--reassign", is_flag=True, help="Hand the customers and open tasks over to other staff, "
                                               "by the strategy in kundkit.yaml.")
@click.option("--to", "to_staff", metavar="STAFF", help="Hand everything over to this staff member.")
@pass_ctx
def staff_deactivate(ctx: Context, staff_id: str, reassign: bool, to_staff: str | None) -> None:
    """Mark a staff member as no longer active. Their customers and open tasks must be handed over
    first ('customer assign'), or here with --reassign or --to.

    \b
    Example:
      kundkit staff deactivate erik --reassign
    """
    from kundkit.staff import deactivate_staff

    with ctx.store.transaction() as tx:
        moved_customers, moved_tasks = deactivate_staff(ctx, tx, staff_id,
                                                        reassign=reassign or bool(to_staff),
                                                        to_staff=to_staff)
    for customer_id, manager in moved_customers:
        click.echo(f"{customer_id}\t{manager}")
    click.echo(_("{id} is no longer active; {n} customers and {t} open tasks handed over.").format(
        id=staff_id, n=len(moved_customers), t=moved_tasks), err=True)
