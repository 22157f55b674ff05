"""Compile the ``.po`` catalogs into the ``.mo`` files that ship in the package.

``python -m kundkit._msgfmt`` rebuilds every catalog under ``kundkit/locale``;
``python -m kundkit._msgfmt --check`` exits 1 when a ``.mo`` file is out of date (a test runs it).
Written here rather than depending on gettext tools or Babel, which a fresh machine lacks.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

from kundkit.i18n import LOCALE_DIR


def parse_po(text: str, name: str = "<po>") -> dict[str, str]:
    """The translated, non-fuzzy entries of a catalog (plural forms joined with NUL)."""
    entries: dict[str, str] = {}
    msgid: list[str] = []
    plural: list[str] = []
    strs: dict[int, list[str]] = {}
    ctx: list[str] | None = None
    current: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal msgid, plural, strs, ctx, fuzzy
        if msgid or strs:
            key = "".join(msgid)
            if plural:
                key += "\0" + "".join(plural)
            if ctx is not None:
                key = "".join(ctx) + "\x04" + key
            values = ["".join(strs[i]) for i in sorted(strs)]
            if not fuzzy and (key == "" or any(values)):
                entries[key] = "\0".join(values)
        msgid, plural, strs, ctx, fuzzy = [], [], {}, None, False

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        try:
            if keyword == "msgctxt":
                flush()
                ctx = [ast.literal_eval(rest)]
                current = ctx
            elif keyword == "msgid":
                if msgid or strs:
                    saved_fuzzy = fuzzy
                    flush()
                    fuzzy = saved_fuzzy
                msgid = [ast.literal_eval(rest)]
                current = msgid
            elif keyword == "msgid_plural":
                plural = [ast.literal_eval(rest)]
                current = plural
            elif keyword == "msgstr":
                strs[0] = [ast.literal_eval(rest)]
                current = strs[0]
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                strs[index] = [ast.literal_eval(rest)]
                current = strs[index]
            elif line.startswith('"') and current is not None:
                current.append(ast.literal_eval(line))
            else:
                raise ValueError(line)
        except (ValueError, SyntaxError) as exc:
            raise SystemExit(f"{name}:{number}: cannot read this line: {exc}") from None
    flush()
    return entries


def mo_bytes(entries: dict[str, str]) -> bytes:
    keys = sorted(entries)
    ids = b""
    strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode("utf-8"), entries[key].encode("utf-8")
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    count = len(keys)
    key_start = 7 * 4 + 16 * count
    value_start = key_start + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + key_start]
        voffsets += [l2, o2 + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    return header + struct.pack(f"{len(koffsets)}i", *koffsets) + \
        struct.pack(f"{len(voffsets)}i", *voffsets) + ids + strs


def catalogs(root: Path = LOCALE_DIR) -> list[Path]:
    return sorted(root.glob("*/LC_MESSAGES/*.po"))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = []
    for po in catalogs():
        data = mo_bytes(parse_po(po.read_text(encoding="utf-8"), str(po)))
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.read_bytes() == data:
            continue
        if check:
            stale.append(str(mo))
        else:
            mo.write_bytes(data)
            print(f"wrote {mo}")
    for path in stale:
        print(f"{path}: out of date; run python -m kundkit._msgfmt", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
