"""The channels documentation is true: docs/channels.md is replayed command by command on the
example business, and every output must be what the page shows (the random part of file names
aside)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
_RANDOM = re.compile(r"-[0-9a-f]{12}\.(eml|pdf)")


def steps(text: str) -> Iterator[tuple[str, str, list[str], str | None]]:
    """(block kind, command line, argv, documented output) in the order of the page: each
    ``kundkit`` line of a ```sh block, and each ``$ kundkit`` of a ```console block."""
    for match in re.finditer(r"```(sh|console)\n(.*?)```", text, flags=re.DOTALL):
        kind, body = match.groups()
        if kind == "sh":
            for line in body.splitlines():
                if line.startswith("kundkit "):
                    yield kind, line, shlex.split(line)[1:], None
            continue
        for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
            command, _nl, output = chunk.partition("\n")
            yield kind, command, shlex.split(command)[1:], output


def run(argv: list[str]) -> tuple[int, str]:
    from click.testing import CliRunner

    from kundkit.cli.app import cli

    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def lines(text: str) -> list[str]:
    return [_RANDOM.sub(r"-<random>.\1", line.rstrip()) for line in text.rstrip("\n").splitlines()]


def test_every_command_of_channels_md_gives_the_output_shown(business: Path) -> None:
    shown = 0
    for kind, line, argv, documented in steps((DOCS / "channels.md").read_text(encoding="utf-8")):
        code, output = run(argv)
        assert code == 0, f"{line}\n{output}"
        if kind == "console":
            shown += 1
            assert lines(output) == lines(documented or ""), line
    assert shown >= 15


def test_the_page_names_every_command_of_its_groups() -> None:
    from kundkit.cli.channel import cli as channel
    from kundkit.cli.contact import cli as contact
    from kundkit.cli.news import cli as news

    text = (DOCS / "channels.md").read_text(encoding="utf-8")
    for group in (channel, news, contact):
        for name in group.commands:
            assert f"kundkit {group.name} {name}" in text, f"kundkit {group.name} {name}"
    assert "kundkit customer history" in text
