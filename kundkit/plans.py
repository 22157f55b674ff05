"""Sales plans: periods (months, quarters, years) and the organisation's and each seller's target.

A period is written ``2026-11`` (a month), ``2026-Q4`` (a quarter; ``2026-K4`` is the Swedish
spelling) or ``2026`` (a year). Targets are set for any period in table ``plans``, one record per
period::

    {"id": "2026-Q4", "period": "2026-Q4", "target": "1500000.00",
     "staff": {"anna": "400000.00"}, "updated_at": "...", "updated_by": "lars"}

A target that was not set for a period is worked out from the others, so that a business can plan
per year and still reward per month:

* the **sum** of the targets of its parts, when every part has one (a quarter from its three
  months, a year from its four quarters);
* else its **share** of the enclosing period's target: what is left of the quarter's (or year's)
  target after the parts that have their own, split evenly over the parts that do not.

Each resolved target says where it came from (:class:`Target.source`), so a seller can see why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "plans"
KINDS = ("month", "quarter", "year")
_PERIOD = re.compile(r"^\s*(\d{4})(?:-(?:(\d{1,2})|[QqKk]([1-4])))?\s*$")


@dataclass(frozen=True)
class Period:
    """A calendar month, quarter or year. ``index`` is the month (1–12) or quarter (1–4); 0 for a
    year."""

    kind: str
    year: int
    index: int = 0

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        if self.kind == "month":
            return date(self.year, self.index, 1)
        if self.kind == "quarter":
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.kind == "month":
            return date(self.year + self.index // 12, self.index % 12 + 1, 1)
        if self.kind == "quarter":
            return date(self.year + self.index // 4, (3 * self.index) % 12 + 1, 1)
        return date(self.year + 1, 1, 1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def covers(self, other: Period) -> bool:
        """Whether ``other`` lies wholly within this period (a period covers itself)."""
        return self.start <= other.start and other.end <= self.end

    def months(self) -> list[Period]:
        first = 1 if self.kind == "year" else 3 * self.index - 2 if self.kind == "quarter" else self.index
        count = {"month": 1, "quarter": 3, "year": 12}[self.kind]
        return [Period("month", self.year, m) for m in range(first, first + count)]

    def month_keys(self) -> list[str]:
        """``["2026-10", "2026-11", "2026-12"]``: the names of the monthly partitions it spans."""
        return [str(m) for m in self.months()]

    def parts(self) -> list[Period]:
        """The periods one level down: a year's quarters, a quarter's months; none for a month."""
        if self.kind == "year":
            return [Period("quarter", self.year, q) for q in range(1, 5)]
        if self.kind == "quarter":
            return self.months()
        return []

    def parent(self) -> Period | None:
        """The period one level up: a month's quarter, a quarter's year; None for a year."""
        if self.kind == "month":
            return Period("quarter", self.year, (self.index - 1) // 3 + 1)
        if self.kind == "quarter":
            return Period("year", self.year)
        return None

    @property
    def sort_key(self) -> tuple[date, int]:
        return self.start, -KINDS.index(self.kind)


def parse_period(text: Any) -> Period:
    """``2026-11`` / ``2026-Q4`` (or ``2026-K4``) / ``2026`` → :class:`Period`."""
    match = _PERIOD.match(str(text))
    if match is None:
        raise ValidationError(_("period {value!r} must be a month (2026-11), a quarter (2026-Q4) "
                                "or a year (2026)").format(value=str(text)), field="period")
    year, month, quarter = int(match.group(1)), match.group(2), match.group(3)
    if year < 1900 or year > 2999:
        raise ValidationError(_("period {value!r}: the year is out of range").format(value=str(text)),
                              field="period")
    if month is not None:
        if not 1 <= int(month) <= 12:
            raise ValidationError(_("period {value!r}: there is no month {month}").format(
                value=str(text), month=month), field="period")
        return Period("month", year, int(month))
    if quarter is not None:
        return Period("quarter", year, int(quarter))
    return Period("year", year)


def period_of(day: date, kind: str = "month") -> Period:
    """The month, quarter or year that ``day`` falls in."""
    if kind == "month":
        return Period("month", day.year, day.month)
    if kind == "quarter":
        return Period("quarter", day.year, (day.month - 1) // 3 + 1)
    if kind == "year":
        return Period("year", day.year)
    raise ValueError(kind)


# -- targets ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A resolved target and where it came from: ``set`` for the period itself, ``sum`` of its
    parts, or ``share`` of the enclosing period ``basis``."""

    amount: Decimal
    source: str
    basis: str | None = None


