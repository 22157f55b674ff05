"""The ``incentives:`` section of kundkit.yaml: its schema, its semantic checks, and reading it.

::

    incentives:
      gifts:                         # the gift catalogue
        - id: espresso
          name: Espressomaskin
          category: household        # household | computer | gift-card | event-tickets
          value: 3990
      schemes:                       # label → settings; the label names the scheme in results
        provision:
          uses: commission           # a registered scheme (built-in or a plugin's)
          every: month               # month (default) | quarter | year: the periods it rewards
          min_audit_score: 80        # optional: only staff whose latest audit scored this much
          description: ...           # optional, shown by 'kundkit incentive schemes'
          rate: 1.5                  # ... and the scheme's own settings

The company gives household or computer equipment, gift cards and event tickets, never personal
items, clothing or jewellery: a catalogue item in one of those categories is refused when the
configuration is read, at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.i18n import _
from kundkit.incentives.model import COMMON_KEYS, Gift

if TYPE_CHECKING:
    from kundkit.config import Config
    from kundkit.errors import Problem

SECTION = "incentives"
EVERY = ("month", "quarter", "year")
GIFT_CATEGORIES = ("household", "computer", "gift-card", "event-tickets")
FORBIDDEN = ("personal-items", "clothing", "jewellery")
# What people write for the forbidden categories, in English and Swedish, normalised (lower case,
# spaces and underscores as hyphens): each maps to the category it means.
_FORBIDDEN_WORDS = {
    "personal-items": "personal-items", "personal-item": "personal-items", "personal": "personal-items",
    "personliga-föremål": "personal-items", "personligt": "personal-items",
    "personliga-saker": "personal-items", "clothing": "clothing", "clothes": "clothing",
    "apparel": "clothing", "kläder": "clothing", "klädsel": "clothing", "jewellery": "jewellery",
    "jewelry": "jewellery", "smycken": "jewellery", "smycke": "jewellery",
}
_GIFT_ID = r"^[a-z0-9][a-z0-9._-]{0,39}$"
_MONEY = {"type": ["number", "string"], "description": "an amount, e.g. 3990 or \"3 990\""}

COMMON_PROPERTIES: dict[str, Any] = {
    "uses": {"type": "string", "description": "the name of a registered incentive scheme"},
    "every": {"enum": list(EVERY)},
    "min_audit_score": {"type": "number", "minimum": 0, "maximum": 100},
    "description": {"type": "string"},
}


def _builtin_schemas() -> dict[str, dict[str, Any]]:
    from kundkit.incentives.commission import SCHEMA as COMMISSION
    from kundkit.incentives.gift import SCHEMA as GIFT
    from kundkit.incentives.planbonus import SCHEMA as PLAN_BONUS
    from kundkit.incentives.recognition import SCHEMA as RECOGNITION

    return {"commission": COMMISSION, "plan-bonus": PLAN_BONUS, "gift": GIFT,
            "recognition": RECOGNITION}


def with_common(schema: dict[str, Any]) -> dict[str, Any]:
    """A scheme's settings schema extended with the keys kundkit handles for every scheme."""
    return {**schema, "properties": {**COMMON_PROPERTIES, **schema.get("properties", {})}}


def section_schema() -> dict[str, Any]:
    """The JSON Schema of ``incentives:`` (built-in schemes' settings checked strictly; a plugin
    scheme's settings are checked against its own ``schema`` when the scheme runs)."""
    conditions = [{"if": {"properties": {"uses": {"const": name}}, "required": ["uses"]},
                   "then": with_common(schema)} for name, schema in _builtin_schemas().items()]
    entry = {"type": "object", "required": ["uses"], "properties": COMMON_PROPERTIES,
             "allOf": conditions}
    gift = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "category", "value"],
        "properties": {
            "id": {"type": "string", "pattern": _GIFT_ID,
                   "description": "lower-case letters, digits, '.', '_' or '-', e.g. espresso"},
            "name": {"type": "string", "minLength": 1},
            "category": {"type": "string",
                         "description": "household, computer, gift-card or event-tickets"},
            "value": _MONEY,
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "gifts": {"type": "array", "items": gift},
            "schemes": {"type": "object", "additionalProperties": entry},
        },
    }


def normalise_category(text: Any) -> str:
    return re.sub(r"[\s_]+", "-", str(text).strip().casefold())


def forbidden_category(text: Any) -> str | None:
    """The forbidden category that ``text`` names (``kläder`` → ``clothing``), or None."""
    return _FORBIDDEN_WORDS.get(normalise_category(text))


def check_section(config: Config) -> list[Problem]:
    """What a schema cannot say: forbidden or unknown gift categories, duplicate gift ids, levels
    naming gifts that are not in the catalogue or that the budget can never pay, tiers given twice."""
    section = config.data.get(SECTION)
    if not isinstance(section, dict):
        return []
    problems: list[Problem] = []
    base = (SECTION, "gifts")
    catalogue: dict[str, Decimal | None] = {}
    gifts = section.get("gifts")
    for index, item in enumerate(gifts if isinstance(gifts, list) else []):
        if not isinstance(item, dict):
            continue
        where = f"{SECTION}.gifts[{index}]"
        name = str(item.get("name") or item.get("id") or "?")
        category = item.get("category")
        if category is not None:
            banned = forbidden_category(category)
            if banned is not None:
                problems.append(config.problem(base + (index, "category"), _(
                    "{where}: the gift '{name}' is in the category '{category}' ({banned}): the "
                    "company never gives personal items, clothing or jewellery").format(
                    where=where, name=name, category=category, banned=banned)))
            elif normalise_category(category) not in GIFT_CATEGORIES:
                problems.append(config.problem(base + (index, "category"), _(
                    "{where}: the gift '{name}' has the unknown category '{category}'; use one of: "
                    "{allowed}").format(where=where, name=name, category=category,
                                        allowed=", ".join(GIFT_CATEGORIES))))
        problems += _check_money(config, base + (index,), item, ("value",))
        gift_id = item.get("id")
        if isinstance(gift_id, str):
            if gift_id in catalogue:
                problems.append(config.problem(base + (index, "id"), _(
                    "{where}: the gift id '{id}' is used twice").format(where=where, id=gift_id)))
            catalogue[gift_id] = _value(item.get("value"), config.currency)
    schemes = section.get("schemes")
    for label, entry in (schemes.items() if isinstance(schemes, dict) else []):
        if not isinstance(entry, dict):
            continue
        path = (SECTION, "schemes", label)
        if entry.get("uses") in _MONEY_SETTINGS:
            problems += _check_money(config, path, entry, _MONEY_SETTINGS[entry["uses"]])
        if entry.get("uses") == "gift":
            problems += _check_gift_levels(config, path, entry, catalogue)
        if entry.get("uses") == "commission":
            problems += _check_tiers(config, path, entry)
    return problems


