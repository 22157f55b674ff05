"""``workflow validate``: broken workflow files, each problem at its file:line:col, all in one run;
and ``workflow schema``, which editors use."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import pytest

BROKEN: dict[str, tuple[str, list[str]]] = {
    "syntax": ("""
        name: syntax
        steps:
          - id: a
            uses: set
           with: {x: 1}
        """, ["workflows/syntax.yaml:5:4: YAML syntax error: did not find expected '-' indicator"]),
    "duplicate-key": ("""
        name: duplicate-key
        steps:
          - id: a
            uses: set
            with: {x: 1, x: 2}
        """, ["workflows/duplicate-key.yaml:5:18: duplicate key 'x'"]),
    "shape": ("""
        name: Shape
        stpes: []
        inputs:
          size: {type: choice, choices: [s, m], default: xl}
          count: {type: number, default: many}
          when: {type: datum}
          colour: {type: choice}
        """, [
        "workflows/shape.yaml:1:1: (top level): missing required key 'steps'",
        "workflows/shape.yaml:1:7: name: 'Shape' has the wrong form (the workflow's name: "
        "lower-case letters, digits and -)",
        "workflows/shape.yaml:2:1: unknown key 'stpes' (did you mean 'steps'?)",
        "workflows/shape.yaml:4:50: inputs.size.default: the default 'xl' is not one of the "
        "choices (s, m)",
        "workflows/shape.yaml:5:34: inputs.count.default: the default 'many' is not a number",
        "workflows/shape.yaml:6:16: inputs.when.type: 'datum' is not one of: text, number, "
        "choice, date, email, phone, orgnr, customer, staff",
        "workflows/shape.yaml:7:11: inputs.colour: an input of type choice needs 'choices'",
    ]),
    "steps": ("""
        name: steps
        inputs:
          customer: {type: customer}
        steps:
          - id: find
            uses: customer.fnd
            with: {query: "{{ inputs.kund }}"}
          - id: find
            uses: task.create
            with:
              title: "{{ steps.fnd.output.id }}"
              colour: red
          - id: note
            uses: task.create
            with: {due: today}
          - id: bad_if
            uses: set
            if: "inputs.customer =="
            with: {x: "{{ customer.name"}
          - id: early
            uses: set
            with: {y: "{{ steps.later.output }} {{ vars.never }} {{ event.record }}"}
          - id: sneaky
            uses: set
            with: {z: "{{ config.__class__ }}"}
          - id: later
            uses: end
          - id: orphan
            uses: set
            with: {w: 1}
        """, [
        "workflows/steps.yaml:6:11: steps[0].uses: unknown step type 'customer.fnd' "
        "(did you mean 'customer.find'?)",
        "workflows/steps.yaml:7:19: steps[0].with.query: 'inputs.kund' is not an input of this "
        "workflow (known: customer)",
        "workflows/steps.yaml:8:9: steps[1].id: duplicate step id 'find' (also steps[0])",
        "workflows/steps.yaml:11:14: steps[1].with.title: 'steps.fnd' is not a step of this "
        "workflow (did you mean 'find'?)",
        "workflows/steps.yaml:12:7: steps[1].with.colour: 'task.create' has no argument "
        "'colour' (known: assignee, customer, due, note, title)",
        "workflows/steps.yaml:15:11: steps[2].with: 'task.create' needs the argument 'title'",
        "workflows/steps.yaml:18:9: steps[3].if: 'inputs.customer ==' does not parse: "
        "unexpected 'end of template'",
        "workflows/steps.yaml:19:15: steps[3].with.x: '{{ customer.name' does not parse: "
        "unexpected end of template, expected 'end of print statement'.",
        "workflows/steps.yaml:22:15: steps[4].with.y: 'event' is only set when an event starts "
        "the workflow, and no event starts this one",
        "workflows/steps.yaml:22:15: steps[4].with.y: 'steps.later' has not run yet at this point",
        "workflows/steps.yaml:22:15: steps[4].with.y: 'vars.never' is never set by a 'set' step "
        "(known: w, x, y, z)",
        "workflows/steps.yaml:25:15: steps[5].with.z: '{{ config.__class__ }}' is refused: "
        "'__class__' is not allowed in an expression",
        "workflows/steps.yaml:28:9: steps[7].id: step 'orphan' can never run: it comes after an "
        "'end' or 'fail' step and no 'goto' leads to it",
    ]),
    "flow": ("""
        name: flow
        trigger: {event: purchase.recorded, if: "inputs.x > 1"}
        steps:
          - id: check
            uses: fail
            on-error: goto nowhere
          - id: retry
            uses: wait
            on-error: again
            with: {until: "2026-12-01", for: 2d}
          - id: asked
            uses: ask
            with: {name: "Bad Name", type: colour}
        """, [
        "workflows/flow.yaml:2:41: trigger.if: 'inputs' is not defined here (known: config, "
        "customer, event, language, now, today)",
        "workflows/flow.yaml:6:15: steps[0].on-error: no step 'nowhere' to go to (known: asked, "
        "check, retry)",
        "workflows/flow.yaml:7:9: steps[1].id: step 'retry' can never run: it comes after an "
        "'end' or 'fail' step and no 'goto' leads to it",
        "workflows/flow.yaml:9:15: steps[1].on-error: 'again' has the wrong form (fail, "
        "continue, or goto STEP)",
        "workflows/flow.yaml:10:11: steps[1].with: give 'until' or 'for', not both",
        "workflows/flow.yaml:11:9: steps[2].id: step 'asked' can never run: it comes after an "
        "'end' or 'fail' step and no 'goto' leads to it",
        "workflows/flow.yaml:13:18: steps[2].with.name: 'Bad Name' is not a name (lower-case "
        "letters, digits and _)",
        "workflows/flow.yaml:13:36: steps[2].with.type: unknown type 'colour' (known: text, "
        "number, choice, date, email, phone, orgnr, customer, staff)",
    ]),
}


def _write(business: Path, name: str, text: str) -> str:
    path = business / "workflows" / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return f"workflows/{name}.yaml"


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_broken_file_gets_its_located_messages(kk: Any, business: Path, name: str) -> None:
    text, expected = BROKEN[name]
    path = _write(business, name, text)
    result = kk("workflow", "validate", path, code=1)
    assert result.stderr.splitlines() == expected


def test_all_problems_of_all_files_come_in_one_run(kk: Any, business: Path) -> None:
    paths = [_write(business, name, text) for name, (text, _expected) in BROKEN.items()]
    result = kk("workflow", "validate", *paths, code=1)
    expected = sorted((line for _text, lines in BROKEN.values() for line in lines),
                      key=lambda line: (line.split(":")[0], int(line.split(":")[1]),
                                        int(line.split(":")[2])))
    assert result.stderr.splitlines() == expected
    assert result.stdout == ""


def test_two_workflows_may_not_share_a_name(kk: Any, business: Path) -> None:
    _write(business, "first", "name: first\nsteps: [{id: a, uses: end}]\n")
    _write(business, "second", "name: first\nsteps: [{id: a, uses: end}]\n")
    result = kk("workflow", "validate", "workflows/first.yaml", "workflows/second.yaml", code=1)
    assert result.stderr.splitlines() == [
        "workflows/second.yaml:1:7: name: another workflow is named 'first' (workflows/first.yaml)"]


def test_the_shipped_workflows_are_valid(kk: Any) -> None:
    result = kk("workflow", "validate")
    assert result.stderr.strip() == "3 workflow file(s) checked: no problems."


def test_a_file_that_cannot_be_found(kk: Any) -> None:
    result = kk("workflow", "validate", "workflows/missing.yaml", code=1)
    assert result.stderr.strip() == "workflows/missing.yaml:1:1: file not found"


def test_a_run_of_an_invalid_workflow_is_refused_with_its_problems(kk: Any, business: Path) -> None:
    _write(business, "steps", BROKEN["steps"][0])
    result = kk("workflow", "run", "steps", "--set", "customer=K1001", code=1)
    assert result.stderr.splitlines() == BROKEN["steps"][1]


def test_the_schema_lists_every_step_type_and_checks_the_shipped_files(kk: Any, business: Path) -> None:
    import jsonschema
    import yaml

    schema = json.loads(kk("workflow", "schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    uses = schema["properties"]["steps"]["items"]["properties"]["uses"]["enum"]
    assert {"ask", "set", "wait", "end", "fail", "customer.find", "customer.create",
            "customer.update", "customer.assign-manager", "purchase.record", "purchase.follow-up",
            "feedback.create", "feedback.update", "task.create", "channel.send"} <= set(uses)
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted((business / "workflows").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path.name
    wrong = {"name": "x", "steps": [{"id": "a", "uses": "task.create", "with": {"colour": 1}}]}
    messages = [e.message for e in validator.iter_errors(wrong)]
    assert any("colour" in m for m in messages) and any("title" in m for m in messages)
