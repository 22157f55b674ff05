"""``report trends``: what each segment is starting to ask for, buy and complain about.

The history is cut into calendar months, the latest being the month of the window's last day (up
to and including that day, so a month under way is compared for the days it has had). For every
segment and every

* **feedback category** — items of feedback received,
* **product category** — sale lines (a purchase of a category; voided sales left out),
* **word or two-word phrase** of feedback texts — texts that use it,

the count of the latest month is tested against the months before it with the exact conditional
Poisson rate test of :mod:`kundkit.analytics.trends` (adjusted for the months' lengths), with
Benjamini and Hochberg's correction over all the (segment, category) pairs of one source. A trend
is flagged when its adjusted p-value is at most ``alpha`` and the latest month has at least
``min_count`` events. Flagged trends are sorted by strength (new ones first, then by the ratio of
the latest rate to the earlier one) and keep their evidence: the count of every month.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.reports.common import Filters, Window

if TYPE_CHECKING:
    from kundkit.analytics.trends import Period, Trend
    from kundkit.context import Context
    from kundkit.reports.settings import ReportSettings

SOURCES = ("feedback", "products", "words")
NO_SEGMENT = ""


@dataclass
class SourceTrends:
    """The trend search over one source: what was tested and what rose."""

    source: str
    method: str
    tested: int
    flagged: list[Trend]

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "method": self.method, "tested": self.tested,
                "flagged": [trend_dict(t) for t in self.flagged]}


def trend_dict(trend: Trend) -> dict[str, Any]:
    segment, key = trend.key  # type: ignore[misc]
    data = trend.as_dict()
    return {"segment": segment or None, "key": key, "counts": data["counts"],
            "latest": data["latest"], "expected": data["expected"], "rate_ratio": data["rate_ratio"],
            "new": data["new"], "p_value": data["p_value"], "adjusted_p": data["adjusted_p"]}


@dataclass
class TrendsReport:
    window: Window
    filters: Filters
    currency: str
    periods: list[Period]
    alpha: float
    min_count: int
    min_word_count: int
    sources: list[SourceTrends]
    segments: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.periods]

    @property
    def method(self) -> str:
        """The test in one paragraph, for the foot of the report."""
        tested = {s.source: s.tested for s in self.sources}
        return _("One-sided exact Poisson rate test of the latest month against the {history} "
                 "months before it (conditional binomial test, adjusted for the months' lengths). "
                 "A category is tested when it has at least {min_count} events in all ({words} for "
                 "words), and flagged when the latest month has at least as many and p <= {alpha} "
                 "after Benjamini and Hochberg's false discovery rate control within each source "
                 "(tested: {feedback} feedback categories, {products} product categories, "
                 "{terms} words and phrases).").format(
            history=len(self.periods) - 1, min_count=self.min_count, words=self.min_word_count,
            alpha=f"{self.alpha:g}", feedback=tested["feedback"], products=tested["products"],
            terms=tested["words"])

    def source(self, name: str) -> SourceTrends:
        return next(s for s in self.sources if s.source == name)

    def as_dict(self) -> dict[str, Any]:
        return {"report": "trends", "window": self.window.as_dict(),
                "filters": self.filters.as_dict(),
                "periods": [{"label": p.label, "start": p.start.isoformat(),
                             "end": (p.end - timedelta(days=1)).isoformat(), "days": p.days}
                            for p in self.periods],
                "alpha": self.alpha, "min_count": self.min_count,
                "min_word_count": self.min_word_count,
                "segments": [s or None for s in self.segments], "method": self.method,
                "sources": {s.source: s.as_dict() for s in self.sources}, "notes": self.notes}


def month_windows(until: date, count: int) -> list[Period]:
    """``count`` calendar months, the last one the month of ``until`` cut after ``until``."""
    from kundkit.analytics.trends import Period, month_periods

    periods = month_periods(until, count)
    last = periods[-1]
    periods[-1] = Period(last.start, min(last.end, until + timedelta(days=1)), last.label)
    return periods


def _series(events: Iterable[tuple[Hashable, str]], periods: list[Period]) -> dict[Hashable, list[int]]:
    """Counts per month of ``(key, ISO day)`` events, without a search per event: the month of an
    ISO date is its first seven characters, and the periods are whole months but the last."""
    index = {p.label: i for i, p in enumerate(periods)}
    first, last = periods[0].start.isoformat(), (periods[-1].end - timedelta(days=1)).isoformat()
    counts: dict[Hashable, list[int]] = defaultdict(lambda: [0] * len(periods))
    for key, day in events:
        day = day[:10]
        if first <= day <= last:
            counts[key][index[day[:7]]] += 1
    return dict(counts)


def compute_trends(events: dict[str, list[tuple[Hashable, str]]], months: list[Period],
                   settings: ReportSettings) -> list[SourceTrends]:
    """The trend search of each source over ``((segment, key), ISO day)`` events (the heart of
    the report; no store)."""
    from kundkit.analytics.trends import describe_method, find_trends

    results = []
    for source in SOURCES:
        minimum = settings.min_word_count if source == "words" else settings.min_count
        found = find_trends(_series(events.get(source, ()), months), periods=months,
                            alpha=settings.alpha, min_count=minimum)
        results.append(SourceTrends(source, describe_method(
            periods=len(months), alpha=settings.alpha, min_count=minimum, correction="bh",
            tested=found.tested), found.tested, found.flagged))
    return results


def find_rising(ctx: Context, window: Window, filters: Filters | None = None, *,
                periods: int | None = None, settings: ReportSettings | None = None) -> TrendsReport:
    """``report trends`` from the store."""
    from kundkit.analytics.trends import terms
    from kundkit.customers import list_customers
    from kundkit.feedback import list_feedback
    from kundkit.reports.common import collector_paused, scan_purchases
    from kundkit.reports.settings import report_settings

    settings = settings or report_settings(ctx)
    filters = filters or Filters()
    count = settings.trend_periods if periods is None else periods
    if window.since is not None:
        months = (window.until.year - window.since.year) * 12 + window.until.month - window.since.month + 1
        count = months if periods is None else count
    if count < 2:
        raise ValidationError(_("--periods: a trend needs at least 2 months, not {value}").format(
            value=count), field="periods")
    months_list = month_windows(window.until, count)
    first_day = months_list[0].start
    with collector_paused(), ctx.store.read() as tx:
        customers = {c["id"]: c for c in list_customers(tx, include_forgotten=True)}
        feedback = list_feedback(tx, include_done=True)
        sales: dict[str, dict[str, Any]] = {}
        credited: set[str] = set()
        for record in scan_purchases(tx, first_day, window.until):
            if record["kind"] == "sale":
                sales[record["id"]] = record
            elif record.get("credits"):
                credited.add(record["credits"])

    def segment_of(customer_id: str | None) -> str | None:
        """The customer's segment, or None when the filters leave the customer out."""
        customer = customers.get(customer_id or "")
        if not filters.keeps(customer):
            return None
        return str((customer or {}).get("segment") or NO_SEGMENT)

    feedback_events = []
    word_events = []
    for item in feedback:
        segment = segment_of(item.get("customer"))
        if segment is None:
            continue
        day = item["received_at"][:10]
        feedback_events.append(((segment, item.get("category") or ""), day))
        word_events.extend(((segment, term), day) for term in terms(item.get("text") or ""))
    product_events = []
    for sid, record in sales.items():
        if sid in credited:
            continue
        segment = segment_of(record["customer"])
        if segment is None:
            continue
        product_events.extend(((segment, line.get("category") or ""), record["date"])
                              for line in record["lines"])
    results = compute_trends({"feedback": feedback_events, "products": product_events,
                              "words": word_events}, months_list, settings)
    known = list((ctx.config.section("customers", {}) or {}).get("segments") or [])
    seen = {segment for source in (feedback_events, product_events)
            for (segment, _key), _day in source}
    segments = [s for s in known if s in seen or filters.segment == s] + sorted(seen - set(known))
    notes = []
    if months_list[-1].days < 28:
        notes.append(_("The latest month, {label}, has had {days} days so far; it is compared for "
                       "those days.").format(label=months_list[-1].label, days=months_list[-1].days))
    return TrendsReport(window=window, filters=filters, currency=ctx.config.currency,
                        periods=months_list, alpha=settings.alpha, min_count=settings.min_count,
                        min_word_count=settings.min_word_count, sources=results,
                        segments=segments, notes=notes)
