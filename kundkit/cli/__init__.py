"""The ``kundkit`` command line. ``main()`` sets the language first, then loads only what the
command in hand needs (see :mod:`kundkit.cli.app`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


detected_config: Path | None = None  # the kundkit.yaml main() found, before any parsing


def _config_from_argv(argv: list[str]) -> Path | None:
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--config="):
            return Path(arg.split("=", 1)[1])
        if arg == "--":
            break
    return None


def setup_language(argv: list[str]) -> str:
    """Speak the business's language from the first word, without parsing YAML."""
    from kundkit.locate import find_config
    from kundkit.i18n import detect_language, set_language

    explicit = _config_from_argv(argv)
    try:
        path = find_config(explicit)
    except OSError:
        path = None
    global detected_config
    detected_config = path
    language = set_language(detect_language(path))
    from kundkit.cli.clicktext import translate_click

    translate_click()
    return language


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    setup_language(args)
    from kundkit.cli.app import cli

    cli.main(args=args, prog_name="kundkit", auto_envvar_prefix=None)


if os.environ.get("KUNDKIT_PROFILE_IMPORTS"):  # pragma: no cover - a developer's aid
    print(sorted(m for m in sys.modules if not m.startswith("_")), file=sys.stderr)
