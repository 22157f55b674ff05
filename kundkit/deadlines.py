"""Deadlines of an item of feedback: when the first response and the resolution are due.

A policy in ``kundkit.yaml`` gives the time allowed per kind and priority, counted in the open
time of the business calendar (see :mod:`kundkit.calendar`)::

    deadlines:
      complaint:
        high:   {first_response: 2h, resolution: 1d}
        normal: {first_response: 4h, resolution: 3d}
      claim: {first_response: 1d, resolution: 5d}      # the same for every priority
      default: {first_response: 1d, resolution: 10d}   # any other kind

The most specific entry wins as a whole: ``kind.priority``, then ``kind.default`` (or the kind's
own targets), then ``default.priority``, then ``default``. A target left out, or ``null``, has no
deadline.

Two clocks run from the moment the item was received (its first status):

* **first response** stops at the first status other than ``new`` (or at an explicit
  ``first_response_at``); it never pauses.
* **resolution** runs while the item is ``new``, ``acknowledged`` or ``in-progress``, pauses while
  it is ``waiting`` for the customer, and stops when it is ``resolved``, ``closed`` or
  ``rejected``. Reopening the item starts it again from the time already used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from kundkit.calendar import (
    DURATION_PATTERN,
    BusinessCalendar,
    add_business_time,
    business_time_between,
    parse_duration,
    require_aware,
)
from kundkit.errors import ValidationError
from kundkit.i18n import _

STATUSES = ("new", "acknowledged", "in-progress", "waiting", "resolved", "closed", "rejected")
RUNNING = frozenset({"new", "acknowledged", "in-progress"})
PAUSED = frozenset({"waiting"})
STOPPED = frozenset({"resolved", "closed", "rejected"})

TARGET_KEYS = ("first_response", "resolution")
DEFAULT_KEY = "default"

_DURATION_OR_NONE = {
    "anyOf": [
        {"type": "string", "pattern": DURATION_PATTERN,
         "description": "a duration such as 30m, 4h, 2d or 1d4h"},
        {"type": "null"},
    ],
}
_TARGET_SCHEMA = {
    "type": "object",
    "description": "the time allowed for the first response and for the resolution",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {key: _DURATION_OR_NONE for key in TARGET_KEYS},
}
_PRIORITIES_SCHEMA = {
    "type": "object",
    "description": "targets per priority; 'default' for any other priority",
    "minProperties": 1,
    "propertyNames": {"not": {"enum": list(TARGET_KEYS)}},
    "additionalProperties": _TARGET_SCHEMA,
}
DEADLINES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Deadlines per kind of feedback (and priority); 'default' for any other kind.",
    "additionalProperties": {"anyOf": [_TARGET_SCHEMA, _PRIORITIES_SCHEMA]},
}


@dataclass(frozen=True)
class Target:
    """The time allowed; None means no deadline."""

    first_response: timedelta | None = None
    resolution: timedelta | None = None


@dataclass(frozen=True)
class DeadlinePolicy:
    """Targets per kind and priority (``default`` where none is more specific)."""

    rules: Mapping[str, Mapping[str, Target]]
    calendar: BusinessCalendar | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None,
                    calendar: BusinessCalendar | None = None) -> DeadlinePolicy:
        """The policy of a ``deadlines:`` section; durations are counted in ``calendar``."""
        rules: dict[str, dict[str, Target]] = {}
        if config is not None and not isinstance(config, Mapping):
            raise ValidationError(_("deadlines must map kinds of feedback to targets"),
                                  field="deadlines")
        for kind, value in (config or {}).items():
            where = f"deadlines.{kind}"
            if not isinstance(value, Mapping) or not value:
                raise ValidationError(
                    _("{where} must give first_response and/or resolution, or targets per "
                      "priority").format(where=where), field=where)
            if any(key in TARGET_KEYS for key in value):
                rules[str(kind)] = {DEFAULT_KEY: _target(value, where, calendar)}
            else:
                rules[str(kind)] = {
                    str(priority): _target(target, f"{where}.{priority}", calendar)
                    for priority, target in value.items()}
        return cls(rules=rules, calendar=calendar)

    def target(self, kind: str, priority: str | None = None) -> Target:
        """The targets for an item of ``kind`` and ``priority``; no deadlines if none applies."""
        for kind_key in (kind, DEFAULT_KEY):
            by_priority = self.rules.get(kind_key)
            if by_priority is None:
                continue
            for priority_key in (priority, DEFAULT_KEY):
                if priority_key is not None and priority_key in by_priority:
                    return by_priority[priority_key]
        return Target()

    def deadlines(self, kind: str, priority: str | None,
                  history: Sequence[tuple[datetime, str]], *, now: datetime,
                  first_response_at: datetime | None = None) -> Deadlines:
        """:func:`compute_deadlines` for an item of ``kind`` and ``priority``."""
        return compute_deadlines(history, self.target(kind, priority), now=now,
                                 calendar=self.calendar, first_response_at=first_response_at)


def _target(value: Any, where: str, calendar: BusinessCalendar | None) -> Target:
    if not isinstance(value, Mapping) or not value:
        raise ValidationError(
            _("{where} must give first_response and/or resolution").format(where=where),
            field=where)
    unknown = sorted(str(k) for k in value if k not in TARGET_KEYS)
    if unknown:
        raise ValidationError(
            _("{where}: unknown key '{key}' (allowed here: first_response, resolution)")
            .format(where=where, key=unknown[0]), field=f"{where}.{unknown[0]}")
    durations: dict[str, timedelta | None] = {}
    for key in TARGET_KEYS:
        text = value.get(key)
        if text is None:
            durations[key] = None
            continue
        try:
            durations[key] = (calendar.parse_duration(str(text)) if calendar is not None
                              else parse_duration(str(text)))
        except ValidationError as exc:
            raise ValidationError(f"{where}.{key}: {exc.message}", field=f"{where}.{key}") from None
    return Target(**durations)


@dataclass(frozen=True)
class Clock:
    """One deadline of an item, as it stands at ``now``.

    ``due`` is the moment the deadline falls: known while the clock runs, and once it has been
    crossed; None while the clock is paused before it, or when it stopped in time.
    """

    target: timedelta
    used: timedelta
    due: datetime | None
    stopped_at: datetime | None
    paused: bool

    @property
    def left(self) -> timedelta:
        """Open time left; negative once the deadline has passed."""
        return self.target - self.used

    @property
    def running(self) -> bool:
        return self.stopped_at is None and not self.paused

    @property
    def breached(self) -> bool:
        """More time used than allowed (whether or not the clock has stopped since)."""
        return self.used > self.target

    @property
    def overdue(self) -> bool:
        """Past the deadline and still not done."""
        return self.breached and self.stopped_at is None

    @property
    def met(self) -> bool | None:
        """True when done in time, False when done late, None while not done."""
        return None if self.stopped_at is None else not self.breached

    def due_within(self, window: timedelta) -> bool:
        """Not done, and at most ``window`` of open time left (overdue included)."""
        return self.stopped_at is None and self.left <= window

    def as_dict(self) -> dict[str, Any]:
        return {
            "target_seconds": int(self.target.total_seconds()),
            "used_seconds": int(self.used.total_seconds()),
            "left_seconds": int(self.left.total_seconds()),
            "due": self.due.isoformat() if self.due else None,
            "stopped_at": self.stopped_at.isoformat() if self.stopped_at else None,
            "paused": self.paused,
            "overdue": self.overdue,
            "met": self.met,
        }


@dataclass(frozen=True)
class Deadlines:
    """Both clocks of an item at ``now``; a clock is None when its target sets no deadline."""

    received_at: datetime
    status: str
    now: datetime
    first_response: Clock | None
    resolution: Clock | None

    def clocks(self) -> list[tuple[str, Clock]]:
        return [(name, clock) for name, clock in (("first_response", self.first_response),
                                                  ("resolution", self.resolution))
                if clock is not None]

    @property
    def overdue(self) -> bool:
        return any(clock.overdue for _name, clock in self.clocks())

    def due_within(self, window: timedelta) -> bool:
        return any(clock.due_within(window) for _name, clock in self.clocks())

    @property
    def next_due(self) -> datetime | None:
        """The earliest due moment of a clock that is not done."""
        dues = [clock.due for _name, clock in self.clocks()
                if clock.stopped_at is None and clock.due is not None]
        return min(dues) if dues else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "received_at": self.received_at.isoformat(),
            "status": self.status,
            "now": self.now.isoformat(),
            "overdue": self.overdue,
            "first_response": self.first_response.as_dict() if self.first_response else None,
            "resolution": self.resolution.as_dict() if self.resolution else None,
        }


def _checked_history(history: Sequence[tuple[datetime, str]],
                     now: datetime) -> list[tuple[datetime, str]]:
    entries: list[tuple[datetime, str]] = []
    for index, entry in enumerate(history):
        try:
            moment, status = entry
        except (TypeError, ValueError):
            raise ValidationError(
                _("status history entry {n} must be (time, status)").format(n=index + 1),
                field="history") from None
        require_aware(moment, "history")
        if status not in STATUSES:
            raise ValidationError(
                _("unknown status '{status}' (known: {known})").format(
                    status=status, known=", ".join(STATUSES)), field="status")
        entries.append((moment, status))
    if not entries:
        raise ValidationError(_("the item has no status history"), field="history")
    # Stable, so two changes in the same second keep the order in which they were recorded.
    entries.sort(key=lambda entry: entry[0])
    if now < entries[0][0]:
        raise ValidationError(
            _("'now' ({now}) is before the item was received ({received})").format(
                now=now.isoformat(), received=entries[0][0].isoformat()), field="now")
    return [entry for entry in entries if entry[0] <= now]


def compute_deadlines(history: Sequence[tuple[datetime, str]], target: Target, *,
                      now: datetime, calendar: BusinessCalendar | None = None,
                      first_response_at: datetime | None = None) -> Deadlines:
    """Both deadlines of an item from its status history, as they stand at ``now``.

    ``history`` is the list of (time, status) changes, the first being when the item was
    received; changes after ``now`` are ignored. ``calendar`` None counts plain clock time.
    """
    require_aware(now, "now")
    entries = _checked_history(history, now)
    received = entries[0][0]
    status = entries[-1][1]

    first_clock = None
    if target.first_response is not None:
        responded = first_response_at
        if responded is not None:
            require_aware(responded, "first_response_at")
            if responded > now:
                responded = None
        if responded is None:
            responded = next((t for t, s in entries if s != "new"), None)
        used = business_time_between(received, responded or now, calendar)
        due = add_business_time(received, target.first_response, calendar)
        if responded is not None and used <= target.first_response:
            due = None
        first_clock = Clock(target=target.first_response, used=used, due=due,
                            stopped_at=responded, paused=False)

    resolution_clock = None
    if target.resolution is not None:
        resolution_clock = _resolution_clock(entries, target.resolution, now, calendar)

    return Deadlines(received_at=received, status=status, now=now,
                     first_response=first_clock, resolution=resolution_clock)


def _resolution_clock(entries: list[tuple[datetime, str]], allowed: timedelta, now: datetime,
                      calendar: BusinessCalendar | None) -> Clock:
    used = timedelta(0)
    due: datetime | None = None
    ends = [t for t, _s in entries[1:]] + [now]
    for (start, status), end in zip(entries, ends):
        if status not in RUNNING:
            continue
        spent = business_time_between(start, end, calendar)
        if due is None and used + spent >= allowed and used + spent > timedelta(0):
            due = add_business_time(start, allowed - used, calendar)
        used += spent
    status = entries[-1][1]
    stopped_at = None
    if status in STOPPED:
        stopped_at = entries[-1][0]
        for moment, earlier in reversed(entries):
            if earlier not in STOPPED:
                break
            stopped_at = moment
    if due is None and status in RUNNING:
        due = add_business_time(now, allowed - used, calendar)
    if due is not None and stopped_at is not None and used <= allowed:
        due = None
    return Clock(target=allowed, used=used, due=due, stopped_at=stopped_at,
                 paused=status in PAUSED)
