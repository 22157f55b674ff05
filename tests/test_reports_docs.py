"""docs/reports.md is replayed on the example business: every command, in order, prints what the
page shows; every report command has its section; the reports: section shown is valid."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.docs_replay import FENCE, examples, page_text, read_page, replay, report

PAGE = "reports.md"
SKIPPED = "...\n"  # an output the page leaves out (the import's 202 ids)


def test_every_console_example_prints_what_the_page_shows(business: Path) -> None:
    steps = read_page(PAGE)
    assert len(examples(steps)) >= 15
    wrong = replay(steps, business, must_succeed=True, elided=SKIPPED)
    assert not wrong, report(wrong)
    assert (business / "nordbygg.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_every_report_is_on_the_page() -> None:
    from kundkit.cli.report import cli as report

    text = page_text(PAGE)
    for name in report.commands:
        assert f"\n## report {name}\n" in text and f"$ kundkit report {name}" in text, name


def test_the_reports_section_on_the_page_is_valid() -> None:
    import jsonschema

    from kundkit.reports.settings import REPORTS_SCHEMA, settings_from

    blocks = [m.group(2) for m in FENCE.finditer(page_text(PAGE))
              if m.group(1) == "yaml"]
    section = yaml.safe_load(blocks[0])["reports"]
    jsonschema.validate(section, REPORTS_SCHEMA)
    settings = settings_from(section)
    assert str(settings.interactions.of("in-person")) == "450"
    assert str(settings.feedback.of("suggestion")) == "150"
