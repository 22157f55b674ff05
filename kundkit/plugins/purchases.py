"""Built-in plugin of the purchases area: the built-in discount policies, the ``discounts:`` and
``followup:`` sections of kundkit.yaml, and the references of the purchase tables."""

from __future__ import annotations

from typing import Any

from kundkit.hookspecs import hookimpl

FOLLOWUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "enabled": {"type": "boolean"},
        "due_days": {"type": "integer", "minimum": 1,
                     "description": "days from the sale within which the manager consults"},
    },
}


def _builtin_policies() -> list[Any]:
    from kundkit.discounts.cumulative import CumulativePolicy
    from kundkit.discounts.points import PointsPolicy
    from kundkit.discounts.segment import SegmentPolicy
    from kundkit.discounts.volume import VolumePolicy

    return [CumulativePolicy(), VolumePolicy(), SegmentPolicy(), PointsPolicy()]


@hookimpl
def register_discount_policies(register: Any) -> None:
    for policy in _builtin_policies():
        register(policy)


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    import copy

    from kundkit.discounts.settings import DISCOUNTS_SCHEMA

    discounts = copy.deepcopy(DISCOUNTS_SCHEMA)
    discounts["properties"]["policies"]["properties"] = {
        policy.name: policy.schema for policy in _builtin_policies()}
    return {"discounts": discounts, "followup": FOLLOWUP_SCHEMA}


@hookimpl
def check_config(config: Any) -> list[Any]:
    section = config.section("discounts")
    if not isinstance(section, dict):
        return []
    from kundkit.discounts.settings import dec, tiers
    from kundkit.errors import ValidationError
    from kundkit.i18n import _

    problems = []
    policies = section.get("policies") if isinstance(section.get("policies"), dict) else {}
    for name in ("cumulative", "volume"):
        settings = policies.get(name)
        if isinstance(settings, dict) and isinstance(settings.get("tiers"), list):
            try:
                tiers(settings, field=f"discounts.policies.{name}")
            except (ValidationError, AttributeError, TypeError) as exc:
                where = getattr(exc, "field", None) or f"discounts.policies.{name}.tiers"
                problems.append(config.problem(_path(where), str(exc)))
    if "cap" in section and section.get("combine", "best") != "add":
        problems.append(config.problem(("discounts", "cap"),
                                       _("discounts.cap applies only with 'combine: add'")))
    points = policies.get("points")
    if isinstance(points, dict):
        for key in ("earn_every", "point_value"):
            if key in points:
                try:
                    if dec(points[key], field=f"discounts.policies.points.{key}") <= 0:
                        raise ValidationError(_("discounts.policies.points.{key}: must be above 0").format(
                            key=key))
                except ValidationError as exc:
                    problems.append(config.problem(("discounts", "policies", "points", key), str(exc)))
    return problems


def _path(dotted: str) -> tuple[Any, ...]:
    out: list[Any] = []
    for part in dotted.replace("]", "").split("."):
        name, _sep, index = part.partition("[")
        out.append(name)
        if index:
            out.append(int(index))
    return tuple(out)


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("purchases", "customer", "customers"), ("purchases", "seller", "staff"),
            ("purchases", "credits", "purchases"), ("purchases", "voided_by", "purchases"),
            ("purchase_totals", "id", "customers")]
