"""``report followups``: did the key-product sales get their consultation?

Each sale of a key ("locomotive") product in the window, voided ones left out, and the fate of the
consultation task it created (:func:`kundkit.followup.followup_sales`): done *in time* (by its due
day), done *late*, *not done* (cancelled, never created, or open past its due day), or *pending*
(open and not yet due). Per manager (who was to consult), and in all. The share in time is of the
decided ones: sales still pending are not yet a success or a failure.

A sale that never asked for a consultation — history imported as invoiced, or sold while the
follow-up was switched off — is *not asked*: counted, but neither a success nor a failure, so that
years of history from before kundkit do not drown the months since.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _
from kundkit.reports.common import Filters, Window, ratio, ratio_text

if TYPE_CHECKING:
    from kundkit.context import Context

OUTCOMES = ("in_time", "late", "not_done", "pending", "not_asked")
MISSED_SHOWN = 20


@dataclass
class ManagerFollowups:
    manager: str | None
    name: str
    sales: int = 0
    in_time: int = 0
    late: int = 0
    not_done: int = 0
    pending: int = 0
    not_asked: int = 0

    @property
    def decided(self) -> int:
        return self.in_time + self.late + self.not_done

    @property
    def in_time_share(self) -> Decimal | None:
        return ratio(self.in_time, self.decided)

    def as_dict(self) -> dict[str, Any]:
        return {"manager": self.manager, "name": self.name, "sales": self.sales,
                "in_time": self.in_time, "late": self.late, "not_done": self.not_done,
                "pending": self.pending, "not_asked": self.not_asked,
                "in_time_share": ratio_text(self.in_time_share)}


@dataclass
class FollowupsReport:
    window: Window
    filters: Filters
    currency: str
    managers: list[ManagerFollowups]
    total: ManagerFollowups
    missed: list[dict[str, Any]]   # the sales whose consultation was late or not done, latest first
    due_days: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"report": "followups", "window": self.window.as_dict(),
                "filters": self.filters.as_dict(), "due_days": self.due_days,
                "total": self.total.as_dict(), "managers": [m.as_dict() for m in self.managers],
                "missed": self.missed, "notes": self.notes}


def followups_report(ctx: Context, window: Window, filters: Filters | None = None) -> FollowupsReport:
    """``report followups`` from the store."""
    from kundkit.customers import list_customers
    from kundkit.followup import followup_sales, followup_settings
    from kundkit.reports.common import collector_paused, scan_purchases
    from kundkit.staff import all_staff

    filters = filters or Filters()
    with collector_paused(), ctx.store.read() as tx:
        customers = {c["id"]: c for c in list_customers(tx, include_forgotten=True)}
        names = {s["id"]: s.get("name") or "" for s in all_staff(tx)}
        # A sale records the consultations it asked for ("followups") when it is made live;
        # history imported as invoiced has none.
        unasked = {record["id"] for record in scan_purchases(tx, window.since, window.until)
                   if record["kind"] == "sale" and "followups" not in record}
    sales = []
    for row in followup_sales(ctx, window.since, window.until):
        if filters.keeps(customers.get(row["customer"])):
            sales.append({**row, "outcome": "not_asked"} if row["purchase"] in unasked else row)
    per: dict[str | None, ManagerFollowups] = {}
    total = ManagerFollowups(None, _("Total"))
    for row in sales:
        entry = per.setdefault(row["manager"], ManagerFollowups(
            row["manager"], names.get(row["manager"] or "", "") if row["manager"] else _("(none)")))
        for tally in (entry, total):
            tally.sales += 1
            setattr(tally, row["outcome"], getattr(tally, row["outcome"]) + 1)
    managers = sorted(per.values(), key=lambda m: (m.manager is None, m.manager or ""))
    missed = [{**row, "customer_name": str((customers.get(row["customer"]) or {}).get("name") or "")}
              for row in sales if row["outcome"] in ("late", "not_done")]
    missed.sort(key=lambda row: (row["date"], row["purchase"], row["sku"]), reverse=True)
    notes = []
    settings = followup_settings(ctx)
    if not settings.enabled:
        notes.append(_("The key-product follow-up is switched off in kundkit.yaml (followup.enabled)."))
    if total.not_asked:
        notes.append(_("Not asked: {count} key-product sales never asked for a consultation "
                       "(history imported as invoiced, or sold while the follow-up was off).")
                     .format(count=total.not_asked))
    return FollowupsReport(window=window, filters=filters, currency=ctx.config.currency,
                           managers=managers, total=total, missed=missed,
                           due_days=settings.due_days, notes=notes)
