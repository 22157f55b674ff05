"""One way to print listings and records: ``--format table|json|csv`` and ``--fmt STYLE``.

Data goes to stdout, everything else to stderr, so that ``--format json | jq`` always works.
Tables are drawn by tabulate with number parsing off: money and ids are printed exactly as given.
JSON is stable: money as a decimal string (``"1234.50"``), dates and times in ISO 8601.
CSV cells that a spreadsheet would run as a formula are neutralised (but ``+46…`` numbers are not).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TextIO

import click

from kundkit.i18n import _

FORMATS = ("table", "json", "csv")


@dataclass(frozen=True)
class Column:
    """A column of a listing: the record key, its header (an English msgid), its alignment and an
    optional formatter for the table view (JSON and CSV always get the raw value)."""

    key: str
    header: str
    align: str = "left"
    show: Callable[[Any], str] | None = None


def output_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Add ``--format`` and ``--fmt`` to a listing command (parameters ``output_format``,
    ``table_style``)."""
    func = click.option("--fmt", "table_style", default="simple", show_default=True,
                        envvar="KUNDKIT_TABLE_STYLE", show_envvar=True, metavar="STYLE",
                        help="Table style for --format table (tabulate's: simple, github, grid, "
                             "plain, ...).")(func)
    func = click.option("--format", "output_format", type=click.Choice(FORMATS),
                        default="table", show_default=True, envvar="KUNDKIT_FORMAT",
                        show_envvar=True, help="Output format.")(func)
    return func


def json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=json_default)


_NUMBER = re.compile(r"^[+-]?\d[\d ]*([.,]\d+)?$")


def neutralise(cell: str) -> str:
    """Keep a spreadsheet from running a cell as a formula, without touching numbers."""
    if cell and cell[0] in "=+-@\t\r" and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ";".join(_plain(v) for v in value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return json.dumps(value, ensure_ascii=False, default=json_default, sort_keys=True)
    return str(value)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return _plain(value)


def write_csv(rows: Iterable[Mapping[str, Any]], keys: Sequence[str], stream: TextIO) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([neutralise(_plain(row.get(k))) for k in keys])


def table_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], style: str) -> str:
    """The rows as a table in tabulate's ``style``. The default style ("simple") is drawn here,
    the same to the character, without importing tabulate (which, with its imports, costs a
    command ~100 ms, and seconds over a report's ten thousand rows)."""
    headers = [_(c.header) if c.header else "" for c in columns]
    body = [[(c.show(row.get(c.key)) if c.show else _shown(row.get(c.key))) for c in columns]
            for row in rows]
    if style == "simple":
        drawn = _simple(headers, body, [c.align for c in columns])
        if drawn is not None:
            return drawn
    from tabulate import tabulate, tabulate_formats

    if style not in tabulate_formats:
        raise click.BadParameter(_("unknown table style '{style}'; choose one of: {styles}").format(
            style=style, styles=", ".join(sorted(tabulate_formats))), param_hint="--fmt")
    # An empty msgid would fetch the catalog's header entry, so empty headers stay empty; a table
    # with no headers at all gets no header line.
    return tabulate(body, headers=headers if any(headers) else (), tablefmt=style,
                    disable_numparse=True, colalign=[c.align for c in columns])


def _one_column_each(texts: Iterable[str]) -> bool:
    """Whether every character takes one column, as ``len`` counts (no wide or combining ones)."""
    import unicodedata

    seen = set("".join(texts))
    return all(ord(ch) < 0x300 or (not unicodedata.combining(ch)
                                   and unicodedata.east_asian_width(ch) not in "WF")
               for ch in seen) and all(ch.isprintable() for ch in seen)


