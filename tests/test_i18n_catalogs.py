"""Everything a person reads exists in Swedish: every command's help, every option's help, and the
compiled catalogs match their sources."""

from __future__ import annotations

import importlib
import importlib.util
import re
import string

import click
import pytest

from kundkit._msgfmt import catalogs, main as msgfmt_main, parse_po
from kundkit.cli.app import GROUPS
from kundkit.i18n import translator


def test_compiled_catalogs_are_up_to_date() -> None:
    assert msgfmt_main(["--check"]) == 0


def _walk(command: click.Command, path: str):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _walk(sub, f"{path} {name}")


def _commands():
    found = []
    for name, (module_name, _short) in sorted(GROUPS.items()):
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        found.extend(_walk(module.cli, f"kundkit {name}"))
    return found


@pytest.mark.parametrize(("path", "command"), _commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_and_option_help_is_translated(path: str, command: click.Command) -> None:
    sv = translator("sv")
    missing = []
    for text in [command.help, command.short_help] + [p.help for p in command.params
                                                       if isinstance(p, click.Option)]:
        if text and sv.gettext(text) == text:
            missing.append(text)
    assert not missing, f"{path}: no Swedish translation for: {missing}"


def test_group_summaries_are_translated() -> None:
    sv = translator("sv")
    assert [short for _m, short in GROUPS.values() if sv.gettext(short) == short] == []


_FIELD = re.compile(r"\{([^{}!:]*)")


@pytest.mark.parametrize("po", catalogs(), ids=lambda p: p.name)
def test_translations_keep_their_placeholders(po) -> None:
    entries = parse_po(po.read_text(encoding="utf-8"), str(po))
    wrong = []
    for msgid, msgstr in entries.items():
        if not msgid:
            continue
        ids = msgid.split("\0")
        strs = msgstr.split("\0")
        wanted = {f for i in ids for f in _FIELD.findall(i)}
        for s in strs:
            if {f for f in _FIELD.findall(s)} - wanted:
                wrong.append((msgid, s))
        formatter = string.Formatter()
        for s in strs:
            try:
                list(formatter.parse(s))
            except ValueError:
                wrong.append((msgid, s))
    assert not wrong, wrong


def test_no_message_is_translated_two_ways_in_two_catalogs() -> None:
    # All catalogs of a language are chained and the first that has a msgid wins, so one msgid
    # with two translations would show one area's wording in the other's place.
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for po in catalogs():
        language = po.parent.parent.name
        for msgid, msgstr in parse_po(po.read_text(encoding="utf-8"), str(po)).items():
            if not msgid:
                continue
            key = f"{language}:{msgid}"
            if key in seen and seen[key][1] != msgstr:
                clashes.append(f"{msgid!r}: {seen[key][0]} says {seen[key][1]!r}, {po.name} says {msgstr!r}")
            seen.setdefault(key, (po.name, msgstr))
    assert not clashes, "\n".join(clashes)
