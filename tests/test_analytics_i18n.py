"""Every message of kundkit/analytics has a Swedish translation with the same placeholders, and
the compiled catalog is up to date."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

import kundkit.analytics
from kundkit._msgfmt import mo_bytes, parse_po
from kundkit.analytics import trends
from kundkit.i18n import LOCALE_DIR, set_language

PACKAGE = Path(kundkit.analytics.__file__).parent
PO = LOCALE_DIR / "sv" / "LC_MESSAGES" / "analytics.po"


def messages() -> set[str]:
    found = set()
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                found.add(ast.literal_eval(node.args[0]))
    return found


def placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_a_swedish_translation_with_the_same_placeholders():
    catalog = parse_po(PO.read_text(encoding="utf-8"), str(PO))
    found = messages()
    assert len(found) > 30
    missing = sorted(found - catalog.keys())
    assert missing == []
    for msgid in found:
        assert placeholders(catalog[msgid]) == placeholders(msgid), msgid
    assert sorted(set(catalog) - found - {""}) == []  # no stale entries


def test_compiled_catalog_is_up_to_date():
    catalog = parse_po(PO.read_text(encoding="utf-8"), str(PO))
    assert PO.with_suffix(".mo").read_bytes() == mo_bytes(catalog)


@pytest.fixture
def swedish():
    set_language("sv")
    yield
    set_language("en")


def test_the_trend_method_reads_in_swedish(swedish):
    text = trends.describe_method(periods=6, alpha=0.05, min_count=5, correction="bh", tested=12)
    assert text.startswith("Ensidigt exakt Poissontest")
    assert "de 5 föregående" in text and "12 testade" in text
