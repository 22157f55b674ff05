"""Running workflows: one step at a time, each in its own transaction, the run's state saved with
what the step wrote.

Why each step commits with the run's state: a crash (or ``kill -9``) at any moment leaves either
the state before the step (the step will run again on resume, and nothing of its half-done work
is in the store) or the state after it (the step is done and will not run again). Only effects
outside the store — a message handed to a mail server — can happen twice, if the process dies
after sending and before the commit.

A step that asks a person (``interactive``) runs outside the store's lock, so that nobody else
waits while the operator types; its answer is saved afterwards.

A dry run (``--dry-run``) runs every step inside one transaction that is thrown away at the end:
the steps see what earlier steps "wrote", nothing is stored, no event fires, no message is sent.
"""

from __future__ import annotations

import contextvars
import os
import secrets
import socket
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict, KundkitError, UsageError
from kundkit.i18n import _
from kundkit.idtable import stamp
from kundkit.workflows.model import GOTO, Step, Workflow, workflow_from_data
from kundkit.workflows.runs import (ACTIVE, get_run, insert_run, new_run_id, runner_alive, save_run,
                                    shown_status)
from kundkit.workflows.steptypes import Asker, End, StepCall, Wait

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

MAX_STEPS = 200
DRY_RUN_ID = "R-DRY-RUN"

# The workflows running in this process (innermost last): an event fired by a step does not start
# a workflow that is already running, so a workflow cannot set itself off in a loop.
ACTIVE_WORKFLOWS: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "kundkit_active_workflows", default=())

Report = Callable[[str], None]


class _Rollback(Exception):
    """Ends a dry run's transaction without committing it."""


class _Stop(Exception):
    """Someone else changed the run (cancelled it, took it over): this process stops running it."""


def plain(value: Any) -> Any:
    """``value`` as JSON can store it: Decimal and dates as text, tuples as lists."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def summary(output: Any) -> str:
    """A few words on a step's output for a progress line."""
    if isinstance(output, Mapping):
        if output.get("id"):
            return str(output["id"])
        parts = [f"{k}={v}" for k, v in output.items() if isinstance(v, (str, int, float, bool))]
        return ", ".join(parts[:4])
    if isinstance(output, list):
        return ", ".join(str(summary(item)) for item in output[:5])
    return "" if output is None else str(output)


@dataclass
class Outcome:
    """What a step came to, before it is written into the run."""

    status: str                       # done | skipped | failed | waiting | ended
    output: Any = None
    error: str | None = None
    wait: Wait | None = None
    message: str = ""


