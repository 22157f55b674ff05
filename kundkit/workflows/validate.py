"""Checking workflow files: the schema, then what a schema cannot see, all problems in one pass.

Semantic checks: an unknown step type; ``with:`` keys the step type does not know or misses; a
duplicate step id; an ``on-error: goto`` to a step that does not exist; a template or condition
that does not parse or reaches for what the sandbox refuses; a reference to an input, a step or a
variable that does not exist (or a step that has not run yet at that point); ``event`` in a
workflow that no event starts; a step that can never run; a default that is not a valid value.
Each is a :class:`~kundkit.errors.Problem` ``file:line:col: where: message``.

A file that passed once is remembered by a digest of its text and the step types known, so that
starting a run (or an event) does not pay for jsonschema again.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import Problem
from kundkit.i18n import _
from kundkit.schemacheck import dotted
from kundkit.workflows.model import GOTO, Workflow, parse_on_error, workflow_from_data

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.yamldoc import YamlDoc

# What expressions can see, and which of them a trigger's condition sees.
STEP_NAMES = frozenset({"inputs", "steps", "vars", "customer", "config", "run", "now", "today",
                        "event", "language"})
TRIGGER_NAMES = frozenset({"event", "customer", "config", "now", "today", "language"})
STEP_FIELDS = ("output", "status", "error")
_CACHE_FILE = ".workflows-ok"
_CACHE_KEEP = 200
_memory: set[str] = set()


def _hint(name: str, known: list[str]) -> str:
    found = difflib.get_close_matches(name, known, n=1)
    if found:
        return " " + _("(did you mean '{hint}'?)").format(hint=found[0])
    if known:
        return " " + _("(known: {names})").format(names=", ".join(sorted(known)))
    return ""


def _is_template(value: str) -> bool:
    return "{{" in value or "{%" in value or "{#" in value


class _Checker:
    def __init__(self, doc: YamlDoc, step_types: Mapping[str, Any]) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.step_types = step_types
        self.problems: list[Problem] = []
        steps = self.data.get("steps") or []
        self.steps = [s for s in steps if isinstance(s, dict)]
        self.ids: dict[str, int] = {}
        for index, step in enumerate(steps):
            if isinstance(step, dict) and isinstance(step.get("id"), str) and step["id"] not in self.ids:
                self.ids[step["id"]] = index
        self.inputs = [str(k) for k in (self.data.get("inputs") or {})]
        self.vars = sorted({str(key) for step in self.steps if step.get("uses") == "set"
                            and isinstance(step.get("with"), dict) for key in step["with"]})
        self.has_goto = any(parse_on_error(s.get("on-error"))[0] == GOTO for s in self.steps)
        triggers = self.data.get("trigger")
        items = triggers if isinstance(triggers, list) else [triggers]
        self.has_event = any((t.get("event") if isinstance(t, dict) else t) not in (None, "manual")
                             for t in items)

    def add(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, f"{dotted(path)}: {message}", key=key))

    # -- the whole file --------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        self.check_inputs()
        self.check_triggers()
        seen: dict[str, int] = {}
        for index, step in enumerate(self.data.get("steps") or []):
            if not isinstance(step, dict):
                continue
            step_id = step.get("id")
            if isinstance(step_id, str):
                if step_id in seen:
                    self.add(("steps", index, "id"), _("duplicate step id '{id}' (also steps[{first}])")
                             .format(id=step_id, first=seen[step_id]))
                else:
                    seen[step_id] = index
            self.check_step(index, step)
        self.check_reachable()
        return self.problems

    def check_inputs(self) -> None:
        from kundkit.workflows.inputs import check_default
        from kundkit.workflows.model import InputSpec, _choices

        for name, spec in (self.data.get("inputs") or {}).items():
            if not isinstance(spec, dict):
                continue
            path = ("inputs", name)
            kind = spec.get("type")
            if kind == "choice" and not spec.get("choices"):
                self.add(path, _("an input of type choice needs 'choices'"))
            elif kind != "choice" and "choices" in spec:
                self.add(path + ("choices",), _("only an input of type choice has choices"), key=True)
            reason = check_default(InputSpec(name=str(name), type=str(kind),
                                             default=spec.get("default"),
                                             choices=_choices(spec.get("choices"))))
            if reason:
                self.add(path + ("default",), reason)

    def check_triggers(self) -> None:
        triggers = self.data.get("trigger")
        items = triggers if isinstance(triggers, list) else [triggers]
        for index, trigger in enumerate(items):
            if isinstance(trigger, dict) and "if" in trigger:
                path = ("trigger", index, "if") if isinstance(triggers, list) else ("trigger", "if")
                self.check_text(trigger["if"], path, expression=True, names=TRIGGER_NAMES, at=None)

    # -- one step --------------------------------------------------------------------------------

    def check_step(self, index: int, step: dict[str, Any]) -> None:
        path = ("steps", index)
        uses = step.get("uses")
        step_type = self.step_types.get(uses) if isinstance(uses, str) else None
        if isinstance(uses, str) and step_type is None:
            self.add(path + ("uses",), _("unknown step type '{name}'").format(name=uses)
                     + _hint(uses, list(self.step_types)))
        on_error, target = parse_on_error(step.get("on-error"))
        if on_error == GOTO and target not in self.ids:
            self.add(path + ("on-error",), _("no step '{id}' to go to").format(id=target)
                     + _hint(str(target), list(self.ids)))
        args = step.get("with")
        if isinstance(args, dict) and step_type is not None:
            self.check_parameters(path, step_type, args)
        if "if" in step:
            self.check_text(step["if"], path + ("if",), expression=True, names=STEP_NAMES, at=index)
        if isinstance(args, dict):
            self.walk_values(args, path + ("with",), index)

    def check_parameters(self, path: tuple[Any, ...], step_type: Any, args: dict[str, Any]) -> None:
        parameters = getattr(step_type, "parameters", None)
        if parameters is not None:
            for key in args:
                if key not in parameters:
                    self.add(path + ("with", key),
                             _("'{step}' has no argument '{key}'").format(step=step_type.name, key=key)
                             + _hint(str(key), list(parameters)), key=True)
        for key in getattr(step_type, "required", ()) or ():
            if key not in args:
                self.add(path + ("with",), _("'{step}' needs the argument '{key}'").format(
                    step=step_type.name, key=key))
        check = getattr(step_type, "check", None)
        if callable(check):
            for subpath, message in check(args) or []:
                self.add(path + ("with",) + tuple(subpath), message)

    def walk_values(self, value: Any, path: tuple[Any, ...], index: int) -> None:
        if isinstance(value, str):
            if _is_template(value):
                self.check_text(value, path, expression=False, names=STEP_NAMES, at=index)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.walk_values(item, path + (key,), index)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                self.walk_values(item, path + (i,), index)

    # -- expressions -----------------------------------------------------------------------------

    def check_text(self, text: Any, path: tuple[Any, ...], *, expression: bool,
                   names: frozenset[str], at: int | None) -> None:
        from kundkit.expressions import check_syntax, referenced_paths

        if not isinstance(text, str):
            return
        reason = check_syntax(text, expression=expression)
        if reason:
            self.add(path, reason)
            return
        for ref in sorted(referenced_paths(text, expression=expression), key=str):
            message = self.check_reference(ref, names, at)
            if message:
                self.add(path, message)

    def check_reference(self, ref: tuple[Any, ...], names: frozenset[str], at: int | None) -> str | None:
        head = str(ref[0])
        if head not in names:
            return _("'{name}' is not defined here").format(name=head) + _hint(head, sorted(names))
        if len(ref) < 2:
            if head == "event" and not self.has_event:
                return _("'event' is only set when an event starts the workflow, and no event "
                         "starts this one")
            return None
        name = str(ref[1])
        if head == "inputs" and name not in self.inputs:
            return _("'inputs.{name}' is not an input of this workflow").format(name=name) + _hint(
                name, self.inputs)
        if head == "steps":
            if name not in self.ids:
                return _("'steps.{name}' is not a step of this workflow").format(name=name) + _hint(
                    name, list(self.ids))
            if at is not None and not self.has_goto and self.ids[name] >= at:
                return _("'steps.{name}' has not run yet at this point").format(name=name)
            if len(ref) > 2 and str(ref[2]) not in STEP_FIELDS:
                return _("'steps.{name}.{field}': a step has {fields}").format(
                    name=name, field=ref[2], fields=", ".join(STEP_FIELDS))
        if head == "vars" and name not in self.vars:
            return _("'vars.{name}' is never set by a 'set' step").format(name=name) + _hint(
                name, self.vars)
        if head == "event" and not self.has_event:
            return _("'event' is only set when an event starts the workflow, and no event starts "
                     "this one")
        return None

    # -- reachability ----------------------------------------------------------------------------

    def check_reachable(self) -> None:
        steps = self.data.get("steps") or []
        if not isinstance(steps, list) or not steps:
            return
        edges: dict[int, set[int]] = {}
        for index, step in enumerate(steps):
            out: set[int] = set()
            if not isinstance(step, dict):
                edges[index] = out
                continue
            uses = step.get("uses")
            conditional = "if" in step and step["if"] is not True
            on_error, target = parse_on_error(step.get("on-error"))
            stops = uses in ("end", "fail") and not conditional
            if not stops or (uses == "fail" and on_error == "continue"):
                out.add(index + 1)
            if on_error == GOTO and target in self.ids:
                out.add(self.ids[target])
            edges[index] = {i for i in out if i < len(steps)}
        seen = {0}
        todo = [0]
        while todo:
            for nxt in edges.get(todo.pop(), set()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        for index, step in enumerate(steps):
            if index not in seen and isinstance(step, dict):
                self.add(("steps", index, "id"), _(
                    "step '{id}' can never run: it comes after an 'end' or 'fail' step and no "
                    "'goto' leads to it").format(id=step.get("id")))


def check_document(doc: YamlDoc, step_types: Mapping[str, Any]) -> list[Problem]:
    """Every problem of a parsed workflow file: the schema's, then the semantic ones."""
    from kundkit.schemacheck import validate
    from kundkit.workflows.schema import workflow_schema

    if not isinstance(doc.data, dict):
        return [Problem(doc.file, 1, 1, _("a workflow must be a mapping with name and steps"))]
    problems = validate(doc, workflow_schema())
    problems += _Checker(doc, step_types).run()
    seen: set[str] = set()
    unique = []
    for problem in sorted(problems, key=lambda p: (p.line, p.col)):
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique


def step_types_of(ctx: Context) -> dict[str, Any]:
    return ctx.registry("register_step_types", "step type")


def _cache_key(text: str, step_types: Mapping[str, Any]) -> str:
    from kundkit.workflows.model import digest_of

    signature = ";".join(f"{name}:{sorted(getattr(t, 'parameters', None) or [])}"
                         for name, t in sorted(step_types.items()))
    return digest_of(text + "\0" + signature)


def _known_good(ctx: Context, key: str) -> bool:
    if key in _memory:
        return True
    try:
        lines = (ctx.config.store_path / _CACHE_FILE).read_text(encoding="utf-8").split()
    except OSError:
        return False
    if key in lines:
        _memory.add(key)
        return True
    return False


def _remember(ctx: Context, key: str) -> None:
    _memory.add(key)
    folder = ctx.config.store_path
    if not folder.is_dir():
        return
    path = folder / _CACHE_FILE
    try:
        lines = path.read_text(encoding="utf-8").split() if path.exists() else []
        lines = [line for line in lines if line != key][-(_CACHE_KEEP - 1):] + [key]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    except OSError:
        pass  # a read-only store folder only costs the next run the validation


def validated_workflow(ctx: Context, path: Path) -> tuple[Workflow | None, list[Problem]]:
    """The workflow in ``path`` and its problems (the workflow is None when there are any)."""
    from kundkit.workflows.model import digest_of, read_document

    doc, text, problems = read_document(path)
    if problems or doc is None:
        return None, problems
    step_types = step_types_of(ctx)
    key = _cache_key(text, step_types)
    if not _known_good(ctx, key):
        problems = check_document(doc, step_types)
        if problems:
            return None, problems
        _remember(ctx, key)
    return workflow_from_data(doc.data, doc.file, digest_of(text)), []


def validate_files(ctx: Context, paths: list[Path]) -> tuple[list[Workflow], list[Problem]]:
    """Check every file (all problems of all files), and that no two share a name."""
    from kundkit.workflows.model import read_document

    step_types = step_types_of(ctx)
    problems: list[Problem] = []
    found: list[Workflow] = []
    names: dict[str, str] = {}
    for path in paths:
        doc, _text, syntax = read_document(path)
        if syntax or doc is None:
            problems += syntax
            continue
        file_problems = check_document(doc, step_types)
        problems += file_problems
        if isinstance(doc.data, dict) and isinstance(doc.data.get("name"), str):
            name = doc.data["name"]
            if name in names:
                problems.append(doc.problem(("name",), _(
                    "name: another workflow is named '{name}' ({file})").format(
                    name=name, file=names[name])))
            else:
                names[name] = doc.file
                if path.stem != name and not file_problems:
                    problems.append(doc.problem(("name",), _(
                        "name: the workflow '{name}' should be in a file named {name}.yaml")
                        .format(name=name)))
        if not file_problems:
            found.append(workflow_from_data(doc.data, doc.file))
    return found, problems
