"""Built-in plugin of the workflows: the built-in step types, the ``workflows:`` section of
``kundkit.yaml``, and the event hooks that start the workflows an event triggers.

Imports stay inside the hooks: this module is loaded whenever plugins are, and must cost nothing
to a command that runs no workflow.
"""

from __future__ import annotations

from typing import Any

from kundkit.hookspecs import hookimpl

WORKFLOWS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Where the workflows are, and which of them events may not start.",
    "additionalProperties": False,
    "properties": {
        "path": {"type": "string", "description": "the folder of workflow files (default workflows)"},
        "disabled": {"type": "array", "uniqueItems": True,
                     "items": {"type": "string", "pattern": "^[a-z][a-z0-9-]*$"},
                     "description": "workflows that no event starts (they can still be run by hand "
                                    "if they have a manual trigger)"},
    },
}


@hookimpl
def register_step_types(register: Any) -> None:
    from kundkit.workflows.steps import builtin_step_types

    for step_type in builtin_step_types():
        register(step_type)


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    return {"workflows": WORKFLOWS_SCHEMA}


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("workflow_runs", "customer", "customers")]


@hookimpl
def customer_created(ctx: Any, customer: dict[str, Any]) -> None:
    from kundkit.workflows.events import start_triggered

    start_triggered(ctx, "customer.created", customer)


@hookimpl
def purchase_recorded(ctx: Any, purchase: dict[str, Any]) -> None:
    from kundkit.workflows.events import start_triggered

    start_triggered(ctx, "purchase.recorded", purchase)


@hookimpl
def feedback_received(ctx: Any, feedback: dict[str, Any]) -> None:
    from kundkit.workflows.events import start_triggered

    start_triggered(ctx, "feedback.received", feedback)
