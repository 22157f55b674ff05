"""Each seller's contribution to the sales plan of a period, and the sale lines behind it.

For a period and each seller:

* **net** — the sum of the net (after discount) of the lines they sold;
* **weighted** — the sum of each line's net times the product's weight *at the time of sale* (the
  weight kept on the line, so that re-weighting a product never rewrites a past month);
* **share** — weighted / the organisation's weighted sales in the period;
* **contribution** — weighted / the organisation's target for the period;
* **attainment** — weighted / the seller's personal target.

A voided purchase counts against the period in which it is voided: the credit note carries the
void's date and negative lines (with the original seller, weights and flags), so October keeps the
sale as it was approved and November pays it back. Sums are exact ``Decimal``; amounts are rounded
once, when they are shown or stored (:meth:`StaffResult.as_dict`), and ratios are kept exact for
the schemes to compare against thresholds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _
from kundkit.plans import Period, Target, Targets

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

ZERO = Decimal(0)


@dataclass(frozen=True)
class SaleLine:
    """One line of a sale or credit note, as it counts in a period (credit lines are negative)."""

    purchase: str
    date: date
    seller: str | None
    sku: str
    net: Decimal
    weight: Decimal = Decimal(1)
    locomotive: bool = False
    name: str = ""
    quantity: int = 1
    customer: str | None = None
    kind: str = "sale"  # sale | credit
    credits: str | None = None  # for a credit note: the purchase it voids

    @property
    def weighted(self) -> Decimal:
        return self.net * self.weight


@dataclass
class StaffResult:
    """One seller's figures for a period. Amounts exact; see :meth:`as_dict` for the rounded view."""

    staff: str
    name: str = ""
    active: bool = True
    net: Decimal = ZERO
    weighted: Decimal = ZERO
    locomotive_weighted: Decimal = ZERO
    lines: int = 0
    share: Decimal | None = None
    contribution: Decimal | None = None
    target: Decimal | None = None
    target_source: str | None = None
    attainment: Decimal | None = None
    audit_score: Decimal | None = None

    @property
    def attainment_percent(self) -> Decimal | None:
        return None if self.attainment is None else self.attainment * 100

    def as_dict(self, currency: str = "SEK") -> dict[str, Any]:
        """The figures as JSON-safe values: money rounded to the currency, ratios to 0.01 %."""
        from kundkit.money import money_str, round_money

        def money(value: Decimal | None) -> str | None:
            return None if value is None else money_str(round_money(value, currency), currency)

        return {"staff": self.staff, "name": self.name, "active": self.active,
                "net": money(self.net), "weighted": money(self.weighted),
                "locomotive_weighted": money(self.locomotive_weighted), "lines": self.lines,
                "share": ratio_str(self.share), "contribution": ratio_str(self.contribution),
                "target": money(self.target), "target_source": self.target_source,
                "attainment": ratio_str(self.attainment),
                "audit_score": None if self.audit_score is None else str(self.audit_score)}


@dataclass
class PeriodResults:
    """Everyone's figures for a period, best weighted sales first, and the organisation's totals.

    ``unattributed_*`` are sales without a seller (imports from the till, web orders): they count
    towards the organisation but nobody's share."""

    period: Period
    currency: str
    staff: list[StaffResult]
    net: Decimal = ZERO
    weighted: Decimal = ZERO
    target: Decimal | None = None
    target_source: str | None = None
    unattributed_net: Decimal = ZERO
    unattributed_weighted: Decimal = ZERO

    @property
    def attainment(self) -> Decimal | None:
        return None if not self.target else self.weighted / self.target

    def get(self, staff_id: str) -> StaffResult | None:
        return next((r for r in self.staff if r.staff == staff_id), None)

    def as_dict(self) -> dict[str, Any]:
        from kundkit.money import money_str, round_money

        def money(value: Decimal | None) -> str | None:
            return None if value is None else money_str(round_money(value, self.currency), self.currency)

        return {"period": str(self.period), "currency": self.currency, "net": money(self.net),
                "weighted": money(self.weighted), "target": money(self.target),
                "target_source": self.target_source, "attainment": ratio_str(self.attainment),
                "unattributed_net": money(self.unattributed_net),
                "unattributed_weighted": money(self.unattributed_weighted),
                "staff": [r.as_dict(self.currency) for r in self.staff]}


