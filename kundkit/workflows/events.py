"""Workflows started by events: ``customer.created``, ``purchase.recorded``, ``feedback.received``.

The built-in plugin's event hooks call :func:`start_triggered` after the event's own write is
committed. A workflow runs once per event for which one of its triggers matches (its ``if:``
holds); it sees the event as ``event.record`` (also ``event.customer``, ``event.purchase`` or
``event.feedback``), and an input of type customer, or named after the record (``purchase``), is
filled from the event. A triggered run never asks anyone: an ``ask`` step makes it wait.

A workflow that is listed under ``workflows.disabled``, that is already running in this process
(its own steps fired the event), or that is not valid, is not started; the last gets a warning.
Nothing here stops the command that fired the event: a run that fails is stored as failed and
reported as a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.errors import ConfigError, KundkitError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.workflows.model import Trigger, Workflow

MAX_DEPTH = 3


def _candidates(ctx: Context, event: str) -> list[Any]:
    from kundkit.workflows.model import workflow_files, workflows_folder

    try:
        folder = workflows_folder(ctx)
    except ConfigError:
        return []
    out = []
    for path in workflow_files(folder):
        try:
            # A cheap look at the text first: most events start no workflow, and parsing every
            # file on every sale would cost each shop assistant's command.
            if event in path.read_text(encoding="utf-8"):
                out.append(path)
        except (OSError, UnicodeDecodeError):
            continue
    return out


def event_variables(ctx: Context, event: str, record: dict[str, Any]) -> dict[str, Any]:
    """What a trigger's ``if:`` sees."""
    from kundkit.workflows.model import EVENTS

    kind = EVENTS[event]
    customer = record if kind == "customer" else None
    if customer is None and record.get("customer"):
        from kundkit.customers import get_customer
        from kundkit.errors import NotFound

        try:
            with ctx.store.read() as tx:
                customer = get_customer(tx, str(record["customer"]))
        except NotFound:
            customer = None
    return {"event": {"name": event, "record": record, kind: record}, "customer": customer,
            "config": ctx.config.data, "now": ctx.now(), "today": ctx.today(),
            "language": (customer or {}).get("language") or ctx.config.language}


def _holds(ctx: Context, trigger: Trigger, event: str, record: dict[str, Any]) -> bool:
    from kundkit.expressions import evaluate_condition

    if trigger.condition is None:
        return True
    variables = event_variables(ctx, event, record)
    return evaluate_condition(trigger.condition, variables, language=variables["language"])


def _given(workflow: Workflow, event: str, record: dict[str, Any]) -> dict[str, Any]:
    from kundkit.workflows.model import EVENTS

    kind = EVENTS[event]
    customer = record.get("id") if kind == "customer" else record.get("customer")
    given: dict[str, Any] = {}
    for name, spec in workflow.inputs.items():
        if name == kind and record.get("id"):
            given[name] = record["id"]
        elif spec.type == "customer" and customer:
            given[name] = customer
    return given


def start_triggered(ctx: Context, event: str, record: dict[str, Any]) -> list[str]:
    """Start every enabled workflow that ``event`` triggers; returns the ids of the runs."""
    from kundkit.workflows.engine import ACTIVE_WORKFLOWS, Engine
    from kundkit.workflows.model import EVENTS, disabled_workflows
    from kundkit.workflows.validate import validated_workflow

    candidates = _candidates(ctx, event)
    if not candidates:
        return []
    active = ACTIVE_WORKFLOWS.get()
    if len(active) >= MAX_DEPTH:
        ctx.warn(_("{event}: no workflow started, {n} workflows are already running inside each "
                   "other ({names})").format(event=event, n=len(active), names=", ".join(active)))
        return []
    disabled = disabled_workflows(ctx)
    started: list[str] = []
    for path in candidates:
        if path.stem in disabled:
            continue  # named after its file (validate says so otherwise): no need to parse it
        workflow, problems = validated_workflow(ctx, path)
        if workflow is None:
            ctx.warn(_("{event}: the workflow in {file} was not started: it has {n} problem(s) "
                       "('kundkit workflow validate' lists them)").format(
                event=event, file=problems[0].file if problems else path, n=len(problems)))
            continue
        if workflow.name in disabled or workflow.name in active:
            continue
        for trigger in workflow.triggers:
            if trigger.event != event:
                continue
            try:
                if not _holds(ctx, trigger, event, record):
                    continue
                run = Engine(ctx).start(workflow, _given(workflow, event, record), trigger={
                    "type": "event", "event": event, "kind": EVENTS[event], "record": record})
            except KundkitError as exc:
                ctx.warn(_("{event}: the workflow '{name}' could not start: {reason}").format(
                    event=event, name=workflow.name, reason=exc.message))
                break
            started.append(run["id"])
            if run["status"] == "failed":
                ctx.warn(_("{event}: workflow run {run} ({name}) failed: {error}").format(
                    event=event, run=run["id"], name=workflow.name, error=run.get("error")))
            break
    return started
