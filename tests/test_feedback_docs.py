"""docs/feedback.md: every example is run, in order, on the example business and must print what
the page shows; every feedback command is on the page."""

from __future__ import annotations

from pathlib import Path

from tests.docs_replay import examples, page_text, read_page, replay, report, without_random_names

PAGE = "feedback.md"


def test_every_example_prints_what_the_page_shows(business: Path) -> None:
    steps = read_page(PAGE)
    assert len(examples(steps)) >= 25
    wrong = replay(steps, business, same=lambda text: without_random_names(text).rstrip("\n"))
    assert not wrong, report(wrong)


def test_every_command_is_on_the_page() -> None:
    from kundkit.cli.feedback import cli

    text = page_text(PAGE)
    for name in cli.commands:
        assert f"\n### {name}\n" in text, name
        assert f"feedback {name}" in text, name
