"""The graph checks of behaviour algorithms, on small algorithms written inline."""

from __future__ import annotations

import textwrap

from kundkit.standards.graph import build_algorithm
from kundkit.yamldoc import parse_yaml


def check(steps_yaml: str, start: str | None = None) -> tuple[object, list[str]]:
    head = "title: T\n" + (f"start: {start}\n" if start else "") + "steps:\n"
    text = head + textwrap.indent(textwrap.dedent(steps_yaml), "  ")
    doc, problems = parse_yaml(text, "alg.yaml")
    assert problems == []
    algorithm, found = build_algorithm(doc, (), "alg")
    return algorithm, [str(p) for p in found]


def test_an_action_without_next_goes_on_to_the_following_step() -> None:
    algorithm, problems = check("""
        - id: greet
          action: Greet.
        - id: ask
          question: Busy?
          answers:
            - {text: "Yes", next: wait}
            - {text: "No", next: done}
        - id: wait
          action: Wait.
          next: done
        - id: done
          outcome: Done.
    """)
    assert problems == []
    assert algorithm.start == "greet"
    assert algorithm.step("greet").next == "ask"
    assert algorithm.successors(algorithm.step("ask")) == ["wait", "done"]
    assert [s.id for s in algorithm.outcomes()] == ["done"]
    assert algorithm.number("wait") == 3


def test_a_loop_with_a_way_out_is_fine() -> None:
    _algorithm, problems = check("""
        - id: objection
          question: Any objection?
          answers:
            - {text: "Yes", next: reply}
            - {text: "No", next: signed}
        - id: reply
          action: Reply to it.
          next: objection
        - id: signed
          outcome: Signed.
    """)
    assert problems == []


def test_a_step_that_leads_to_itself_is_a_loop_with_no_way_out() -> None:
    _algorithm, problems = check("""
        - id: start
          question: Ready?
          answers:
            - {text: "Yes", next: done}
            - {text: "No", next: again}
        - id: again
          question: Ready now?
          answers:
            - {text: "Yes", next: again}
            - {text: "No", next: again}
        - id: done
          outcome: Done.
    """)
    assert problems == ["alg.yaml:9:9: alg: steps 'again' → 'again' form a loop with no way out: "
                        "none of them leads to an outcome"]


def test_a_loop_whose_way_out_is_misspelt_reports_the_misspelling_only() -> None:
    _algorithm, problems = check("""
        - id: ask
          question: Happy?
          answers:
            - {text: "Yes", next: dnoe}
            - {text: "No", next: fix}
        - id: fix
          action: Fix it.
          next: ask
        - id: done
          outcome: Done.
    """)
    assert problems == [
        "alg.yaml:7:29: alg: answer 'Yes' of step 'ask' leads to 'dnoe', which does not exist "
        "(did you mean 'done'?)",
        "alg.yaml:12:9: alg: step 'done' is never reached from the start step 'ask'",
    ]


def test_an_unreached_loop_is_reported_as_unreached_and_as_a_loop() -> None:
    _algorithm, problems = check("""
        - id: begin
          action: Begin.
          next: end
        - id: a
          action: A.
        - id: b
          action: B.
          next: a
        - id: end
          outcome: End.
    """)
    assert problems == [
        "alg.yaml:7:9: alg: step 'a' is never reached from the start step 'begin'",
        "alg.yaml:7:9: alg: steps 'a' → 'b' → 'a' form a loop with no way out: none of them leads "
        "to an outcome",
        "alg.yaml:9:9: alg: step 'b' is never reached from the start step 'begin'",
    ]


def test_an_explicit_start_changes_what_is_reached() -> None:
    algorithm, problems = check("""
        - id: first
          outcome: Never the start.
        - id: second
          action: Start here.
        - id: third
          outcome: End.
    """, start="second")
    assert algorithm.start == "second"
    assert problems == ["alg.yaml:5:9: alg: step 'first' is never reached from the start step "
                        "'second'"]


def test_question_and_outcome_shapes() -> None:
    _algorithm, problems = check("""
        - id: q
          question: Which?
          next: o
          answers:
            - {text: A, next: o}
            - {text: B, next: o}
        - id: o
          outcome: Done.
          answers:
            - {text: A, next: q}
        - id: nothing
    """)
    assert problems == [
        "alg.yaml:6:5: alg: question step 'q' goes on through its answers; remove 'next'",
        "alg.yaml:12:5: alg: step 'o' has answers but is not a question",
        "alg.yaml:14:9: alg: step 'nothing' must have exactly one of action, question or outcome",
        "alg.yaml:14:9: alg: step 'nothing' is the last one and not an outcome: this path has no end",
        "alg.yaml:14:9: alg: step 'nothing' is never reached from the start step 'q'",
    ]


def test_shapes_the_schema_rejects_do_not_crash_the_graph_checks() -> None:
    doc, _ = parse_yaml("title: T\nsteps:\n  - just text\n  - id: 5\n  - id: ok\n    outcome: Ok.\n",
                        "alg.yaml")
    algorithm, problems = build_algorithm(doc, (), "alg")
    assert list(algorithm.steps) == ["ok"]
    assert problems == []
    doc, _ = parse_yaml("title: T\nsteps: nothing\n", "alg.yaml")
    algorithm, problems = build_algorithm(doc, (), "alg")
    assert algorithm.steps == {} and problems == []
