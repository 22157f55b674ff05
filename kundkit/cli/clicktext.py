"""Click's own strings ("Usage:", "Show this message and exit.") in the business's language.

Click calls ``gettext.gettext`` through a module-level ``_`` in each of its modules; we point those
at kundkit's catalogs, whose ``click.po`` holds the Swedish texts.
"""

from __future__ import annotations

import importlib

from kundkit.i18n import _, get_language, ngettext

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils",
            "shell_completion", "_termui_impl")


def translate_click() -> None:
    if get_language() == "en":
        return
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = _  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
