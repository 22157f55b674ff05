"""Built-in plugin of the feedback register: its ``feedback:`` section of ``kundkit.yaml`` and its
references between tables."""

from __future__ import annotations

from typing import Any

from kundkit.hookspecs import hookimpl


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    from kundkit.feedback_settings import feedback_schema

    return {"feedback": feedback_schema()}


@hookimpl
def check_config(config: Any) -> list[Any]:
    from kundkit.feedback_settings import check_feedback_config

    return check_feedback_config(config)


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("feedback", "customer", "customers"), ("feedback", "assignee", "staff"),
            ("feedback", "purchase", "purchases")]
