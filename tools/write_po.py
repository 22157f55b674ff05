"""Write a .po catalog from a Python dict of translations (a developer's aid, used for the core's
and click's catalogs): ``python tools/write_po.py`` rewrites the catalogs it knows."""

from __future__ import annotations

from pathlib import Path

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Language: sv\\n"\n' \
         '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'


def quote(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\t", "\\t").replace("\x08", "\\b"))
    return f'"{escaped}"'


def write(path: Path, entries: dict[str | tuple[str, str], str | tuple[str, str]]) -> None:
    out = [HEADER]
    for key, value in entries.items():
        if isinstance(key, tuple):
            assert isinstance(value, tuple)
            out.append(f"msgid {quote(key[0])}\nmsgid_plural {quote(key[1])}\n"
                       f"msgstr[0] {quote(value[0])}\nmsgstr[1] {quote(value[1])}\n\n")
        else:
            out.append(f"msgid {quote(key)}\nmsgstr {quote(str(value))}\n\n")
    path.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from catalog_core import CLICK, CORE

    folder = Path(__file__).resolve().parent.parent / "kundkit" / "locale" / "sv" / "LC_MESSAGES"
    write(folder / "core.po", CORE)
    write(folder / "click.po", CLICK)
