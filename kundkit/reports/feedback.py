"""``report feedback``: how much feedback came in, and how fast it was answered and resolved.

The items are those *received* in the window. Everything else is as it stood at the end of the
window (now, for a window that ends today): the status history after that moment is ignored.

* **Counts** by kind, category, the customer's segment, and status.
* **Deadlines** (``feedback.deadlines`` in kundkit.yaml, counted in the open hours of the feedback
  calendar): for the first response and for the resolution, how many items met their deadline,
  missed it (done late, or still not done after it — *overdue*), and the share in time among
  these decided ones. Items still within their time are *running* and not yet counted either way;
  kinds without a deadline are not counted.
* **Times**: the median and 90th percentile (:mod:`kundkit.analytics.stats`, inclusive linear
  interpolation) of the open time to the first response and to the resolution (time waiting for
  the customer not counted), over the items that got one — with or without a deadline.
* **Open and overdue** items, listed with the clock that is late.
* **Satisfaction** (1–5) of the rated items: how many, the mean, the spread, and the share
  satisfied (4 or 5). **Compensation** granted: how many, and the amount where it is money.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _
from kundkit.reports.common import Filters, Minor, Window, ratio, ratio_text

if TYPE_CHECKING:
    from kundkit.context import Context

OPEN = ("new", "acknowledged", "in-progress", "waiting")


@dataclass
class ClockStats:
    """One deadline (first response or resolution) over the items."""

    met: int = 0
    late: int = 0          # done, but after the deadline
    overdue: int = 0       # not done, and past the deadline
    running: int = 0       # not done, still within the time
    no_deadline: int = 0
    times: list[timedelta] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return self.met + self.late + self.overdue

    @property
    def share_in_time(self) -> Decimal | None:
        return ratio(self.met, self.decided)

    def percentile(self, p: int) -> timedelta | None:
        from kundkit.analytics.stats import percentile

        return percentile(self.times, p)  # type: ignore[return-value]

    def as_dict(self) -> dict[str, Any]:
        def seconds(value: timedelta | None) -> int | None:
            return None if value is None else int(value.total_seconds())

        return {"met": self.met, "late": self.late, "overdue": self.overdue,
                "running": self.running, "no_deadline": self.no_deadline,
                "share_in_time": ratio_text(self.share_in_time), "measured": len(self.times),
                "median_seconds": seconds(self.percentile(50)),
                "p90_seconds": seconds(self.percentile(90))}


@dataclass
class FeedbackReport:
    window: Window
    filters: Filters
    currency: str
    as_of: datetime
    items: int
    by_kind: list[tuple[str, int]]
    by_category: list[tuple[str | None, int]]
    by_segment: list[tuple[str | None, int]]
    by_status: list[tuple[str, int]]
    first_response: ClockStats
    resolution: ClockStats
    open_items: int
    overdue: list[dict[str, Any]]
    rated: int
    satisfaction: dict[int, int]
    compensations: int
    compensation_amount: Decimal
    notes: list[str] = field(default_factory=list)

    @property
    def mean_satisfaction(self) -> Decimal | None:
        if not self.rated:
            return None
        total = sum(score * count for score, count in self.satisfaction.items())
        return (Decimal(total) / Decimal(self.rated)).quantize(Decimal("0.01"), ROUND_HALF_UP)

    @property
    def satisfied_share(self) -> Decimal | None:
        return ratio(self.satisfaction.get(4, 0) + self.satisfaction.get(5, 0), self.rated)

    def as_dict(self) -> dict[str, Any]:
        def counts(pairs: list[tuple[Any, int]]) -> list[dict[str, Any]]:
            return [{"key": key, "count": count, "share": ratio_text(ratio(count, self.items))}
                    for key, count in pairs]

        return {
            "report": "feedback", "window": self.window.as_dict(), "filters": self.filters.as_dict(),
            "as_of": self.as_of.isoformat(), "items": self.items,
            "by_kind": counts(self.by_kind), "by_category": counts(self.by_category),
            "by_segment": counts(self.by_segment), "by_status": counts(self.by_status),
            "first_response": self.first_response.as_dict(),
            "resolution": self.resolution.as_dict(),
            "open": self.open_items, "overdue": self.overdue,
            "satisfaction": {"rated": self.rated,
                             "mean": None if self.mean_satisfaction is None
                             else f"{self.mean_satisfaction:f}",
                             "satisfied_share": ratio_text(self.satisfied_share),
                             "scores": {str(k): self.satisfaction.get(k, 0) for k in range(1, 6)}},
            "compensations": {"count": self.compensations,
                              "amount": f"{self.compensation_amount:f}"},
            "notes": self.notes,
        }


def _tally(clock: Any, stats: ClockStats) -> None:
    if clock is None:
        stats.no_deadline += 1
    elif clock.met is True:
        stats.met += 1
    elif clock.met is False:
        stats.late += 1
    elif clock.overdue:
        stats.overdue += 1
    else:
        stats.running += 1


def feedback_report(ctx: Context, window: Window, filters: Filters | None = None) -> FeedbackReport:
    """``report feedback`` from the store."""
    from kundkit.customers import list_customers
    from kundkit.deadlines import Target, compute_deadlines
    from kundkit.feedback import deadlines_of, history_of, list_feedback
    from kundkit.feedback_settings import feedback_settings

    filters = filters or Filters()
    end_of_window = datetime.combine(window.until + timedelta(days=1), time(0), tzinfo=ctx.tz)
    as_of = min(ctx.now(), end_of_window - timedelta(seconds=1))
    calendar = feedback_settings(ctx).calendar
    minor = Minor(ctx.config.currency)
    with ctx.store.read() as tx:
        customers = {c["id"]: c for c in list_customers(tx, include_forgotten=True)}
        records = [r for r in list_feedback(tx, include_done=True)
                   if window.contains(r["received_at"])
                   and datetime.fromisoformat(r["received_at"]) <= as_of
                   and filters.keeps(customers.get(r.get("customer")))]
    # A deadline of one second makes every clock measure the open time used, whatever the
    # business's own deadlines are: the times are reported for every item, with or without one.
    stopwatch = Target(first_response=timedelta(seconds=1), resolution=timedelta(seconds=1))
    kinds: Counter[str] = Counter()
    categories: Counter[str | None] = Counter()
    segments: Counter[str | None] = Counter()
    statuses: Counter[str] = Counter()
    first, resolution = ClockStats(), ClockStats()
    overdue: list[dict[str, Any]] = []
    scores: Counter[int] = Counter()
    compensations, amount = 0, 0
    for record in records:
        clocks = deadlines_of(ctx, record, as_of)
        first_at = record.get("first_response_at")
        measured = compute_deadlines(history_of(record), stopwatch, now=clocks.now,
                                     calendar=calendar,
                                     first_response_at=datetime.fromisoformat(first_at)
                                     if first_at else None)
        customer = customers.get(record.get("customer")) or {}
        kinds[record["kind"]] += 1
        categories[record.get("category")] += 1
        segments[customer.get("segment")] += 1
        statuses[clocks.status] += 1
        _tally(clocks.first_response, first)
        _tally(clocks.resolution, resolution)
        if measured.first_response is not None and measured.first_response.stopped_at is not None:
            first.times.append(measured.first_response.used)
        if measured.resolution is not None and measured.resolution.stopped_at is not None:
            resolution.times.append(measured.resolution.used)
        if clocks.overdue:
            late = [name for name, clock in clocks.clocks() if clock.overdue]
            overdue.append({
                "id": record["id"], "customer": record.get("customer"),
                "customer_name": str(customer.get("name") or ""), "kind": record["kind"],
                "category": record.get("category"), "priority": record.get("priority"),
                "status": clocks.status, "assignee": record.get("assignee"),
                "received_at": record["received_at"], "late": late,
                "due": min(clock.due for name, clock in clocks.clocks()
                           if clock.overdue and clock.due is not None).isoformat()})
        rated = record.get("satisfaction")
        if rated:
            scores[int(rated)] += 1
        compensation = record.get("compensation")
        resolved = record.get("resolved_at")
        if compensation and resolved and datetime.fromisoformat(resolved) <= as_of:
            compensations += 1
            amount += minor.parse(compensation.get("amount"))
    overdue.sort(key=lambda item: (item["due"], item["id"]))
    open_items = sum(count for status, count in statuses.items() if status in OPEN)
    notes = []
    if first.no_deadline == len(records) and resolution.no_deadline == len(records) and records:
        notes.append(_("No deadlines are set for these kinds of feedback (feedback.deadlines in "
                       "kundkit.yaml), so nothing can be in time or late."))
    return FeedbackReport(
        window=window, filters=filters, currency=ctx.config.currency, as_of=as_of,
        items=len(records), by_kind=_ordered(kinds), by_category=_ordered(categories),
        by_segment=_ordered(segments), by_status=_ordered(statuses), first_response=first,
        resolution=resolution, open_items=open_items, overdue=overdue, rated=sum(scores.values()),
        satisfaction=dict(scores), compensations=compensations,
        compensation_amount=minor.decimal(amount), notes=notes)


def _ordered(counter: Counter[Any]) -> list[tuple[Any, int]]:
    """Most first; ties by name, the unnamed (None) last."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, str(kv[0] or "")))
