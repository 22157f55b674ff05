"""The contract of a workflow step type: what ``uses: NAME`` runs.

A step type is any object with these attributes (subclass :class:`StepType` for the defaults)::

    name         "customer.create": what ``uses:`` names; unique among all plugins
    description  one line for ``kundkit workflow schema`` and the docs
    parameters   {"key": "one-line help"}: the keys ``with:`` may have; None accepts any key
    required     ("key", ...): the keys ``with:`` must have
    interactive  False (default): ``run`` gets a write transaction ``call.tx``, and what it writes
                 is committed together with the run's state, or not at all; True: ``run`` talks
                 to a person, outside the store's lock, and ``call.tx`` is None
    run(call)    does the work; returns the step's output (``steps.ID.output``: text, numbers,
                 lists, mappings; Decimal and dates are stored as text), or ``call.wait(...)``
                 to pause the run, or ``call.end(...)`` to finish it; raises a
                 :class:`kundkit.errors.KundkitError` (or :class:`StepFailed`) when it fails,
                 and the step's ``on-error:`` decides what happens next
    check(args)  optional: problems ``workflow validate`` can find without running:
                 a list of (path inside ``with:``, message)

``call`` is a :class:`StepCall`: the rendered ``with:`` values (``call.args``), the store
(``call.tx``), the context (``call.ctx``), the run's current customer (``call.customer``), and
helpers to emit events after the commit, to set the run's customer, and to pause.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kundkit.errors import KundkitError, MissingValue, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction


class StepFailed(KundkitError):
    """A step did not do its work; the message says why."""


@dataclass(frozen=True)
class Question:
    """What an ``ask`` step wants to know from the operator."""

    name: str
    type: str
    prompt: str
    choices: tuple[tuple[str, str], ...] = ()
    default: Any = None
    required: bool = True


Asker = Callable[[Question], Any]


@dataclass(frozen=True)
class Wait:
    """The run pauses here. ``until`` None waits for a person (``workflow resume RUN``); a moment
    lets ``workflow resume --due`` continue it then. ``rerun`` runs the step again on resume (an
    ``ask`` that had nobody to ask), instead of going on after it."""

    message: str = ""
    until: datetime | None = None
    rerun: bool = False
    name: str | None = None

    @property
    def kind(self) -> str:
        if self.rerun:
            return "answer"
        return "date" if self.until is not None else "person"


@dataclass(frozen=True)
class End:
    """The run is done (an ``end`` step)."""

    message: str = ""


class StepType:
    """Defaults of the contract; a step type may subclass it or just have the same attributes."""

    name = ""
    description = ""
    parameters: Mapping[str, str] | None = None
    required: tuple[str, ...] = ()
    interactive = False

    def run(self, call: StepCall) -> Any:  # pragma: no cover - each step type has its own
        raise NotImplementedError

    def check(self, args: Mapping[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
        return []


@dataclass
class StepCall:
    """What a step type's ``run`` gets."""

    ctx: Context
    tx: Transaction | None
    args: dict[str, Any]
    variables: Mapping[str, Any]
    run_id: str
    workflow: str
    step_id: str
    language: str
    customer: dict[str, Any] | None = None
    dry_run: bool = False
    given: Mapping[str, Any] = field(default_factory=dict)
    asker: Asker | None = None
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    customer_id: str | None = None
    notes: list[str] = field(default_factory=list)
    new_vars: dict[str, Any] = field(default_factory=dict)

    # -- arguments -------------------------------------------------------------------------------

    def arg(self, key: str, default: Any = None) -> Any:
        """``with:`` value ``key``; None and empty text count as not given."""
        value = self.args.get(key, default)
        return default if value is None or value == "" else value

    def need(self, key: str) -> Any:
        value = self.arg(key)
        if value is None:
            raise ValidationError(_("{step}: '{key}' is needed").format(step=self.step_id, key=key),
                                  field=key)
        return value

    def text(self, value: Any) -> str:
        """A text of ``with:`` in the customer's language (``{sv: ..., en: ...}`` or one string):
        for what the customer reads."""
        from kundkit.workflows.model import pick_text

        return pick_text(value, self.language)

    def operator_text(self, value: Any) -> str:
        """A text of ``with:`` in the language kundkit speaks now: for what staff read (a task's
        title, a question, why a run stopped)."""
        from kundkit.i18n import get_language
        from kundkit.workflows.model import pick_text

        return pick_text(value, get_language())

    def customer_arg(self, key: str = "customer") -> str:
        """The customer id of ``with: {customer: ...}``, else the run's current customer."""
        value = self.arg(key)
        if isinstance(value, Mapping):
            value = value.get("id")
        if value is None and self.customer is not None:
            value = self.customer.get("id")
        if value is None:
            raise ValidationError(_("{step}: no customer: give 'customer' or find or create one "
                                    "in an earlier step").format(step=self.step_id), field=key)
        return str(value)

    @property
    def store(self) -> Transaction:
        if self.tx is None:
            raise StepFailed(_("step type of '{step}' is interactive and cannot use the store").format(
                step=self.step_id))
        return self.tx

    # -- effects ---------------------------------------------------------------------------------

    def emit(self, event: str, **kwargs: Any) -> None:
        """Fire an event hook once the step's transaction is committed (never in a dry run)."""
        self.events.append((event, kwargs))

    def set_customer(self, customer_id: str | None) -> None:
        """Make ``customer_id`` the run's current customer (``customer`` in expressions)."""
        self.customer_id = customer_id

    def set_var(self, name: str, value: Any) -> None:
        """Set ``vars.NAME`` for the steps that follow."""
        self.new_vars[name] = value

    def note(self, message: str) -> None:
        """A line for the run's log (what was done, what a dry run would do)."""
        self.notes.append(message)

    def wait(self, message: str = "", *, until: datetime | None = None) -> Wait:
        return Wait(message=message, until=until)

    def end(self, message: str = "") -> End:
        return End(message=message)

    def ask(self, question: Question) -> Any:
        """The answer: given in advance (``--set NAME=...``, a CSV column), else asked at a
        terminal; raises :class:`MissingValue` when nobody can be asked."""
        if question.name in self.given and self.given[question.name] not in (None, ""):
            return self.given[question.name]
        if self.asker is None or self.ctx.no_input:
            raise MissingValue(_("{step}: nobody to ask for '{name}'; resume with --set "
                                 "{name}=VALUE").format(step=self.step_id, name=question.name),
                               option=f"--set {question.name}=VALUE")
        return self.asker(question)
