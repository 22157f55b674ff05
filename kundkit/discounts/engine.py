"""Putting the policies to work: which are active with which settings, which lines may be
discounted, and how several offers combine into the one discount of a purchase.

``combine: best`` (the default) grants the largest offer; ``combine: add`` adds them up, to at most
``cap`` percent of the discountable lines. The discount is rounded once, to the currency's minor
unit, and then split over the discountable lines in proportion to their gross, so that the lines'
nets add up exactly to the purchase's net.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from kundkit.discounts.model import ZERO, History, Offer, Order, OrderLine, Standing, pct_str
from kundkit.discounts.settings import DISCOUNTS_SCHEMA, dec
from kundkit.errors import ConfigProblems, PluginError, Problem, ProblemsError
from kundkit.i18n import _
from kundkit.money import allocate, money_str, percent_of, round_money


@dataclass(frozen=True)
class ActivePolicy:
    policy: Any
    settings: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.policy.name)


@dataclass(frozen=True)
class Setup:
    """The discount rules in force: active policies (in the configured order) and how they combine."""

    policies: tuple[ActivePolicy, ...] = ()
    combine: str = "best"
    cap: Decimal | None = None
    excluded_products: frozenset[str] = frozenset()
    excluded_categories: frozenset[str] = frozenset()
    currency: str = "SEK"

    def discountable(self, sku: str, category: str | None) -> bool:
        return sku not in self.excluded_products and (category or "") not in self.excluded_categories

    def describe(self) -> dict[str, Any]:
        return {"combine": self.combine, "cap": None if self.cap is None else pct_str(self.cap),
                "exclude": {"products": sorted(self.excluded_products),
                            "categories": sorted(self.excluded_categories)},
                "policies": [p.name for p in self.policies]}


@dataclass
class Priced:
    """An order with its discount worked out."""

    order: Order
    discount: dict[str, Any] | None        # the purchase record's ``discount`` (None: no discount)
    line_discounts: list[Decimal]
    offers: list[Offer] = field(default_factory=list)

    @property
    def amount(self) -> Decimal:
        return sum(self.line_discounts, ZERO)

    @property
    def net(self) -> Decimal:
        return self.order.gross - self.amount


@lru_cache(maxsize=None)
def _accepted(function: Callable[..., Any]) -> tuple[frozenset[str], bool]:
    parameters = inspect.signature(function).parameters.values()
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)
    return frozenset(p.name for p in parameters), takes_any


def call_policy(policy: Any, method: str, **kwargs: Any) -> Any:
    """Call ``policy.method`` with the keyword arguments it declares (all, if it takes ``**kw``)."""
    function = getattr(policy, method, None)
    if function is None:
        return None
    names, takes_any = _accepted(getattr(function, "__func__", function))
    try:
        return function(**(kwargs if takes_any else {k: v for k, v in kwargs.items() if k in names}))
    except TypeError as exc:
        raise PluginError(_("the discount policy '{name}' broke the contract in {method}(): "
                            "{reason}").format(name=policy.name, method=method, reason=exc)) from None


# -- the setup -------------------------------------------------------------------------------------

def build_setup(section: Mapping[str, Any] | None, registry: Mapping[str, Any], *, currency: str,
                problem: Callable[[tuple[Any, ...], str], Problem],
                base: tuple[Any, ...] = ("discounts",), doc: Any = None) -> Setup:
    """A :class:`Setup` from a ``discounts:`` section; unknown policies and settings that break a
    policy's schema are reported at their place in the file."""
    section = section or {}
    problems: list[Problem] = []
    policies: list[ActivePolicy] = []
    configured = section.get("policies") or {}
    for name, settings in configured.items():
        policy = registry.get(name)
        if policy is None:
            hint = difflib.get_close_matches(str(name), sorted(registry), n=1)
            message = _("unknown discount policy '{name}'").format(name=name)
            message += " " + (_("(did you mean '{hint}'?)").format(hint=hint[0]) if hint else
                              _("(known: {names})").format(names=", ".join(sorted(registry))))
            problems.append(problem(base + ("policies", name), message))
            continue
        policies.append(ActivePolicy(policy, dict(settings or {})))
    if doc is not None:
        problems += _schema_problems(doc, base, configured, registry)
    if problems:
        raise ConfigProblems(problems)
    cap = section.get("cap")
    exclude = section.get("exclude") or {}
    return Setup(policies=tuple(policies), combine=str(section.get("combine") or "best"),
                 cap=None if cap is None else dec(cap, field="discounts.cap"),
                 excluded_products=frozenset(str(s) for s in exclude.get("products") or ()),
                 excluded_categories=frozenset(str(c) for c in exclude.get("categories") or ()),
                 currency=currency)


