"""The values a run starts (or resumes) with: declared inputs, checked by type, and answers given in
advance to its ``ask`` steps (``--set NAME=VALUE`` or a CSV column named after the question)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.errors import MissingValue, UsageError, ValidationError
from kundkit.i18n import _, pgettext
from kundkit.workflows.model import InputSpec, Workflow, pick_text
from kundkit.workflows.steptypes import Asker, Question

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction


@dataclass
class Checked:
    """The outcome of checking given values against a workflow's inputs."""

    inputs: dict[str, Any] = field(default_factory=dict)
    answers: dict[str, Any] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)   # (name, message)
    missing: list[InputSpec] = field(default_factory=list)


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def split_given(workflow: Workflow, given: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(values for inputs, answers for ask steps); a name that is neither is a usage error."""
    asks = workflow.ask_names()
    unknown = sorted(k for k in given if k not in workflow.inputs and k not in asks)
    if unknown:
        known = sorted(set(workflow.inputs) | asks)
        raise UsageError(_("workflow '{workflow}' has no input '{name}' (inputs: {known})").format(
            workflow=workflow.name, name=unknown[0], known=", ".join(known) or pgettext("list", "none")))
    return ({k: v for k, v in given.items() if k in workflow.inputs},
            {k: v for k, v in given.items() if k not in workflow.inputs})


def check_given(ctx: Context, tx: Transaction | None, workflow: Workflow,
                given: Mapping[str, Any]) -> Checked:
    """Every input checked (all problems, not just the first); defaults filled in."""
    from kundkit.workflows.inputs import parse_value

    values, answers = split_given(workflow, given)
    out = Checked(answers={k: v for k, v in answers.items() if not _empty(v)})
    for name, spec in workflow.inputs.items():
        raw = values.get(name)
        if _empty(raw):
            if spec.default is not None:
                raw = spec.default
            elif spec.required:
                out.missing.append(spec)
                continue
            else:
                out.inputs[name] = None
                continue
        try:
            out.inputs[name] = parse_value(ctx, tx, spec.type, raw, name, spec.choices)
        except ValidationError as exc:
            out.problems.append((name, exc.message))
    return out


def question_for(spec: InputSpec, language: str) -> Question:
    return Question(name=spec.name, type=spec.type, prompt=spec.label(language),
                    choices=tuple((value, pick_text(label, language) or value)
                                  for value, label in spec.choices),
                    default=spec.default, required=spec.required)


def prepare_inputs(ctx: Context, workflow: Workflow, given: dict[str, Any],
                   asker: Asker | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The inputs of a new run: given values checked, missing required ones asked (at a terminal)
    or reported all at once. Returns (inputs, answers)."""
    from kundkit.workflows.inputs import parse_value

    needs_store = any(spec.type in ("customer", "staff") for spec in workflow.inputs.values())
    if needs_store:
        with ctx.store.read() as tx:
            checked = check_given(ctx, tx, workflow, given)
    else:
        checked = check_given(ctx, None, workflow, given)
    if checked.problems:
        name, message = checked.problems[0]
        raise ValidationError(message, field=name)
    if checked.missing:
        if asker is None or ctx.no_input:
            names = ", ".join(spec.name for spec in checked.missing)
            raise MissingValue(_("workflow '{workflow}' needs {names}: give them with --set "
                                 "NAME=VALUE").format(workflow=workflow.name, names=names),
                               option="--set")
        for spec in checked.missing:
            answer = asker(question_for(spec, ctx.config.language))
            checked.inputs[spec.name] = parse_value(ctx, None, spec.type, answer, spec.name,
                                                    spec.choices)
    ordered = {name: checked.inputs.get(name) for name in workflow.inputs}
    return ordered, checked.answers


def prepare_resume(ctx: Context, workflow: Workflow,
                   given: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Values given on resume: inputs to change (checked) and answers for ask steps."""
    from kundkit.workflows.inputs import parse_value

    values, answers = split_given(workflow, given)
    inputs = {}
    for name, raw in values.items():
        spec = workflow.inputs[name]
        inputs[name] = parse_value(ctx, None, spec.type, raw, name, spec.choices)
    return inputs, {k: v for k, v in answers.items() if not _empty(v)}
