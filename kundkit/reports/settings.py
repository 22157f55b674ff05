"""The ``reports:`` section of ``kundkit.yaml``: the unit costs of serving a customer, and the
settings of the forecast and of the trend search::

    reports:
      costs:                         # in the business's currency, per unit
        interactions: {default: 40, phone: 60, visit: 450}   # per contact, by channel
        feedback: {default: 150, complaint: 400, claim: 600} # per item handled, by kind
        compensation: 250            # per compensation granted, on top of its amount
      forecast:
        horizon_days: 90             # "expected purchases in the next N days"
        unit_days: 7                 # the model's unit of time (weeks)
        slipping: 0.5                # P(active) below this: slipping away
      trends:
        periods: 12                  # months: the latest against the 11 before it
        alpha: 0.05
        min_count: 5                 # events a category needs to be tested (and in the latest month)
        min_word_count: 3            # the same for words and phrases of feedback texts

A plain number instead of a mapping (``interactions: 40``) is the cost of every channel or kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kundkit.context import Context

_AMOUNT = {"anyOf": [{"type": "number", "minimum": 0},
                     {"type": "string", "pattern": r"^\d+([.,]\d{1,2})?$"}],
           "description": "an amount in the business's currency, e.g. 250 or 12.50"}
_PER_NAME = {"anyOf": [_AMOUNT, {"type": "object", "additionalProperties": _AMOUNT,
                                 "propertyNames": {"pattern": "^[a-z][a-z0-9_-]*$"}}],
             "description": "one amount, or amounts by name with 'default' for the others"}

REPORTS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Reports: the unit costs of serving a customer, the forecast and trends.",
    "additionalProperties": False,
    "properties": {
        "costs": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "interactions": {**_PER_NAME, "description": "cost per contact, by channel"},
                "feedback": {**_PER_NAME, "description": "cost per item of feedback, by kind"},
                "compensation": {**_AMOUNT, "description": "handling cost per compensation "
                                                           "granted, on top of its amount"},
            },
        },
        "forecast": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "horizon_days": {"type": "integer", "minimum": 1, "maximum": 3650},
                "unit_days": {"type": "integer", "minimum": 1, "maximum": 365},
                "slipping": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            },
        },
        "trends": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "periods": {"type": "integer", "minimum": 3, "maximum": 120},
                "alpha": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
                "min_count": {"type": "integer", "minimum": 1},
                "min_word_count": {"type": "integer", "minimum": 1},
            },
        },
    },
}


def _amount(value: Any) -> Decimal:
    return Decimal(str(value).replace(",", "."))


@dataclass(frozen=True)
class UnitCosts:
    """A unit cost per name (a channel, a kind of feedback) and one for every other name."""

    default: Decimal = Decimal(0)
    by_name: dict[str, Decimal] = field(default_factory=dict)

    @classmethod
    def from_config(cls, value: Any) -> UnitCosts:
        if value is None:
            return cls()
        if not isinstance(value, dict):
            return cls(_amount(value))
        named = {str(k): _amount(v) for k, v in value.items() if k != "default"}
        return cls(_amount(value.get("default", 0)), named)

    def of(self, name: str | None) -> Decimal:
        return self.by_name.get(name or "", self.default)

    def as_dict(self) -> dict[str, str]:
        return {"default": str(self.default), **{k: str(v) for k, v in sorted(self.by_name.items())}}


@dataclass(frozen=True)
class ReportSettings:
    interactions: UnitCosts = field(default_factory=UnitCosts)
    feedback: UnitCosts = field(default_factory=UnitCosts)
    compensation: Decimal = Decimal(0)
    horizon_days: int = 90
    unit_days: int = 7
    slipping: float = 0.5
    trend_periods: int = 12
    alpha: float = 0.05
    min_count: int = 5
    min_word_count: int = 3


def settings_from(section: dict[str, Any] | None) -> ReportSettings:
    section = section or {}
    costs = section.get("costs") or {}
    forecast = section.get("forecast") or {}
    trends = section.get("trends") or {}
    return ReportSettings(
        interactions=UnitCosts.from_config(costs.get("interactions")),
        feedback=UnitCosts.from_config(costs.get("feedback")),
        compensation=_amount(costs.get("compensation", 0)),
        horizon_days=int(forecast.get("horizon_days", 90)),
        unit_days=int(forecast.get("unit_days", 7)),
        slipping=float(forecast.get("slipping", 0.5)),
        trend_periods=int(trends.get("periods", 12)),
        alpha=float(trends.get("alpha", 0.05)),
        min_count=int(trends.get("min_count", 5)),
        min_word_count=int(trends.get("min_word_count", 3)),
    )


def report_settings(ctx: Context) -> ReportSettings:
    return settings_from(ctx.config.section("reports", {}))
