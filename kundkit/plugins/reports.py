"""Built-in plugin of the reports: the ``reports:`` section of ``kundkit.yaml``."""

from __future__ import annotations

from typing import Any

from kundkit.hookspecs import hookimpl


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    from kundkit.reports.settings import REPORTS_SCHEMA

    return {"reports": REPORTS_SCHEMA}
