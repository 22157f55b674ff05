"""docs/feedback.md: every example is run, in order, on the example business and must print what
the page shows; every feedback command is on the page."""

from __future__ import annotations

from pathlib import Path

from tests.workflows_support import Example, read_page, replay_page

DOC = Path(__file__).resolve().parent.parent / "docs" / "feedback.md"


def test_every_example_prints_what_the_page_shows(business: Path) -> None:
    assert len([s for s in read_page(DOC) if isinstance(s, Example)]) >= 25
    wrong = replay_page(DOC, business)
    assert not wrong, "\n\n".join(f"$ {e.command}\n{e.expected}" for e in wrong)


def test_every_command_is_on_the_page() -> None:
    from kundkit.cli.feedback import cli

    text = DOC.read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"\n### {name}\n" in text, name
        assert f"feedback {name}" in text, name