def _schema_problems(doc: Any, base: tuple[Any, ...], configured: Mapping[str, Any],
                     registry: Mapping[str, Any]) -> list[Problem]:
    schemas = {name: getattr(registry[name], "schema", None) for name in configured if name in registry}
    schemas = {name: schema for name, schema in schemas.items() if schema}
    if not schemas:
        return []
    from kundkit.schemacheck import validate

    schema: dict[str, Any] = {"type": "object", "properties": {"policies": {
        "type": "object", "properties": schemas}}}
    for key in reversed(base):
        schema = {"type": "object", "properties": {key: schema}}
    return validate(doc, schema)


def setup_for(ctx: Any) -> Setup:
    """The discount rules of the business (checked once per command)."""
    cached = getattr(ctx, "_discount_setup", None)
    if cached is not None:
        return cached
    config = ctx.config
    registry = ctx.registry("register_discount_policies", "discount policy")
    section = config.section("discounts")
    configured = (section or {}).get("policies") or {}
    # The built-in policies' schemas are part of kundkit.yaml's own schema, which the core checks
    # (and remembers as checked); a plugin's policy is checked here, once per version of the file.
    foreign = {name for name in configured
               if name in registry and name not in BUILTIN and getattr(registry[name], "schema", None)}
    doc = config.doc if foreign and not _checked_before(config, registry, foreign) else None
    setup = build_setup(section, registry, currency=config.currency, problem=config.problem, doc=doc)
    if doc is not None:
        _remember_checked(config, registry, foreign)
    ctx._discount_setup = setup
    return setup


BUILTIN = frozenset({"cumulative", "volume", "segment", "points"})


