"""``kundkit init DIR``: a new business folder."""

from __future__ import annotations

from pathlib import Path

import click

from kundkit.cli.base import KundkitCommand
from kundkit.i18n import _


@click.command("init", cls=KundkitCommand)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", "language", type=click.Choice(["sv", "en"]), default="sv", show_default=True,
              help="Language of the defaults (texts, standards, workflows).")
@click.option("--name", default=None, help="The business's name (default: the folder's name).")
def cli(directory: Path, language: str, name: str | None) -> None:
    """Lay out a new business: kundkit.yaml, standards/, workflows/ and an empty store.

    \b
    Example:
      kundkit init ~/min-butik --lang sv --name "Min Butik AB"
    """
    from kundkit.business import init_business

    created = init_business(directory, language=language, name=name or directory.resolve().name)
    for path in created:
        click.echo(str(path))
    click.echo(_("A new business is ready in {dir}. Next: cd {dir} && kundkit staff add --help").format(
        dir=directory), err=True)
