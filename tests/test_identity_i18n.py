"""The Swedish catalog of identifiers and money covers every message, and is compiled."""

import ast
import string
from decimal import Decimal
from pathlib import Path

import pytest

import kundkit
from kundkit import i18n
from kundkit._msgfmt import mo_bytes, parse_po
from kundkit.errors import ValidationError
from kundkit.identity import parse_orgnr
from kundkit.money import format_money, to_money

PACKAGE = Path(kundkit.__file__).parent
CATALOG = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "identity.po"


def _msgids(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
    return {node.args[0].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_"}


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_a_swedish_translation_with_the_same_fields():
    entries = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    messages = _msgids("identity.py") | _msgids("money.py")
    assert messages
    missing = sorted(message for message in messages if not entries.get(message))
    assert missing == []
    for message in messages:
        assert _fields(entries[message]) == _fields(message), message


def test_the_compiled_catalog_is_up_to_date():
    entries = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    assert CATALOG.with_suffix(".mo").read_bytes() == mo_bytes(entries)


@pytest.fixture
def swedish():
    previous = i18n.get_language()
    i18n.set_language("sv")
    yield
    i18n.set_language(previous)


def test_errors_are_swedish_when_swedish_is_spoken(swedish):
    with pytest.raises(ValidationError) as caught:
        parse_orgnr("556036-0794")
    assert str(caught.value) == ("Organisationsnumret '556036-0794' har fel kontrollsiffra: "
                                 "den sista siffran ska vara 3")
    with pytest.raises(ValidationError) as caught:
        to_money("12,345", field="pris")
    assert "är tvetydigt" in str(caught.value)


def test_format_money_does_not_depend_on_the_active_language(swedish):
    assert format_money(Decimal("1234.5"), language="en") == "SEK 1,234.50"