@dataclass
class Targets:
    """The organisation's and each seller's target for one period (None: no target)."""

    period: Period
    organisation: Target | None
    staff: dict[str, Target] = field(default_factory=dict)

    def of(self, staff_id: str) -> Target | None:
        return self.staff.get(staff_id)


def _amount(value: Any, currency: str, field_name: str) -> Decimal:
    from kundkit.money import to_money

    if isinstance(value, float):
        value = str(value)
    amount = to_money(value, currency, field=field_name)
    if amount <= 0:
        raise ValidationError(_("{field}: a target must be more than zero, not {value}").format(
            field=field_name, value=value), field=field_name)
    return amount


def parse_target(value: Any, currency: str = "SEK", field_name: str = "target") -> Decimal:
    """A target amount typed by a person (``500000``, ``500 000 kr``, ``1 234,50``)."""
    return _amount(value, currency, field_name)


def _explicit_map(tx: Transaction) -> dict[str, dict[str, Any]]:
    return {record["period"]: record for record in tx.raw(TABLE).values()}


def get_plan(tx: Transaction, period: Period) -> dict[str, Any] | None:
    """The plan record set for exactly ``period``, or None."""
    record = _explicit_map(tx).get(str(period))
    return dict(record) if record is not None else None


def list_plans(tx: Transaction) -> list[dict[str, Any]]:
    """Every plan that was set, in calendar order (a year before its quarters and months)."""
    records = [dict(r) for r in tx.raw(TABLE).values()]
    return sorted(records, key=lambda r: parse_period(r["period"]).sort_key)


def _find_doc(tx: Transaction, period: Period) -> tuple[int, dict[str, Any]] | None:
    for key, record in tx.raw(TABLE).items():
        if record.get("period") == str(period):
            return int(key), record
    return None


def set_plan(ctx: Context, tx: Transaction, period: Period, *, target: Decimal | None = None,
             staff_targets: dict[str, Decimal] | None = None) -> dict[str, Any]:
    """Set the organisation's target and/or personal targets for ``period``.

    Personal targets are merged into those already set (others stay); each staff id must name an
    active staff member. Returns the stored record.
    """
    from kundkit.idtable import replace_doc, stamp
    from kundkit.money import money_str
    from kundkit.staff import require_active

    currency = ctx.config.currency
    if target is None and not staff_targets:
        raise ValidationError(_("give a target for the period, for staff members, or both"),
                              field="target")
    for name, amount in [("target", target), *((f"staff {s}", a) for s, a in (staff_targets or {}).items())]:
        if amount is not None and amount <= 0:
            raise ValidationError(_("{field}: a target must be more than zero, not {value}").format(
                field=name, value=amount), field="target")
    staff = {require_active(tx, sid, field="staff"): money_str(amount, currency)
             for sid, amount in (staff_targets or {}).items()}
    found = _find_doc(tx, period)
    record: dict[str, Any] = dict(found[1]) if found else {"id": str(period), "period": str(period),
                                                           "target": None, "staff": {}}
    if target is not None:
        record["target"] = money_str(target, currency)
    record["staff"] = {**record.get("staff", {}), **staff}
    record["updated_at"] = stamp(ctx)
    record["updated_by"] = ctx.actor
    if found:
        replace_doc(tx, TABLE, found[0], record)
    else:
        tx.table(TABLE).insert(record)
    return record


