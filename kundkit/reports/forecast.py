"""``report forecast``: who will buy again, and who is slipping away.

The BG/NBD model (Fader, Hardie & Lee 2005; :mod:`kundkit.analytics.bgnbd`) is fitted by maximum
likelihood to the store's own purchase history: every customer's purchase days (several purchases
on one day are one purchase; a sale voided by the report's last day does not count) from the
window's start to its last day, which is the forecast's "now". Time runs in weeks (``reports.
forecast.unit_days``). For each customer the report gives the expected number of purchases in the
next N days (``--days``, default ``reports.forecast.horizon_days``) and the probability that the
customer is still active, P(active).

Repeat customers whose P(active) is below ``reports.forecast.slipping`` are *slipping away*: they
come first, least likely to be active first, so that the manager knows whom to call. The model
cannot tell whether a customer who bought only once is still there (it gives them P(active) = 1),
so those come last and are counted apart.

The fit uses every customer; ``--segment`` and ``--manager`` choose the customers shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.reports.common import Filters, Minor, Window, years_before

if TYPE_CHECKING:
    from kundkit.analytics.bgnbd import BGNBDFit
    from kundkit.context import Context
    from kundkit.reports.settings import ReportSettings


@dataclass
class CustomerOutlook:
    customer: str
    name: str
    segment: str | None
    manager: str | None
    purchases: int               # purchase days in the history
    first_purchase: str
    last_purchase: str
    days_since: int
    p_alive: float
    expected: float              # purchases in the next N days
    last_12_months: Decimal      # net revenue, what is at stake
    slipping: bool

    def as_dict(self) -> dict[str, Any]:
        return {"customer": self.customer, "name": self.name, "segment": self.segment,
                "manager": self.manager, "purchases": self.purchases,
                "repeat_purchases": self.purchases - 1, "first_purchase": self.first_purchase,
                "last_purchase": self.last_purchase, "days_since_last": self.days_since,
                "p_alive": round(self.p_alive, 6), "expected_purchases": round(self.expected, 6),
                "last_12_months": f"{self.last_12_months:f}", "slipping": self.slipping}


@dataclass
class ForecastReport:
    window: Window
    filters: Filters
    currency: str
    horizon_days: int
    unit_days: int
    slipping_below: float
    fit: BGNBDFit
    rows: list[CustomerOutlook]
    customers: int                       # shown (after filters), before --top
    expected_total: float                # over the customers shown, before --top
    slipping: int
    one_time: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        fit = self.fit
        errors = fit.standard_errors.as_dict() if fit.standard_errors else None
        return {
            "report": "forecast", "window": self.window.as_dict(), "filters": self.filters.as_dict(),
            "currency": self.currency, "model": "BG/NBD",
            "horizon_days": self.horizon_days, "unit_days": self.unit_days,
            "parameters": {k: round(v, 6) for k, v in fit.params.as_dict().items()},
            "standard_errors": None if errors is None else {k: round(v, 6) for k, v in errors.items()},
            "log_likelihood": round(fit.log_likelihood, 4),
            "fitted_customers": fit.customers, "fitted_repeat_customers": fit.repeat_customers,
            "converged": fit.converged, "customers": self.customers,
            "expected_purchases_total": round(self.expected_total, 4),
            "slipping_below": self.slipping_below, "slipping": self.slipping,
            "one_time_buyers": self.one_time, "notes": self.notes,
            "rows": [row.as_dict() for row in self.rows],
        }


def purchase_days(records: Any, until: date,
                  minor: Minor) -> tuple[list[tuple[str, date]], dict[str, int]]:
    """``(customer, day)`` of every sale not voided by ``until``, sorted, and each customer's net
    revenue (in minor units) in the twelve months up to ``until``, from purchase and credit
    records."""
    from datetime import timedelta

    year_start = (years_before(until, 1) + timedelta(days=1)).isoformat()
    last = until.isoformat()
    sales: dict[str, tuple[str, str]] = {}
    credited: set[str] = set()
    revenue: dict[str, int] = {}
    for record in records:
        day = record["date"]
        if day > last:
            continue
        if record["kind"] == "sale":
            sales[record["id"]] = (record["customer"], day)
        elif record.get("credits"):
            credited.add(record["credits"])
        if day >= year_start:
            revenue[record["customer"]] = revenue.get(record["customer"], 0) + sum(
                minor.parse(line["net"]) for line in record["lines"])
    days = sorted({(customer, day) for sid, (customer, day) in sales.items() if sid not in credited})
    return [(customer, date.fromisoformat(day)) for customer, day in days], revenue


def forecast_report(ctx: Context, window: Window, filters: Filters | None = None, *,
                    days: int | None = None, top: int | None = None,
                    settings: ReportSettings | None = None) -> ForecastReport:
    """``report forecast`` from the store."""
    from kundkit.analytics.bgnbd import fit as fit_model, forecast, summarise
    from kundkit.customers import list_customers
    from kundkit.reports.common import collector_paused, scan_purchases
    from kundkit.reports.settings import report_settings

    settings = settings or report_settings(ctx)
    filters = filters or Filters()
    horizon = settings.horizon_days if days is None else days
    if horizon < 1:
        raise ValidationError(_("--days: must be at least 1, not {value}").format(value=horizon),
                              field="days")
    if top is not None and top < 1:
        raise ValidationError(_("--top: must be at least 1, not {value}").format(value=top),
                              field="top")
    currency = ctx.config.currency
    minor = Minor(currency)
    with collector_paused(), ctx.store.read() as tx:
        customers = {c["id"]: c for c in list_customers(tx, include_forgotten=True)}
        events, revenue = purchase_days(scan_purchases(tx, window.since, window.until),
                                         window.until, minor)
    if not events:
        raise ValidationError(_("There are no purchases to forecast from ({window}).").format(
            window=window.label))
    unit = settings.unit_days
    histories = summarise(events, now=window.until, unit_days=unit)
    fitted = fit_model(histories, unit_days=unit)
    first_last: dict[str, tuple[date, date]] = {}
    for customer, day in events:
        low, high = first_last.get(customer, (day, day))
        first_last[customer] = (min(low, day), max(high, day))
    shown = [h for h in histories if filters.keeps(customers.get(h.customer))]
    outlooks = []
    for h, result in zip(shown, forecast(fitted.params, shown, horizon / unit)):
        record = customers.get(h.customer, {})
        first, last = first_last[h.customer]
        outlooks.append(CustomerOutlook(
            customer=h.customer, name=str(record.get("name") or ""), segment=record.get("segment"),
            manager=record.get("manager"), purchases=h.x + 1, first_purchase=first.isoformat(),
            last_purchase=last.isoformat(), days_since=(window.until - last).days,
            p_alive=result.p_alive, expected=result.expected,
            last_12_months=minor.decimal(revenue.get(h.customer, 0)),
            slipping=h.x > 0 and result.p_alive < settings.slipping))
    outlooks.sort(key=_urgency)
    notes = list(fitted.notes)
    one_time = sum(1 for o in outlooks if o.purchases == 1)
    if one_time:
        notes.append(_("Customers who have bought on one day only: {count}. The model cannot tell "
                       "whether they are still active, so they come last.").format(count=one_time))
    return ForecastReport(
        window=window, filters=filters, currency=currency, horizon_days=horizon, unit_days=unit,
        slipping_below=settings.slipping, fit=fitted, rows=outlooks[:top] if top else outlooks,
        customers=len(outlooks), expected_total=sum(o.expected for o in outlooks),
        slipping=sum(1 for o in outlooks if o.slipping), one_time=one_time, notes=notes)


def _urgency(outlook: CustomerOutlook) -> tuple[Any, ...]:
    """Slipping away first (least likely active first, more at stake first), then the other
    repeat customers the same way, then one-time buyers by the most recent."""
    if outlook.purchases == 1:
        return (2, outlook.days_since, outlook.customer)
    return (0 if outlook.slipping else 1, round(outlook.p_alive, 9), -outlook.last_12_months,
            outlook.customer)