class Engine:
    """Runs, resumes and cancels workflow runs for one :class:`Context`.

    ``asker`` asks the operator (the command line gives one at a terminal); ``report`` gets a line
    per step for the person watching (stderr); ``dry_run`` stores nothing.
    """

    def __init__(self, ctx: Context, *, asker: Asker | None = None, report: Report | None = None,
                 dry_run: bool = False, max_steps: int = MAX_STEPS) -> None:
        self.ctx = ctx
        self.asker = asker
        self.report = report or (lambda line: None)
        self.dry_run = dry_run
        self.max_steps = max_steps
        self.token = secrets.token_hex(8)
        self._dry_tx: Transaction | None = None
        self._step_types: dict[str, Any] | None = None

    # -- public ----------------------------------------------------------------------------------

    def start(self, workflow: Workflow, given: Mapping[str, Any] | None = None, *,
              trigger: dict[str, Any] | None = None) -> dict[str, Any]:
        """Start a run of ``workflow`` with the given values (inputs, and answers for ``ask`` steps)
        and run it until it ends, fails or waits. Returns the run record."""
        from kundkit.workflows.prepare import prepare_inputs

        inputs, answers = prepare_inputs(self.ctx, workflow, dict(given or {}), self.asker)
        trigger = trigger or {"type": "manual"}
        customer = self._first_customer(workflow, inputs, trigger)
        if self.dry_run:
            with self._dry_run():
                record = self._new_record(workflow, inputs, answers, trigger, customer, DRY_RUN_ID)
                return self._loop(record)
        with self.ctx.store.transaction() as tx:
            run_id, _number = new_run_id(tx)
            record = self._new_record(workflow, inputs, answers, trigger, customer, run_id)
            insert_run(tx, record)
        self.report(_("{run}: {workflow} started").format(run=record["id"], workflow=workflow.name))
        return self._loop(record)

    def resume(self, run_id: str, given: Mapping[str, Any] | None = None, *,
               force: bool = False) -> dict[str, Any]:
        """Go on with a waiting or interrupted run. ``force`` resumes a run waiting for a date
        before that date, or one whose process cannot be checked (another machine)."""
        from kundkit.workflows.prepare import prepare_resume

        if self.dry_run:
            raise UsageError(_("a dry run cannot resume a stored run"))
        with self.ctx.store.read() as tx:
            record = get_run(tx, run_id)
        workflow = self._definition(record)
        inputs, answers = prepare_resume(self.ctx, workflow, dict(given or {}))
        with self.ctx.store.transaction() as tx:
            record = get_run(tx, run_id)
            self._check_resumable(record, force)
            waiting = record.get("waiting") or {}
            if record["status"] == "waiting" and waiting.get("kind") in ("person", "date"):
                step = workflow.step(waiting["step"])
                record["steps"][step.id] = {"status": "done", "at": stamp(self.ctx),
                                            "output": {"resumed_at": stamp(self.ctx),
                                                       "by": self.ctx.actor}}
                self._log(record, step.id, "done", _("resumed"))
                following = workflow.next_step(step)
                record["next"] = following.id if following else None
            record["inputs"].update(inputs)
            record["given"].update(answers)
            record["status"] = "running"
            record["waiting"] = None
            record["runner"] = self._runner()
            record["updated_at"] = stamp(self.ctx)
            if record["next"] is None:
                self._finish(record, "done")
            save_run(tx, record)
        self.report(_("{run}: {workflow} resumed").format(run=record["id"], workflow=workflow.name))
        if record["status"] != "running":
            return record
        return self._loop(record)

    # -- the loop --------------------------------------------------------------------------------

    def _loop(self, record: dict[str, Any]) -> dict[str, Any]:
        workflow = self._definition(record)
        outer = ACTIVE_WORKFLOWS.set(ACTIVE_WORKFLOWS.get() + (workflow.name,))
        try:
            count = 0
            while record["status"] == "running" and record.get("next"):
                count += 1
                step = workflow.step(record["next"])
                if count > self.max_steps:
                    record = self._fail_run(record, step, _(
                        "stopped after {n} steps: does an 'on-error: goto' make a loop?").format(
                        n=self.max_steps))
                    break
                try:
                    record = self._run_step(workflow, record, step)
                except _Stop:
                    with self.ctx.store.read() as tx:
                        record = get_run(tx, record["id"])
                    self.report(_("{run}: stopped here: the run is {status} now").format(
                        run=record["id"], status=_(shown_status(record))))
                    break
        finally:
            ACTIVE_WORKFLOWS.reset(outer)
        self._report_end(record)
        return record

    def _run_step(self, workflow: Workflow, record: dict[str, Any], step: Step) -> dict[str, Any]:
        step_type = self.step_types()[step.uses]
        interactive = bool(getattr(step_type, "interactive", False))
        events: list[tuple[str, dict[str, Any]]] = []
        try:
            if interactive and not self.dry_run:
                with self.ctx.store.read() as tx:
                    call = self._prepare(workflow, record, step, tx, for_store=False)
                outcome = self._call(step_type, call) if call is not None else Outcome("skipped")
                with self._transaction() as tx:
                    record = self._reload(tx, record)
                    record = self._apply(workflow, record, step, outcome, call)
                    self._save(tx, record)
            else:
                with self._transaction() as tx:
                    record = self._reload(tx, record)
                    call = self._prepare(workflow, record, step, tx, for_store=True)
                    outcome = self._call(step_type, call) if call is not None else Outcome("skipped")
                    if self.dry_run and outcome.status == "waiting" and call is not None:
                        # A dry run shows the whole way through, so it does not stop to wait.
                        call.note(_("would wait: {message}").format(message=outcome.message))
                        outcome = Outcome("done")
                    if self.dry_run and call is not None:
                        for event, _kwargs in call.events:
                            call.note(_("would fire {event}").format(event=event))
                    record = self._apply(workflow, record, step, outcome, call)
                    self._save(tx, record)
                    events = list(call.events) if call is not None else []
        except (_Stop, _Rollback):
            raise
        except Exception as exc:  # noqa: BLE001 - a step's failure is the run's business, not a crash
            return self._failed(workflow, record, step, exc)
        if not self.dry_run:
            for event, kwargs in events:
                self._emit(event, kwargs)
        return record

    def _prepare(self, workflow: Workflow, record: dict[str, Any], step: Step,
                 tx: Transaction, *, for_store: bool) -> StepCall | None:
        """The call for ``step``, or None when its condition is false."""
        from kundkit.expressions import evaluate_condition, render_value

        variables = self.variables(tx, workflow, record)
        language = variables["language"]
        if step.condition is not None and not evaluate_condition(step.condition, variables,
                                                                 language=language):
            return None
        args = render_value(step.with_, variables, language=language,
                            currency=self.ctx.config.currency)
        return StepCall(ctx=self.ctx, tx=tx if for_store else None, args=args, variables=variables,
                        run_id=record["id"], workflow=workflow.name, step_id=step.id,
                        language=language, customer=variables.get("customer"),
                        dry_run=self.dry_run, given=dict(record.get("given") or {}),
                        asker=self.asker)

    @staticmethod
    def _call(step_type: Any, call: StepCall) -> Outcome:
        result = step_type.run(call)
        if isinstance(result, Wait):
            return Outcome("waiting", wait=result, message=result.message)
        if isinstance(result, End):
            return Outcome("ended", output=result.message or None, message=result.message)
        return Outcome("done", output=plain(result))

    # -- state changes ---------------------------------------------------------------------------

    def _apply(self, workflow: Workflow, record: dict[str, Any], step: Step, outcome: Outcome,
               call: StepCall | None) -> dict[str, Any]:
        now = stamp(self.ctx)
        if call is not None:
            if call.customer_id is not None:
                record["customer"] = call.customer_id
            record["vars"].update(plain(call.new_vars))
            for note in call.notes:
                self._log(record, step.id, "note", note)
        record["updated_at"] = now
        following = workflow.next_step(step)
        if outcome.status == "skipped":
            record["steps"][step.id] = {"status": "skipped", "at": now}
            self._log(record, step.id, "skipped", _("condition is false"))
            self.report(_("  {step}: skipped (condition is false)").format(step=step.id))
            record["next"] = following.id if following else None
        elif outcome.status == "waiting" and outcome.wait is not None:
            wait = outcome.wait
            record["steps"][step.id] = {"status": "waiting", "at": now}
            record["status"] = "waiting"
            record["runner"] = None
            record["waiting"] = {"step": step.id, "kind": wait.kind, "message": wait.message,
                                 "until": wait.until.isoformat() if wait.until else None,
                                 "name": wait.name, "since": now}
            record["next"] = step.id
            self._log(record, step.id, "waiting", wait.message)
        elif outcome.status == "ended":
            record["steps"][step.id] = {"status": "done", "at": now, "output": outcome.output}
            self._log(record, step.id, "done", outcome.message or _("end"))
            self.report(_("  {step}: end {message}").format(step=step.id, message=outcome.message)
                        .rstrip())
            record["next"] = None
        else:
            record["steps"][step.id] = {"status": "done", "at": now, "output": outcome.output}
            shown = summary(outcome.output)
            self._log(record, step.id, "done", shown)
            self.report(_("  {step}: done {summary}").format(step=step.id, summary=shown).rstrip())
            record["next"] = following.id if following else None
        if record["status"] == "running" and record["next"] is None:
            self._finish(record, "done")
        return record

    def _failed(self, workflow: Workflow, record: dict[str, Any], step: Step,
                exc: BaseException) -> dict[str, Any]:
        message = exc.message if isinstance(exc, KundkitError) else f"{type(exc).__name__}: {exc}"
        if isinstance(exc, Conflict) and getattr(exc, "matches", None):
            message = exc.message
        self.report(_("  {step}: failed: {error}").format(step=step.id, error=message))
        with self._transaction() as tx:
            record = self._reload(tx, record)
            now = stamp(self.ctx)
            record["steps"][step.id] = {"status": "failed", "at": now, "error": message}
            self._log(record, step.id, "failed", message)
            record["updated_at"] = now
            if step.on_error == "continue":
                following = workflow.next_step(step)
                record["next"] = following.id if following else None
                self.report(_("  {step}: on-error: continue").format(step=step.id))
                if record["next"] is None:
                    self._finish(record, "done")
            elif step.on_error == GOTO and step.goto:
                record["next"] = step.goto
                self.report(_("  {step}: on-error: goto {target}").format(step=step.id,
                                                                          target=step.goto))
            else:
                record["error"] = f"{step.id}: {message}"
                self._finish(record, "failed")
            self._save(tx, record)
        return record

    def _fail_run(self, record: dict[str, Any], step: Step, message: str) -> dict[str, Any]:
        with self._transaction() as tx:
            record = self._reload(tx, record)
            record["error"] = f"{step.id}: {message}"
            self._log(record, step.id, "failed", message)
            self._finish(record, "failed")
            self._save(tx, record)
        return record

    def _finish(self, record: dict[str, Any], status: str) -> None:
        record["status"] = status
        record["next"] = None
        record["runner"] = None
        record["finished_at"] = stamp(self.ctx)

    @staticmethod
    def _log(record: dict[str, Any], step: str, status: str, message: str) -> None:
        record["log"].append({"at": record.get("updated_at"), "step": step, "status": status,
                              "message": message})

    # -- the store -------------------------------------------------------------------------------

    @contextmanager
    def _dry_run(self) -> Iterator[None]:
        try:
            with self.ctx.store.transaction() as tx:
                self._dry_tx = tx
                yield
                raise _Rollback
        except _Rollback:
            pass
        finally:
            self._dry_tx = None

    @contextmanager
    def _transaction(self) -> Iterator[Transaction]:
        if self._dry_tx is not None:
            yield self._dry_tx
            return
        with self.ctx.store.transaction() as tx:
            yield tx

    def _reload(self, tx: Transaction, record: dict[str, Any]) -> dict[str, Any]:
        if self.dry_run:
            return record
        stored = get_run(tx, record["id"])
        runner = stored.get("runner") or {}
        if stored["status"] != "running" or runner.get("token") != self.token:
            raise _Stop
        return stored

    def _save(self, tx: Transaction, record: dict[str, Any]) -> None:
        if not self.dry_run:
            save_run(tx, record)

    def _runner(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "host": socket.gethostname(), "token": self.token}

    def _check_resumable(self, record: dict[str, Any], force: bool) -> None:
        status = shown_status(record)
        if status not in ACTIVE and status != "interrupted":
            raise Conflict(_("run {id} is {status}; there is nothing to resume").format(
                id=record["id"], status=_(status)))
        if status == "running" and not force:
            runner = record.get("runner") or {}
            raise Conflict(_("run {id} is running in process {pid} on {host}; if that process is "
                             "gone, resume with --force").format(id=record["id"],
                                                                 pid=runner.get("pid"),
                                                                 host=runner.get("host")))
        waiting = record.get("waiting") or {}
        if status == "waiting" and waiting.get("kind") == "date" and not force:
            until = datetime.fromisoformat(waiting["until"])
            if until > self.ctx.now():
                raise Conflict(_("run {id} waits until {until}; resume with --force to go on "
                                 "now").format(id=record["id"],
                                               until=until.isoformat(timespec="minutes")))

    # -- variables -------------------------------------------------------------------------------

    def step_types(self) -> dict[str, Any]:
        if self._step_types is None:
            self._step_types = self.ctx.registry("register_step_types", "step type")
        return self._step_types

    def _definition(self, record: dict[str, Any]) -> Workflow:
        return workflow_from_data(record["definition"], record.get("file", ""))

    def variables(self, tx: Transaction | None, workflow: Workflow,
                  record: dict[str, Any]) -> dict[str, Any]:
        """What expressions see: inputs, steps, vars, customer, config, run, now, today, event,
        language."""
        from kundkit.workflows.inputs import typed

        customer = None
        if record.get("customer") and tx is not None:
            from kundkit.customers import get_customer
            from kundkit.errors import NotFound

            try:
                customer = get_customer(tx, record["customer"])
            except NotFound:
                customer = None
        language = (customer or {}).get("language") or self.ctx.config.language
        steps = {sid: {"status": entry.get("status"), "output": entry.get("output"),
                       "error": entry.get("error")} for sid, entry in record["steps"].items()}
        variables: dict[str, Any] = {
            "inputs": {name: typed(spec.type, record["inputs"].get(name))
                       for name, spec in workflow.inputs.items()},
            "steps": steps,
            "vars": dict(record.get("vars") or {}),
            "customer": customer,
            "config": self.ctx.config.data,
            "run": {"id": record["id"], "workflow": workflow.name,
                    "started_at": record.get("started_at"), "started_by": record.get("started_by")},
            "now": self.ctx.now(),
            "today": self.ctx.today(),
            "language": language,
        }
        trigger = record.get("trigger") or {}
        if trigger.get("type") == "event":
            variables["event"] = {"name": trigger.get("event"), "record": trigger.get("record"),
                                  trigger.get("kind") or "record": trigger.get("record")}
        return variables

    def _first_customer(self, workflow: Workflow, inputs: dict[str, Any],
                        trigger: dict[str, Any]) -> str | None:
        for name, spec in workflow.inputs.items():
            if spec.type == "customer" and inputs.get(name):
                return str(inputs[name])
        record = trigger.get("record") or {}
        if trigger.get("kind") == "customer":
            return record.get("id")
        return record.get("customer")

    def _new_record(self, workflow: Workflow, inputs: dict[str, Any], answers: dict[str, Any],
                    trigger: dict[str, Any], customer: str | None, run_id: str) -> dict[str, Any]:
        now = stamp(self.ctx)
        return {
            "id": run_id,
            "workflow": workflow.name,
            "file": workflow.file,
            "digest": workflow.digest,
            "definition": workflow.data,
            "status": "running",
            "trigger": plain(trigger),
            "inputs": plain(inputs),
            "given": plain(answers),
            "vars": {},
            "customer": customer,
            "next": workflow.steps[0].id if workflow.steps else None,
            "steps": {},
            "log": [],
            "waiting": None,
            "runner": self._runner(),
            "started_at": now,
            "started_by": self.ctx.actor,
            "updated_at": now,
            "finished_at": None,
            "error": None,
            "dry_run": self.dry_run,
        }

    # -- events and reporting --------------------------------------------------------------------

    def _emit(self, event: str, kwargs: dict[str, Any]) -> None:
        try:
            self.ctx.emit(event, **kwargs)
        except KundkitError as exc:
            self.ctx.warn(_("the {event} event failed: {reason}").format(event=event,
                                                                       reason=exc.message))

    def _report_end(self, record: dict[str, Any]) -> None:
        status = shown_status(record) if not self.dry_run else record["status"]
        if status == "waiting":
            waiting = record.get("waiting") or {}
            self.report(_("{run}: waiting at '{step}': {message}").format(
                run=record["id"], step=waiting.get("step"), message=waiting.get("message") or "-"))
        elif status == "failed":
            self.report(_("{run}: failed: {error}").format(run=record["id"], error=record.get("error")))
        else:
            self.report(_("{run}: {status}").format(run=record["id"], status=_(status)))


