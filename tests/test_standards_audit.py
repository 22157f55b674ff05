"""Audit checklists: derived from a document, scored, read from files, stored and read back."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from kundkit.errors import NotFound, ProblemsError, ValidationError
from kundkit.standards.audit import (
    ChecklistItem,
    checklist,
    parse_score,
    read_scores,
    score_audit,
    scores_template,
)
from kundkit.standards.documents import StandardDocument, load_checked

REPO = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "data" / "standards" / "valid" / "minimal-standard.yaml"
AT = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def minimal() -> StandardDocument:
    return load_checked([MINIMAL]).find("minimal")


@pytest.fixture
def items(minimal: StandardDocument) -> list[ChecklistItem]:
    return checklist(minimal)


def test_checklist_takes_the_items_of_the_checklist_sections(items: list[ChecklistItem]) -> None:
    assert [(i.section, i.id, i.scoring, i.weight) for i in items] == [
        ("competencies", "knows-range", "scale", 1),
        ("competencies", "english", "yes-no", 1),
        ("workplace", "tidy", "scale", 3),
        ("dress-code", "badge", "yes-no", 1),
        ("premises", "lighting", "scale", 1),
    ]


def test_shipped_service_standard_checklist_covers_four_sections_in_both_languages() -> None:
    library = load_checked([REPO / "standards"])
    swedish = checklist(library.find("service-standard", "sv"))
    english = checklist(library.find("service-standard", "en"))
    assert [i.id for i in swedish] == [i.id for i in english]
    assert {i.section for i in swedish} == {"competencies", "workplace", "dress-code", "premises"}
    assert len(swedish) == 24
    card = checklist(library.find("sales-card-service-agreement", "en"))
    assert {i.section for i in card} == {"needs", "arguments", "closing"}
    instruction = checklist(library.find("workshop-intake", "en"))
    assert {i.section for i in instruction} == {"intake", "pickup"}


def test_weighted_percent_over_the_items_that_apply(minimal: StandardDocument,
                                                    items: list[ChecklistItem]) -> None:
    # knows-range 2/2, english yes, tidy 1/2 with weight 3, badge no, lighting does not apply:
    # (1 + 1 + 3 * 0.5 + 0) / (1 + 1 + 3 + 1) = 3.5 / 6 = 58.33...
    result = score_audit(minimal, items, {"knows-range": 2, "english": 1, "tidy": 1, "badge": 0,
                                          "lighting": None}, staff="anna", at=AT, auditor="erik")
    assert result.percent == Decimal("58.3")
    assert (result.points, result.possible) == (Decimal("3.50"), Decimal("6"))
    everything = score_audit(minimal, items, {"knows-range": 2, "english": 1, "tidy": 2,
                                              "badge": 1, "lighting": 2}, staff="anna", at=AT)
    assert everything.percent == Decimal("100.0")


def test_percent_rounds_half_up() -> None:
    document = load_checked([MINIMAL]).find("minimal")
    items = [ChecklistItem(f"i{n}", "s", "S", "t") for n in range(8)]
    scores = {f"i{n}": 2 for n in range(8)} | {"i0": 1}  # 15/16 = 93.75 %
    assert score_audit(document, items, scores, staff="a", at=AT).percent == Decimal("93.8")


def test_scoring_refuses_gaps_strangers_and_naive_times(minimal: StandardDocument,
                                                        items: list[ChecklistItem]) -> None:
    full = {"knows-range": 2, "english": 1, "tidy": 1, "badge": 0, "lighting": 2}
    with pytest.raises(ValidationError, match="no score for 'badge'"):
        score_audit(minimal, items, {k: v for k, v in full.items() if k != "badge"}, staff="a", at=AT)
    with pytest.raises(ValidationError, match="unknown checklist item 'smile'"):
        score_audit(minimal, items, full | {"smile": 2}, staff="a", at=AT)
    with pytest.raises(ValidationError, match=r"'2' is not a score for 'english' \(yes, no or n/a\)"):
        score_audit(minimal, items, full | {"english": 2}, staff="a", at=AT)
    with pytest.raises(ValidationError, match="time zone"):
        score_audit(minimal, items, full, staff="a", at=datetime(2026, 11, 20, 10, 0))
    with pytest.raises(ValidationError, match="every item is n/a"):
        score_audit(minimal, items, dict.fromkeys(full), staff="a", at=AT)


@pytest.mark.parametrize(("scoring", "written", "points"), [
    ("scale", 2, 2), ("scale", "1", 1), ("scale", " 0 ", 0), ("scale", "n/a", None),
    ("scale", "N/A", None), ("yes-no", True, 1), ("yes-no", False, 0), ("yes-no", "ja", 1),
    ("yes-no", "Nej", 0), ("yes-no", "yes", 1), ("yes-no", "na", None),
])
def test_scores_as_people_write_them(scoring: str, written: object, points: int | None) -> None:
    assert parse_score(ChecklistItem("x", "s", "S", "t", scoring), written) == points


@pytest.mark.parametrize(("scoring", "written"), [("scale", 3), ("scale", True), ("scale", "yes"),
                                                  ("scale", 1.5), ("yes-no", 2), ("yes-no", "maybe")])
def test_scores_that_do_not_fit_the_item(scoring: str, written: object) -> None:
    with pytest.raises(ValidationError, match="is not a score for 'x'"):
        parse_score(ChecklistItem("x", "s", "S", "t", scoring), written)


def test_scores_from_yaml_with_notes(tmp_path: Path, items: list[ChecklistItem]) -> None:
    path = tmp_path / "scores.yaml"
    path.write_text("knows-range: 2\nenglish: yes\ntidy:\n  score: 1\n  note: Papers on the counter\n"
                    "badge: no\nlighting: n/a\n", encoding="utf-8")
    scores, notes = read_scores(path, items)
    assert scores == {"knows-range": 2, "english": 1, "tidy": 1, "badge": 0, "lighting": None}
    assert notes == {"tidy": "Papers on the counter"}


def test_every_mistake_in_a_yaml_scores_file_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        items: list[ChecklistItem]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("scores.yaml").write_text(
        "knows-range: 3\nenglsh: yes\ntidy:\n  score: 1\n  remark: x\nbadge:\nlighting: maybe\n",
        encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_scores(Path("scores.yaml"), items)
    assert [str(p) for p in caught.value.problems] == [
        "scores.yaml:1:1: no score for 'english'",
        "scores.yaml:1:14: '3' is not a score for 'knows-range' (0, 1, 2 or n/a)",
        "scores.yaml:2:1: unknown checklist item 'englsh' (did you mean 'english'?)",
        "scores.yaml:5:3: unknown key 'remark' (allowed here: note, score)",
        "scores.yaml:6:1: no score for 'badge'",
        "scores.yaml:7:11: 'maybe' is not a score for 'lighting' (0, 1, 2 or n/a)",
    ]


def test_scores_from_csv_with_semicolons_as_a_swedish_spreadsheet_writes_them(
        tmp_path: Path, items: list[ChecklistItem]) -> None:
    path = tmp_path / "scores.csv"
    path.write_text("\ufeffitem;score;note\nknows-range;2;\nenglish;ja;\ntidy;1;\"Papper; kartonger\"\n"
                    "badge;nej;\nlighting;n/a;\n", encoding="utf-8")
    scores, notes = read_scores(path, items)
    assert scores == {"knows-range": 2, "english": 1, "tidy": 1, "badge": 0, "lighting": None}
    assert notes == {"tidy": "Papper; kartonger"}


def test_every_mistake_in_a_csv_scores_file_is_located(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       items: list[ChecklistItem]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("scores.csv").write_text(
        "item,score,note\nknows-range,2,\n\"tidy\",7,too high\nenglish,,\nbadge,yes,\n"
        "knows-range,1,again\nlightning,2,\n", encoding="utf-8")
    with pytest.raises(ProblemsError) as caught:
        read_scores(Path("scores.csv"), items)
    assert [str(p) for p in caught.value.problems] == [
        "scores.csv:1:1: no score for 'lighting'",
        "scores.csv:3:8: '7' is not a score for 'tidy' (0, 1, 2 or n/a)",
        "scores.csv:4:9: no score for 'english'",
        "scores.csv:6:1: 'knows-range' is scored twice (first on line 2)",
        "scores.csv:7:1: unknown checklist item 'lightning' (did you mean 'lighting'?)",
    ]
    Path("bad-header.csv").write_text("what,how\n", encoding="utf-8")
    with pytest.raises(ProblemsError, match="bad-header.csv:1:1: the header must name the columns "
                                            "'item' and 'score'"):
        read_scores(Path("bad-header.csv"), items)


def test_the_template_lists_every_item_and_reads_back_once_filled(
        tmp_path: Path, items: list[ChecklistItem]) -> None:
    template = scores_template(items)
    assert template.splitlines()[:5] == ["# Competencies", "# Knows the range. (0, 1, 2 or n/a)",
                                         "knows-range:", "# Speaks English. (yes, no or n/a)",
                                         "english:"]
    filled = template.replace("knows-range:", "knows-range: 2").replace("english:", "english: no") \
        .replace("tidy:", "tidy: 2").replace("badge:", "badge: yes").replace("lighting:", "lighting: 1")
    path = tmp_path / "filled.yaml"
    path.write_text(filled, encoding="utf-8")
    scores, _notes = read_scores(path, items)
    assert scores == {"knows-range": 2, "english": 0, "tidy": 2, "badge": 1, "lighting": 1}


# -- stored audits: a real store in a business folder ------------------------------------------

@pytest.fixture
def ctx(business: Path):  # type: ignore[no-untyped-def]
    from kundkit.context import Context
    from kundkit.staff import create_staff

    context = Context(actor="erik", now=AT)
    with context.store.transaction() as tx:
        create_staff(context, tx, staff_id="anna", name="Anna Lind")
        create_staff(context, tx, staff_id="erik", name="Erik Berg")
    return context


def test_audit_round_trip_through_the_store(ctx, minimal: StandardDocument,  # type: ignore[no-untyped-def]
                                            items: list[ChecklistItem]) -> None:
    from kundkit.standards.audit_store import (
        audit_history,
        latest_audit_score,
        list_audits,
        save_audit,
    )

    assert latest_audit_score(ctx, "anna") is None
    first = score_audit(minimal, items, {"knows-range": 1, "english": 1, "tidy": 1, "badge": 0,
                                         "lighting": 2}, staff="Anna", at=AT, auditor="erik",
                        notes={"badge": "Forgot it at home"})
    saved = save_audit(ctx, first)
    assert saved.id == "SA1" and saved.staff == "anna"
    later = score_audit(minimal, items, {"knows-range": 2, "english": 1, "tidy": 2, "badge": 1,
                                         "lighting": None}, staff="anna", at=AT + timedelta(days=90))
    assert save_audit(ctx, later).id == "SA2"
    stored = list_audits(ctx, staff="anna")
    assert [(a.id, a.percent) for a in stored] == [("SA1", Decimal("57.1")), ("SA2", Decimal("100.0"))]
    assert stored[0].scores == {"knows-range": 1, "english": 1, "tidy": 1, "badge": 0, "lighting": 2}
    assert stored[0].notes == {"badge": "Forgot it at home"} and stored[0].at == AT
    assert isinstance(stored[0].percent, Decimal)
    assert latest_audit_score(ctx, "anna") == Decimal("100.0")
    assert latest_audit_score(ctx, "anna", document="other") is None
    assert latest_audit_score(ctx, "erik") is None
    # Inside a transaction (an incentive run), the caller's transaction is used.
    with ctx.store.transaction() as tx:
        assert latest_audit_score(ctx, "anna", tx=tx) == Decimal("100.0")
    history = audit_history(ctx)
    assert [(row["id"], row["change"]) for row in history] == [("SA1", None), ("SA2", Decimal("42.9"))]
    # Kept as strings in the store, never as floats.
    with ctx.store.read() as rx:
        raw = rx.raw("standard_audits")["1"]
    assert raw["percent"] == "57.1" and raw["at"] == "2026-11-20T10:00:00+01:00"


def test_an_audit_of_someone_who_is_not_on_the_staff_is_refused(
        ctx, minimal: StandardDocument, items: list[ChecklistItem]) -> None:  # type: ignore[no-untyped-def]
    from kundkit.standards.audit_store import list_audits, save_audit

    result = score_audit(minimal, items, dict.fromkeys([i.id for i in items], 2) | {"english": 1,
                                                                                    "badge": 1},
                         staff="nobody", at=AT)
    with pytest.raises(NotFound, match="no staff member with id 'nobody'"):
        save_audit(ctx, result)
    assert list_audits(ctx) == []
