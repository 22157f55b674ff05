"""docs/reports.md is replayed on the example business: every command, in order, prints what the
page shows; every report command has its section; the reports: section shown is valid."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml
from click.testing import CliRunner

DOC = Path(__file__).resolve().parent.parent / "docs" / "reports.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
SKIPPED = "...\n"  # an output the page leaves out (the import's 202 ids)


def examples() -> list[tuple[str, str]]:
    steps: list[tuple[str, str]] = []
    for match in FENCE.finditer(DOC.read_text(encoding="utf-8")):
        if match.group(1) != "console":
            continue
        for line in match.group(2).splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], ""))
            elif steps:
                steps[-1] = (steps[-1][0], steps[-1][1] + line + "\n")
    return steps


def test_every_console_example_prints_what_the_page_shows(business: Path) -> None:
    from kundkit.cli.app import cli

    steps = examples()
    assert len(steps) >= 15
    for command, expected in steps:
        words = shlex.split(command)
        assert words[0] == "kundkit", command
        result = CliRunner().invoke(cli, words[1:], catch_exceptions=False)
        assert result.exit_code == 0, f"$ {command}\n{result.output}"
        if expected != SKIPPED:
            assert result.output == expected, f"$ {command}\n{result.output}"
    assert (business / "nordbygg.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_every_report_is_on_the_page() -> None:
    from kundkit.cli.report import cli as report

    text = DOC.read_text(encoding="utf-8")
    for name in report.commands:
        assert f"\n## report {name}\n" in text and f"$ kundkit report {name}" in text, name


def test_the_reports_section_on_the_page_is_valid() -> None:
    import jsonschema

    from kundkit.reports.settings import REPORTS_SCHEMA, settings_from

    blocks = [m.group(2) for m in FENCE.finditer(DOC.read_text(encoding="utf-8"))
              if m.group(1) == "yaml"]
    section = yaml.safe_load(blocks[0])["reports"]
    jsonschema.validate(section, REPORTS_SCHEMA)
    settings = settings_from(section)
    assert str(settings.interactions.of("in-person")) == "450"
    assert str(settings.feedback.of("suggestion")) == "150"