def cancel_run(ctx: Context, run_id: str, *, reason: str | None = None) -> dict[str, Any]:
    """Cancel a waiting, running or interrupted run (a running process stops before its next
    step)."""
    with ctx.store.transaction() as tx:
        record = get_run(tx, run_id)
        if record["status"] not in ACTIVE:
            raise Conflict(_("run {id} is {status}; only a running or waiting run can be "
                             "cancelled").format(id=record["id"], status=_(record["status"])))
        now = stamp(ctx)
        record.update(status="cancelled", runner=None, next=None, finished_at=now, updated_at=now,
                      waiting=None)
        record["log"].append({"at": now, "step": None, "status": "cancelled",
                              "message": reason or _("cancelled by {who}").format(
                                  who=ctx.actor or _("someone"))})
        save_run(tx, record)
    return record


def due_runs(ctx: Context) -> list[str]:
    """The runs waiting for a date that has come."""
    from kundkit.workflows.runs import iter_runs

    now = ctx.now()
    out = []
    with ctx.store.read() as tx:
        for record in iter_runs(tx):
            waiting = record.get("waiting") or {}
            if record.get("status") == "waiting" and waiting.get("kind") == "date" \
                    and waiting.get("until") and datetime.fromisoformat(waiting["until"]) <= now:
                out.append(record["id"])
    return out


__all__ = ["ACTIVE_WORKFLOWS", "Engine", "cancel_run", "due_runs", "plain", "runner_alive"]
