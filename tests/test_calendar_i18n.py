"""The Swedish catalog of the calendar, deadlines and expressions covers every message."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import kundkit
from kundkit._msgfmt import mo_bytes, parse_po
from kundkit.expressions import _MONTHS, _WEEKDAYS

PACKAGE = Path(kundkit.__file__).parent
CATALOG = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "calendar.po"
MODULES = ("calendar.py", "deadlines.py", "expressions.py")


def _msgids(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"}


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def _entries() -> dict[str, str]:
    return parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))


def test_every_message_has_a_swedish_translation_with_the_same_fields():
    entries = _entries()
    messages = set().union(*(_msgids(module) for module in MODULES))
    assert len(messages) > 40
    assert sorted(m for m in messages if not entries.get(m)) == []
    for message in messages:
        assert _fields(entries[message]) == _fields(message), message


def test_every_month_and_weekday_has_a_swedish_name():
    entries = _entries()
    for context, names in (("month", _MONTHS), ("weekday", _WEEKDAYS)):
        for name in names:
            assert entries.get(f"{context}\x04{name}"), name
    assert entries["date and time\x04{date} at {time}"] == "{date} kl. {time}"


def test_the_compiled_catalog_is_up_to_date():
    assert CATALOG.with_suffix(".mo").read_bytes() == mo_bytes(_entries())
