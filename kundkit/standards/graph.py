"""Behaviour algorithms: graphs of steps, and the checks a schema cannot make.

An algorithm is a list of steps. A step is an *action* (do this, then go to ``next``, or to the
step listed after it), a *question* (each answer leads to a step), or an *outcome* (the end).
The checks find what would strand a person at the counter: a branch to a step that does not
exist, a step no path reaches, a path that stops before an outcome, a loop with no way out,
and a step id used twice. Each is a located :class:`~kundkit.errors.Problem`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from kundkit.errors import Problem
from kundkit.i18n import _
from kundkit.yamldoc import PathKey, YamlDoc

ACTION, QUESTION, OUTCOME = "action", "question", "outcome"
STEP_KINDS = (ACTION, QUESTION, OUTCOME)


@dataclass(frozen=True)
class Answer:
    text: str
    next: str
    path: PathKey


@dataclass
class Step:
    id: str
    kind: str
    text: str
    detail: str = ""
    next: str | None = None
    answers: list[Answer] = field(default_factory=list)
    path: PathKey = ()

    @property
    def is_outcome(self) -> bool:
        return self.kind == OUTCOME


@dataclass
class Algorithm:
    """One algorithm of a document, with its steps in the order they are written."""

    name: str
    title: str
    start: str
    steps: dict[str, Step]
    file: str = ""
    path: PathKey = ()

    def step(self, step_id: str) -> Step:
        return self.steps[step_id]

    def successors(self, step: Step) -> list[str]:
        """The ids a step leads to (an action's implicit next is already resolved)."""
        if step.kind == QUESTION:
            return [answer.next for answer in step.answers]
        if step.kind == ACTION and step.next is not None:
            return [step.next]
        return []

    def outcomes(self) -> list[Step]:
        return [step for step in self.steps.values() if step.is_outcome]

    def number(self, step_id: str) -> int:
        """1-based position of a step, for printed documents ("go to 4")."""
        return list(self.steps).index(step_id) + 1


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def build_algorithm(doc: YamlDoc, path: PathKey, name: str) -> tuple[Algorithm, list[Problem]]:
    """Read the algorithm at ``path`` in ``doc`` and check it; returns it with its problems.

    Shapes the schema rejects are skipped rather than trusted, so that one run reports both the
    schema problems and the graph problems of a file.
    """
    data = doc.data
    for part in path:
        data = data[part]
    data = data if isinstance(data, dict) else {}
    problems: list[Problem] = []

    def problem(where: PathKey, message: str, *, key: bool = False) -> None:
        problems.append(doc.problem(where, f"{name}: {message}", key=key, code="graph"))

    steps: dict[str, Step] = {}
    raw_steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    for index, raw in enumerate(raw_steps):
        step_path = path + ("steps", index)
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            continue
        step_id = raw["id"]
        kinds = [kind for kind in STEP_KINDS if kind in raw]
        if len(kinds) != 1:
            problem(step_path + ("id",), _("step '{step}' must have exactly one of action, "
                                           "question or outcome").format(step=step_id))
        kind = kinds[0] if kinds else ACTION
        answers = []
        raw_answers = raw.get("answers") if isinstance(raw.get("answers"), list) else []
        for a_index, raw_answer in enumerate(raw_answers):
            if isinstance(raw_answer, dict) and isinstance(raw_answer.get("next"), str):
                answers.append(Answer(_text(raw_answer.get("text")), raw_answer["next"],
                                      step_path + ("answers", a_index)))
        step = Step(step_id, kind, _text(raw.get(kind)), _text(raw.get("detail")),
                    raw["next"] if isinstance(raw.get("next"), str) else None, answers, step_path)
        if kind == QUESTION and len(raw_answers) < 2:
            problem(step_path + ("id",), _("question step '{step}' needs at least two answers")
                    .format(step=step_id))
        if kind != QUESTION and "answers" in raw:
            problem(step_path + ("answers",), _("step '{step}' has answers but is not a question")
                    .format(step=step_id), key=True)
        if kind == OUTCOME and "next" in raw:
            problem(step_path + ("next",), _("outcome step '{step}' ends the algorithm; it cannot "
                                             "have a next step").format(step=step_id), key=True)
        if kind == QUESTION and "next" in raw:
            problem(step_path + ("next",), _("question step '{step}' goes on through its answers; "
                                             "remove 'next'").format(step=step_id), key=True)
        if step_id in steps:
            first_line = doc.at(steps[step_id].path + ("id",))[0]
            problem(step_path + ("id",), _("duplicate step id '{step}' (first used on line {line})")
                    .format(step=step_id, line=first_line))
            continue
        steps[step_id] = step

    # An action without ``next`` goes on to the step written after it; resolve that now so that
    # every later check (and the guide) sees one explicit graph.
    ordered = list(steps.values())
    for position, step in enumerate(ordered):
        if step.kind == ACTION and step.next is None:
            if position + 1 < len(ordered):
                step.next = ordered[position + 1].id
            else:
                problem(step.path + ("id",), _("step '{step}' is the last one and not an outcome: "
                                               "this path has no end").format(step=step.id))

    start = data.get("start") if isinstance(data.get("start"), str) else (
        ordered[0].id if ordered else "")
    algorithm = Algorithm(name, _text(data.get("title")), start, steps, doc.file, path)
    if not steps:
        return algorithm, _by_place(problems)
    if start not in steps:
        problem(path + ("start",), _("the start step '{step}' does not exist{hint}").format(
            step=start, hint=_hint(start, steps)))

    broken: set[str] = set()
    for step in ordered:
        if step.kind == ACTION and step.next is not None and step.next not in steps:
            broken.add(step.id)
            problem(step.path + ("next",), _("step '{step}' leads to '{target}', which does not "
                                             "exist{hint}").format(step=step.id, target=step.next,
                                                                   hint=_hint(step.next, steps)))
        for answer in step.answers if step.kind == QUESTION else []:
            if answer.next not in steps:
                broken.add(step.id)
                problem(answer.path + ("next",), _("answer '{answer}' of step '{step}' leads to "
                                                   "'{target}', which does not exist{hint}").format(
                    answer=answer.text, step=step.id, target=answer.next,
                    hint=_hint(answer.next, steps)))

    edges = {step.id: [t for t in algorithm.successors(step) if t in steps] for step in ordered}
    if start not in steps:
        # Without a start, "never reached" would name every step; mend the start first.
        return algorithm, _by_place(problems)
    reached = _reachable(start, edges)
    for step in ordered:
        if step.id not in reached:
            problem(step.path + ("id",), _("step '{step}' is never reached from the start step "
                                           "'{start}'").format(step=step.id, start=start))

    for loop in _loops_without_exit(ordered, edges, broken):
        names = " → ".join(f"'{step_id}'" for step_id in loop + [loop[0]])
        problem(steps[loop[0]].path + ("id",), _("steps {steps} form a loop with no way out: none "
                                                 "of them leads to an outcome").format(steps=names))
    return algorithm, _by_place(problems)


def _by_place(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line, p.col))


def _hint(target: str, steps: dict[str, Step]) -> str:
    match = difflib.get_close_matches(target, list(steps), n=1)
    return " " + _("(did you mean '{hint}'?)").format(hint=match[0]) if match else ""


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in edges[todo.pop()]:
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _loops_without_exit(ordered: list[Step], edges: dict[str, list[str]],
                        broken: set[str]) -> list[list[str]]:
    """Groups of steps that lead only among themselves, in a cycle, and never to an outcome.

    A loop that has a broken branch is left out: the broken branch is reported, and it may be
    the way out once it is mended.
    """
    reach = {step.id: _reachable(step.id, edges) for step in ordered}
    kind = {step.id: step.kind for step in ordered}
    loops: list[list[str]] = []
    placed: set[str] = set()
    for step in ordered:
        if step.id in placed:
            continue
        group = [other.id for other in ordered
                 if other.id in reach[step.id] and step.id in reach[other.id]]
        placed.update(group)
        cyclic = len(group) > 1 or step.id in edges[step.id]
        closed = all(target in group for member in group for target in edges[member])
        if (cyclic and closed and not broken.intersection(group)
                and all(kind[member] != OUTCOME for member in group)):
            loops.append(group)
    return loops
