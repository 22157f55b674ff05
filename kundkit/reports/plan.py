"""``report plan``: the organisation's and each seller's sales, weighted sales, attainment and
contribution to the plan, and the share of the key ("locomotive") products.

The figures are those of :mod:`kundkit.contribution` (the incentives are paid on them): net and
weighted sales per seller, share of the organisation's weighted sales, contribution to the
organisation's target, attainment of the personal target; a void counts on the day it was made.
Targets come from :mod:`kundkit.plans` and apply when the window is a plan period (a month,
quarter or year); a window given by ``--since``/``--until`` has sales but no targets.

With ``--segment`` or ``--manager`` only the sales to those customers count, while the targets
stay the organisation's: the attainment then says how far these customers' purchases carried
each seller towards the whole target.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _
from kundkit.reports.common import Filters, Minor, Window, ratio, ratio_text

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.contribution import PeriodResults


@dataclass
class KeyProduct:
    sku: str
    name: str
    quantity: int
    net: Decimal
    weighted: Decimal
    share: Decimal | None  # of the organisation's weighted sales

    def as_dict(self) -> dict[str, Any]:
        return {"sku": self.sku, "name": self.name, "quantity": self.quantity,
                "net": f"{self.net:f}", "weighted": f"{self.weighted:f}",
                "share": ratio_text(self.share)}


@dataclass
class PlanReport:
    window: Window
    filters: Filters
    currency: str
    results: PeriodResults
    locomotive_net: Decimal
    locomotive_weighted: Decimal
    key_products: list[KeyProduct]
    lines: int
    notes: list[str] = field(default_factory=list)

    @property
    def has_targets(self) -> bool:
        return self.results.target is not None or any(r.target is not None for r in self.results.staff)

    @property
    def locomotive_share(self) -> Decimal | None:
        """The key products' share of the weighted sales."""
        return ratio(self.locomotive_weighted, self.results.weighted) if self.results.weighted > 0 \
            else None

    def as_dict(self) -> dict[str, Any]:
        from kundkit.money import round_money

        def money(value: Decimal | None) -> str | None:
            return None if value is None else f"{round_money(value, self.currency):f}"

        results = self.results
        staff = []
        for row in results.staff:
            staff.append({
                "staff": row.staff, "name": row.name, "active": row.active, "lines": row.lines,
                "net": money(row.net), "weighted": money(row.weighted),
                "locomotive_weighted": money(row.locomotive_weighted),
                "locomotive_share": ratio_text(ratio(row.locomotive_weighted, row.weighted)
                                               if row.weighted > 0 else None),
                "share": ratio_text(row.share), "contribution": ratio_text(row.contribution),
                "target": money(row.target), "target_source": row.target_source,
                "attainment": ratio_text(row.attainment)})
        return {
            "report": "plan", "window": self.window.as_dict(), "filters": self.filters.as_dict(),
            "currency": self.currency, "lines": self.lines,
            "organisation": {
                "net": money(results.net), "weighted": money(results.weighted),
                "target": money(results.target), "target_source": results.target_source,
                "attainment": ratio_text(results.attainment),
                "unattributed_net": money(results.unattributed_net),
                "unattributed_weighted": money(results.unattributed_weighted),
                "locomotive_net": money(self.locomotive_net),
                "locomotive_weighted": money(self.locomotive_weighted),
                "locomotive_share": ratio_text(self.locomotive_share)},
            "staff": staff,
            "key_products": [p.as_dict() for p in self.key_products],
            "notes": self.notes,
        }


def plan_report(ctx: Context, window: Window, filters: Filters | None = None) -> PlanReport:
    """``report plan`` from the store."""
    from kundkit.contribution import SaleLine, compute_results
    from kundkit.customers import list_customers
    from kundkit.plans import resolve_targets
    from kundkit.reports.common import collector_paused, scan_purchases
    from kundkit.staff import all_staff

    filters = filters or Filters()
    currency = ctx.config.currency
    minor = Minor(currency)
    # Weighted sales are linear in the net, so the lines are summed per (seller, weight, key
    # product) first, in whole öre, and only those sums go through the contribution arithmetic:
    # the same figures as line by line, without a Decimal per line.
    groups: dict[tuple[str | None, str, bool], int] = defaultdict(int)
    counts: dict[str | None, int] = defaultdict(int)
    key_products: dict[str, dict[str, Any]] = {}
    with collector_paused(), ctx.store.read() as tx:
        customers = None
        if filters.active:
            customers = {c["id"] for c in list_customers(tx, include_forgotten=True)
                         if filters.keeps(c)}
        staff = all_staff(tx)
        targets = resolve_targets(tx, window.period, currency) if window.period is not None else None
        seen: dict[str, int] = {}
        for record in scan_purchases(tx, window.since, window.until):
            if customers is not None and record["customer"] not in customers:
                continue
            seller = record.get("seller")
            counts[seller] += len(record["lines"])
            for line in record["lines"]:
                text = line["net"]
                net = seen.get(text)
                if net is None:
                    net = seen[text] = minor.parse(text)
                weight = line.get("weight") or "1"
                if line.get("locomotive"):
                    groups[(seller, weight, True)] += net
                    product = key_products.get(line["sku"])
                    if product is None:
                        product = key_products[line["sku"]] = {
                            "name": line.get("name") or "", "quantity": 0,
                            "net": defaultdict(int)}
                    product["quantity"] += line.get("quantity") or 0
                    product["net"][weight] += net
                else:
                    groups[(seller, weight, False)] += net
    lines = sum(counts.values())
    sums = [SaleLine(purchase="", date=window.until, seller=seller, sku="", net=minor.decimal(net),
                     weight=Decimal(str(weight)), locomotive=locomotive)
            for (seller, weight, locomotive), net in groups.items()]
    # The period is only carried along in the result; a --since/--until window has none.
    results = compute_results(window.period, sums, targets=targets, staff=staff,  # type: ignore[arg-type]
                              currency=currency)
    for row in results.staff:
        row.lines = counts.get(row.staff, 0)
    locomotive_net = sum((minor.decimal(net) for (_s, _w, loco), net in groups.items() if loco),
                         Decimal(0))
    locomotive_weighted = sum((minor.decimal(net) * Decimal(str(weight))
                               for (_s, weight, loco), net in groups.items() if loco), Decimal(0))
    products = []
    for sku, data in key_products.items():
        weighted = sum((minor.decimal(net) * Decimal(str(weight))
                        for weight, net in data["net"].items()), Decimal(0))
        products.append(KeyProduct(sku, data["name"], data["quantity"],
                                   minor.decimal(sum(data["net"].values())),
                                   weighted, ratio(weighted, results.weighted)
                                   if results.weighted > 0 else None))
    products.sort(key=lambda p: (-p.weighted, p.sku))
    notes = []
    if window.period is None:
        notes.append(_("Targets belong to plan periods: give --period (a month, quarter or year) "
                       "to see attainment."))
    elif targets is not None and targets.organisation is None and not targets.staff:
        notes.append(_("No target is set for {period} ('kundkit plan set').").format(
            period=window.period))
    if filters.active:
        notes.append(_("Only sales to customers of {filters}; the targets are for all sales.")
                     .format(filters=filters.describe()))
    if results.unattributed_net:
        notes.append(_("Sales without a seller count towards the organisation only."))
    return PlanReport(window=window, filters=filters, currency=currency, results=results,
                      locomotive_net=locomotive_net, locomotive_weighted=locomotive_weighted,
                      key_products=products, lines=lines, notes=notes)
