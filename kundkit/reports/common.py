"""What the reports share: the window of time, the filters by segment and manager, exact amounts
in minor units, and a quick scan of the purchases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import UsageError, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.plans import Period
    from kundkit.store import Transaction

DEFAULTS = ("all", "month", "year")


@dataclass(frozen=True)
class Window:
    """The days ``since`` to ``until``, both included; ``since`` None means from the first record.

    ``period`` is the plan period (month, quarter, year) when the window was given as one, so that
    the plan report can find its targets. ``until`` never lies after the day the report is made:
    the year 2026 asked for on 20 November runs to 20 November.
    """

    since: date | None
    until: date
    label: str
    period: Period | None = None

    def contains(self, day: str) -> bool:
        """Whether an ISO date (``"2026-11-20"``, or the start of a timestamp) is in the window."""
        day = day[:10]
        return (self.since is None or day >= self.since.isoformat()) and day <= self.until.isoformat()

    @property
    def first_text(self) -> str:
        return self.since.isoformat() if self.since else ""

    @property
    def last_text(self) -> str:
        return self.until.isoformat()

    def as_dict(self) -> dict[str, Any]:
        return {"label": self.label, "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat(),
                "period": str(self.period) if self.period is not None else None}


def parse_day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(_("{option}: '{value}' is not a date (YYYY-MM-DD)").format(
            option=option, value=text)) from None


def parse_window(today: date, *, period: str | None = None, since: str | None = None,
                 until: str | None = None, default: str = "all") -> Window:
    """The window of a report from ``--period`` or ``--since``/``--until``.

    ``--period`` is a year (2026), a quarter (2026-Q3, 2026-K3), a month (2026-11) or a day
    (2026-11-20). Without any, ``default`` decides: ``all`` (everything up to today), ``month``
    (this month so far) or ``year`` (the twelve months up to today).
    """
    from kundkit.plans import parse_period

    if period and (since or until):
        raise UsageError(_("give either --period or --since/--until, not both"))
    if period:
        text = str(period).strip()
        try:
            plan_period = parse_period(text)
        except ValidationError:
            plan_period = None
        if plan_period is not None:
            first, last = plan_period.start, plan_period.end - timedelta(days=1)
            label = str(plan_period)
        else:
            try:
                first = last = date.fromisoformat(text)
            except ValueError:
                raise UsageError(_("--period: '{value}' is not a year, quarter, month or day "
                                   "(2026, 2026-Q3, 2026-11, 2026-11-20)").format(value=text)) from None
            label = first.isoformat()
        if first > today:
            raise UsageError(_("--period: {period} has not begun yet").format(period=label))
        return Window(first, min(last, today), label, plan_period)
    if since or until:
        first = parse_day(since, "--since") if since else None
        last = parse_day(until, "--until") if until else today
        if last > today:
            raise UsageError(_("--until: {day} is in the future").format(day=last.isoformat()))
        if first is not None and first > last:
            raise UsageError(_("--since {since} is after --until {until}").format(
                since=first.isoformat(), until=last.isoformat()))
        label = f"{first.isoformat() if first else '…'} – {last.isoformat()}"
        return Window(first, last, label)
    if default == "month":
        from kundkit.plans import period_of

        month = period_of(today, "month")
        return Window(month.start, today, str(month), month)
    if default == "year":
        first = years_before(today, 1) + timedelta(days=1)
        return Window(first, today, f"{first.isoformat()} – {today.isoformat()}")
    return Window(None, today, _("up to {day}").format(day=today.isoformat()))


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29 February that does not exist)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Filters:
    """Which customers a report covers: those of a segment and/or of a permanent manager."""

    segment: str | None = None
    manager: str | None = None

    def keeps(self, customer: dict[str, Any] | None) -> bool:
        if customer is None:
            return self.segment is None and self.manager is None
        if self.segment is not None and customer.get("segment") != self.segment:
            return False
        if self.manager is not None and customer.get("manager") != self.manager:
            return False
        return True

    @property
    def active(self) -> bool:
        return self.segment is not None or self.manager is not None

    def describe(self) -> str:
        parts = []
        if self.segment is not None:
            parts.append(_("segment {segment}").format(segment=self.segment))
        if self.manager is not None:
            parts.append(_("manager {manager}").format(manager=self.manager))
        return ", ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {"segment": self.segment, "manager": self.manager}


def check_filters(ctx: Context, tx: Transaction, segment: str | None,
                  manager: str | None) -> Filters:
    """Filters with a known segment (when segments are configured) and an existing staff member."""
    from kundkit.staff import get_staff

    if segment is not None:
        segment = segment.strip()
        known = (ctx.config.section("customers", {}) or {}).get("segments") or []
        if known and segment not in known:
            raise ValidationError(_("--segment: '{value}' is not one of {choices}").format(
                value=segment, choices=", ".join(known)), field="segment")
    if manager is not None:
        manager = get_staff(tx, manager.strip())["id"]
    return Filters(segment or None, manager or None)


# -- amounts ----------------------------------------------------------------------------------

class Minor:
    """Exact amounts as whole minor units (öre): sums of integers are exact and fast, and they
    turn back into ``Decimal`` only to be shown."""

    def __init__(self, currency: str) -> None:
        from kundkit.money import currency as find_currency

        self.currency = find_currency(currency).code
        self.places = find_currency(currency).minor_units
        self._scale = Decimal(1).scaleb(-self.places)
        self._zero = Decimal(0).scaleb(-self.places)

    def parse(self, text: str | None) -> int:
        """The stored amount ``"1234.50"`` as 123450."""
        if not text:
            return 0
        head, dot, tail = text.partition(".")
        if (dot and len(tail) == self.places) or (not dot and self.places == 0):
            return int(head + tail)
        return int((Decimal(text) / self._scale).to_integral_value(ROUND_HALF_UP))

    def decimal(self, units: int | Decimal) -> Decimal:
        """Minor units back to an amount (a Decimal of minor units is rounded half up first)."""
        if isinstance(units, Decimal):
            units = int(units.to_integral_value(ROUND_HALF_UP))
        if not units:
            return self._zero  # most costs of most customers are nothing; Decimals are immutable
        return Decimal(units).scaleb(-self.places)

    def text(self, units: int | Decimal) -> str:
        """The stored form, ``"1234.50"``."""
        return f"{self.decimal(units):f}"


def ratio_text(value: Decimal | None) -> str | None:
    """A ratio as the JSON of every report writes it: four decimals (``"0.1250"`` = 12.5 %)."""
    if value is None:
        return None
    return f"{value.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP):f}"


def ratio(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """``numerator / denominator`` exactly enough for percentages; None when nothing to divide by."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


