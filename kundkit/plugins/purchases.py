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


@hookimpl
def customer_summary(ctx: Any, tx: Any, customer: dict[str, Any]) -> dict[str, Any]:
    """The customer's purchases in figures and the discount standing, from the running totals (one
    small file read, however long the history)."""
    from kundkit.discounts.engine import setup_for, standings
    from kundkit.purchase_store import load_totals
    from kundkit.purchases import history_of

    totals = load_totals(tx, customer["id"])
    out: dict[str, Any] = {"purchases": {key: totals[key] for key in
                                         ("purchases", "credits", "gross", "net", "first", "last")}}
    found = standings(setup_for(ctx), customer=customer, history=history_of(tx, totals),
                      today=ctx.today())
    out["discount_standing"] = {s.policy: text for s in found if (text := standing_text(s))}
    return out


def standing_text(standing: Any) -> str | None:
    """One line for ``customer show``: the level, until when, and what the next one needs."""
    from kundkit.i18n import _

    parts = []
    if standing.level:
        parts.append(_("{level} until {date}").format(level=standing.level, date=standing.lapses.isoformat())
                     if standing.lapses else standing.level)
    if standing.next_level and standing.needed:
        parts.append(_("{level} with {needed}").format(level=standing.next_level, needed=standing.needed))
    return "; ".join(parts) or None


@hookimpl
def customer_data(ctx: Any, tx: Any, customer_id: str) -> dict[str, Any]:
    """The customer's running totals (net per day, loyalty points); the purchases themselves are
    given by the register's part of ``customer data``."""
    from kundkit.purchase_store import TOTALS, bucket_of, number_of

    found = tx.raw(TOTALS, bucket_of(customer_id)).get(str(number_of(customer_id, "K")))
    return {TOTALS: [dict(found)] if found else []}
