"""A workflow run once per row of a CSV file (``workflow run NAME --input FILE.csv``).

The columns are the workflow's inputs (and answers to its ``ask`` steps) by name; values given with
``--set`` apply to every row unless the row has its own. Every row is checked before any runs, and
a row with a bad or missing value does not run: it is reported with its line number, like every
row whose run fails. The rows that can run, run, each as a run of its own.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import KundkitError, UsageError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.workflows.model import Workflow


@dataclass
class RowResult:
    """The outcome of one row: ``status`` is a run's status, or ``invalid`` (it did not run)."""

    line: int
    status: str
    run: str | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "status": self.status, "run": self.run, "error": self.error}


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows with their line numbers (``,`` or ``;`` separated, UTF-8)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(_("{file}: no such file").format(file=path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(_("{file}: cannot read it as UTF-8 text ({reason})").format(
            file=path, reason=exc)) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(text.splitlines(), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise UsageError(_("{file}: the file is empty").format(file=path)) from None
    rows = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            rows.append((line, {"\0extra": str(len(row))}))
            continue
        rows.append((line, {name: row[i] if i < len(row) else "" for i, name in enumerate(header)}))
    return header, rows


def run_batch(ctx: Context, workflow: Workflow, path: Path, fixed: Mapping[str, Any], *,
              dry_run: bool = False,
              progress: Callable[[RowResult], None] | None = None) -> list[RowResult]:
    """Check every row, then run the good ones. Returns one result per row, in file order."""
    from kundkit.workflows.engine import Engine
    from kundkit.workflows.prepare import check_given, split_given

    header, rows = read_rows(path)
    split_given(workflow, {name: "" for name in header})  # an unknown column stops the batch
    results: dict[int, RowResult] = {}
    runnable: list[tuple[int, dict[str, Any]]] = []
    with ctx.store.read() as tx:
        for line, row in rows:
            if "\0extra" in row:
                results[line] = RowResult(line, "invalid", error=_(
                    "the row has {n} cells, the header {m}").format(n=row["\0extra"], m=len(header)))
                continue
            given = {**fixed, **{k: v for k, v in row.items() if v.strip()}}
            checked = check_given(ctx, tx, workflow, given)
            problems = [message for _name, message in checked.problems]
            problems += [_("{name}: a value is needed").format(name=spec.name)
                         for spec in checked.missing]
            if problems:
                results[line] = RowResult(line, "invalid", error="; ".join(problems))
            else:
                runnable.append((line, given))
    for line, result in sorted(results.items()):
        if progress:
            progress(result)
    for line, given in runnable:
        engine = Engine(ctx, dry_run=dry_run)
        try:
            run = engine.start(workflow, given, trigger={"type": "batch", "file": path.name,
                                                          "line": line})
            result = RowResult(line, run["status"], run["id"], run.get("error"))
        except KundkitError as exc:
            result = RowResult(line, "failed", None, exc.message)
        results[line] = result
        if progress:
            progress(result)
    return [results[line] for line in sorted(results)]
