"""Standards documents: the shipped ones validate, broken ones are refused with located messages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kundkit.errors import Conflict, NotFound, ProblemsError
from kundkit.standards.documents import KindRegistry, load, load_checked
from kundkit.standards.schema import Kind, document_schema

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data" / "standards"
BROKEN = DATA / "broken"

# Each broken fixture with every problem it must produce, exactly, in order.
EXPECTED: dict[str, list[str]] = {
    "syntax-error.yaml": [
        "syntax-error.yaml:3:8: YAML syntax error: mapping values are not allowed in this context",
    ],
    "not-a-mapping.yaml": [
        "not-a-mapping.yaml:1:1: a standards document must be a mapping of keys (kind, id, title, ...)",
    ],
    "unknown-kind.yaml": [
        "unknown-kind.yaml:1:7: unknown kind 'service-standrad' (did you mean 'service-standard'?)",
    ],
    "missing-sections.yaml": [
        "missing-sections.yaml:9:3: sections: missing required key 'workplace'",
        "missing-sections.yaml:9:3: sections: missing required key 'dress-code'",
        "missing-sections.yaml:9:3: sections: missing required key 'behaviour'",
        "missing-sections.yaml:9:3: sections: missing required key 'premises'",
        "missing-sections.yaml:14:3: sections: unknown key 'dress_code' (did you mean 'dress-code'?)",
    ],
    "envelope.yaml": [
        "envelope.yaml:2:5: id: 'Code Of Conduct' has the wrong form "
        "(lower-case letters a-z, digits and dashes)",
        "envelope.yaml:4:10: version: '1.2' was read as a number, not as text; "
        "write it in quotes: \"1.2\"",
        "envelope.yaml:6:8: roles: must not be empty",
        "envelope.yaml:7:11: language: 'de' is not one of: sv, en",
        "envelope.yaml:14:18: sections.principles.items[0].scoring: 'points' is not one of: "
        "scale, yes-no",
        "envelope.yaml:15:9: sections.principles.items[0]: unknown key 'wieght' "
        "(did you mean 'weight'?)",
    ],
    "missing-conflict.yaml": [
        "missing-conflict.yaml:15:7: sections.behaviour.algorithms: missing required key 'conflict'",
    ],
    "sales-card-no-product.yaml": [
        "sales-card-no-product.yaml:1:1: (top level): missing required key 'product'",
        "sales-card-no-product.yaml:9:3: sections: missing required key 'closing'",
    ],
    "broken-branch.yaml": [
        "broken-branch.yaml:14:16: return: the start step 'recieve' does not exist "
        "(did you mean 'receive'?)",
        "broken-branch.yaml:18:19: return: step 'receive' leads to 'chek-receipt', which does not "
        "exist (did you mean 'check-receipt'?)",
        "broken-branch.yaml:25:23: return: answer 'No' of step 'check-receipt' leads to 'manger', "
        "which does not exist",
    ],
    "unreachable.yaml": [
        "unreachable.yaml:18:17: call: step 'forgotten' is never reached from the start step 'answer'",
    ],
    "no-end.yaml": [
        "no-end.yaml:24:17: close: step 'serve' is the last one and not an outcome: "
        "this path has no end",
    ],
    "endless-loop.yaml": [
        "endless-loop.yaml:24:17: queue: steps 'call-colleague' → 'wait' → 'call-colleague' form a "
        "loop with no way out: none of them leads to an outcome",
    ],
    "step-shapes.yaml": [
        "step-shapes.yaml:15:17: counter: step 'both' must have exactly one of action, question or "
        "outcome",
        "step-shapes.yaml:18:17: counter: question step 'lonely-question' needs at least two answers",
        "step-shapes.yaml:25:13: counter: outcome step 'done' ends the algorithm; it cannot have a "
        "next step",
        "step-shapes.yaml:26:17: counter: duplicate step id 'done' (first used on line 23)",
    ],
    "duplicate-item.yaml": [
        "duplicate-item.yaml:17:13: duplicate item id 'honest' (first used on line 12)",
    ],
    "duplicate-id": [
        "duplicate-id/second.yaml:2:5: duplicate document id 'conduct' in language 'en' "
        "(first in duplicate-id/first.yaml:2)",
    ],
    "translation": [
        "translation/conduct.sv.yaml:8:1: the English version (translation/conduct.en.yaml) also "
        "has item 'promises', which this one lacks",
        "translation/conduct.sv.yaml:14:13: item 'promise' is not in the English version "
        "(translation/conduct.en.yaml)",
    ],
}


def test_every_broken_fixture_has_its_expectation() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_document_is_reported_where_it_is_wrong(name: str, monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.chdir(BROKEN)
    library = load([Path(name)])
    assert [str(p) for p in library.problems] == EXPECTED[name]
    assert library.documents == [] or name in ("duplicate-id", "translation")


def test_all_broken_documents_are_reported_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    library = load([Path(".")])
    found = sorted(str(p).removeprefix("./") for p in library.problems)
    assert found == sorted(line for lines in EXPECTED.values() for line in lines)


@pytest.mark.parametrize("folder", ["standards", "kundkit/defaults/sv/standards",
                                    "kundkit/defaults/en/standards"])
def test_shipped_documents_validate(folder: str) -> None:
    library = load([REPO / folder])
    assert library.problems == []
    kinds = {document.kind for document in library.documents}
    assert kinds == {"service-standard", "sales-card", "instruction", "code-of-conduct"}


def test_repository_standards_have_swedish_and_english_versions_of_each_document() -> None:
    library = load_checked([REPO / "standards"])
    by_id: dict[str, set[str]] = {}
    for document in library.documents:
        by_id.setdefault(document.id, set()).add(document.language)
    assert by_id == {doc_id: {"sv", "en"} for doc_id in by_id}
    assert {"service-standard", "sales-card-service-agreement", "code-of-conduct"} <= set(by_id)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_defaults_for_a_new_business_are_the_repository_documents(language: str) -> None:
    defaults = REPO / "kundkit" / "defaults" / language / "standards"
    shipped = sorted((REPO / "standards").glob(f"*.{language}.yaml"))
    assert sorted(p.name for p in defaults.iterdir()) == [p.name for p in shipped]
    for path in shipped:
        assert (defaults / path.name).read_bytes() == path.read_bytes(), path.name


def test_service_standard_has_a_branching_conflict_algorithm_with_several_outcomes() -> None:
    library = load_checked([REPO / "standards"])
    for language in ("sv", "en"):
        standard = library.find("service-standard", language)
        conflict = standard.algorithm("conflict")
        questions = [s for s in conflict.steps.values() if s.kind == "question"]
        assert len(questions) >= 5
        assert any(len(s.answers) >= 3 for s in questions)
        assert len(conflict.outcomes()) >= 3
        assert standard.algorithm("contact").outcomes()
        assert list(standard.sections) == ["competencies", "workplace", "dress-code", "behaviour",
                                           "premises", "other"]
    card = library.find("sales-card-service-agreement", "sv")
    assert card.product == {"sku": "SERVICE-PRO", "name": "Serviceavtal Proffs", "locomotive": True}


def test_find_picks_the_language(tmp_path: Path) -> None:
    library = load_checked([REPO / "standards"])
    assert library.find("code-of-conduct", "sv").title == "Uppförandekod för kundkontakt"
    assert library.find("code-of-conduct", preferred="en").language == "en"
    assert library.find("code-of-conduct", preferred="sv").language == "sv"
    with pytest.raises(NotFound, match=r"no standards document with id 'code-of-conduc' "
                                       r"\(did you mean 'code-of-conduct'\?\)"):
        library.find("code-of-conduc")
    only_sv = load_checked([REPO / "standards" / "code-of-conduct.sv.yaml"])
    with pytest.raises(NotFound, match=r"'code-of-conduct' has no version in language 'en' "
                                       r"\(it has: sv\)"):
        only_sv.find("code-of-conduct", "en")


def test_asking_for_a_broken_document_shows_why(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    library = load([Path("no-end.yaml")])
    with pytest.raises(ProblemsError) as caught:
        library.find("no-end")
    assert [str(p) for p in caught.value.problems] == EXPECTED["no-end.yaml"]


def test_load_checked_raises_with_every_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN)
    with pytest.raises(ProblemsError) as caught:
        load_checked([Path("envelope.yaml"), Path("no-end.yaml")])
    assert len(caught.value.problems) == 7


def test_a_missing_file_is_a_located_problem(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    library = load([Path("nowhere.yaml")])
    assert [str(p) for p in library.problems] == ["nowhere.yaml:1:1: file not found"]


def test_combined_schema_is_a_valid_schema_and_accepts_the_shipped_documents() -> None:
    import jsonschema
    import yaml

    schema = KindRegistry().schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((REPO / "standards").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
    broken = yaml.safe_load((BROKEN / "missing-sections.yaml").read_text(encoding="utf-8"))
    assert list(validator.iter_errors(broken))
    json.dumps(schema)  # printable as JSON for editors


def _inspection_kind(source: str = "kundkit") -> Kind:
    schema = document_schema(
        "inspection", sections={"checks": {"$ref": "#/$defs/section"}},
        required_sections=["checks"], extra={"site": {"type": "string"}}, extra_required=["site"])
    return Kind("inspection", schema, checklist_sections=("checks",), source=source)


def test_a_plugin_kind_is_validated_like_the_built_ins(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    registry = KindRegistry()
    registry.register(_inspection_kind())
    monkeypatch.chdir(tmp_path)
    Path("van.yaml").write_text(
        "kind: inspection\nid: van\ntitle: Service van\nversion: \"1\"\nowner: Workshop\n"
        "roles: [technician]\nlanguage: en\nsections:\n  checks:\n    title: Checks\n    items:\n"
        "      - id: tyres\n        text: Tyres are fine.\n", encoding="utf-8")
    library = load([Path("van.yaml")], registry)
    assert [str(p) for p in library.problems] == [
        "van.yaml:1:1: (top level): missing required key 'site'"]
    Path("van.yaml").write_text("site: Västerås\n" + Path("van.yaml").read_text(encoding="utf-8"),
                                encoding="utf-8")
    assert load([Path("van.yaml")], registry).problems == []
    assert "inspection" in registry.schema()["properties"]["kind"]["enum"]
    # Without the plugin, the kind is unknown.
    assert [str(p) for p in load([Path("van.yaml")]).problems] == [
        "van.yaml:2:7: unknown kind 'inspection' (did you mean 'instruction'?)"]


def test_a_kind_registered_twice_names_both_plugins() -> None:
    registry = KindRegistry()
    registry.register(_inspection_kind("first_plugin"))
    with pytest.raises(Conflict, match="'inspection' is registered twice: by first_plugin and by "
                                       "second_plugin"):
        registry.register(_inspection_kind("second_plugin"))


def test_kinds_come_from_plugins_through_the_hook() -> None:
    import pluggy

    from kundkit import hookspecs

    class InspectionPlugin:
        @hookspecs.hookimpl
        def register_standard_kinds(self, register):  # type: ignore[no-untyped-def]
            register(_inspection_kind())

    pm = pluggy.PluginManager("kundkit")
    pm.add_hookspecs(hookspecs)
    pm.register(InspectionPlugin(), name="inspections")
    registry = KindRegistry.from_plugins(pm)
    assert registry.get("inspection").source == "inspections"
    pm.register(InspectionPlugin(), name="inspections-again")
    with pytest.raises(Conflict, match="by inspections-again and by inspections|"
                                       "by inspections and by inspections-again"):
        KindRegistry.from_plugins(pm)


def test_valid_fixture_copied_anywhere_still_validates(tmp_path: Path) -> None:
    shutil.copytree(DATA / "valid", tmp_path / "std")
    assert load([tmp_path / "std"]).problems == []