_MONEY_SETTINGS = {"commission": ("cap",), "plan-bonus": ("amount", "per_point", "cap"),
                   "gift": ("budget",)}


def _check_money(config: Config, path: tuple[Any, ...], entry: dict[str, Any],
                 keys: tuple[str, ...]) -> list[Problem]:
    """Amounts written as text must read as money (``"25 000"``, ``"1 234,50 kr"``)."""
    from kundkit.errors import ValidationError
    from kundkit.money import to_money
    from kundkit.schemacheck import dotted

    problems = []
    for key in keys:
        value = entry.get(key)
        if not isinstance(value, str):
            continue  # numbers and wrong types are the schema's
        try:
            to_money(value, config.currency, field=key)
        except ValidationError as exc:
            problems.append(config.problem(path + (key,), f"{dotted(path)}: {exc.message}"))
    return problems


def _value(value: Any, currency: str) -> Decimal | None:
    from kundkit.errors import ValidationError
    from kundkit.money import to_money

    try:
        return to_money(str(value) if isinstance(value, float) else value, currency)
    except (ValidationError, TypeError):
        return None  # the schema check reports it


def _check_gift_levels(config: Config, path: tuple[Any, ...], entry: dict[str, Any],
                       catalogue: dict[str, Decimal | None]) -> list[Problem]:
    problems = []
    budget = _value(entry["budget"], config.currency) if entry.get("budget") is not None else None
    levels = entry.get("levels")
    for index, level in enumerate(levels if isinstance(levels, list) else []):
        if not isinstance(level, dict) or not isinstance(level.get("gift"), str):
            continue
        where = ".".join(str(p) for p in path) + f".levels[{index}]"
        gift_id = level["gift"]
        if gift_id not in catalogue:
            known = ", ".join(sorted(catalogue)) or _("none")
            problems.append(config.problem(path + ("levels", index, "gift"), _(
                "{where}: no gift '{id}' in incentives.gifts (the catalogue has: {known})").format(
                where=where, id=gift_id, known=known)))
        elif budget is not None and catalogue[gift_id] is not None and catalogue[gift_id] > budget:
            problems.append(config.problem(path + ("levels", index, "gift"), _(
                "{where}: the gift '{id}' costs more than the whole budget, so it could never be "
                "given").format(where=where, id=gift_id)))
    return problems


def _check_tiers(config: Config, path: tuple[Any, ...], entry: dict[str, Any]) -> list[Problem]:
    problems = []
    seen: set[str] = set()
    tiers = entry.get("tiers")
    for index, tier in enumerate(tiers if isinstance(tiers, list) else []):
        if not isinstance(tier, dict) or isinstance(tier.get("from"), bool) or not isinstance(
                tier.get("from"), (int, float)):
            continue
        key = str(Decimal(str(tier["from"])).normalize())
        if key in seen:
            where = ".".join(str(p) for p in path) + f".tiers[{index}]"
            problems.append(config.problem(path + ("tiers", index, "from"), _(
                "{where}: two tiers start at {start} %").format(where=where, start=tier["from"])))
        seen.add(key)
    return problems


# -- reading -------------------------------------------------------------------------------------

@dataclass
class ConfiguredScheme:
    """One entry of ``incentives.schemes``: its label, the scheme it uses, the keys kundkit handles,
    and the scheme's own settings."""

    label: str
    uses: str
    every: str = "month"
    min_audit_score: Decimal | None = None
    description: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    path: tuple[Any, ...] = ()


def configured_schemes(config: Config) -> list[ConfiguredScheme]:
    """The schemes of ``incentives.schemes``, in the order of the file."""
    from kundkit.incentives.model import number

    section = config.section(SECTION, {}) or {}
    out = []
    for label, entry in (section.get("schemes") or {}).items():
        score = entry.get("min_audit_score")
        out.append(ConfiguredScheme(
            label=str(label), uses=str(entry["uses"]), every=str(entry.get("every") or "month"),
            min_audit_score=number(score) if score is not None else None,
            description=entry.get("description"),
            settings={k: v for k, v in entry.items() if k not in COMMON_KEYS},
            path=(SECTION, "schemes", label)))
    return out


def gift_catalogue(config: Config) -> dict[str, Gift]:
    """The gift catalogue: id → :class:`Gift` (values as Decimal in the business's currency)."""
    from kundkit.money import to_money

    section = config.section(SECTION, {}) or {}
    out = {}
    for item in section.get("gifts") or []:
        value = item["value"]
        out[item["id"]] = Gift(item["id"], str(item["name"]), normalise_category(item["category"]),
                               to_money(str(value) if isinstance(value, float) else value,
                                        config.currency, field="value"))
    return out
