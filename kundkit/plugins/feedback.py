"""Built-in plugin of the feedback register: its ``feedback:`` section of ``kundkit.yaml``, its
references between tables, and its part (with the workflow runs') in ``customer show``,
``customer data`` and ``customer forget``."""

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


@hookimpl
def customer_summary(ctx: Any, tx: Any, customer: dict[str, Any]) -> dict[str, Any] | None:
    from kundkit.feedback_privacy import feedback_summary

    return feedback_summary(ctx, tx, customer)


@hookimpl
def customer_data(ctx: Any, tx: Any, customer_id: str) -> dict[str, Any] | None:
    from kundkit.feedback_privacy import feedback_data

    return feedback_data(tx, customer_id)


@hookimpl
def forget_customer(ctx: Any, tx: Any, customer_id: str, pseudonym: str,
                    customer: dict[str, Any]) -> dict[str, int] | None:
    from kundkit.feedback_privacy import forget_feedback

    return forget_feedback(tx, customer_id, pseudonym, customer) or None
