"""docs/workflows.md: every example is run, in order, on the example business and must print what
the page shows; every workflow command and every built-in step type is on the page."""

from __future__ import annotations

from pathlib import Path

from tests.workflows_support import Example, read_page, replay_page

DOC = Path(__file__).resolve().parent.parent / "docs" / "workflows.md"


def test_every_example_prints_what_the_page_shows(business: Path) -> None:
    assert len([s for s in read_page(DOC) if isinstance(s, Example)]) >= 20
    wrong = replay_page(DOC, business)
    assert not wrong, "\n\n".join(f"$ {e.command}\n{e.expected}" for e in wrong)


def test_every_command_and_step_type_is_on_the_page() -> None:
    from kundkit.cli.workflow import cli
    from kundkit.workflows.steps import builtin_step_types

    text = DOC.read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"\n### {name}\n" in text and f"kundkit workflow {name}" in text, name
    for step_type in builtin_step_types():
        assert f"| `{step_type.name}` |" in text, step_type.name
