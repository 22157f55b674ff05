"""Audit checklists: what a manager checks against a standard, how it is scored, the total.

Each item of a checklist section (for a service standard: competencies, workplace, dress code and
premises) becomes a checklist item. An item is scored 0, 1 or 2 (``scale``: not met, partly met,
met) or yes/no (``yes-no``), or ``n/a`` when it does not apply (a branch without a workshop).
The total is the weighted share of the points possible, in per cent, over the items that apply.

Scores can be typed in, or read from a YAML or CSV file; every mistake in the file is reported at
its line and column, all in one go.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from kundkit.errors import Problem, ProblemsError, ValidationError
from kundkit.i18n import _
from kundkit.standards.documents import KindRegistry, StandardDocument

SCALE, YES_NO = "scale", "yes-no"
NOT_APPLICABLE = ("n/a", "na", "-")
_YES = ("yes", "y", "ja", "j", "true", "1")
_NO = ("no", "n", "nej", "false", "0")
PERCENT = Decimal("0.1")

Score = int | None


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    section: str
    section_title: str
    text: str
    scoring: str = SCALE
    weight: int = 1

    @property
    def max_points(self) -> int:
        return 2 if self.scoring == SCALE else 1

    def allowed(self) -> str:
        """The scores this item accepts, as a person would type them."""
        return _("0, 1, 2 or n/a") if self.scoring == SCALE else _("yes, no or n/a")


def checklist(document: StandardDocument, registry: KindRegistry | None = None) -> list[ChecklistItem]:
    """The audit checklist of ``document``, in the order its items are written."""
    kind = (registry or KindRegistry()).get(document.kind)
    items = []
    for section_name, item in document.items():
        if kind is not None and not kind.audits_section(section_name):
            continue
        if item.get("audit") is False:
            continue
        items.append(ChecklistItem(item["id"], section_name, document.sections[section_name]["title"],
                                   item["text"], item.get("scoring", SCALE), item.get("weight", 1)))
    return items


def parse_score(item: ChecklistItem, value: Any) -> Score:
    """A score as written (``2``, ``"yes"``, ``True``, ``"n/a"``) → points, or None for n/a.

    Raises :class:`ValidationError` naming the item and the scores it accepts.
    """
    text = str(value).strip().casefold() if not isinstance(value, bool) else None
    if text in NOT_APPLICABLE:
        return None
    if item.scoring == YES_NO:
        if value is True or text in _YES:
            return 1
        if value is False or text in _NO:
            return 0
    elif not isinstance(value, bool) and text in ("0", "1", "2"):
        return int(text)
    raise ValidationError(_("'{value}' is not a score for '{item}' ({allowed})").format(
        value=value, item=item.id, allowed=item.allowed()), field=item.id)


def format_score(item: ChecklistItem, score: Score) -> str:
    if score is None:
        return "n/a"
    if item.scoring == YES_NO:
        return _("yes") if score else _("no")
    return str(score)


@dataclass
class AuditResult:
    """One audit of one staff member against one document."""

    document: str
    version: str
    language: str
    staff: str
    at: datetime
    scores: dict[str, Score]
    percent: Decimal
    points: Decimal
    possible: Decimal
    auditor: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    id: str | None = None

    def as_record(self) -> dict[str, Any]:
        """The audit as stored: Decimals as strings, the time as ISO 8601 with its offset."""
        return {
            "document": self.document, "version": self.version, "language": self.language,
            "staff": self.staff, "auditor": self.auditor, "at": self.at.isoformat(),
            "scores": dict(self.scores), "notes": dict(self.notes),
            "percent": str(self.percent), "points": str(self.points),
            "possible": str(self.possible),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], record_id: str | None = None) -> AuditResult:
        return cls(
            document=record["document"], version=record["version"], language=record["language"],
            staff=record["staff"], at=datetime.fromisoformat(record["at"]),
            scores=dict(record["scores"]), percent=Decimal(record["percent"]),
            points=Decimal(record["points"]), possible=Decimal(record["possible"]),
            auditor=record.get("auditor"), notes=dict(record.get("notes") or {}),
            id=record_id if record_id is not None else record.get("id"),
        )


def score_audit(document: StandardDocument, items: list[ChecklistItem], scores: dict[str, Score], *,
                staff: str, at: datetime, auditor: str | None = None,
                notes: dict[str, str] | None = None) -> AuditResult:
    """Total the scores of every item of ``items``; each item must have a score (or n/a)."""
    if at.tzinfo is None:
        raise ValidationError(_("the audit time must include a time zone"), field="at")
    by_id = {item.id: item for item in items}
    unknown = [key for key in scores if key not in by_id]
    if unknown:
        raise ValidationError(_("unknown checklist item '{item}'").format(item=unknown[0]),
                              field=unknown[0])
    missing = [item.id for item in items if item.id not in scores]
    if missing:
        raise ValidationError(_("no score for '{item}'").format(item=missing[0]), field=missing[0])
    points = possible = Decimal(0)
    for item in items:
        score = scores[item.id]
        if score is None:
            continue
        if not 0 <= score <= item.max_points:
            raise ValidationError(_("'{value}' is not a score for '{item}' ({allowed})").format(
                value=score, item=item.id, allowed=item.allowed()), field=item.id)
        # Each item counts by its weight whatever its scale: a yes counts as much as a 2.
        points += Decimal(item.weight) * Decimal(score) / Decimal(item.max_points)
        possible += Decimal(item.weight)
    if possible == 0:
        raise ValidationError(_("every item is n/a: there is nothing to score"))
    percent = (points * 100 / possible).quantize(PERCENT, rounding=ROUND_HALF_UP)
    return AuditResult(document.id, document.version, document.language, staff, at,
                       {item.id: scores[item.id] for item in items}, percent,
                       points.quantize(Decimal("0.01")), possible, auditor, dict(notes or {}))


# --- reading scores from a file -----------------------------------------------------------------

def read_scores(path: Path, items: list[ChecklistItem], display: str | None = None
                ) -> tuple[dict[str, Score], dict[str, str]]:
    """Scores and notes from a YAML or CSV file (by its suffix).

    YAML: a mapping ``item-id: score`` (or ``item-id: {score: 1, note: "..."}``).
    CSV: a header ``item,score[,note]`` (``;`` also works, as spreadsheets in Sweden write it).
    Raises :class:`ProblemsError` with every problem, each at its line and column.
    """
    name = display or str(path)
    if path.suffix.lower() == ".csv":
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ProblemsError([Problem(name, 1, 1, _("cannot read the file: {reason}").format(
                reason=exc))]) from None
        return _scores_from_csv(text, name, items)
    from kundkit.yamldoc import load_yaml

    return _scores_from_yaml(load_yaml(path, name), items)


def _unknown(item_id: Any, items: dict[str, ChecklistItem]) -> str:
    message = _("unknown checklist item '{item}'").format(item=item_id)
    hint = difflib.get_close_matches(str(item_id), list(items), n=1)
    return message + (" " + _("(did you mean '{hint}'?)").format(hint=hint[0]) if hint else "")


def _scores_from_yaml(doc: Any, items: list[ChecklistItem]) -> tuple[dict[str, Score], dict[str, str]]:
    by_id = {item.id: item for item in items}
    problems: list[Problem] = []
    scores: dict[str, Score] = {}
    notes: dict[str, str] = {}
    if not isinstance(doc.data, dict):
        raise ProblemsError([doc.problem((), _("expected a mapping of checklist item to score"))])
    for key, value in doc.data.items():
        if key not in by_id:
            problems.append(doc.problem((key,), _unknown(key, by_id), key=True))
            continue
        where = (key,)
        if isinstance(value, dict):
            if isinstance(value.get("note"), str):
                notes[key] = value["note"]
            extra = [k for k in value if k not in ("score", "note")]
            if extra:
                problems.append(doc.problem((key, extra[0]), _("unknown key '{key}' (allowed here: "
                                                               "note, score)").format(key=extra[0]),
                                            key=True))
            where, value = (key, "score"), value.get("score")
        if value is None:
            problems.append(doc.problem(where, _("no score for '{item}'").format(item=key),
                                        key=True))
            continue
        try:
            scores[key] = parse_score(by_id[key], value)
        except ValidationError as exc:
            problems.append(doc.problem(where, str(exc)))
    problems += [Problem(doc.file, 1, 1, _("no score for '{item}'").format(item=item.id))
                 for item in items if item.id not in scores and item.id not in doc.data]
    if problems:
        raise ProblemsError(problems)
    return scores, notes


def _field_columns(line: str, delimiter: str) -> list[int]:
    """1-based column where each field of a CSV line starts (quotes respected)."""
    columns = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            columns.append(index + 2)
    return columns


def _scores_from_csv(text: str, name: str, items: list[ChecklistItem]
                     ) -> tuple[dict[str, Score], dict[str, str]]:
    import csv

    by_id = {item.id: item for item in items}
    lines = text.splitlines()
    if not lines:
        raise ProblemsError([Problem(name, 1, 1, _("the file is empty; expected a header "
                                                   "'item,score,note'"))])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    header = [cell.strip().casefold() for cell in next(csv.reader([lines[0]], delimiter=delimiter))]
    if "item" not in header or "score" not in header:
        raise ProblemsError([Problem(name, 1, 1, _("the header must name the columns 'item' and "
                                                   "'score' (and optionally 'note')"))])
    item_at, score_at = header.index("item"), header.index("score")
    note_at = header.index("note") if "note" in header else None
    problems: list[Problem] = []
    scores: dict[str, Score] = {}
    notes: dict[str, str] = {}
    first_line: dict[str, int] = {}
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=delimiter))
        columns = _field_columns(line, delimiter)
        cells += [""] * (len(header) - len(cells))
        item_id, raw = cells[item_at].strip(), cells[score_at].strip()
        if item_id not in by_id:
            problems.append(Problem(name, number, columns[item_at], _unknown(item_id, by_id)))
            continue
        if item_id in first_line:
            problems.append(Problem(name, number, columns[item_at], _(
                "'{item}' is scored twice (first on line {line})").format(
                item=item_id, line=first_line[item_id])))
            continue
        first_line[item_id] = number
        score_column = columns[score_at] if score_at < len(columns) else len(line) + 1
        if not raw:
            problems.append(Problem(name, number, score_column,
                                    _("no score for '{item}'").format(item=item_id)))
            continue
        try:
            scores[item_id] = parse_score(by_id[item_id], raw)
        except ValidationError as exc:
            problems.append(Problem(name, number, score_column, str(exc)))
        if note_at is not None and cells[note_at].strip():
            notes[item_id] = cells[note_at].strip()
    problems += [Problem(name, 1, 1, _("no score for '{item}'").format(item=item.id))
                 for item in items if item.id not in first_line]
    if problems:
        raise ProblemsError(problems)
    return scores, notes


def scores_template(items: list[ChecklistItem]) -> str:
    """A YAML file to fill in: every item, its text as a comment, the score left empty."""
    lines: list[str] = []
    section = None
    for item in items:
        if item.section != section:
            if lines:
                lines.append("")
            section = item.section
            lines.append(f"# {item.section_title}")
        lines.append(f"# {item.text} ({item.allowed()})")
        lines.append(f"{item.id}:")
    return "\n".join(lines) + "\n"
