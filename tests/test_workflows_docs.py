"""docs/workflows.md: every example is run, in order, on the example business and must print what
the page shows; every workflow command and every built-in step type is on the page."""

from __future__ import annotations

from pathlib import Path

from tests.docs_replay import examples, page_text, read_page, replay, report, without_random_names

PAGE = "workflows.md"


def test_every_example_prints_what_the_page_shows(business: Path) -> None:
    steps = read_page(PAGE)
    assert len(examples(steps)) >= 20
    wrong = replay(steps, business, same=lambda text: without_random_names(text).rstrip("\n"))
    assert not wrong, report(wrong)


def test_every_command_and_step_type_is_on_the_page() -> None:
    from kundkit.cli.workflow import cli
    from kundkit.workflows.steps import builtin_step_types

    text = page_text(PAGE)
    for name in cli.commands:
        assert f"\n### {name}\n" in text and f"kundkit workflow {name}" in text, name
    for step_type in builtin_step_types():
        assert f"| `{step_type.name}` |" in text, step_type.name