def _simple(headers: list[str], body: list[list[str]], aligns: list[str]) -> str | None:
    """tabulate's "simple" style: cells without their surrounding spaces, each column as wide as
    its widest cell or its header plus two, two spaces apart, no spaces at the end of a line.
    None where tabulate's own care is needed (no rows, no headers, several lines in a cell, wide
    characters, an alignment other than left or right)."""
    if not body or not any(headers) or any(a not in ("left", "right") for a in aligns):
        return None
    body = [[cell.strip() for cell in line] for line in body]
    if any("\n" in cell for line in body for cell in line) or not _one_column_each(
            headers + [cell for line in body for cell in line]):
        return None
    widths = [max([len(h) + 2] + [len(line[i]) for line in body]) for i, h in enumerate(headers)]
    right = [a == "right" for a in aligns]

    def line(cells: list[str]) -> str:
        return "  ".join(cell.rjust(w) if r else cell.ljust(w)
                         for cell, w, r in zip(cells, widths, right)).rstrip()

    out = [line([h.strip() for h in headers]), "  ".join("-" * w for w in widths)]
    out.extend(line(cells) for cells in body)
    return "\n".join(out)


def render(rows: Iterable[Mapping[str, Any]], columns: Sequence[Column], *, output_format: str,
           table_style: str = "simple", stream: TextIO | None = None,
           empty: str | None = None) -> None:
    """Print a listing. JSON gets each whole record; table and CSV the given columns."""
    out = stream or sys.stdout
    if output_format == "csv":
        write_csv(rows, [c.key for c in columns], out)
        return
    materialised = list(rows)
    if output_format == "json":
        out.write(to_json(materialised) + "\n")
        return
    if not materialised and empty:
        click.echo(empty, err=True)
        return
    out.write(table_text(materialised, columns, table_style) + "\n")


def render_record(record: Mapping[str, Any], fields: Sequence[Column], *, output_format: str,
                  table_style: str = "plain", stream: TextIO | None = None) -> None:
    """Print one record: a two-column table for people, the object for scripts."""
    out = stream or sys.stdout
    if output_format == "json":
        out.write(to_json(record) + "\n")
    elif output_format == "csv":
        write_csv([record], [f.key for f in fields], out)
    else:
        rows = [{"field": _(f.header) if f.header else "", "value": (f.show(record.get(f.key)) if f.show
                                                  else _shown(record.get(f.key)))} for f in fields]
        plain = _plain_pairs(rows) if table_style == "plain" else None
        out.write((plain if plain is not None else
                   table_text(rows, [Column("field", ""), Column("value", "")], table_style)) + "\n")


def _plain_pairs(rows: Sequence[Mapping[str, str]]) -> str | None:
    """The two-column ``plain`` table exactly as tabulate draws it, without importing tabulate
    (which costs a 'show' command more than the rest of its work); None when a cell has
    characters wider than one column, which need tabulate's care. A cell of several lines goes on
    as tabulate does it: its lines under each other, the cell's ends trimmed, each line's inner
    indentation kept."""
    pairs = [(str(r["field"]).strip().split("\n"), str(r["value"]).strip().split("\n")) for r in rows]
    if not _one_column_each(line for f, v in pairs for line in f + v):
        return None
    width = max((len(line) for f, _v in pairs for line in f), default=0)
    out = []
    for field_lines, value_lines in pairs:
        for i in range(max(len(field_lines), len(value_lines))):
            f = field_lines[i] if i < len(field_lines) else ""
            v = value_lines[i] if i < len(value_lines) else ""
            out.append(f"{f.ljust(width)}  {v}".rstrip())
    return "\n".join(out)


class Progress:
    """Progress of a batch on stderr: a counter that redraws in place at a terminal, and a line per
    step of 10 % otherwise (so logs stay short)."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.done = 0
        self._tty = self.stream.isatty()
        self._last_step = -1

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.total:
            return
        step = self.done * 10 // self.total
        if self._tty:
            self.stream.write(f"\r{self.label}: {self.done}/{self.total}")
            self.stream.flush()
        elif step != self._last_step:
            self._last_step = step
            self.stream.write(f"{self.label}: {self.done}/{self.total}\n")

    def close(self) -> None:
        if self._tty and self.total:
            self.stream.write("\n")


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def as_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], style: str = "simple") -> str:
    buffer = io.StringIO()
    render(rows, columns, output_format="table", table_style=style, stream=buffer)
    return buffer.getvalue()