def results_from_dict(data: dict[str, Any]) -> PeriodResults:
    """A :class:`PeriodResults` back from :meth:`PeriodResults.as_dict` (e.g. an approval's
    snapshot); amounts come back rounded, ratios to four decimals."""
    from kundkit.plans import parse_period

    def dec(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    staff = [StaffResult(r["staff"], r.get("name", ""), bool(r.get("active", True)),
                         net=Decimal(r["net"]), weighted=Decimal(r["weighted"]),
                         locomotive_weighted=Decimal(r.get("locomotive_weighted") or 0),
                         lines=int(r.get("lines", 0)), share=dec(r.get("share")),
                         contribution=dec(r.get("contribution")), target=dec(r.get("target")),
                         target_source=r.get("target_source"), attainment=dec(r.get("attainment")),
                         audit_score=dec(r.get("audit_score")))
             for r in data["staff"]]
    return PeriodResults(parse_period(data["period"]), data["currency"], staff,
                         net=Decimal(data["net"]), weighted=Decimal(data["weighted"]),
                         target=dec(data.get("target")), target_source=data.get("target_source"),
                         unattributed_net=Decimal(data.get("unattributed_net") or 0),
                         unattributed_weighted=Decimal(data.get("unattributed_weighted") or 0))


def ratio_str(value: Decimal | None) -> str | None:
    """A ratio as stored and printed in JSON: four decimals (``"1.0525"`` = 105.25 %)."""
    from decimal import ROUND_HALF_UP

    return None if value is None else f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"


def _source_text(target: Target | None) -> str | None:
    if target is None:
        return None
    return target.source if target.basis is None else f"{target.source}:{target.basis}"


def compute_results(period: Period, lines: Iterable[SaleLine], *, targets: Targets | None = None,
                    staff: Iterable[dict[str, Any]] = (), currency: str = "SEK",
                    scores: dict[str, Decimal | None] | None = None) -> PeriodResults:
    """Everyone's figures from plain sale lines (the heart of the computation; no store).

    ``staff`` are staff records (``id``, ``name``, ``active``): the active ones are listed even
    without sales, so that a seller with a target and no sales shows 0 %. Sellers found on lines
    but not in ``staff`` are listed too (their name unknown). ``scores`` are the staff's latest
    audit scores, when a scheme needs them.
    """
    people = {s["id"]: s for s in staff}
    results: dict[str, StaffResult] = {}

    def result_of(staff_id: str) -> StaffResult:
        if staff_id not in results:
            record = people.get(staff_id, {})
            results[staff_id] = StaffResult(staff_id, name=record.get("name", ""),
                                            active=bool(record.get("active", staff_id in people)))
        return results[staff_id]

    for staff_id, record in people.items():
        if record.get("active", True):
            result_of(staff_id)
    if targets is not None:
        for staff_id in targets.staff:
            if staff_id in people:
                result_of(staff_id)
    totals = PeriodResults(period, currency, [])
    for line in lines:
        weighted = line.weighted
        totals.net += line.net
        totals.weighted += weighted
        if line.seller is None:
            totals.unattributed_net += line.net
            totals.unattributed_weighted += weighted
            continue
        result = result_of(line.seller)
        result.net += line.net
        result.weighted += weighted
        result.lines += 1
        if line.locomotive:
            result.locomotive_weighted += weighted
    if targets is not None and targets.organisation is not None:
        totals.target = targets.organisation.amount
        totals.target_source = _source_text(targets.organisation)
    for result in results.values():
        result.share = result.weighted / totals.weighted if totals.weighted else None
        result.contribution = result.weighted / totals.target if totals.target else None
        personal = targets.of(result.staff) if targets is not None else None
        if personal is not None:
            result.target = personal.amount
            result.target_source = _source_text(personal)
            result.attainment = result.weighted / personal.amount
        if scores:
            result.audit_score = scores.get(result.staff)
    totals.staff = sorted(results.values(), key=lambda r: (-r.weighted, r.staff))
    return totals


# -- from the store -----------------------------------------------------------------------------

def lines_of(record: dict[str, Any]) -> list[SaleLine]:
    """The lines of a purchase or credit note record (``kundkit.purchases``) as :class:`SaleLine`."""
    day = date.fromisoformat(record["date"])
    out = []
    for line in record["lines"]:
        weight = line.get("weight")
        out.append(SaleLine(
            purchase=record["id"], date=day, seller=record.get("seller"), sku=line["sku"],
            net=Decimal(line["net"]), weight=Decimal(str(weight)) if weight not in (None, "") else Decimal(1),
            locomotive=bool(line.get("locomotive")), name=line.get("name") or "",
            quantity=int(line.get("quantity", 1)), customer=record.get("customer"),
            kind=record.get("kind", "sale"), credits=record.get("credits")))
    return out


def period_lines(tx: Transaction, period: Period, *, seller: str | None = None) -> list[SaleLine]:
    """Every sale and credit line dated in ``period`` (a void is dated when it was voided), only the
    period's monthly partitions read; of one ``seller`` when given."""
    from kundkit.purchase_store import iter_purchases

    out: list[SaleLine] = []
    for record in iter_purchases(tx, period.start, period.end - timedelta(days=1)):
        if seller is not None and record.get("seller") != seller:
            continue
        out.extend(lines_of(record))
    return out


def audit_scores(ctx: Context, tx: Transaction, staff_ids: Iterable[str]) -> dict[str, Decimal | None] | None:
    """Each staff member's latest service-standard audit score (per cent; None if never audited),
    read in the caller's transaction; None when this kundkit has no stored audits."""
    try:
        from kundkit.standards.audit_store import list_audits
    except ImportError:
        return None
    latest: dict[str, Decimal] = {}
    for audit in list_audits(ctx, tx=tx):  # oldest first, so the last one per person wins
        latest[audit.staff] = audit.percent
    return {staff_id: latest.get(staff_id) for staff_id in staff_ids}


def results_for(ctx: Context, tx: Transaction, period: Period, *,
                with_audits: bool = False) -> PeriodResults:
    """Everyone's figures for ``period`` from the store (purchases, staff, plans)."""
    from kundkit.plans import resolve_targets
    from kundkit.staff import all_staff

    currency = ctx.config.currency
    results = compute_results(period, period_lines(tx, period), targets=resolve_targets(tx, period, currency),
                              staff=all_staff(tx), currency=currency)
    if with_audits:
        scores = audit_scores(ctx, tx, [r.staff for r in results.staff])
        if scores:
            for result in results.staff:
                result.audit_score = scores.get(result.staff)
    return results


@dataclass
class Explanation:
    """The figures of one seller and the lines behind them, in date order."""

    result: StaffResult
    organisation: PeriodResults
    lines: list[SaleLine] = field(default_factory=list)


def explain(ctx: Context, tx: Transaction, staff_id: str, period: Period) -> Explanation:
    """Why a seller's figures are what they are: every line that counted, locomotives marked."""
    from kundkit.staff import get_staff

    record = get_staff(tx, staff_id)
    results = results_for(ctx, tx, period)
    result = results.get(record["id"]) or StaffResult(record["id"], record.get("name", ""),
                                                      bool(record.get("active")))
    lines = period_lines(tx, period, seller=record["id"])
    lines.sort(key=lambda line: (line.date, line.purchase))
    return Explanation(result, results, lines)


def describe_source(source: str | None) -> str:
    """``set`` / ``sum`` / ``share:2026-Q4`` in words, for people."""
    if not source:
        return ""
    kind, _sep, basis = source.partition(":")
    if kind == "set":
        return _("set")
    if kind == "sum":
        return _("sum of its parts")
    if kind == "share":
        return _("share of {period}").format(period=basis)
    return source
