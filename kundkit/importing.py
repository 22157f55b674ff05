"""Importing rows from CSV or JSON files: all rows checked first, every bad row reported with its
line number, then all committed or nothing.

Any area's import uses it the same way::

    def check(tx, row, problems):          # called once per row, in file order
        if not row.values.get("sku"):
            problems.add("sku", _("a value is needed"))
            return None
        return {...}                        # what commit() gets for this row

    def commit(tx, items):                  # [(row, value)], only when no row had a problem
        tx.table("things").insert_multiple(value for _row, value in items)

    result = import_rows(ctx, path, check=check, commit=commit, known=FIELDS, dry_run=dry_run)

Problems are raised together as a :class:`~kundkit.errors.ProblemsError` of
``file:line:col: field: message`` (the column is the field's column in a CSV file). The check
runs inside the write transaction, so it sees exactly the state the commit will change.

CSV files may be written by a spreadsheet: UTF-8 with or without a byte-order mark, separated by
``,`` or ``;`` (Swedish Excel) or tabs. Cells that a spreadsheet would run as formulas are written
with a leading apostrophe by :func:`protect_cell`, and :func:`unprotect_cell` takes it off again, so
export → import gives back exactly what was exported.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from kundkit.errors import Problem, ProblemsError, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

T = TypeVar("T")
FORMATS = ("csv", "json")

# The same rule as the command line's renderer: a cell that starts like a formula is one, unless
# it is a plain number such as +46701234567 or -12,50.
_TRIGGERS = "=+-@\t\r"
_NUMBER = re.compile(r"^[+-]?\d[\d ]*([.,]\d+)?$")


def _formula_like(cell: str) -> bool:
    return bool(cell) and cell[0] in _TRIGGERS and not _NUMBER.match(cell)


def _needs_quote(cell: str) -> bool:
    return _formula_like(cell) or (cell.startswith("'") and _needs_quote(cell[1:]))


def protect_cell(cell: str) -> str:
    """A cell safe to open in a spreadsheet: ``=SUM(A1)`` → ``'=SUM(A1)``; ``+46701234567`` stays.

    A value that already starts with an apostrophe before a formula gets one more, so that
    :func:`unprotect_cell` can always give back the original."""
    return "'" + cell if _needs_quote(cell) else cell


def unprotect_cell(cell: str) -> str:
    """The inverse of :func:`protect_cell`."""
    return cell[1:] if cell.startswith("'") and _needs_quote(cell[1:]) else cell


@dataclass
class Row:
    """One record of an import file: where it starts, and its values by column name."""

    line: int
    values: dict[str, Any]
    columns: dict[str, int] = field(default_factory=dict)  # column name → 1-based column (CSV)


class RowProblems:
    """The problems of one row, collected by the check function."""

    def __init__(self, file: str, row: Row) -> None:
        self.file, self.row = file, row
        self.items: list[Problem] = []

    def add(self, field_name: str | None, message: str) -> None:
        """Report that ``field_name`` of this row is wrong (None: the row as a whole)."""
        col = self.row.columns.get(field_name or "", 1)
        text = message
        if field_name and not message.startswith(f"{field_name}:"):
            text = f"{field_name}: {message}"
        self.items.append(Problem(self.file, self.row.line, col, text))

    def add_error(self, error: ValidationError, default_field: str | None = None) -> None:
        self.add(error.field or default_field, error.message)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass
class ImportResult(Generic[T]):
    rows: int
    imported: int
    dry_run: bool
    items: list[tuple[Row, T]]


def detect_format(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise ValidationError(_("unknown file format '{fmt}'; use csv or json").format(fmt=given),
                                  field="format")
        return given
    suffix = path.suffix.lower().lstrip(".")
    if suffix in FORMATS:
        return suffix
    try:
        head = path.read_text(encoding="utf-8-sig")[:200].lstrip()
    except (OSError, UnicodeDecodeError):
        head = ""
    return "json" if head.startswith(("[", "{")) else "csv"


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValidationError(_("{file}: no such file").format(file=path), field="file") from None
    except UnicodeDecodeError as exc:
        raise ProblemsError([Problem(str(path), path.read_bytes()[:exc.start].count(b"\n") + 1, 1,
                                     _("the file is not UTF-8 text (save it as CSV UTF-8)"))]) from None
    except OSError as exc:
        raise ValidationError(_("{file}: cannot read it ({reason})").format(
            file=path, reason=exc.strerror or exc), field="file") from None


def guess_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(text: str, file: str, known: Sequence[str] | None = None) -> list[Row]:
    """Rows of a CSV text with a header line; unknown or repeated columns are problems."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=guess_delimiter(first_line))
    try:
        header = next(reader)
    except StopIteration:
        raise ProblemsError([Problem(file, 1, 1, _("the file is empty; the first line must name the "
                                                   "columns"))]) from None
    names = [h.strip().lstrip("\ufeff") for h in header]
    problems: list[Problem] = []
    seen: set[str] = set()
    for col, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            problems.append(Problem(file, 1, col, _("column '{name}' appears twice").format(name=name)))
        seen.add(name)
        if known is not None and name not in known:
            problems.append(Problem(file, 1, col, _("unknown column '{name}'; the columns are: "
                                                    "{known}").format(name=name, known=", ".join(known))))
    if problems:
        raise ProblemsError(problems)
    columns = {name: col for col, name in enumerate(names, start=1) if name}
    rows: list[Row] = []
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                extra = [c for c in cells[len(names):] if c.strip()]
                if extra:
                    raise ProblemsError([Problem(file, line, len(names) + 1, _(
                        "the row has {n} cells but the header names {m} columns").format(
                        n=len(cells), m=len(names)))])
            values = {name: unprotect_cell(cells[i]) if i < len(cells) else ""
                      for i, name in enumerate(names) if name}
            rows.append(Row(line, values, columns))
    except csv.Error as exc:
        raise ProblemsError([Problem(file, reader.line_num, 1, _("not valid CSV: {reason}").format(
            reason=exc))]) from None
    return rows


