"""``report dashboard``: every report on one page, for the owner's month-end reading.

Each report is made as its own command would make it: with the window given, or without one each
with its own default (the plan this month, the trends the last twelve months, the others the whole
history). A report that cannot be made (no purchases yet to forecast from, numpy missing)
leaves its reason in its place instead of stopping the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.errors import KundkitError
from kundkit.reports.common import Filters, parse_window

if TYPE_CHECKING:
    from kundkit.context import Context

PARTS = ("plan", "customers", "forecast", "followups", "feedback", "trends")


@dataclass
class Dashboard:
    filters: Filters
    reports: dict[str, Any] = field(default_factory=dict)   # part → report
    failures: dict[str, str] = field(default_factory=dict)  # part → why it is missing

    def as_dict(self) -> dict[str, Any]:
        return {"report": "dashboard", "filters": self.filters.as_dict(),
                "parts": {name: self.reports[name].as_dict() for name in PARTS
                          if name in self.reports},
                "failures": self.failures}


def build_dashboard(ctx: Context, filters: Filters, *, period: str | None = None,
                    since: str | None = None, until: str | None = None,
                    top: int | None = None) -> Dashboard:
    from kundkit.reports.customers import customer_report
    from kundkit.reports.feedback import feedback_report
    from kundkit.reports.followups import followups_report
    from kundkit.reports.forecast import forecast_report
    from kundkit.reports.plan import plan_report
    from kundkit.reports.trends import find_rising

    today = ctx.today()

    def window(default: str) -> Any:
        return parse_window(today, period=period, since=since, until=until, default=default)

    makers = {
        "plan": lambda: plan_report(ctx, window("month"), filters),
        "customers": lambda: customer_report(ctx, window("all"), filters, top=top),
        "forecast": lambda: forecast_report(ctx, window("all"), filters, top=top),
        "followups": lambda: followups_report(ctx, window("all"), filters),
        "feedback": lambda: feedback_report(ctx, window("all"), filters),
        "trends": lambda: find_rising(ctx, window("all"), filters),
    }
    board = Dashboard(filters)
    for name in PARTS:
        try:
            board.reports[name] = makers[name]()
        except KundkitError as exc:
            if exc.exit_code == 2:  # a usage error (a bad --period) concerns the whole page
                raise
            board.failures[name] = exc.message
    return board
