"""Every example in docs/purchases.md is run, in order, on the example business, and must print
what the page says; every command of the purchase and discount groups is documented there."""

from __future__ import annotations

from pathlib import Path

from tests.docs_replay import examples, page_text, read_page, replay, report

PAGE = "purchases.md"


def test_every_console_example_prints_what_the_page_shows(business: Path) -> None:
    steps = read_page(PAGE)
    assert len(examples(steps)) >= 15
    wrong = replay(steps, business)
    assert not wrong, report(wrong)


def test_every_command_is_on_the_page() -> None:
    from kundkit.cli.discount import cli as discount
    from kundkit.cli.purchase import cli as purchase

    text = page_text(PAGE)
    for name in purchase.commands:
        assert f"\n### {name}\n" in text and f"$ kundkit purchase {name}" in text.replace(
            "$ kundkit --as anna purchase", "$ kundkit purchase"), name
    for name in discount.commands:
        assert f"\n### discount {name}\n" in text and f"$ kundkit discount {name}" in text, name
