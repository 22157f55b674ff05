"""The built-in incentive schemes — commission, plan-bonus, gift, recognition — and the
``incentives:`` section of kundkit.yaml (its schema, and the check that refuses gifts in the
forbidden categories)."""

from __future__ import annotations

from typing import Any

from kundkit import hookimpl


@hookimpl
def register_incentive_schemes(register: Any) -> None:
    from kundkit.incentives.commission import Commission
    from kundkit.incentives.gift import GiftScheme
    from kundkit.incentives.planbonus import PlanBonus
    from kundkit.incentives.recognition import Recognition

    for scheme in (Commission(), PlanBonus(), GiftScheme(), Recognition()):
        register(scheme)


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    from kundkit.incentives.settings import SECTION, section_schema

    return {SECTION: section_schema()}


@hookimpl
def check_config(config: Any) -> list[Any]:
    from kundkit.incentives.settings import check_section

    return check_section(config)


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("rewards", "staff", "staff")]
