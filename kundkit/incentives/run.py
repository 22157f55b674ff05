"""The month's-end run: propose rewards from every configured scheme, approve them, lock the period.

* :func:`propose` works out the figures of the period (:mod:`kundkit.contribution`) and asks each
  scheme configured for that kind of period what it gives whom.
* :func:`approve` stores the rewards in table ``rewards`` (``R1001``, ...) and locks the period in
  table ``incentive_periods``, with a snapshot of the figures they were based on. A locked period
  cannot be approved again.
* :func:`reopen` unlocks it: its rewards are kept but marked ``withdrawn``, and the reopening is
  logged (in the period's history and in the audit log) with who did it, when and why.

Who may be rewarded: staff members who are active, and, for a scheme with ``min_audit_score``,
whose latest service-standard audit scored at least that. Everyone's figures are still passed to
the scheme as ``organisation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.contribution import PeriodResults
from kundkit.errors import ConfigError, ConfigProblems, Conflict, NotFound
from kundkit.i18n import _
from kundkit.incentives.model import Reward, call_scheme
from kundkit.incentives.settings import ConfiguredScheme, configured_schemes, gift_catalogue, with_common
from kundkit.plans import Period

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

REWARDS = "rewards"
PERIODS = "incentive_periods"
REWARD_PREFIX = "R"
FIRST_REWARD = 1001


@dataclass(frozen=True)
class ProposedReward:
    """A reward and the configured scheme (``scheme`` = its label) that gives it."""

    scheme: str
    uses: str
    reward: Reward

    def as_row(self, period: Period, currency: str, names: dict[str, str],
               status: str = "proposed") -> dict[str, Any]:
        from kundkit.money import money_str

        r = self.reward
        return {"period": str(period), "status": status, "staff": r.staff,
                "name": names.get(r.staff, ""), "scheme": self.scheme, "uses": self.uses,
                "kind": r.kind, "amount": None if r.amount is None else money_str(r.amount, currency),
                "item": r.item, "reason": r.reason}


@dataclass
class Proposal:
    """What the schemes give for a period, and the figures they were given."""

    period: Period
    results: PeriodResults
    rewards: list[ProposedReward] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)  # labels of the schemes that ran
    not_this_period: list[str] = field(default_factory=list)  # labels of schemes for other kinds

    def names(self) -> dict[str, str]:
        return {r.staff: r.name for r in self.results.staff}

    def rows(self, status: str = "proposed") -> list[dict[str, Any]]:
        names = self.names()
        return [p.as_row(self.period, self.results.currency, names, status) for p in self.rewards]


def _scheme_problems(ctx: Context, configured: ConfiguredScheme, scheme: Any) -> list[Any]:
    schema = getattr(scheme, "schema", None)
    if not schema or type(scheme).__module__.startswith("kundkit.incentives."):
        return []  # the built-ins' settings are checked with the whole file
    from kundkit.schemacheck import validate

    wrapper: dict[str, Any] = {}
    inner: dict[str, Any] = with_common(schema)
    for key in reversed(configured.path):
        wrapper = {"type": "object", "properties": {key: inner}}
        inner = wrapper
    return validate(ctx.config.doc, wrapper)


def resolve_schemes(ctx: Context) -> list[tuple[ConfiguredScheme, Any]]:
    """Each configured scheme with the registered scheme it uses; an unknown name or settings that
    break a plugin scheme's schema are reported at their line in kundkit.yaml."""
    registry = ctx.registry("register_incentive_schemes", "incentive scheme")
    out, problems = [], []
    for configured in configured_schemes(ctx.config):
        scheme = registry.get(configured.uses)
        if scheme is None:
            problems.append(ctx.config.problem(configured.path + ("uses",), _(
                "incentives.schemes.{label}.uses: no incentive scheme '{name}' is registered (known: "
                "{known})").format(label=configured.label, name=configured.uses,
                                   known=", ".join(sorted(registry)))))
            continue
        problems += _scheme_problems(ctx, configured, scheme)
        out.append((configured, scheme))
    if problems:
        raise ConfigProblems(problems)
    return out


def _eligible(ctx: Context, tx: Transaction, results: PeriodResults,
              configured: ConfiguredScheme) -> list[Any]:
    people = [r for r in results.staff if r.active]
    if configured.min_audit_score is None:
        return people
    from kundkit.contribution import audit_scores

    scores = audit_scores(ctx, tx, [r.staff for r in people])
    if scores is None:
        raise ConfigError(_("incentives.schemes.{label}.min_audit_score: this kundkit has no "
                            "service-standard audits to read scores from").format(label=configured.label))
    for result in people:
        result.audit_score = scores.get(result.staff)
    return [r for r in people if r.audit_score is not None and r.audit_score >= configured.min_audit_score]


def propose(ctx: Context, tx: Transaction, period: Period) -> Proposal:
    """The rewards every scheme configured for this kind of period proposes (nothing stored)."""
    from kundkit.contribution import results_for

    schemes = resolve_schemes(ctx)
    results = results_for(ctx, tx, period)
    proposal = Proposal(period, results)
    gifts = gift_catalogue(ctx.config)
    for configured, scheme in schemes:
        if configured.every != period.kind:
            proposal.not_this_period.append(configured.label)
            continue
        eligible = _eligible(ctx, tx, results, configured)
        rewards = call_scheme(scheme, period=period, results=eligible, settings=configured.settings,
                              organisation=results, currency=results.currency, gifts=gifts)
        proposal.schemes.append(configured.label)
        proposal.rewards += [ProposedReward(configured.label, configured.uses, r) for r in rewards]
    return proposal


