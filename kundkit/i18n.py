"""Swedish and English for everything a person reads.

Messages are English msgids marked with ``_()``; the Swedish catalogs live in
``kundkit/locale/sv/LC_MESSAGES/<area>.po`` (one file per area, so that areas can be worked on
side by side) and are compiled to ``.mo`` files shipped in the package
(``python -m kundkit._msgfmt`` rebuilds them). Every ``.mo`` file of the active language is loaded
and chained, so ``_()`` finds a message whichever area's catalog holds it.

The language comes from ``KUNDKIT_LANG``, else from ``language:`` in ``kundkit.yaml`` (read with a
cheap text scan, so that ``kundkit --help`` needs no YAML parser), else English.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "en"

_translation: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


def normalize_language(value: str | None) -> str | None:
    """``sv_SE.UTF-8`` → ``sv``; None for a language kundkit does not speak."""
    if not value:
        return None
    code = value.strip().split(".")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def _load(language: str) -> _gettext.NullTranslations:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    files = sorted(folder.glob("*.mo")) if folder.is_dir() else []
    if not files:
        return _gettext.NullTranslations()
    catalogs = []
    for path in files:
        with path.open("rb") as fh:
            catalogs.append(_gettext.GNUTranslations(fh))
    first = catalogs[0]
    for catalog in catalogs[1:]:
        first.add_fallback(catalog)
    return first


def set_language(language: str | None) -> str:
    """Make ``language`` the active one (unknown or None: English). Returns the code in use."""
    global _translation, _language
    code = normalize_language(language) or DEFAULT_LANGUAGE
    if code != _language or isinstance(_translation, _gettext.NullTranslations) and code != "en":
        _translation = _load(code) if code != "en" else _gettext.NullTranslations()
        _language = code
    return _language


def get_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the active language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate a word whose translation depends on where it stands (``msgctxt`` in the .po):
    ``pgettext("task", "Title")`` ≠ ``pgettext("document", "Title")`` in Swedish."""
    return _translation.pgettext(context, message)


def translator(language: str) -> _gettext.NullTranslations:
    """A catalog for one language, without changing the active one (for messages to customers)."""
    code = normalize_language(language) or DEFAULT_LANGUAGE
    return _load(code) if code != "en" else _gettext.NullTranslations()


_LANGUAGE_LINE = re.compile(r"""^language:[ \t]*["']?([A-Za-z_\-.]+)""", re.MULTILINE)


def language_from_config_text(text: str) -> str | None:
    match = _LANGUAGE_LINE.search(text)
    return normalize_language(match.group(1)) if match else None


def detect_language(config_path: Path | None) -> str:
    """The language to speak before the configuration is parsed."""
    env = normalize_language(os.environ.get("KUNDKIT_LANG"))
    if env:
        return env
    if config_path is not None:
        try:
            found = language_from_config_text(config_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            found = None
        if found:
            return found
    return DEFAULT_LANGUAGE
