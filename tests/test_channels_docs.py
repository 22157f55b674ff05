"""The channels documentation is true: docs/channels.md is replayed command by command on the
example business, and every output must be what the page shows (the random part of file names
aside)."""

from __future__ import annotations

from pathlib import Path

from tests.docs_replay import (examples, page_text, read_page, replay, report, stdout_then_stderr,
                               trimmed_lines, without_random_names)


def test_every_command_of_channels_md_gives_the_output_shown(business: Path) -> None:
    steps = read_page("channels.md", sh=True)
    assert len(examples(steps)) >= 15
    wrong = replay(steps, business, seen=stdout_then_stderr, must_succeed=True,
                   same=lambda text: trimmed_lines(without_random_names(text)))
    assert not wrong, report(wrong)


def test_the_page_names_every_command_of_its_groups() -> None:
    from kundkit.cli.channel import cli as channel
    from kundkit.cli.contact import cli as contact
    from kundkit.cli.news import cli as news

    text = page_text("channels.md")
    for group in (channel, news, contact):
        for name in group.commands:
            assert f"kundkit {group.name} {name}" in text, f"kundkit {group.name} {name}"
    assert "kundkit customer history" in text
