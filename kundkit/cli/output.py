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
    from tabulate import tabulate, tabulate_formats

    if style not in tabulate_formats:
        raise click.BadParameter(_("unknown table style '{style}'; choose one of: {styles}").format(
            style=style, styles=", ".join(sorted(tabulate_formats))), param_hint="--fmt")
    body = [[(c.show(row.get(c.key)) if c.show else _shown(row.get(c.key))) for c in columns]
            for row in rows]
    # An empty msgid would fetch the catalog's header entry, so empty headers stay empty; a table
    # with no headers at all gets no header line.
    headers = [_(c.header) if c.header else "" for c in columns]
    return tabulate(body, headers=headers if any(headers) else (), tablefmt=style,
                    disable_numparse=True, colalign=[c.align for c in columns])


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
    (which costs a 'show' command more than the rest of its work); None when a cell needs
    tabulate's care (several lines, or characters wider than one column)."""
    import unicodedata

    pairs = [(str(r["field"]).strip(), str(r["value"]).strip()) for r in rows]
    for field_text, value in pairs:
        for text in (field_text, value):
            if "\n" in text or any(unicodedata.east_asian_width(c) in "WF" or unicodedata.combining(c)
                                   for c in text if ord(c) > 0x2FF):
                return None
    width = max((len(f) for f, _v in pairs), default=0)
    return "\n".join(f"{f.ljust(width)}  {v}".rstrip() for f, v in pairs)


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