def _digest(config: Any, registry: Mapping[str, Any], names: set[str]) -> str:
    import hashlib
    import json

    schemas = {name: registry[name].schema for name in sorted(names)}
    text = getattr(config, "_text", "") + json.dumps(schemas, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _checked_before(config: Any, registry: Mapping[str, Any], names: set[str]) -> bool:
    try:
        return (config.store_path / ".discounts-ok").read_text() == _digest(config, registry, names)
    except OSError:
        return False


def _remember_checked(config: Any, registry: Mapping[str, Any], names: set[str]) -> None:
    if config.store_path.is_dir():
        try:
            (config.store_path / ".discounts-ok").write_text(_digest(config, registry, names))
        except OSError:
            pass  # a read-only store only costs the next command the check


def setup_from_file(path: Any, registry: Mapping[str, Any], *, currency: str) -> Setup:
    """A :class:`Setup` from another YAML file: a whole kundkit.yaml or only its ``discounts:``."""
    from kundkit.schemacheck import validate
    from kundkit.yamldoc import load_yaml

    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    base: tuple[Any, ...] = ("discounts",) if "discounts" in data else ()
    section = data.get("discounts") if base else data
    schema: dict[str, Any] = DISCOUNTS_SCHEMA
    if base:
        schema = {"type": "object", "properties": {"discounts": DISCOUNTS_SCHEMA}}
    problems = validate(doc, schema)
    if problems:
        raise ProblemsError(problems)
    return build_setup(section, registry, currency=currency, problem=doc.problem, base=base, doc=doc)


# -- pricing ---------------------------------------------------------------------------------------

def mark_lines(setup: Setup, lines: list[OrderLine]) -> tuple[OrderLine, ...]:
    return tuple(replace(line, discountable=setup.discountable(line.sku, line.category))
                 for line in lines)


def _normalise(offer: Offer, eligible: Decimal, currency: str) -> Offer | None:
    if offer.amount is not None:
        amount = round_money(offer.amount, currency)
    elif offer.percent is not None:
        amount = percent_of(eligible, offer.percent, currency)
    else:
        return None
    amount = min(amount, eligible)
    if amount <= 0:
        return None
    return replace(offer, amount=amount)


def collect_offers(setup: Setup, *, customer: Mapping[str, Any], order: Order,
                   history: Callable[[str], History]) -> list[tuple[ActivePolicy, Offer]]:
    eligible = order.discountable_gross
    if eligible <= 0:
        return []
    found = []
    for active in setup.policies:
        offer = call_policy(active.policy, "offer", settings=active.settings, customer=customer,
                            history=history(active.name), order=order)
        if offer is None:
            continue
        if not isinstance(offer, Offer):
            raise PluginError(_("the discount policy '{name}' returned {kind}, not an Offer").format(
                name=active.name, kind=type(offer).__name__))
        normal = _normalise(offer, eligible, order.currency)
        if normal is not None:
            found.append((active, replace(normal, policy=active.name)))
    return found


def price(setup: Setup, *, customer: Mapping[str, Any], order: Order,
          history: Callable[[str], History]) -> Priced:
    """The discount of ``order``: offers from every active policy, combined by the setup's rule."""
    offers = collect_offers(setup, customer=customer, order=order, history=history)
    eligible = order.discountable_gross
    weights = [line.gross if line.discountable else ZERO for line in order.lines]
    if not offers:
        return Priced(order, None, [ZERO for _line in order.lines])
    applied: list[Offer]
    capped = False
    if setup.combine == "add":
        applied = [offer for _active, offer in offers]
        total = sum((o.amount or ZERO for o in applied), ZERO)
        limit = eligible if setup.cap is None else min(percent_of(eligible, setup.cap, order.currency),
                                                       eligible)
        if total > limit:
            capped = True
            shares = allocate(limit, [o.amount or ZERO for o in applied], order.currency)
            applied = [_shrink(active, offer, share)
                       for (active, offer), share in zip(offers, shares)]
    else:
        best = max(range(len(offers)), key=lambda i: (offers[i][1].amount, -i))
        applied = [offer if i == best else replace(offer, amount=ZERO)
                   for i, (_active, offer) in enumerate(offers)]
    total = sum((o.amount or ZERO for o in applied), ZERO)
    if total <= 0:
        return Priced(order, None, [ZERO for _line in order.lines], [o for _a, o in offers])
    winners = [o for o in applied if o.amount]
    reason = "; ".join(o.reason for o in winners)
    if setup.combine == "best" and len(offers) > 1:
        reason += " " + _("(the best of {n} offers)").format(n=len(offers))
    if capped:
        reason += " " + _("(capped at {cap} % of the order)").format(cap=pct_str(setup.cap or ZERO))
    discount = {
        "policy": "+".join(o.policy for o in winners),
        "percent": pct_str(total * 100 / eligible),
        "amount": money_str(total, order.currency),
        "reason": reason,
        "parts": [{"policy": original.policy,
                   "percent": None if original.percent is None else pct_str(original.percent),
                   "offered": money_str(original.amount or ZERO, order.currency),
                   "applied": money_str(final.amount or ZERO, order.currency),
                   "reason": original.reason, "data": dict(final.data)}
                  for (_active, original), final in zip(offers, applied)],
    }
    return Priced(order, discount, allocate(total, weights, order.currency), [o for _a, o in offers])


def _shrink(active: ActivePolicy, offer: Offer, amount: Decimal) -> Offer:
    smaller = call_policy(active.policy, "shrink", settings=active.settings, offer=offer, amount=amount)
    if smaller is None:
        return replace(offer, amount=amount)
    return replace(smaller, amount=min(smaller.amount or ZERO, amount))


def standings(setup: Setup, *, customer: Mapping[str, Any], history: Callable[[str], History],
              today: Any) -> list[Standing]:
    """Each active policy's explanation of the customer's standing, in the configured order."""
    out = []
    for active in setup.policies:
        found = call_policy(active.policy, "standing", settings=active.settings, customer=customer,
                            history=history(active.name), today=today, currency=setup.currency)
        if found is None:
            found = Standing(active.name, _("This policy does not describe a standing."))
        elif not isinstance(found, Standing):
            raise PluginError(_("the discount policy '{name}' returned {kind}, not a Standing").format(
                name=active.name, kind=type(found).__name__))
        out.append(found)
    return out
