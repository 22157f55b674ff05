"""Every example in docs/purchases.md is run, in order, on the example business, and must print
what the page says; every command of the purchase and discount groups is documented there."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

DOC = Path(__file__).resolve().parent.parent / "docs" / "purchases.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
FILE_MARK = re.compile(r"<!-- file: (\S+) -->\n$")


@dataclass
class Example:
    command: str
    expected: str


def read_page() -> tuple[list[tuple[str, str] | Example], str]:
    """Files to write and commands to run, in the order of the page."""
    text = DOC.read_text(encoding="utf-8")
    steps: list[tuple[str, str] | Example] = []
    for match in FENCE.finditer(text):
        language, body = match.group(1), match.group(2)
        mark = FILE_MARK.search(text[:match.start()])
        if mark and text[mark.end():match.start()] == "":
            steps.append((mark.group(1), body))
            continue
        if language != "console":
            continue
        current: Example | None = None
        for line in body.splitlines():
            if line.startswith("$ "):
                current = Example(line[2:], "")
                steps.append(current)
            elif current is not None:
                current.expected += line + "\n"
    return steps, text


def test_every_console_example_prints_what_the_page_shows(business: Path) -> None:
    from kundkit.cli.app import cli

    steps, _text = read_page()
    assert len([s for s in steps if isinstance(s, Example)]) >= 15
    for step in steps:
        if isinstance(step, tuple):
            (business / step[0]).write_text(step[1], encoding="utf-8")
            continue
        words = shlex.split(step.command)
        assert words[0] == "kundkit", step.command
        result = CliRunner().invoke(cli, words[1:], catch_exceptions=False)
        assert result.output == step.expected, f"$ {step.command}\n{result.output}"


def test_every_command_is_on_the_page() -> None:
    from kundkit.cli.discount import cli as discount
    from kundkit.cli.purchase import cli as purchase

    _steps, text = read_page()
    for name in purchase.commands:
        assert f"\n### {name}\n" in text and f"$ kundkit purchase {name}" in text.replace(
            "$ kundkit --as anna purchase", "$ kundkit purchase"), name
    for name in discount.commands:
        assert f"\n### discount {name}\n" in text and f"$ kundkit discount {name}" in text, name
