"""A workflow file as data, and where the business keeps its workflow files.

A workflow (``workflows/complaint.yaml``)::

    name: complaint
    description: {sv: Ta emot ett klagomål, en: Take in a complaint}
    trigger: manual                     # or an event, or {event: ..., if: ...}, or a list of them
    inputs:
      customer: {type: customer, prompt: {sv: Kund, en: Customer}}
      text: {type: text}
    steps:
      - id: register
        uses: feedback.create
        with: {customer: "{{ inputs.customer }}", kind: complaint, text: "{{ inputs.text }}"}
      - id: done
        uses: end
        if: "steps.register.status == 'done'"
        on-error: fail                  # or continue, or goto STEP

Every text a person reads may be one string or a mapping ``{sv: ..., en: ...}``; the customer's
language (or the business's) picks one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, Problem, ProblemsError
from kundkit.i18n import _, pgettext

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.yamldoc import YamlDoc

# The events a workflow can be started by, and the record each one carries.
EVENTS: dict[str, str] = {
    "customer.created": "customer",
    "purchase.recorded": "purchase",
    "feedback.received": "feedback",
}
INPUT_TYPES = ("text", "number", "choice", "date", "email", "phone", "orgnr", "customer", "staff")
ON_ERROR = ("fail", "continue")
GOTO = "goto"
NAME_PATTERN = "^[a-z][a-z0-9-]*$"
IDENT_PATTERN = "^[a-z][a-z0-9_]*$"
ON_ERROR_PATTERN = "^(fail|continue|goto +[a-z][a-z0-9_]*)$"
SUFFIXES = (".yaml", ".yml")

Text = str | dict[str, str]


def pick_text(value: Any, language: str) -> str:
    """The text of ``value`` in ``language``: a plain string, or ``{sv: ..., en: ...}``."""
    if value is None:
        return ""
    if isinstance(value, dict):
        for key in (language, "en", "sv"):
            if value.get(key):
                return str(value[key])
        return str(next(iter(value.values()), ""))
    return str(value)


@dataclass(frozen=True)
class InputSpec:
    """A typed input of a workflow."""

    name: str
    type: str
    required: bool = True
    default: Any = None
    prompt: Any = None
    description: Any = None
    choices: tuple[tuple[str, Any], ...] = ()

    def label(self, language: str) -> str:
        return pick_text(self.prompt, language) or self.name


@dataclass(frozen=True)
class Trigger:
    """``event`` None is a manual start; ``condition`` an ``if:`` on the event's record."""

    event: str | None = None
    condition: Any = None


@dataclass(frozen=True)
class Step:
    id: str
    uses: str
    with_: dict[str, Any] = field(default_factory=dict)
    condition: Any = None
    on_error: str = "fail"
    goto: str | None = None
    description: Any = None
    index: int = 0


@dataclass
class Workflow:
    name: str
    file: str
    steps: list[Step]
    inputs: dict[str, InputSpec] = field(default_factory=dict)
    triggers: list[Trigger] = field(default_factory=lambda: [Trigger()])
    description: Any = None
    data: dict[str, Any] = field(default_factory=dict)
    digest: str = ""

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise NotFound(_("workflow '{name}' has no step '{step}'").format(name=self.name, step=step_id))

    def next_step(self, step: Step) -> Step | None:
        return self.steps[step.index + 1] if step.index + 1 < len(self.steps) else None

    @property
    def manual(self) -> bool:
        return any(t.event is None for t in self.triggers)

    @property
    def events(self) -> list[str]:
        return [t.event for t in self.triggers if t.event is not None]

    def ask_names(self) -> set[str]:
        """The names the ``ask`` steps ask for (values ``--set`` may give in advance)."""
        return {str(s.with_.get("name")) for s in self.steps
                if s.uses == "ask" and isinstance(s.with_.get("name"), str)}


def _choices(value: Any) -> tuple[tuple[str, Any], ...]:
    if isinstance(value, dict):
        return tuple((str(k), v) for k, v in value.items())
    if isinstance(value, list):
        return tuple((str(v), None) for v in value)
    return ()


