"""``report customers``: the economics of each customer relationship.

For every customer, over the report's window (``since`` to ``until``):

* **first / last purchase** — the first and the last day the customer bought (up to ``until``,
  whatever the window's start; a sale that was voided by then does not count), and the **tenure**,
  the days from the first purchase to ``until``;
* **purchases** — the sales in the window that were not voided by ``until``;
* **revenue** — the net (after discount) of the sales in the window, less the credit notes dated in
  it (a void counts on the day it was made, as in the plan); **revenue per year** is the revenue
  × 365 / the days the customer was a customer within the window, at least 365 (so a customer of
  three months is not extrapolated to a year), rounded to the öre; ``revenue_by_year`` splits it by
  calendar year;
* **gross margin** — on the lines whose product has a unit cost: their net less quantity × unit
  cost (the product's cost now; sale lines do not keep it). ``margin_coverage`` says how much of the
  revenue that covers, so a margin on half the revenue is never mistaken for the whole;
* **discounts** — the discounts granted on those sales (less those given back by credit notes);
* **cost of serving** — interactions (contacts logged or messages sent) × the unit cost of their
  channel, items of feedback received × the unit cost of their kind, and each compensation granted:
  its amount (a credit or discount in money; a percentage has no amount) plus a handling cost — all
  unit costs from ``reports.costs`` in ``kundkit.yaml``;
* **net contribution** — gross margin − cost of serving (discounts are already inside the margin,
  which is computed on net prices);
* **trend** — the net revenue of the twelve months up to ``until`` against the twelve before them:
  (last − previous) / previous; none when the previous year had no revenue;
* **RFM** — recency (the last purchase in the window), frequency (purchases in the window) and
  monetary (revenue in the window) scored 1–5 by quintiles (:mod:`kundkit.analytics.rfm`) among all
  customers who bought in the window, whatever the filters, so that a score does not change with
  the segment one looks at.

Amounts are summed as whole öre (exact) and given as ``Decimal``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.reports.common import Filters, Minor, Window, ratio, ratio_text, years_before

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.reports.settings import ReportSettings
    from kundkit.store import Transaction

SORT_KEYS = ("contribution", "revenue", "per-year", "margin", "discounts", "serving", "trend", "rfm",
             "first", "last", "tenure", "customer", "name")


@dataclass(frozen=True)
class Interaction:
    """One contact with a customer, as the cost of serving counts it."""

    customer: str
    channel: str | None
    day: str  # ISO date


@dataclass
class CustomerEconomics:
    """One customer's figures (amounts exact, as ``Decimal``)."""

    customer: str
    name: str
    segment: str | None
    manager: str | None
    first_purchase: str | None
    last_purchase: str | None
    tenure_days: int | None
    purchases: int
    revenue: Decimal
    revenue_per_year: Decimal | None
    revenue_by_year: dict[str, Decimal]
    costed_revenue: Decimal
    cost_of_goods: Decimal
    gross_margin: Decimal
    discounts: Decimal
    interactions: int
    interaction_cost: Decimal
    feedback_items: int
    feedback_cost: Decimal
    compensations: int
    compensation_cost: Decimal
    last_12_months: Decimal
    previous_12_months: Decimal
    rfm: tuple[int, int, int] | None = None

    @property
    def serving_cost(self) -> Decimal:
        return self.interaction_cost + self.feedback_cost + self.compensation_cost

    @property
    def net_contribution(self) -> Decimal:
        return self.gross_margin - self.serving_cost

    @property
    def margin_rate(self) -> Decimal | None:
        return ratio(self.gross_margin, self.costed_revenue) if self.costed_revenue > 0 else None

    @property
    def margin_coverage(self) -> Decimal | None:
        return ratio(self.costed_revenue, self.revenue) if self.revenue > 0 else None

    @property
    def trend(self) -> Decimal | None:
        if self.previous_12_months <= 0:
            return None
        return (self.last_12_months - self.previous_12_months) / self.previous_12_months

    @property
    def rfm_code(self) -> str | None:
        return None if self.rfm is None else "".join(str(score) for score in self.rfm)

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form: money as decimal strings, ratios with four decimals."""
        money = _money_text
        return {
            "customer": self.customer, "name": self.name, "segment": self.segment,
            "manager": self.manager, "first_purchase": self.first_purchase,
            "last_purchase": self.last_purchase, "tenure_days": self.tenure_days,
            "purchases": self.purchases, "revenue": money(self.revenue),
            "revenue_per_year": money(self.revenue_per_year),
            "revenue_by_year": {year: money(value) for year, value in self.revenue_by_year.items()},
            "costed_revenue": money(self.costed_revenue), "cost_of_goods": money(self.cost_of_goods),
            "gross_margin": money(self.gross_margin), "margin_rate": ratio_text(self.margin_rate),
            "margin_coverage": ratio_text(self.margin_coverage), "discounts": money(self.discounts),
            "interactions": self.interactions, "interaction_cost": money(self.interaction_cost),
            "feedback_items": self.feedback_items, "feedback_cost": money(self.feedback_cost),
            "compensations": self.compensations, "compensation_cost": money(self.compensation_cost),
            "serving_cost": money(self.serving_cost), "net_contribution": money(self.net_contribution),
            "last_12_months": money(self.last_12_months),
            "previous_12_months": money(self.previous_12_months),
            "trend": ratio_text(self.trend), "rfm": self.rfm_code,
            "recency": self.rfm[0] if self.rfm else None,
            "frequency": self.rfm[1] if self.rfm else None,
            "monetary": self.rfm[2] if self.rfm else None,
        }


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


@dataclass
class CustomersReport:
    window: Window
    filters: Filters
    currency: str
    rows: list[CustomerEconomics]
    totals: dict[str, Decimal | int]
    customers: int
    sort: str
    notes: list[str] = field(default_factory=list)
    costs: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"report": "customers", "window": self.window.as_dict(),
                "filters": self.filters.as_dict(), "currency": self.currency, "sort": self.sort,
                "customers": self.customers, "shown": len(self.rows),
                "totals": {k: (_money_text(v) if isinstance(v, Decimal) else v)
                           for k, v in self.totals.items()},
                "unit_costs": self.costs, "notes": self.notes,
                "rows": [row.as_dict() for row in self.rows]}


class _Tally:
    """Running sums of one customer, in minor units."""

    __slots__ = ("sales", "credited", "revenue", "discounts", "costed", "cogs", "by_year",
                 "last12", "prev12", "sales_in_window")

    def __init__(self) -> None:
        self.sales: dict[str, str] = {}          # sale id → date, up to until
        self.credited: set[str] = set()          # sale ids voided by a credit note up to until
        self.sales_in_window: set[str] = set()
        self.revenue = 0
        self.discounts = 0
        self.costed = 0
        self.cogs = 0
        self.by_year: dict[str, int] = defaultdict(int)
        self.last12 = 0
        self.prev12 = 0


def compute_economics(*, customers: Iterable[dict[str, Any]], purchases: Iterable[dict[str, Any]],
                      unit_costs: dict[str, str | None], feedback: Iterable[dict[str, Any]],
                      interactions: Iterable[Interaction], settings: ReportSettings,
                      window: Window, currency: str) -> list[CustomerEconomics]:
    """Every customer's figures from plain records (the heart of the report; no store).

    ``customers`` are customer records, ``purchases`` purchase and credit-note records dated up to
    ``window.until`` (any order; those before the window still give first purchases and the
    trend), ``unit_costs`` maps SKUs to their unit cost (a stored amount, or None when not known),
    ``feedback`` are feedback records. Customers who neither bought up to ``until`` nor cost
    anything in the window are left out. RFM scores are set on every row.
    """
    from kundkit.analytics.rfm import CustomerActivity, rfm_scores

    minor = Minor(currency)
    costs = {sku: (minor.parse(cost) if cost not in (None, "") else None)
             for sku, cost in unit_costs.items()}
    until = window.until.isoformat()
    since = window.first_text
    year_start = (years_before(window.until, 1) + timedelta(days=1)).isoformat()
    prev_start = (years_before(window.until, 2) + timedelta(days=1)).isoformat()
    tallies: dict[str, _Tally] = defaultdict(_Tally)
    parse = _cached(minor)
    for record in purchases:
        day = record["date"]
        if day > until:
            continue
        tally = tallies[record["customer"]]
        kind = record["kind"]
        if kind == "sale":
            tally.sales[record["id"]] = day
        elif record.get("credits"):
            tally.credited.add(record["credits"])
        in_window = day >= since
        if not in_window and day < prev_start:
            continue
        net = discounts = costed = cogs = 0
        for line in record["lines"]:
            amount = parse(line["net"])
            net += amount
            discounts += parse(line["discount"])
            cost = costs.get(line["sku"])
            if cost is not None:
                costed += amount
                cogs += cost * line["quantity"]
        if day >= year_start:
            tally.last12 += net
        elif day >= prev_start:
            tally.prev12 += net
        if not in_window:
            continue
        if kind == "sale":
            tally.sales_in_window.add(record["id"])
        tally.revenue += net
        tally.by_year[day[:4]] += net
        tally.discounts += discounts
        tally.costed += costed
        tally.cogs += cogs
    serving = _serving_costs(feedback, interactions, settings, window, minor)
    rows: list[CustomerEconomics] = []
    last_in_window: dict[str, str] = {}
    for customer in customers:
        cid = customer["id"]
        tally = tallies.get(cid)
        cost = serving.get(cid)
        if tally is None and cost is None:
            continue
        tally = tally or _Tally()
        cost = cost or _ServingTally()
        credited = tally.credited
        kept = [day for sid, day in tally.sales.items() if sid not in credited] if credited \
            else list(tally.sales.values())
        first = min(kept) if kept else None
        last = max(kept) if kept else None
        if first is None and cost.total == 0 and tally.revenue == 0:
            continue
        bought = [tally.sales[sid] for sid in tally.sales_in_window if sid not in credited]
        if bought:
            last_in_window[cid] = max(bought)
        per_year = None
        if first is not None:
            start = max(date.fromisoformat(first), window.since or date.min)
            days = (window.until - start).days + 1
            per_year = minor.decimal(Decimal(tally.revenue * 365) / Decimal(max(days, 365)))
        rows.append(CustomerEconomics(
            customer=cid, name=str(customer.get("name") or ""), segment=customer.get("segment"),
            manager=customer.get("manager"), first_purchase=first, last_purchase=last,
            tenure_days=(window.until - date.fromisoformat(first)).days if first else None,
            purchases=len(bought), revenue=minor.decimal(tally.revenue),
            revenue_per_year=per_year,
            revenue_by_year={year: minor.decimal(v) for year, v in sorted(tally.by_year.items())},
            costed_revenue=minor.decimal(tally.costed), cost_of_goods=minor.decimal(tally.cogs),
            gross_margin=minor.decimal(tally.costed - tally.cogs),
            discounts=minor.decimal(tally.discounts),
            interactions=cost.interactions, interaction_cost=minor.decimal(cost.interaction_cost),
            feedback_items=cost.feedback, feedback_cost=minor.decimal(cost.feedback_cost),
            compensations=cost.compensations, compensation_cost=minor.decimal(cost.compensation_cost),
            last_12_months=minor.decimal(tally.last12), previous_12_months=minor.decimal(tally.prev12),
        ))
    active = [row for row in rows if row.purchases > 0]
    scores = rfm_scores(CustomerActivity(row.customer, date.fromisoformat(last_in_window[row.customer]),
                                         row.purchases, row.revenue)
                        for row in active)
    for row, score in zip(active, scores):
        row.rfm = (score.recency, score.frequency, score.monetary)
    return rows


def _cached(minor: Minor) -> Any:
    """:meth:`Minor.parse` remembering what it has seen: amounts repeat a lot (the same product
    at the same price), and a dictionary look-up is cheaper than parsing."""
    seen: dict[str, int] = {}

    def parse(text: str) -> int:
        value = seen.get(text)
        if value is None:
            value = seen[text] = minor.parse(text)
        return value

    return parse


@dataclass
class _ServingTally:
    interactions: int = 0
    interaction_cost: int = 0
    feedback: int = 0
    feedback_cost: int = 0
    compensations: int = 0
    compensation_cost: int = 0

    @property
    def total(self) -> int:
        return self.interaction_cost + self.feedback_cost + self.compensation_cost


def _serving_costs(feedback: Iterable[dict[str, Any]], interactions: Iterable[Interaction],
                   settings: ReportSettings, window: Window, minor: Minor) -> dict[str, _ServingTally]:
    out: dict[str, _ServingTally] = defaultdict(_ServingTally)
    unit = {}

    def units(amount: Decimal) -> int:
        if amount not in unit:
            unit[amount] = minor.parse(f"{amount:.{minor.places}f}")
        return unit[amount]

    for contact in interactions:
        if window.contains(contact.day):
            tally = out[contact.customer]
            tally.interactions += 1
            tally.interaction_cost += units(settings.interactions.of(contact.channel))
    for item in feedback:
        customer = item.get("customer")
        if not customer:
            continue
        if window.contains(item["received_at"]):
            tally = out[customer]
            tally.feedback += 1
            tally.feedback_cost += units(settings.feedback.of(item.get("kind")))
        compensation = item.get("compensation")
        granted = item.get("resolved_at") or item["received_at"]
        if compensation and window.contains(granted):
            tally = out[customer]
            tally.compensations += 1
            tally.compensation_cost += units(settings.compensation) + minor.parse(
                compensation.get("amount"))
    return out


def sort_rows(rows: list[CustomerEconomics], key: str) -> list[CustomerEconomics]:
    """Rows sorted by ``key`` (see :data:`SORT_KEYS`), best first; ties by customer id."""
    if key not in SORT_KEYS:
        raise ValidationError(_("--sort: '{value}' is not one of {choices}").format(
            value=key, choices=", ".join(SORT_KEYS)), field="sort")
    low = Decimal("-1e30")
    pick = {
        "contribution": lambda r: r.net_contribution,
        "revenue": lambda r: r.revenue,
        "per-year": lambda r: r.revenue_per_year if r.revenue_per_year is not None else low,
        "margin": lambda r: r.gross_margin,
        "discounts": lambda r: r.discounts,
        "serving": lambda r: r.serving_cost,
        "trend": lambda r: r.trend if r.trend is not None else low,
        "rfm": lambda r: (sum(r.rfm), r.rfm) if r.rfm else (-1, ()),
        "tenure": lambda r: r.tenure_days if r.tenure_days is not None else -1,
    }
    by_id = sorted(rows, key=lambda r: _id_key(r.customer))
    if key in pick:
        return sorted(by_id, key=pick[key], reverse=True)
    if key == "first":
        return sorted(by_id, key=lambda r: r.first_purchase or "9999")
    if key == "last":
        return sorted(by_id, key=lambda r: r.last_purchase or "", reverse=True)
    if key == "name":
        return sorted(by_id, key=lambda r: r.name.casefold())
    return by_id


def _id_key(customer_id: str) -> tuple[int, str]:
    digits = customer_id[1:]
    return (int(digits), customer_id) if digits.isdigit() else (0, customer_id)


def totals_of(rows: Iterable[CustomerEconomics]) -> dict[str, Decimal | int]:
    totals: dict[str, Decimal | int] = {
        "purchases": 0, "revenue": Decimal(0), "costed_revenue": Decimal(0),
        "cost_of_goods": Decimal(0), "gross_margin": Decimal(0), "discounts": Decimal(0),
        "interaction_cost": Decimal(0), "feedback_cost": Decimal(0), "compensation_cost": Decimal(0),
        "serving_cost": Decimal(0), "net_contribution": Decimal(0)}
    for row in rows:
        for key in totals:
            totals[key] += getattr(row, key)
    return totals


def interaction_events(tx: Transaction, window: Window) -> list[Interaction]:
    """The contacts with customers in the window (:mod:`kundkit.interactions`): every message that
    went out (a failed or skipped one cost nothing), call, visit, note and standards walk."""
    from kundkit.interactions import all_interactions

    events = []
    last_month = window.last_text[:7]
    for partition, record in all_interactions(tx):
        if partition is not None and partition > last_month:
            continue  # a month's records are dated in it or later (a send-out's retries)
        if record.get("kind") == "message" and record.get("status") not in (None, "sent"):
            continue
        day = str(record.get("at") or "")[:10]
        customer = record.get("customer")
        if customer and day and window.contains(day):
            events.append(Interaction(customer, record.get("channel"), day))
    return events


def customer_report(ctx: Context, window: Window, filters: Filters | None = None, *,
                    sort: str = "contribution", top: int | None = None,
                    settings: ReportSettings | None = None) -> CustomersReport:
    """``report customers`` from the store: read once, then computed outside the lock."""
    from kundkit.customers import list_customers
    from kundkit.feedback import list_feedback
    from kundkit.products import list_products
    from kundkit.reports.common import collector_paused, scan_purchases
    from kundkit.reports.settings import report_settings

    if top is not None and top < 1:
        raise ValidationError(_("--top: must be at least 1, not {value}").format(value=top),
                              field="top")
    sort_rows([], sort)
    settings = settings or report_settings(ctx)
    filters = filters or Filters()
    currency = ctx.config.currency
    with collector_paused(), ctx.store.read() as tx:
        customers = list_customers(tx, include_forgotten=True)
        unit_costs = {p["sku"]: p.get("cost") for p in list_products(tx, include_inactive=True)}
        feedback = list_feedback(tx, include_done=True)
        interactions = interaction_events(tx, window)
        rows = compute_economics(customers=customers,
                                 purchases=scan_purchases(tx, None, window.until),
                                 unit_costs=unit_costs, feedback=feedback, interactions=interactions,
                                 settings=settings, window=window, currency=currency)
    kept = [row for row, customer in zip(rows, _records_of(rows, customers)) if filters.keeps(customer)]
    ordered = sort_rows(kept, sort)
    notes = []
    missing = sorted(sku for sku, cost in unit_costs.items() if cost in (None, ""))
    if missing:
        notes.append(_("Products without a unit cost are left out of the gross margin: {skus}.")
                     .format(skus=", ".join(missing)))
    return CustomersReport(window=window, filters=filters, currency=currency,
                           rows=ordered[:top] if top else ordered, totals=totals_of(kept),
                           customers=len(kept), sort=sort, notes=notes,
                           costs={"interactions": settings.interactions.as_dict(),
                                  "feedback": settings.feedback.as_dict(),
                                  "compensation": str(settings.compensation)})


def _records_of(rows: list[CustomerEconomics],
                customers: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    by_id = {c["id"]: c for c in customers}
    return [by_id.get(row.customer) for row in rows]
