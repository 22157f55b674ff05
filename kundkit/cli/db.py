"""``kundkit db``: check, back up, restore and inspect the store."""

from __future__ import annotations

from pathlib import Path

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context
from kundkit.errors import KundkitError
from kundkit.i18n import _


@group("db")
def cli() -> None:
    """Check, back up, restore and inspect the store."""


@cli.command("check")
@pass_ctx
def db_check(ctx: Context) -> None:
    """Check that every store file is readable and that references between tables hold."""
    from kundkit.dbtools import check

    references: list[tuple[str, str, str]] = []
    for result in ctx.plugins.hook.store_references():
        references.extend(result or [])
    problems = check(ctx.store, references)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise KundkitError(_("{n} problem(s) found in the store {path}").format(
            n=len(problems), path=ctx.store.root))
    click.echo(_("The store {path} is in order ({n} files).").format(
        path=ctx.store.root, n=len(ctx.store.files())), err=True)


@cli.command("backup")
@click.option("--to", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the backup (default: a dated file in the backups folder).")
@pass_ctx
def db_backup(ctx: Context, dest: Path | None) -> None:
    """Take a consistent backup of the store (a zip file), under the store's lock."""
    from kundkit.dbtools import backup

    path = backup(ctx.store, ctx.now(), dest)
    click.echo(str(path))


@cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def db_restore(ctx: Context, file: Path, yes: bool) -> None:
    """Replace the store with a backup. The current state is backed up first."""
    from kundkit.cli.prompt import ask_confirm
    from kundkit.dbtools import restore

    if not yes and not ask_confirm(ctx, _("Replace the store {path} with {file}?").format(
            path=ctx.store.root, file=file), default=False):
        raise click.Abort()
    safety = restore(ctx.store, file, ctx.now())
    click.echo(_("Restored {file}; the previous state is in {safety}").format(file=file, safety=safety),
               err=True)


@cli.command("stats")
@output_options
@pass_ctx
def db_stats(ctx: Context, output_format: str, table_style: str) -> None:
    """Records and size of each table."""
    from kundkit.dbtools import stats

    rows = [{"table": s.table, "partitions": s.partitions, "records": s.records, "bytes": s.bytes}
            for s in stats(ctx.store)]
    render(rows, [Column("table", "Table"), Column("partitions", "Partitions", "right"),
                  Column("records", "Records", "right"), Column("bytes", "Bytes", "right")],
           output_format=output_format, table_style=table_style, empty=_("The store is empty."))


@cli.command("upgrade")
@pass_ctx
def db_upgrade(ctx: Context) -> None:
    """Upgrade the store to this kundkit's schema version (after a backup)."""
    from kundkit.dbtools import upgrade

    found, now_at, safety = upgrade(ctx.store, ctx.now())
    if safety is None:
        click.echo(_("The store is at schema version {v}; nothing to do.").format(v=found), err=True)
    else:
        click.echo(_("Upgraded the store from schema version {a} to {b}; backup: {safety}").format(
            a=found, b=now_at, safety=safety), err=True)


@cli.command("load")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace the data the store holds (a backup is taken first).")
@pass_ctx
def db_load(ctx: Context, folder: Path, replace: bool) -> None:
    """Load a business from a folder of files: staff, plans, products, customers, purchases and
    feedback (.csv or .json, named so), in that order, all or nothing.

    \b
    Example:
      kundkit db load examples --replace
    """
    from kundkit.loading import Loaded, load_folder

    def done(item: Loaded) -> None:
        click.echo(_("{file}: {n} rows").format(file=item.file, n=item.rows), err=True)

    _loaded, safety = load_folder(ctx, folder, replace=replace, done=done)
    if safety is not None:
        click.echo(_("The previous data is in {safety}").format(safety=safety), err=True)
