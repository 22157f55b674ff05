"""``kundkit plugins``: what is loaded, from where, and what it implements."""

from __future__ import annotations

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context


@group("plugins")
def cli() -> None:
    """List the loaded plugins."""


@cli.command("list")
@output_options
@pass_ctx
def plugins_list(ctx: Context, output_format: str, table_style: str) -> None:
    """Each plugin with its source (built-in, package, local file), version and hooks."""
    rows = [{"name": info.name, "source": info.source, "version": info.version,
             "location": info.location, "hooks": info.hooks, "error": info.error}
            for info in ctx.plugins.infos.values()]
    render(rows, [Column("name", "Name"), Column("source", "Source"), Column("version", "Version"),
                  Column("hooks", "Hooks"), Column("error", "Error")],
           output_format=output_format, table_style=table_style)
