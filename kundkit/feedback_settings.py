"""The ``feedback:`` section of ``kundkit.yaml``: categories, priorities, the business calendar and
the deadlines of complaints, claims, suggestions and comments::

    feedback:
      categories: [delivery, quality, service, invoice, other]
      priorities: [low, normal, high]        # the default
      default_priority: normal
      default_assignee: manager              # the customer's manager; or a staff id; or none
      channels: [phone, email, sms, post, visit, web]
      calendar:                              # see kundkit.calendar; left out: open 24/7
        hours: {mon-fri: "08:00-17:00"}
      deadlines:                             # see kundkit.deadlines
        complaint:
          high: {first_response: 2h, resolution: 1d}
          default: {first_response: 4h, resolution: 3d}
        default: {first_response: 1d, resolution: 10d}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.errors import ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.calendar import BusinessCalendar
    from kundkit.config import Config
    from kundkit.context import Context
    from kundkit.deadlines import DeadlinePolicy
    from kundkit.errors import Problem

KINDS = ("complaint", "claim", "suggestion", "comment")
DEFAULT_PRIORITIES = ("low", "normal", "high")
DEFAULT_CHANNELS = ("phone", "email", "sms", "post", "visit", "web")
_SLUG = "^[a-zåäö][a-zåäö0-9_-]*$"


def feedback_schema() -> dict[str, Any]:
    """The JSON Schema of the ``feedback:`` section."""
    from kundkit.calendar import CALENDAR_SCHEMA
    from kundkit.deadlines import DEADLINES_SCHEMA

    slugs = {"type": "array", "uniqueItems": True, "minItems": 1,
             "items": {"type": "string", "pattern": _SLUG,
                       "description": "a short lower-case name such as delivery"}}
    return {
        "type": "object",
        "description": "Complaints, claims, suggestions and comments: categories and deadlines.",
        "additionalProperties": False,
        "properties": {
            "categories": {**slugs, "description": "the categories an item of feedback can have"},
            "priorities": {**slugs, "description": "the priorities, lowest first"},
            "default_priority": {"type": "string"},
            "default_assignee": {"type": "string",
                                 "description": "'manager' (the customer's manager), 'none', or "
                                                "a staff id"},
            "channels": {**slugs, "description": "the channels feedback comes in through"},
            "calendar": CALENDAR_SCHEMA,
            "deadlines": DEADLINES_SCHEMA,
        },
    }


@dataclass
class FeedbackSettings:
    """What the register needs from ``kundkit.yaml``; build it with :func:`feedback_settings`."""

    categories: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=lambda: list(DEFAULT_PRIORITIES))
    default_priority: str = "normal"
    default_assignee: str = "manager"
    channels: list[str] = field(default_factory=lambda: list(DEFAULT_CHANNELS))
    calendar: BusinessCalendar | None = None
    policy: DeadlinePolicy | None = None


def _settings_from(section: dict[str, Any], timezone: str | None) -> FeedbackSettings:
    from kundkit.calendar import BusinessCalendar
    from kundkit.deadlines import DeadlinePolicy

    priorities = [str(p) for p in section.get("priorities") or DEFAULT_PRIORITIES]
    default_priority = str(section.get("default_priority")
                           or ("normal" if "normal" in priorities else priorities[len(priorities) // 2]))
    calendar = None
    if section.get("calendar"):
        calendar = BusinessCalendar.from_config(section["calendar"], timezone=timezone)
    policy = DeadlinePolicy.from_config(section.get("deadlines") or {}, calendar)
    return FeedbackSettings(
        categories=[str(c) for c in section.get("categories") or []],
        priorities=priorities,
        default_priority=default_priority,
        default_assignee=str(section.get("default_assignee") or "manager"),
        channels=[str(c) for c in section.get("channels") or DEFAULT_CHANNELS],
        calendar=calendar,
        policy=policy,
    )


def feedback_settings(ctx: Context) -> FeedbackSettings:
    """The settings of ``ctx``'s business, built once per configuration."""
    config = ctx.config
    cached = getattr(config, "_kundkit_feedback_settings", None)
    if cached is None:
        cached = _settings_from(config.section("feedback", {}) or {},
                                str(config.data.get("timezone") or "") or None)
        config._kundkit_feedback_settings = cached  # type: ignore[attr-defined]
    return cached


def check_feedback_config(config: Config) -> list[Problem]:
    """What the schema cannot say: known kinds and priorities in the deadlines, a calendar and
    durations that make sense, a default priority that is one of the priorities."""
    section = config.section("feedback", {})
    if not isinstance(section, dict):
        return []
    problems: list[Problem] = []
    priorities = section.get("priorities") or list(DEFAULT_PRIORITIES)
    if not isinstance(priorities, list):
        return []
    default = section.get("default_priority")
    if default is not None and default not in priorities:
        problems.append(config.problem(("feedback", "default_priority"), _(
            "feedback.default_priority: '{value}' is not one of the priorities ({choices})").format(
            value=default, choices=", ".join(map(str, priorities)))))
    deadlines = section.get("deadlines")
    if isinstance(deadlines, dict):
        for kind, value in deadlines.items():
            if kind not in KINDS and kind != "default":
                problems.append(config.problem(("feedback", "deadlines", kind), _(
                    "feedback.deadlines: unknown kind of feedback '{kind}' (known: {known}, "
                    "default)").format(kind=kind, known=", ".join(KINDS)), key=True))
                continue
            if isinstance(value, dict) and not ({"first_response", "resolution"} & set(value)):
                for priority in value:
                    if priority not in priorities and priority != "default":
                        problems.append(config.problem(
                            ("feedback", "deadlines", kind, priority),
                            _("feedback.deadlines.{kind}: unknown priority '{priority}' (known: "
                              "{known}, default)").format(kind=kind, priority=priority,
                                                         known=", ".join(map(str, priorities))),
                            key=True))
    if not problems:
        try:
            _settings_from(section, str(config.data.get("timezone") or "") or None)
        except ValidationError as exc:
            path: tuple[Any, ...] = ("feedback",)
            for part in (exc.field or "").split("."):
                if not part or _walk(section, path[1:] + (part,)) is _MISSING:
                    break
                path += (part,)
            problems.append(config.problem(path, f"feedback.{exc.message}"
                                           if not exc.message.startswith("feedback") else exc.message))
    return problems


_MISSING = object()


def _walk(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return _MISSING
    return data
