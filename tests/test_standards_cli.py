"""``kundkit standards``: the commands, run in a copy of the example business."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "data" / "standards" / "broken"
DOWN, ENTER = "\x1b[B", "\r"
PROMPTS = {"KUNDKIT_FORCE_PROMPTS": "1"}

Run = Callable[..., Result]


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Type ``text`` into the questionary prompts of the command run inside the block."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(text)
        yield


@pytest.fixture
def staff(business: Path) -> None:
    from kundkit.context import Context
    from kundkit.staff import create_staff

    ctx = Context(actor="erik")
    with ctx.store.transaction() as tx:
        create_staff(ctx, tx, staff_id="anna", name="Anna Lind")
        create_staff(ctx, tx, staff_id="erik", name="Erik Berg")


@pytest.fixture
def customer(business: Path) -> str:
    from kundkit.context import Context
    from kundkit.customers import insert_customers

    with Context().store.transaction() as tx:
        insert_customers(tx, [(1001, {"id": "K1001", "name": "Bygg & Montage AB"})])
    return "K1001"


def interactions(business: Path) -> list[dict[str, object]]:
    from kundkit.context import Context

    from kundkit.interactions import customer_history

    with Context().store.read() as rx:
        return [i for i in customer_history(rx, "K1001") if i.get("kind") == "guide"]


# -- validate, schema ---------------------------------------------------------------------------

def test_validate_the_business_standards(kk: Run) -> None:
    result = kk("standards", "validate")
    assert result.stdout == ""
    assert result.stderr == "8 document(s) in 8 file(s): no problems\n"


def test_validate_reports_every_problem_and_exits_1(kk: Run, business: Path) -> None:
    shutil.copy(BROKEN / "no-end.yaml", business / "standards" / "closing.en.yaml")
    shutil.copy(BROKEN / "duplicate-item.yaml", business / "standards" / "twice.en.yaml")
    result = kk("standards", "validate", code=1)
    assert result.stdout.splitlines() == [
        "standards/closing.en.yaml:24:17: close: step 'serve' is the last one and not an outcome: "
        "this path has no end",
        "standards/twice.en.yaml:17:13: duplicate item id 'honest' (first used on line 12)",
    ]
    assert result.stderr == "Error: 2 problem(s) in 2 file(s)\n"


def test_validate_given_paths_as_json_for_editors_and_ci(kk: Run, business: Path) -> None:
    shutil.copytree(BROKEN, business / "broken")
    result = kk("standards", "validate", "broken/unreachable.yaml", "standards/code-of-conduct.sv.yaml",
                "--format", "json", code=1)
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert report["files"] == ["broken/unreachable.yaml", "standards/code-of-conduct.sv.yaml"]
    assert report["documents"] == [{"id": "code-of-conduct", "language": "sv",
                                    "kind": "code-of-conduct", "version": "1.0",
                                    "file": "standards/code-of-conduct.sv.yaml"}]
    assert report["problems"] == [{
        "file": "broken/unreachable.yaml", "line": 18, "col": 17, "code": "graph",
        "message": "call: step 'forgotten' is never reached from the start step 'answer'"}]


def test_validate_works_in_ci_without_a_business(tmp_path: Path) -> None:
    from kundkit.cli.app import cli

    shutil.copytree(REPO / "standards", tmp_path / "standards")
    result = CliRunner().invoke(cli, ["standards", "validate"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    (tmp_path / "standards" / "service-standard.sv.yaml").write_text(
        (REPO / "standards" / "service-standard.sv.yaml").read_text(encoding="utf-8").replace(
            "next: manager", "next: manger", 1), encoding="utf-8")
    result = CliRunner().invoke(cli, ["standards", "validate"], catch_exceptions=False)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "standards/service-standard.sv.yaml:194:23: conflict: answer 'Nej eller osäkert' of step "
        "'receipt' leads to 'manger', which does not exist (did you mean 'manager'?)",
    ]


def test_schema_prints_the_json_schema(kk: Run) -> None:
    schema = json.loads(kk("standards", "schema").stdout)
    assert schema["properties"]["kind"]["enum"] == ["service-standard", "sales-card", "instruction",
                                                    "code-of-conduct"]
    card = json.loads(kk("standards", "schema", "--kind", "sales-card").stdout)
    assert card["properties"]["sections"]["required"] == ["arguments", "objections", "closing"]
    result = kk("standards", "schema", "--kind", "poster", code=2)
    assert "unknown kind 'poster'" in result.stderr


# -- list, show ---------------------------------------------------------------------------------

def test_list_as_a_table_and_as_json(kk: Run) -> None:
    lines = kk("standards", "list").stdout.splitlines()
    assert lines[0].split() == ["Id", "Lang", "Kind", "Version", "Title", "Owner"]
    assert lines[2].split()[:4] == ["code-of-conduct", "en", "code-of-conduct", "1.0"]
    assert len(lines) == 2 + 8
    rows = json.loads(kk("standards", "list", "--format", "json").stdout)
    assert rows[-1] == {"id": "workshop-intake", "language": "sv", "kind": "instruction",
                        "version": "1.1", "title": "Verkstadsinstruktion — inlämning och utlämning",
                        "owner": "Verkstadsansvarig", "roles": ["verkstadstekniker", "säljare"],
                        "file": "standards/workshop-intake.sv.yaml"}


def test_list_warns_about_broken_documents_but_lists_the_rest(kk: Run, business: Path) -> None:
    shutil.copy(BROKEN / "no-end.yaml", business / "standards" / "closing.en.yaml")
    result = kk("standards", "list", "--format", "csv")
    assert len(result.stdout.splitlines()) == 1 + 8
    assert result.stderr == ("warning: 1 problem(s) in the standards; run 'kundkit standards "
                             "validate'\n")


def test_show_uses_the_business_language_unless_told(kk: Run) -> None:
    swedish = kk("standards", "show", "code-of-conduct").stdout
    assert swedish.startswith("# Uppförandekod för kundkontakt\n\nVersion 1.0 · Ansvarig: VD · "
                              "Gäller för: alla medarbetare\n")
    english = kk("standards", "show", "code-of-conduct", "--lang", "en").stdout
    assert english.startswith("# Code of conduct for customer contact\n\nVersion 1.0 · "
                              "Owner: Managing director · Applies to: all staff\n")


def test_show_html_to_a_file(kk: Run, business: Path) -> None:
    result = kk("standards", "show", "service-standard", "--format", "html", "-o", "wall.html")
    assert result.stderr == "wall.html\n"
    page = (business / "wall.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"sv\">")
    assert "<h3>Konfliktsituation</h3>" in page


def test_show_an_unknown_or_broken_document(kk: Run, business: Path) -> None:
    result = kk("standards", "show", "service-standart", code=1)
    assert result.stderr == ("Error: no standards document with id 'service-standart' "
                             "(did you mean 'service-standard'?)\n")
    shutil.copy(BROKEN / "no-end.yaml", business / "standards" / "closing.en.yaml")
    result = kk("standards", "show", "no-end", code=1)
    assert result.stderr == ("standards/closing.en.yaml:24:17: close: step 'serve' is the last one "
                             "and not an outcome: this path has no end\n")


# -- guide --------------------------------------------------------------------------------------

def test_guide_with_answers_from_a_script(kk: Run) -> None:
    result = kk("standards", "guide", "service-standard", "conflict", "--lang", "en",
                "--answer", "No", "--answer", "No", "--answer", "The way they were treated, or the price",
                "--answer", "No", "--answer", "No")
    assert result.stdout.splitlines() == [
        "Conflict situation (service-standard, en)",
        "  1. Stay calm. Speak quietly and slowly, keep an open posture, and do not take the "
        "criticism personally.",
        "  2. Are other customers standing around? → No",
        "  4. Let the customer finish without interrupting. Note what happened, when, and the "
        "receipt or order number.",
        "  5. Acknowledge the feeling and sum up in your own words. Apologise for the trouble.",
        "  6. Is the customer threatening or aggressive towards you? → No",
        "  9. What is the complaint about? → The way they were treated, or the price",
        " 15. Apologise without reservation, explain what applies, and offer what you are "
        "authorised to, such as a price adjustment by the price list or compensation of up to "
        "SEK 200.",
        " 16. Does the customer accept the solution? → No",
        " 17. Is the store manager or a responsible salesperson on site? → No",
        " 19. Record the complaint with the customer's contact details and promise that the "
        "manager calls back by the next working day.",
        " 20. Outcome: The case is escalated and recorded as a complaint; the customer knows who "
        "will get in touch, and when.",
    ]


def test_guide_without_enough_answers_says_where_it_stopped(kk: Run) -> None:
    result = kk("standards", "guide", "service-standard", "conflict", "--lang", "en",
                "--answer", "No", code=1)
    assert result.stderr == ("Error: the walk stopped at step 'threat' (Is the customer threatening "
                             "or aggressive towards you?): give one more --answer, one of 'Yes', "
                             "'No'\n")
    result = kk("standards", "guide", "service-standard", "nonsense", code=1)
    assert result.stderr == ("Error: 'service-standard' has no algorithm 'nonsense' (it has: contact, "
                             "conflict)\n")


def test_guide_at_the_terminal_with_back_and_logged_as_an_interaction(
        kk: Run, business: Path, customer: str) -> None:
    # 1 action: done. 2 "other customers?": Yes; at 3 choose Back (done, back, stop); then No.
    # 4, 5: done. 6 "threatening?": Yes. 7: done → outcome 8.
    typed = ENTER + ENTER + DOWN + ENTER + DOWN + ENTER + ENTER + ENTER + ENTER + ENTER
    with keys(typed):
        result = kk("standards", "guide", "service-standard", "conflict", "--log", customer,
                    env=PROMPTS)
    assert [line.split(".")[0].strip() for line in result.stdout.splitlines()[1:]] == [
        "1", "2", "4", "5", "6", "7", "8"]
    assert "  2. Står det andra kunder runt omkring? → Nej" in result.stdout
    # Prompts and a step's detail go to stderr, so that stdout keeps only the path.
    assert result.stderr.splitlines() == [
        "   Till exempel: Jag förstår att det är frustrerande när maskinen går sönder mitt i ett jobb.",
        "Recorded as interaction I1001 with customer K1001."]
    [logged] = interactions(business)
    assert {k: logged[k] for k in ("id", "customer", "channel", "kind", "at", "by")} == {
        "id": "I1001", "customer": "K1001", "channel": "in-person", "kind": "guide",
        "at": "2026-11-20T10:00:00+01:00", "by": None}
    assert logged["note"] == ("service-standard/conflict: stay-calm → audience (Nej) → listen → "
                              "acknowledge → threat (Ja) → safety → escalated-safety")
    assert logged["guide"]["outcome"] == "escalated-safety"  # type: ignore[index]


def test_guide_stopped_half_way_still_prints_the_path(kk: Run) -> None:
    with keys(ENTER + DOWN + DOWN + DOWN + ENTER):  # done; then "Stop here" among Ja, Nej, Back, Stop
        result = kk("standards", "guide", "service-standard", "conflict", env=PROMPTS)
    assert result.stdout.splitlines()[1:] == [
        "  1. Behåll lugnet. Tala lugnt och lågt, håll en öppen kroppshållning och ta inte kritiken "
        "personligt.",
        "  2. Står det andra kunder runt omkring?",
    ]


def test_guide_log_to_an_unknown_customer_records_nothing(kk: Run, business: Path,
                                                         customer: str) -> None:
    result = kk("standards", "guide", "code-of-conduct", code=1)
    assert result.stderr.startswith("Error: 'code-of-conduct' has no algorithm")
    result = kk("standards", "guide", "sales-card-service-agreement", "--lang", "en",
                "--answer", "No", "--log", "K2000", code=1)
    assert "Error: no customer with id 'K2000'" in result.stderr
    assert interactions(business) == []


# -- checklist, audit, audits -------------------------------------------------------------------

def test_checklist_table_json_and_template(kk: Run) -> None:
    lines = kk("standards", "checklist", "service-standard", "--lang", "en").stdout.splitlines()
    assert lines[0].split() == ["Section", "Item", "Text", "Scoring", "Weight"]
    assert len(lines) == 2 + 24
    rows = json.loads(kk("standards", "checklist", "code-of-conduct", "--format", "json").stdout)
    assert [row["id"] for row in rows] == ["honest-advice", "promises", "equal-treatment", "respect",
                                          "privacy", "own-mistakes"]
    assert rows[1] == {"section": "Principer", "section_id": "principles", "id": "promises",
                       "text": "Vi lovar bara leveranstider och priser som vi vet att vi kan hålla, "
                               "och ringer själva om något ändras.",
                       "scoring": "scale", "weight": 2}
    template = kk("standards", "checklist", "code-of-conduct", "--template").stdout
    assert template.splitlines()[:3] == [
        "# Principer",
        "# Vi rekommenderar det som passar kundens arbete, även när det är billigare än kunden "
        "tänkt sig. (0, 1, 2 or n/a)",
        "honest-advice:"]


def test_audit_from_a_file_then_the_history(kk: Run, business: Path, staff: None) -> None:
    (business / "scores.yaml").write_text(
        "honest-advice: 2\npromises: 1\nequal-treatment: 2\nrespect: 2\nprivacy: yes\n"
        "own-mistakes: n/a\n", encoding="utf-8")
    result = kk("--as", "erik", "standards", "audit", "code-of-conduct", "--staff", "anna",
                "--file", "scores.yaml")
    assert [line.split() for line in result.stdout.splitlines() if line.strip()] == [
        ["Audit", "SA1"], ["Document", "code-of-conduct"], ["Version", "1.0"], ["Lang", "sv"],
        ["Staff", "anna"], ["Auditor", "erik"], ["When", "2026-11-20", "10:00"],
        ["Points", "5.00"], ["Possible", "6"], ["Score", "%", "83.3"]]  # own-mistakes is n/a
    (business / "scores.csv").write_text(
        "item,score,note\nhonest-advice,2,\npromises,2,\nequal-treatment,2,\nrespect,1,Talked about "
        "a competitor\nprivacy,yes,\nown-mistakes,2,\n", encoding="utf-8")
    kk("--as", "erik", "standards", "audit", "code-of-conduct", "--staff", "anna", "--file",
       "scores.csv", env={"KUNDKIT_NOW": "2027-02-20T10:00:00+01:00"})
    rows = json.loads(kk("standards", "audits", "--staff", "anna", "--format", "json").stdout)
    assert [(r["id"], r["percent"], r["change"]) for r in rows] == [("SA1", "83.3", None),
                                                                     ("SA2", "92.9", "9.6")]
    table = kk("standards", "audits").stdout.splitlines()
    assert table[0].split() == ["Audit", "When", "Staff", "Document", "Version", "Score", "%",
                                "Change", "Auditor"]
    assert table[3].split() == ["SA2", "2027-02-20", "10:00", "anna", "code-of-conduct", "1.0",
                                "92.9", "+9.6", "erik"]
    assert kk("standards", "audits", "--staff", "erik").stderr == "No audits yet.\n"

    from kundkit.context import Context
    from kundkit.standards.audit_store import latest_audit_score

    assert str(latest_audit_score(Context(), "anna")) == "92.9"


def test_audit_with_a_bad_scores_file_stores_nothing(kk: Run, business: Path, staff: None) -> None:
    (business / "scores.yaml").write_text("honest-advice: 3\n", encoding="utf-8")
    result = kk("standards", "audit", "code-of-conduct", "--staff", "anna", "--file", "scores.yaml",
                code=1)
    assert result.stderr.splitlines() == [
        "scores.yaml:1:1: no score for 'promises'",
        "scores.yaml:1:1: no score for 'equal-treatment'",
        "scores.yaml:1:1: no score for 'respect'",
        "scores.yaml:1:1: no score for 'privacy'",
        "scores.yaml:1:1: no score for 'own-mistakes'",
        "scores.yaml:1:16: '3' is not a score for 'honest-advice' (0, 1, 2 or n/a)",
    ]
    assert kk("standards", "audits").stderr == "No audits yet.\n"


def test_audit_asks_for_the_scores_at_a_terminal(kk: Run, staff: None) -> None:
    # Staff: first active (anna). Six principles: 2, 2, 1 (down), 0 (down down), privacy: no
    # (down), own-mistakes: n/a (down x3).
    typed = ENTER + ENTER + ENTER + DOWN + ENTER + DOWN + DOWN + ENTER + DOWN + ENTER + \
        DOWN + DOWN + DOWN + ENTER
    with keys(typed):
        result = kk("--as", "erik", "standards", "audit", "code-of-conduct", "--format", "json",
                    env=PROMPTS)
    audit = json.loads(result.stdout)
    assert audit["staff"] == "anna"
    assert audit["scores"] == {"honest-advice": 2, "promises": 2, "equal-treatment": 1,
                               "respect": 0, "privacy": 0, "own-mistakes": None}
    assert audit["percent"] == "58.3"  # (1 + 2 + 0.5 + 0 + 0) / 6; own-mistakes is n/a


def test_audit_without_a_terminal_needs_the_file_and_the_staff(kk: Run, staff: None) -> None:
    result = kk("standards", "audit", "code-of-conduct", "--staff", "anna", code=2)
    assert "--file" in result.stderr
    result = kk("standards", "audit", "code-of-conduct", code=2)
    assert "--staff" in result.stderr


def test_audit_of_an_unknown_staff_member(kk: Run, business: Path, staff: None) -> None:
    (business / "scores.yaml").write_text(
        "".join(f"{item}: 2\n" for item in ("honest-advice", "promises", "equal-treatment",
                                            "respect", "own-mistakes")) + "privacy: yes\n",
        encoding="utf-8")
    result = kk("standards", "audit", "code-of-conduct", "--staff", "olle", "--file", "scores.yaml",
                code=1)
    assert result.stderr == "Error: no staff member with id 'olle' (see 'kundkit staff list')\n"