# -- the lock -------------------------------------------------------------------------------------

def _period_doc(tx: Transaction, period: Period) -> tuple[int, dict[str, Any]] | None:
    for key, record in tx.raw(PERIODS).items():
        if record.get("id") == str(period):
            return int(key), record
    return None


def period_record(tx: Transaction, period: Period) -> dict[str, Any] | None:
    """The approval record of ``period`` (status ``approved`` or ``reopened``), or None."""
    found = _period_doc(tx, period)
    return dict(found[1]) if found else None


def is_locked(tx: Transaction, period: Period) -> bool:
    record = period_record(tx, period)
    return record is not None and record.get("status") == "approved"


def stored_rewards(tx: Transaction, period: Period, *, include_withdrawn: bool = False) -> list[dict[str, Any]]:
    """The stored rewards of ``period`` (the approved ones, unless ``include_withdrawn``), by id."""
    rows = [dict(r) for r in tx.raw(REWARDS).values() if r.get("period") == str(period)
            and (include_withdrawn or r.get("status") == "approved")]
    return sorted(rows, key=lambda r: int(r["id"][1:]))


def rewards_of(tx: Transaction, *, staff: str | None = None) -> list[dict[str, Any]]:
    """Every approved reward (of one staff member), oldest first."""
    rows = [dict(r) for r in tx.raw(REWARDS).values()
            if r.get("status") == "approved" and (staff is None or r.get("staff") == staff)]
    return sorted(rows, key=lambda r: int(r["id"][1:]))


def _locked_message(record: dict[str, Any]) -> str:
    return _("{period} was approved on {at} by {by}; its rewards are locked. Give --reopen to change "
             "them (the reopening is logged)").format(period=record["id"], at=record["approved_at"][:10],
                                                      by=record.get("approved_by") or _("unknown"))


def approve(ctx: Context, tx: Transaction, proposal: Proposal) -> list[dict[str, Any]]:
    """Store the proposal's rewards and lock the period. Conflict when it is locked already."""
    from kundkit.auditlog import record_audit
    from kundkit.idtable import insert_many_numbered, replace_doc, stamp

    actor = ctx.require_actor()
    period = proposal.period
    found = _period_doc(tx, period)
    if found is not None and found[1].get("status") == "approved":
        raise Conflict(_locked_message(found[1]))
    now = stamp(ctx)
    rows = proposal.rows("approved")
    numbered = []
    for row in rows:
        number = tx.next_id("reward", start=FIRST_REWARD)
        row.pop("name", None)
        record = {"id": f"{REWARD_PREFIX}{number}", **row, "approved_at": now, "approved_by": actor}
        numbered.append((number, record))
    insert_many_numbered(tx, REWARDS, numbered)
    history = list(found[1].get("history", [])) if found else []
    history.append({"action": "approve", "at": now, "by": actor, "rewards": len(numbered)})
    record = {"id": str(period), "period": str(period), "status": "approved", "approved_at": now,
              "approved_by": actor, "rewards": [r["id"] for _n, r in numbered],
              "schemes": proposal.schemes, "results": proposal.results.as_dict(), "history": history}
    if found:
        replace_doc(tx, PERIODS, found[0], record)
    else:
        tx.table(PERIODS).insert(record)
    record_audit(ctx, tx, action="approve", table=REWARDS, record_id=str(period), fields=["status"],
                 detail={"rewards": len(numbered)})
    return [r for _n, r in numbered]


def reopen(ctx: Context, tx: Transaction, period: Period, *, reason: str | None = None) -> dict[str, Any]:
    """Unlock an approved period: its rewards are marked withdrawn, and the reopening logged."""
    from kundkit.auditlog import record_audit
    from kundkit.idtable import replace_doc, replace_many, stamp

    actor = ctx.require_actor()
    found = _period_doc(tx, period)
    if found is None or found[1].get("status") != "approved":
        raise NotFound(_("{period} is not approved, so there is nothing to reopen").format(period=period))
    doc_id, old = found
    now = stamp(ctx)
    withdrawn = {}
    for key, reward in tx.raw(REWARDS).items():
        if reward.get("period") == str(period) and reward.get("status") == "approved":
            withdrawn[int(key)] = {**reward, "status": "withdrawn", "withdrawn_at": now,
                                   "withdrawn_by": actor}
    replace_many(tx, REWARDS, withdrawn)
    entry = {"action": "reopen", "at": now, "by": actor, "rewards": len(withdrawn)}
    if reason:
        entry["reason"] = reason
    record = {**old, "status": "reopened", "reopened_at": now, "reopened_by": actor,
              "history": [*old.get("history", []), entry]}
    replace_doc(tx, PERIODS, doc_id, record)
    record_audit(ctx, tx, action="reopen", table=REWARDS, record_id=str(period), fields=["status"],
                 detail={"rewards": len(withdrawn)})
    return record


def snapshot_results(record: dict[str, Any]) -> PeriodResults:
    """The figures stored when the period was approved."""
    from kundkit.contribution import results_from_dict

    return results_from_dict(record["results"])


def changed_since_approval(record: dict[str, Any], live: PeriodResults) -> tuple[Decimal, Decimal] | None:
    """(weighted then, weighted now) when the period's sales changed after it was approved — a
    purchase recorded late with a date in the period — else None."""
    from kundkit.money import round_money

    then = Decimal(record["results"]["weighted"])
    now = round_money(live.weighted, live.currency)
    return (then, now) if then != now else None
