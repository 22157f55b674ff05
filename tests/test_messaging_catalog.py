"""Every message of kundkit/messaging has its Swedish translation, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from kundkit._msgfmt import mo_bytes, parse_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kundkit" / "messaging"
CATALOG = ROOT / "kundkit" / "locale" / "sv" / "LC_MESSAGES" / "messaging.po"


def msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "_") or \
                    (isinstance(func, ast.Attribute) and func.attr == "gettext"):
                argument = node.args[0]
                assert isinstance(argument, ast.Constant), f"{path.name}: _() of a non-literal"
                found[argument.value] = path.name
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[^{}]*\}", text))


def test_every_message_is_translated_with_the_same_placeholders() -> None:
    catalog = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    ids = msgids()
    assert len(ids) > 50
    missing = [f"{where}: {msgid!r}" for msgid, where in ids.items() if msgid not in catalog]
    assert missing == []
    wrong = [msgid for msgid in ids if placeholders(msgid) != placeholders(catalog[msgid])]
    assert wrong == []


def test_compiled_catalog_is_up_to_date() -> None:
    catalog = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    assert CATALOG.with_suffix(".mo").read_bytes() == mo_bytes(catalog)


def test_errors_speak_swedish_when_asked() -> None:
    from kundkit.i18n import set_language
    from kundkit.messaging import Recipient, Unreachable
    from kundkit.messaging.sms import mobile_number

    set_language("sv")
    try:
        with pytest.raises(Unreachable, match="^Kund C-1 har inget telefonnummer$"):
            mobile_number(Recipient("C-1", "Bo"))
    finally:
        set_language("en")
