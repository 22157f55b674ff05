"""Every message of the purchases area exists in Swedish with the same placeholders."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import kundkit
from kundkit._msgfmt import parse_po

PACKAGE = Path(kundkit.__file__).parent
CATALOG = PACKAGE / "locale" / "sv" / "LC_MESSAGES" / "purchases.po"
MODULES = ["purchases.py", "purchase_store.py", "purchase_import.py", "followup.py",
           "plugins/purchases.py", "cli/purchase.py", "cli/purchase_view.py", "cli/discount.py",
           *[f"discounts/{p.name}" for p in sorted((PACKAGE / "discounts").glob("*.py"))]]


def _messages() -> set[str]:
    """``_("...")`` literals, column headers and policy descriptions of the area's modules."""
    found: set[str] = set()
    for module in MODULES:
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", None)
                if name == "_":
                    found.add(node.args[0].value)
                if name == "Column" and len(node.args) > 1 and node.args[1].value:
                    found.add(node.args[1].value)
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "description":
                found.add(node.value.value)
    return found


def _fields(text: str) -> set[str]:
    return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}


def test_every_message_has_a_swedish_translation_with_the_same_fields() -> None:
    entries = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    messages = _messages()
    assert len(messages) > 100
    assert sorted(m for m in messages if not entries.get(m)) == []
    for message in messages:
        assert _fields(entries[message]) == _fields(message), message
