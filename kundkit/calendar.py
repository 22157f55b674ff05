"""The business calendar: when the business is open, and how much open time lies between moments.

Deadlines ("answer a complaint within 4 hours") are counted in the time the business is open, not
in the hours of the clock: a complaint received at 16:00 on a Friday with 4 hours to the first
response is due at 11:00 on Monday when the office is open 08:00–17:00 on weekdays.

A calendar is built from the ``calendar:`` section of ``kundkit.yaml``::

    calendar:
      timezone: Europe/Stockholm          # default: the top-level timezone, else Europe/Stockholm
      hours:                              # no hours at all: open 24/7, plain clock time counts
        mon-fri: "08:00-17:00"
        sat: "10:00-14:00"                # or a list: ["08:00-12:00", "13:00-17:00"]
      public_holidays: true               # Swedish public holidays are closed (default true)
      holiday_eves: true                  # midsummer eve, christmas eve and new year's eve too
      closed: ["2026-07-20", "2026-07-27..2026-07-31"]
      business_day: 8h                    # what "1d" means; default: the usual open day

Days may be written in English (``mon``…``sun``) or Swedish (``mån``…``sön``), alone, as ranges
(``mon-fri``) or comma lists (``mon-wed,fri``); a day that is not named is closed.

Time zones and daylight saving time: opening hours are wall-clock times in the calendar's zone.
For each date they are turned into instants with :mod:`zoneinfo`, and every sum and difference is
then taken in UTC, so only time that really passes while the business is open counts. A day on
which clocks change keeps its wall-clock opening hours (08:00–17:00 is nine real hours on
29 March as on any other day), while a day open around the clock is 23 hours long in spring and
25 in autumn; in a 24/7 calendar 24 hours from Saturday 12:00 before the spring change is Sunday
13:00. An opening hour that does not exist (inside the spring gap) is moved to the end of the
gap; an hour that exists twice (in the autumn) means its first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kundkit.errors import ValidationError
from kundkit.i18n import _

DEFAULT_TIMEZONE = "Europe/Stockholm"

# How far ahead we look for an opening before deciding that the calendar never opens (a closed
# range of many years); far beyond any deadline a business sets.
_SEARCH_DAYS = 3700
_LONGEST_CLOSED_RANGE = 3660

_UTC = timezone.utc

_DAY_NAMES: dict[str, int] = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
    "mån": 0, "tis": 1, "ons": 2, "tor": 3, "fre": 4, "lör": 5, "sön": 6,
}
_DAY = "(?:" + "|".join(_DAY_NAMES) + ")"
_DAY_SPEC = f"{_DAY}(?:-{_DAY})?"
DAYS_PATTERN = f"^{_DAY_SPEC}(?:, ?{_DAY_SPEC})*$"

_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?"
_INTERVAL = re.compile(rf"^\s*{_CLOCK}\s*[-–]\s*{_CLOCK}\s*$")
INTERVAL_PATTERN = r"^\s*\d{1,2}([:.]\d{2})?\s*[-–]\s*\d{1,2}([:.]\d{2})?\s*$"
_DATE = r"\d{4}-\d{2}-\d{2}"
CLOSED_PATTERN = rf"^{_DATE}(\s*\.\.\s*{_DATE})?$"

# Units of a duration. A day and a week are the calendar's, not the clock's: see parse_duration.
_UNITS: dict[str, str] = {
    "w": "w", "week": "w", "weeks": "w", "v": "w", "vecka": "w", "veckor": "w",
    "d": "d", "day": "d", "days": "d", "dag": "d", "dagar": "d",
    "h": "h", "hour": "h", "hours": "h", "t": "h", "tim": "h", "timme": "h", "timmar": "h",
    "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "minut": "m", "minuter": "m",
}
_UNIT = "(?:" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_PART = rf"(\d+(?:[.,]\d+)?)\s*({_UNIT})"
DURATION_PATTERN = rf"^\s*\d+([.,]\d+)?\s*{_UNIT}(\s*\d+([.,]\d+)?\s*{_UNIT})*\s*$"
_PART_RE = re.compile(_PART)
_DURATION_RE = re.compile(DURATION_PATTERN)

_DURATION_SCHEMA = {
    "type": "string",
    "pattern": DURATION_PATTERN,
    "description": "a duration such as 30m, 4h, 2d or 1d4h",
}
_INTERVAL_SCHEMA = {
    "type": "string",
    "pattern": INTERVAL_PATTERN,
    "description": "opening hours such as 08:00-17:00",
}

CALENDAR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "The business calendar that deadlines are counted in.",
    "additionalProperties": False,
    "properties": {
        "timezone": {"type": "string", "description": "an IANA time zone such as Europe/Stockholm"},
        "hours": {
            "type": "object",
            "description": "opening hours per day; no hours means open 24/7",
            "patternProperties": {
                DAYS_PATTERN: {
                    "anyOf": [
                        _INTERVAL_SCHEMA,
                        {"type": "array", "items": _INTERVAL_SCHEMA},
                        {"enum": ["closed", None]},
                    ],
                },
            },
            "additionalProperties": False,
        },
        "public_holidays": {"type": "boolean"},
        "holiday_eves": {"type": "boolean"},
        "closed": {
            "type": "array",
            "items": {"type": "string", "pattern": CLOSED_PATTERN,
                      "description": "a date (2026-07-20) or a range (2026-07-20..2026-07-31)"},
        },
        "business_day": _DURATION_SCHEMA,
    },
}

Interval = tuple[int, int]  # minutes after midnight, local wall clock; the end may be 1440


def require_aware(moment: datetime, name: str) -> None:
    """Refuse a naive datetime: a deadline without a time zone is a guess."""
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(
            _("{name} must be a date and time with a time zone, got {value!r}").format(
                name=name, value=moment), field=name)


def parse_duration(text: str, *, day: timedelta = timedelta(days=1),
                   week: timedelta | None = None) -> timedelta:
    """The duration in ``text``: ``30m``, ``4h``, ``2d``, ``1d4h``, ``1w``, ``1.5h``, ``2 dagar``.

    Units (English or Swedish): ``m``/``min`` minutes, ``h``/``t``/``tim`` hours, ``d``/``dag``
    days, ``w``/``v``/``vecka`` weeks. Parts add up (``1d 4h``); decimals take ``.`` or ``,``.

    Minutes and hours are always 60 s and 3600 s. A day is ``day`` and a week is ``week`` (default
    seven days): plain clock days unless a calendar says otherwise. Through
    :meth:`BusinessCalendar.parse_duration` a day is one usual open day (9 h for 08:00–17:00) and a
    week the open time of a whole week, so that "2d" from Monday 10:00 is Wednesday 10:00.
    """
    if not isinstance(text, str) or not _DURATION_RE.match(text):
        raise ValidationError(
            _("'{text}' is not a duration; write e.g. 30m, 4h, 2d or 1d4h").format(text=text),
            field="duration")
    sizes = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": day,
             "w": week if week is not None else day * 7}
    micros = Decimal(0)
    for number, unit in _PART_RE.findall(text):
        # Decimal, so that "1.1h" is exactly 66 minutes.
        size = sizes[_UNITS[unit]] // timedelta(microseconds=1)
        micros += Decimal(number.replace(",", ".")) * size
    try:
        return timedelta(microseconds=int(micros))
    except OverflowError:
        raise ValidationError(_("'{text}' is too long a duration").format(text=text),
                              field="duration") from None


def format_duration(delta: timedelta, *, day: timedelta | None = None) -> str:
    """``2h 30m``, ``45m``, ``-1h 5m``; with ``day``, whole days first (``1d 4h``).

    Rounded to the minute.
    """
    minutes = round(delta.total_seconds() / 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    parts = []
    day_minutes = round(day.total_seconds() / 60) if day else 0
    if day_minutes > 0 and minutes >= day_minutes:
        parts.append(f"{minutes // day_minutes}d")
        minutes %= day_minutes
    if minutes >= 60:
        parts.append(f"{minutes // 60}h")
        minutes %= 60
    if minutes or not parts:
        parts.append(f"{minutes}m")
    return sign + " ".join(parts)


def midsummer_eve(year: int) -> date:
    """The Friday between 19 and 25 June."""
    first = date(year, 6, 19)
    return first + timedelta(days=(4 - first.weekday()) % 7)


def _days(spec: str, where: str) -> list[int]:
    if not re.match(DAYS_PATTERN, spec):
        raise ValidationError(
            _("{where}: '{spec}' is not a day or a range of days (e.g. mon-fri, sat, mån-fre)")
            .format(where=where, spec=spec), field=where)
    days: list[int] = []
    for part in spec.split(","):
        first, _sep, last = part.strip().partition("-")
        a = _DAY_NAMES[first]
        b = _DAY_NAMES[last] if last else a
        span = (b - a) % 7
        days.extend((a + i) % 7 for i in range(span + 1))
    return days


def _intervals(value: Any, where: str) -> list[Interval]:
    if value is None or value == "closed":
        return []
    items = value if isinstance(value, list) else [value]
    out: list[Interval] = []
    for item in items:
        match = _INTERVAL.match(item) if isinstance(item, str) else None
        if not match:
            raise ValidationError(
                _("{where}: '{value}' is not opening hours; write e.g. 08:00-17:00").format(
                    where=where, value=item), field=where)
        h1, m1, h2, m2 = (int(g or 0) for g in match.groups())
        start, end = h1 * 60 + m1, h2 * 60 + m2
        if h1 > 23 or m1 > 59 or m2 > 59 or end > 1440:
            raise ValidationError(
                _("{where}: '{value}' is not a time of day").format(where=where, value=item),
                field=where)
        if end <= start:
            raise ValidationError(
                _("{where}: '{value}' closes before it opens").format(where=where, value=item),
                field=where)
        out.append((start, end))
    out.sort()
    for (_s1, e1), (s2, _e2) in zip(out, out[1:]):
        if s2 < e1:
            raise ValidationError(
                _("{where}: opening hours overlap").format(where=where), field=where)
    return out


def _closed_dates(values: Iterable[Any]) -> frozenset[date]:
    out: set[date] = set()
    for value in values:
        if isinstance(value, date) and not isinstance(value, datetime):
            out.add(value)
            continue
        text = str(value).strip()
        if not re.match(CLOSED_PATTERN, text):
            raise ValidationError(
                _("calendar.closed: '{value}' is not a date (2026-07-20) or a range "
                  "(2026-07-20..2026-07-31)").format(value=value), field="calendar.closed")
        first_text, _sep, last_text = text.partition("..")
        try:
            first = date.fromisoformat(first_text.strip())
            last = date.fromisoformat(last_text.strip()) if last_text else first
        except ValueError:
            raise ValidationError(
                _("calendar.closed: '{value}' is not a real date").format(value=value),
                field="calendar.closed") from None
        if last < first or (last - first).days > _LONGEST_CLOSED_RANGE:
            raise ValidationError(
                _("calendar.closed: '{value}' must run forwards and span at most ten years")
                .format(value=value), field="calendar.closed")
        out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
    return frozenset(out)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("unknown time zone '{name}'").format(name=name),
                              field="calendar.timezone") from None


def _instant(day: date, minute: int, zone: ZoneInfo) -> datetime:
    """The UTC instant at which the wall clock in ``zone`` shows ``minute`` on ``day``."""
    if minute >= 1440:
        day, minute = day + timedelta(days=1), minute - 1440
    local = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=zone)
    moment = local.astimezone(_UTC)
    if moment.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return moment
    # A wall time inside the spring gap: the clock jumps over it, so the first instant that
    # exists after it is the moment of the change, which lies between the two readings.
    low = local.replace(fold=1).astimezone(_UTC)
    high = moment
    after = high.astimezone(zone).utcoffset()
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if middle.astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0)


@dataclass(frozen=True)
class BusinessCalendar:
    """Opening hours in a time zone, minus holidays and closed dates.

    ``hours`` holds seven tuples of intervals (Monday first) or is None for a calendar that is
    open around the clock, in which plain clock time counts and holidays do not matter.
    """

    hours: tuple[tuple[Interval, ...], ...] | None = None
    timezone: str = DEFAULT_TIMEZONE
    public_holidays: bool = True
    holiday_eves: bool = True
    closed: frozenset[date] = frozenset()
    business_day: timedelta | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False,
                                   hash=False)

    def __post_init__(self) -> None:
        _zone(self.timezone)
        if self.hours is not None:
            if len(self.hours) != 7:
                raise ValidationError(_("calendar.hours: seven days are needed, Monday first"),
                                      field="calendar.hours")
            if not any(self.hours):
                raise ValidationError(_("calendar.hours: the business is never open; remove "
                                        "'hours' for a calendar that is open 24/7"),
                                      field="calendar.hours")
        if self.business_day is not None and self.business_day <= timedelta(0):
            raise ValidationError(_("calendar.business_day must be longer than zero"),
                                  field="calendar.business_day")

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None, *,
                    timezone: str | None = None) -> BusinessCalendar:
        """The calendar of a ``calendar:`` section (None or ``{}``: open 24/7).

        ``timezone`` is the zone to use when the section names none (the top-level one).
        """
        config = dict(config or {})
        unknown = sorted(set(config) - set(CALENDAR_SCHEMA["properties"]))
        if unknown:
            raise ValidationError(_("calendar: unknown key '{key}'").format(key=unknown[0]),
                                  field=f"calendar.{unknown[0]}")
        zone_name = str(config.get("timezone") or timezone or DEFAULT_TIMEZONE)
        hours_config = config.get("hours") or {}
        if not isinstance(hours_config, Mapping):
            raise ValidationError(_("calendar.hours must map days to opening hours"),
                                  field="calendar.hours")
        hours: tuple[tuple[Interval, ...], ...] | None = None
        if hours_config:
            week: list[tuple[Interval, ...] | None] = [None] * 7
            for spec, value in hours_config.items():
                where = f"calendar.hours.{spec}"
                intervals = tuple(_intervals(value, where))
                for day in _days(str(spec).strip(), where):
                    if week[day] is not None:
                        raise ValidationError(
                            _("{where}: {day} already has opening hours").format(
                                where=where, day=_weekday_name(day)), field=where)
                    week[day] = intervals
            hours = tuple(day or () for day in week)
        for flag in ("public_holidays", "holiday_eves"):
            if not isinstance(config.get(flag, True), bool):
                raise ValidationError(_("calendar.{key} must be true or false").format(key=flag),
                                      field=f"calendar.{flag}")
        closed_config = config.get("closed") or []
        if not isinstance(closed_config, list):
            raise ValidationError(_("calendar.closed must be a list of dates"),
                                  field="calendar.closed")
        business_day = None
        if config.get("business_day") is not None:
            business_day = parse_duration(str(config["business_day"]))
        return cls(hours=hours, timezone=zone_name,
                   public_holidays=config.get("public_holidays", True),
                   holiday_eves=config.get("holiday_eves", True),
                   closed=_closed_dates(closed_config), business_day=business_day)

    # --- what the calendar says about days ----------------------------------------------------

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.timezone)

    @property
    def always_open(self) -> bool:
        """True for a 24/7 calendar (no opening hours), in which plain clock time counts."""
        return self.hours is None

    @property
    def day_length(self) -> timedelta:
        """What "1d" means: ``business_day``, else the most common length of an open weekday."""
        if self.business_day is not None:
            return self.business_day
        if self.hours is None:
            return timedelta(days=1)
        lengths = [sum(e - s for s, e in day) for day in self.hours]
        open_days = [n for n in lengths if n]
        usual = max(open_days, key=lambda n: (open_days.count(n), n))
        return timedelta(minutes=usual)

    @property
    def week_length(self) -> timedelta:
        """What "1w" means: the open time of a whole week (seven days when open 24/7)."""
        if self.hours is None:
            return timedelta(days=7)
        return timedelta(minutes=sum(e - s for day in self.hours for s, e in day))

    def parse_duration(self, text: str) -> timedelta:
        """:func:`parse_duration` with this calendar's day and week."""
        return parse_duration(text, day=self.day_length, week=self.week_length)

    def format_duration(self, delta: timedelta) -> str:
        return format_duration(delta, day=self.day_length)

    def _holidays(self, year: int) -> dict[date, str]:
        """The closed holidays of ``year``, named in the active language."""
        from kundkit.i18n import get_language

        language = get_language()
        key = ("holidays", year, language)
        if key not in self._cache:
            found: dict[date, str] = {}
            if self.public_holidays:
                import holidays

                found.update(holidays.country_holidays(
                    "SE", years=year, include_sundays=False,
                    language="sv" if language == "sv" else "en_US"))
            if self.holiday_eves:
                found[midsummer_eve(year)] = _("Midsummer Eve")
                found[date(year, 12, 24)] = _("Christmas Eve")
                found[date(year, 12, 31)] = _("New Year's Eve")
            self._cache[key] = found
        return self._cache[key]

    def closed_reason(self, day: date) -> str | None:
        """Why the business is closed all of ``day`` (a holiday's name, "closed"), else None.

        Weekdays without opening hours give "no opening hours"; a 24/7 calendar is never closed.
        """
        if self.hours is None:
            return None
        if day in self.closed:
            return _("closed")
        holiday = self._holidays(day.year).get(day)
        if holiday:
            return holiday
        if not self.hours[day.weekday()]:
            return _("no opening hours")
        return None

    def is_business_day(self, day: date) -> bool:
        return self.closed_reason(day) is None

    def open_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The opening hours of ``day`` as instants (in UTC); empty on a closed day.

        For a 24/7 calendar: the whole local day, 23 or 25 hours long when the clocks change.
        """
        key = ("day", day)
        cached = self._cache.get(key)
        if cached is None:
            zone = self.zone
            if self.hours is None:
                cached = [(_instant(day, 0, zone), _instant(day, 1440, zone))]
            elif self.closed_reason(day) is not None:
                cached = []
            else:
                cached = [(_instant(day, s, zone), _instant(day, e, zone))
                          for s, e in self.hours[day.weekday()]]
                cached = [(s, e) for s, e in cached if e > s]
            if len(self._cache) > 5000:  # a long-running process must not grow without bound
                self._cache.clear()
            self._cache[key] = cached
        return list(cached)

    def is_open(self, moment: datetime) -> bool:
        require_aware(moment, "moment")
        instant = moment.astimezone(_UTC)
        day = moment.astimezone(self.zone).date()
        return any(s <= instant < e for s, e in self.open_intervals(day))

    def next_open(self, moment: datetime) -> datetime:
        """``moment`` if the business is open then, else its next opening.

        The result is in the calendar's time zone.
        """
        require_aware(moment, "moment")
        instant = moment.astimezone(_UTC)
        day = moment.astimezone(self.zone).date()
        for _i in range(_SEARCH_DAYS):
            for start, end in self.open_intervals(day):
                if end > instant:
                    return max(start, instant).astimezone(self.zone)
            day += timedelta(days=1)
        raise _never_open()


def _weekday_name(index: int) -> str:
    return ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[index]


def _never_open() -> ValidationError:
    return ValidationError(
        _("the business calendar has no opening hours in the next ten years"), field="calendar")


def add_business_time(start: datetime, duration: timedelta,
                      calendar: BusinessCalendar | None = None) -> datetime:
    """The moment when ``duration`` of open time has passed since ``start``.

    Counting begins at ``start`` or, when the business is closed then, at the next opening; a
    duration that runs out exactly at closing time ends at closing time (not the next morning).
    ``calendar`` None means open 24/7. The result is in the calendar's time zone.
    """
    require_aware(start, "start")
    if duration < timedelta(0):
        raise ValidationError(_("a duration cannot be negative"), field="duration")
    zone = calendar.zone if calendar is not None else ZoneInfo(DEFAULT_TIMEZONE)
    instant = start.astimezone(_UTC)
    if calendar is None or calendar.always_open or not duration:
        # In UTC, because aware arithmetic in one zone adds wall-clock time, not elapsed time.
        return (instant + duration).astimezone(zone)
    remaining = duration
    day = start.astimezone(zone).date()
    for _i in range(_SEARCH_DAYS):
        for opens, closes in calendar.open_intervals(day):
            if closes <= instant:
                continue
            begin = max(opens, instant)
            available = closes - begin
            if remaining <= available:
                return (begin + remaining).astimezone(zone)
            remaining -= available
            instant = closes
        day += timedelta(days=1)
    raise _never_open()


def business_time_between(start: datetime, end: datetime,
                          calendar: BusinessCalendar | None = None) -> timedelta:
    """The open time from ``start`` to ``end`` (negative when ``end`` comes first).

    ``calendar`` None, or a 24/7 calendar, gives the plain elapsed time.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    first, last = start.astimezone(_UTC), end.astimezone(_UTC)
    if last < first:
        return -business_time_between(end, start, calendar)
    if calendar is None or calendar.always_open:
        return last - first
    zone = calendar.zone
    total = timedelta(0)
    day = first.astimezone(zone).date()
    last_day = last.astimezone(zone).date()
    while day <= last_day:
        for opens, closes in calendar.open_intervals(day):
            overlap = min(closes, last) - max(opens, first)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total
