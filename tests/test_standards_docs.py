"""Every example in docs/standards.md is run, in order, and must print what the page says."""

from __future__ import annotations

from pathlib import Path

from tests.docs_replay import examples, page_text, read_page, replay, report

PAGE = "standards.md"


def test_every_console_example_prints_what_the_page_shows(business: Path) -> None:
    steps = read_page(PAGE)
    assert len(examples(steps)) >= 15
    wrong = replay(steps, business)
    assert not wrong, report(wrong)


def test_every_command_of_the_group_has_a_heading() -> None:
    from kundkit.cli.standards import cli

    text = page_text(PAGE)
    for name in cli.commands:
        assert f"\n### {name}\n" in text, name