# -- reading ----------------------------------------------------------------------------------

@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a report adds up the store.

    A scan makes hundreds of thousands of small dicts (the records as parsed), none of them in a
    reference cycle, so the collector finds nothing to free; but it is set off by the allocations
    and walks every live object each time, which took as long as the sums themselves. Plain
    reference counting still frees each month's records as the scan moves on.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def scan_purchases(tx: Transaction, first: date | None, last: date | None) -> Iterator[dict[str, Any]]:
    """Every purchase and credit note dated from ``first`` to ``last`` (read-only dicts), month by
    month but in no particular order within a month.

    For a read transaction of a report only. :func:`kundkit.purchase_store.iter_purchases` keeps
    every month it reads in the transaction (as ``tx.raw`` does) and sorts each one; a report that
    only adds figures up needs neither, and three years of purchases held at once are most of a
    report's memory (230 MB against 40 MB for 100,000 lines). So each month is read with
    ``tx.scan``, scanned, and let go before the next.
    """
    from kundkit.purchase_store import PURCHASES, months

    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999"
    for month in months(tx, first, last):
        records = tx.scan(PURCHASES, month).values()
        whole = lo <= f"{month}-01" and f"{month}-31" <= hi
        for record in records:
            if whole or lo <= record["date"] <= hi:
                yield record
