"""The incentive-scheme contract: what a scheme is given and what it answers.

A scheme is an object with a ``name`` that a plugin registers through ``register_incentive_schemes``.
kundkit calls its ``rewards`` method with keyword arguments only, and passes only the arguments the
method declares (all of them if it takes ``**kwargs``), so a scheme may leave out what it does not
need and kundkit can add arguments later without breaking it:

``rewards(*, period, results, settings, organisation, currency, gifts) -> list[Reward]``
    ``period`` is the :class:`~kundkit.plans.Period` being rewarded; ``results`` the
    :class:`~kundkit.contribution.StaffResult` of every staff member who may be rewarded (active,
    and with the audit score the scheme asks for), best weighted sales first; ``settings`` the
    scheme's entry in ``kundkit.yaml`` without the keys kundkit handles itself (``uses``, ``every``,
    ``min_audit_score``, ``description``), as YAML gave it; ``organisation`` the whole
    :class:`~kundkit.contribution.PeriodResults` (totals, target, everyone's figures);
    ``currency`` the business's currency code; ``gifts`` the gift catalogue (id → :class:`Gift`).

and optionally ``description`` (one line, shown by ``kundkit incentive schemes``) and ``schema``
(the JSON Schema of its settings; kundkit reports a setting that breaks it at its line in
``kundkit.yaml``).

Money is ``Decimal``: a scheme rounds its amounts once, at the end (:func:`kundkit.money.round_money`).
A ``float`` is refused.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kundkit.errors import PluginError
from kundkit.i18n import _

KINDS = ("cash", "gift", "recognition")
COMMON_KEYS = ("uses", "every", "min_audit_score", "description")


@dataclass(frozen=True)
class Reward:
    """One reward for one staff member.

    ``kind`` is ``cash`` (``amount`` is the sum), ``gift`` (``item`` names it, ``amount`` is its
    value to the company) or ``recognition`` (``item`` is the title, no amount). ``reason`` tells the
    staff member why, in a sentence with the figures.
    """

    staff: str
    kind: str
    reason: str
    amount: Decimal | None = None
    item: str | None = None


@dataclass(frozen=True)
class Gift:
    """An item of the gift catalogue (``incentives.gifts`` in kundkit.yaml)."""

    id: str
    name: str
    category: str
    value: Decimal


def _accepted(function: Any) -> tuple[set[str], bool]:
    signature = inspect.signature(function)
    names = {p.name for p in signature.parameters.values()
             if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD) and p.name != "self"}
    takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    return names, takes_any


def call_scheme(scheme: Any, **kwargs: Any) -> list[Reward]:
    """Call ``scheme.rewards`` with the keyword arguments it declares; check what it returns."""
    function = getattr(scheme, "rewards", None)
    if not callable(function):
        raise PluginError(_("the incentive scheme '{name}' has no rewards() method").format(
            name=getattr(scheme, "name", "?")))
    names, takes_any = _accepted(function)
    try:
        answer = function(**(kwargs if takes_any else {k: v for k, v in kwargs.items() if k in names}))
    except TypeError as exc:
        raise PluginError(_("the incentive scheme '{name}' broke the contract in rewards(): "
                            "{reason}").format(name=scheme.name, reason=exc)) from None
    return check_rewards(scheme.name, answer, {r.staff for r in kwargs.get("results", [])})


def check_rewards(scheme_name: str, answer: Any, eligible: set[str]) -> list[Reward]:
    """The rewards a scheme returned, checked against the contract (a PluginError naming the scheme
    otherwise)."""
    def broken(reason: str) -> PluginError:
        return PluginError(_("the incentive scheme '{name}' broke the contract: {reason}").format(
            name=scheme_name, reason=reason))

    if answer is None:
        return []
    if not isinstance(answer, (list, tuple)):
        raise broken(_("rewards() must return a list of Reward"))
    out = []
    for reward in answer:
        if not isinstance(reward, Reward):
            raise broken(_("rewards() returned {value!r}, not a Reward").format(value=reward))
        if reward.kind not in KINDS:
            raise broken(_("unknown kind of reward '{kind}' (cash, gift or recognition)").format(
                kind=reward.kind))
        if reward.staff not in eligible:
            raise broken(_("a reward for '{staff}', who is not among the staff it was given").format(
                staff=reward.staff))
        if reward.amount is not None and not isinstance(reward.amount, Decimal):
            raise broken(_("the amount {value!r} is not a Decimal").format(value=reward.amount))
        if reward.amount is not None and (not reward.amount.is_finite() or reward.amount < 0):
            raise broken(_("the amount {value} is not a positive number").format(value=reward.amount))
        if reward.kind == "cash" and reward.amount is None:
            raise broken(_("a cash reward needs an amount"))
        if reward.kind in ("gift", "recognition") and not reward.item:
            raise broken(_("a {kind} reward needs an item").format(kind=reward.kind))
        if not str(reward.reason or "").strip():
            raise broken(_("every reward needs a reason"))
        out.append(reward)
    return out


def number(value: Any) -> Decimal:
    """A number from YAML settings (a YAML float goes through ``str``, so 1.5 stays 1.5 exactly)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    return Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