def remove_plan(ctx: Context, tx: Transaction, period: Period, *,
                staff: list[str] | None = None) -> dict[str, Any] | None:
    """Remove the plan of ``period``, or only the personal targets of ``staff``.

    Returns the record as it is afterwards (None when the whole plan is gone).
    """
    from kundkit.idtable import replace_doc, stamp

    found = _find_doc(tx, period)
    if found is None:
        raise NotFound(_("no plan is set for {period} (see 'kundkit plan list')").format(period=period))
    doc_id, old = found
    if not staff:
        tx.table(TABLE).remove(doc_ids=[doc_id])
        return None
    missing = [s for s in staff if s not in old.get("staff", {})]
    if missing:
        raise NotFound(_("the plan for {period} has no target for {staff}").format(
            period=period, staff=", ".join(missing)))
    record = {**old, "staff": {k: v for k, v in old.get("staff", {}).items() if k not in staff},
              "updated_at": stamp(ctx), "updated_by": ctx.actor}
    replace_doc(tx, TABLE, doc_id, record)
    return record


class _Resolver:
    """Works out targets from the plans that were set (see the module's docstring)."""

    def __init__(self, explicit: dict[str, dict[str, Any]], currency: str) -> None:
        self.explicit = explicit
        self.currency = currency

    def _set(self, period: Period, who: str | None) -> Decimal | None:
        record = self.explicit.get(str(period))
        if record is None:
            return None
        value = record.get("target") if who is None else record.get("staff", {}).get(who)
        return Decimal(value) if value is not None else None

    def _down(self, period: Period, who: str | None) -> Decimal | None:
        parts = period.parts()
        if not parts:
            return None
        total = Decimal(0)
        for part in parts:
            value = self._set(part, who)
            if value is None:
                value = self._down(part, who)
            if value is None:
                return None
            total += value
        return total

    def _up(self, period: Period, who: str | None) -> tuple[Decimal, Period] | None:
        parent = period.parent()
        if parent is None:
            return None
        whole = self._set(parent, who)
        if whole is None:
            above = self._up(parent, who)
            if above is None:
                return None
            whole = above[0]
        known = Decimal(0)
        open_parts = 0
        for part in parent.parts():
            value = None
            if part != period:
                value = self._set(part, who)
                if value is None:
                    value = self._down(part, who)
            if value is None:
                open_parts += 1
            else:
                known += value
        left = max(Decimal(0), whole - known)
        return left / open_parts, parent

    def resolve(self, period: Period, who: str | None) -> Target | None:
        from kundkit.money import round_money

        value = self._set(period, who)
        if value is not None:
            return Target(value, "set")
        value = self._down(period, who)
        if value is not None:
            return Target(value, "sum")
        shared = self._up(period, who)
        if shared is not None and shared[0] > 0:
            return Target(round_money(shared[0], self.currency), "share", str(shared[1]))
        return None

    def people(self, period: Period) -> set[str]:
        """Everyone with a personal target in this period, a part of it, or a period around it."""
        found: set[str] = set()
        for key, record in self.explicit.items():
            other = parse_period(key)
            if period.covers(other) or other.covers(period):
                found.update(record.get("staff", {}))
        return found


def resolve_targets(tx: Transaction, period: Period, currency: str = "SEK") -> Targets:
    """The organisation's and every seller's target for ``period``, set or worked out."""
    return resolve_from_records(list(tx.raw(TABLE).values()), period, currency)


def resolve_from_records(records: list[dict[str, Any]], period: Period,
                         currency: str = "SEK") -> Targets:
    """:func:`resolve_targets` over plan records given directly (for tests and what-if sums)."""
    resolver = _Resolver({r["period"]: r for r in records}, currency)
    staff = {who: t for who in sorted(resolver.people(period))
             if (t := resolver.resolve(period, who)) is not None}
    return Targets(period, resolver.resolve(period, None), staff)