def _triggers(value: Any) -> list[Trigger]:
    if value is None:
        return [Trigger()]
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            event = item.get("event")
            out.append(Trigger(event=None if event in (None, "manual") else str(event),
                               condition=item.get("if")))
        else:
            out.append(Trigger(event=None if item == "manual" else str(item)))
    return out or [Trigger()]


def parse_on_error(value: Any) -> tuple[str, str | None]:
    text = " ".join(str(value or "fail").split())
    if text.startswith(GOTO + " "):
        return GOTO, text[len(GOTO) + 1:].strip()
    return text, None


def workflow_from_data(data: dict[str, Any], file: str, digest: str = "") -> Workflow:
    """The workflow in already validated data (see :mod:`kundkit.workflows.validate`)."""
    inputs = {}
    for name, spec in (data.get("inputs") or {}).items():
        spec = spec or {}
        has_default = "default" in spec
        inputs[str(name)] = InputSpec(
            name=str(name), type=str(spec.get("type", "text")),
            required=bool(spec.get("required", not has_default)),
            default=spec.get("default"), prompt=spec.get("prompt"),
            description=spec.get("description"), choices=_choices(spec.get("choices")))
    steps = []
    for index, raw in enumerate(data.get("steps") or []):
        on_error, goto = parse_on_error(raw.get("on-error"))
        steps.append(Step(id=str(raw["id"]), uses=str(raw["uses"]), with_=dict(raw.get("with") or {}),
                          condition=raw.get("if"), on_error=on_error, goto=goto,
                          description=raw.get("description"), index=index))
    return Workflow(name=str(data["name"]), file=file, steps=steps, inputs=inputs,
                    triggers=_triggers(data.get("trigger")), description=data.get("description"),
                    data=data, digest=digest)


# -- files -----------------------------------------------------------------------------------------

def workflows_folder(ctx: Context) -> Path:
    section = ctx.config.section("workflows", {}) or {}
    return ctx.config.resolve(str(section.get("path") or "workflows"))


def disabled_workflows(ctx: Context) -> set[str]:
    section = ctx.config.section("workflows", {}) or {}
    return {str(name) for name in section.get("disabled") or []}


def workflow_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in SUFFIXES and p.is_file()
                  and not p.name.startswith("."))


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_document(path: Path) -> tuple[YamlDoc | None, str, list[Problem]]:
    """The parsed file, its text and its syntax problems (a file that cannot be read is one)."""
    from kundkit.yamldoc import parse_yaml

    name = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, "", [Problem(name, 1, 1, _("file not found"))]
    except (OSError, UnicodeDecodeError) as exc:
        return None, "", [Problem(name, 1, 1, _("cannot read the file: {reason}").format(reason=exc))]
    doc, problems = parse_yaml(text, name)
    return doc, text, problems


def find_workflow_file(ctx: Context, name: str) -> Path:
    """The file of workflow ``name`` (``workflows/NAME.yaml``, or any file whose ``name:`` is it);
    a path to a file works too."""
    import re

    given = Path(name)
    if given.suffix in SUFFIXES and given.is_file():
        return given
    folder = workflows_folder(ctx)
    for suffix in SUFFIXES:
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    pattern = re.compile(r"^name:\s*[\"']?" + re.escape(name) + r"[\"']?\s*$", re.MULTILINE)
    for path in workflow_files(folder):
        try:
            if pattern.search(path.read_text(encoding="utf-8")):
                return path
        except (OSError, UnicodeDecodeError):
            continue
    known = [p.stem for p in workflow_files(folder)]
    raise NotFound(_("no workflow '{name}' in {folder} (there are: {known})").format(
        name=name, folder=display_path(folder), known=", ".join(known) or pgettext("list", "none")))


def load_workflow(ctx: Context, name_or_path: str | Path) -> Workflow:
    """The workflow, validated; :class:`ProblemsError` listing every problem otherwise."""
    from kundkit.workflows.validate import validated_workflow

    path = Path(name_or_path) if isinstance(name_or_path, Path) else find_workflow_file(ctx, name_or_path)
    workflow, problems = validated_workflow(ctx, path)
    if problems or workflow is None:
        raise ProblemsError(problems)
    return workflow