def read_json(text: str, file: str, known: Sequence[str] | None = None) -> list[Row]:
    """Rows of a JSON array of objects, each with the line where it starts."""
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise ProblemsError([Problem(file, _line(text, pos), 1, _("expected a JSON array of objects "
                                                                  "([{...}, ...])"))])
    pos = _skip(text, pos + 1)
    rows: list[Row] = []
    line, line_pos = 1, 0
    while pos < len(text) and text[pos] != "]":
        line += text.count("\n", line_pos, pos)
        line_pos = pos
        try:
            value, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise ProblemsError([Problem(file, exc.lineno, exc.colno, _("not valid JSON: {reason}").format(
                reason=exc.msg))]) from None
        if not isinstance(value, dict):
            raise ProblemsError([Problem(file, line, 1, _("each item must be an object ({...})"))])
        unknown = [k for k in value if known is not None and k not in known]
        if unknown:
            raise ProblemsError([Problem(file, line, 1, _("unknown field '{name}'; the fields are: "
                                                          "{known}").format(name=unknown[0],
                                                                            known=", ".join(known or [])))])
        rows.append(Row(line, value))
        pos = _skip(text, end)
        if pos < len(text) and text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            raise ProblemsError([Problem(file, _line(text, pos), 1, _("not valid JSON: expected ',' or ']'"))])
    if pos >= len(text):
        raise ProblemsError([Problem(file, _line(text, pos), 1, _("not valid JSON: the array is not closed"))])
    return rows


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def read_rows(path: Path, *, fmt: str | None = None, known: Sequence[str] | None = None) -> list[Row]:
    """The rows of a CSV or JSON file (format from ``fmt``, else the suffix, else the content)."""
    kind = detect_format(path, fmt)
    text = read_text(path)
    return read_json(text, str(path), known) if kind == "json" else read_csv(text, str(path), known)


class _DryRun(Exception):
    """Leaves the transaction without committing it."""


def import_rows(ctx: Context, path: Path, *,
                check: Callable[[Transaction, Row, RowProblems], T | None],
                commit: Callable[[Transaction, list[tuple[Row, T]]], None],
                known: Sequence[str] | None = None, fmt: str | None = None,
                dry_run: bool = False, progress: Callable[[int, int], None] | None = None) -> ImportResult[T]:
    """Read ``path``, check every row in one write transaction, and commit them all, or nothing.

    :param check: called for each row; reports problems through ``problems.add(field, message)``
        (or by raising :class:`ValidationError`) and returns what :param:`commit` needs.
    :param commit: writes the checked rows; called only when no row had a problem and not a dry run.
    :param progress: called with (rows checked so far, all rows), now and then.
    :raises ProblemsError: every problem of every bad row, in file order; nothing is written.
    """
    rows = read_rows(path, fmt=fmt, known=known)
    file = str(path)
    result: ImportResult[T] = ImportResult(len(rows), 0, dry_run, [])
    try:
        with ctx.store.transaction() as tx:
            problems: list[Problem] = []
            for n, row in enumerate(rows, start=1):
                collector = RowProblems(file, row)
                try:
                    value = check(tx, row, collector)
                except ValidationError as exc:
                    collector.add_error(exc)
                    value = None
                if collector:
                    problems.extend(collector.items)
                elif value is not None:
                    result.items.append((row, value))
                if progress and (n % 500 == 0 or n == len(rows)):
                    progress(n, len(rows))
            if problems:
                raise ProblemsError(problems)
            if dry_run:
                raise _DryRun
            commit(tx, result.items)
            result.imported = len(result.items)
    except _DryRun:
        pass
    return result


def rows_to_csv(rows: Iterable[Mapping[str, Any]], keys: Sequence[str], stream: io.TextIOBase | Any,
                cell: Callable[[str, Any], str]) -> None:
    """Write rows as CSV, each value made text by ``cell(key, value)`` and protected from
    spreadsheets running it as a formula."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([protect_cell(cell(k, row.get(k))) for k in keys])
