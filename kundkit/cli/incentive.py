"""``kundkit incentive``: each seller's contribution to the plan, and the rewards for it."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, echo_err, output_options, render, render_record, to_json
from kundkit.context import Context
from kundkit.errors import Conflict
from kundkit.i18n import _

PERIOD_HELP = "A month (2026-11), a quarter (2026-Q4) or a year (2026)."


@group("incentive")
def cli() -> None:
    """Each seller's contribution to the sales plan, and the rewards for it.

    \b
    Example:
      kundkit incentive run --period 2026-11
      kundkit --as lars incentive run --period 2026-11 --approve
      kundkit incentive explain anna --period 2026-11
      kundkit incentive board --period 2026-11
    """


def _period(ctx: Context, text: str | None) -> Any:
    from kundkit.cli.prompt import ask_text
    from kundkit.plans import parse_period

    if text is None:
        text = ask_text(ctx, _("Period (2026-11, 2026-Q4 or 2026):"), option="--period",
                        check=parse_period)
    return parse_period(text)


def _money(ctx: Context) -> Any:
    from kundkit.incentives.text import show_money

    currency = ctx.config.currency
    return lambda value: "" if value is None else show_money(Decimal(value), currency)


def _ratio(value: Any) -> str:
    from kundkit.incentives.text import show_ratio

    return "" if value is None else show_ratio(Decimal(value), fixed=True)



def _kind(value: Any) -> str:
    return {"cash": _("cash"), "gift": _("gift"), "recognition": _("recognition")}.get(value, value)


def _reward_columns(ctx: Context) -> list[Column]:
    return [Column("staff", "Staff"), Column("name", "Name"), Column("scheme", "Scheme"),
            Column("kind", "Kind", show=_kind), Column("amount", "Amount", "right", _money(ctx)),
            Column("item", "Gift or title"), Column("reason", "Reason")]


def _named(record: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """A stored reward with the staff member's name next to the id, as in a proposal."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        out[key] = value
        if key == "staff":
            out["name"] = names.get(value, "")
    return out


def _summary(ctx: Context, rows: list[dict[str, Any]]) -> str:
    from kundkit.incentives.text import show_money

    currency = ctx.config.currency
    cash = sum((Decimal(r["amount"]) for r in rows if r["kind"] == "cash"), Decimal(0))
    gifts = [r for r in rows if r["kind"] == "gift"]
    gift_value = sum((Decimal(r["amount"] or 0) for r in gifts), Decimal(0))
    titles = sum(1 for r in rows if r["kind"] == "recognition")
    return _("cash {cash}; {gifts} gift(s) worth {value}; {titles} recognition(s)").format(
        cash=show_money(cash, currency), gifts=len(gifts), value=show_money(gift_value, currency),
        titles=titles)


@cli.command("run")
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@click.option("--approve", is_flag=True, help="Store the rewards and lock the period.")
@click.option("--reopen", is_flag=True,
              help="Unlock an approved period (its rewards are withdrawn; the reopening is logged).")
@click.option("--reason", metavar="TEXT", help="Why the period is reopened (kept in the log).")
@output_options
@pass_ctx
def incentive_run(ctx: Context, period: str | None, approve: bool, reopen: bool, reason: str | None,
                  output_format: str, table_style: str) -> None:
    """Propose each staff member's rewards for a period, per scheme; --approve stores and locks them.

    A period that was approved shows its stored rewards; change them only with --reopen.
    """
    from kundkit.contribution import results_for
    from kundkit.incentives import run
    from kundkit.staff import all_staff

    which = _period(ctx, period)
    if (approve or reopen) and not ctx.actor:
        ctx.require_actor()
    columns = _reward_columns(ctx)
    session = ctx.store.transaction() if (approve or reopen) else ctx.store.read()
    notes: list[str] = []
    with session as tx:
        record = run.period_record(tx, which)
        locked = record is not None and record.get("status") == "approved"
        if locked and not reopen:
            if approve:
                raise Conflict(run._locked_message(record))
            names = {s["id"]: s.get("name", "") for s in all_staff(tx)}
            rows = [_named(r, names) for r in run.stored_rewards(tx, which)]
            changed = run.changed_since_approval(record, results_for(ctx, tx, which))
        else:
            changed = None
            if reopen:
                if locked:
                    run.reopen(ctx, tx, which, reason=reason)
                    notes.append(_("{period} reopened; its earlier rewards are withdrawn.").format(
                        period=which))
                else:
                    ctx.warn(_("{period} is not approved; there is nothing to reopen").format(period=which))
            proposal = run.propose(ctx, tx, which)
            rows = proposal.rows()
            if approve:
                stored = run.approve(ctx, tx, proposal)
                rows = [_named(r, proposal.names()) for r in stored]
    render(rows, columns, output_format=output_format, table_style=table_style,
           empty=_("No rewards for {period}.").format(period=which))
    for note in notes:
        echo_err(note)
    if locked and not reopen:
        echo_err(_("{period} was approved on {at} by {by}: these are the stored rewards ({summary}). "
                   "Give --reopen to change them.").format(
            period=which, at=record["approved_at"][:10], by=record.get("approved_by") or "?",
            summary=_summary(ctx, rows)))
        if changed is not None:
            from kundkit.incentives.text import show_money

            echo_err(_("note: the period's weighted sales changed after the approval ({then} then, "
                       "{now} now)").format(then=show_money(changed[0], ctx.config.currency),
                                             now=show_money(changed[1], ctx.config.currency)))
    elif approve:
        echo_err(_("{period} approved and locked: {summary}.").format(period=which,
                                                                      summary=_summary(ctx, rows)))
    else:
        if rows:
            echo_err(_("Proposal for {period}, not approved: {summary}. Approve with: kundkit --as "
                       "STAFF incentive run --period {period} --approve").format(
                period=which, summary=_summary(ctx, rows)))
        if proposal.not_this_period:
            echo_err(_("Schemes for other kinds of period, not run for {period}: {schemes}").format(
                period=which, schemes=", ".join(proposal.not_this_period)))


def _result_columns(ctx: Context) -> list[Column]:
    money = _money(ctx)
    return [Column("rank", "#", "right"), Column("staff", "Staff"), Column("name", "Name"),
            Column("net", "Net", "right", money), Column("weighted", "Weighted", "right", money),
            Column("share", "Share", "right", _ratio),
            Column("contribution", "Of org. plan", "right", _ratio),
            Column("target", "Target", "right", money),
            Column("attainment", "Attainment", "right", _ratio)]


@cli.command("results")
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@output_options
@pass_ctx
def incentive_results(ctx: Context, period: str | None, output_format: str, table_style: str) -> None:
    """Each seller's net and weighted sales, share, contribution to the plan and attainment."""
    from kundkit.contribution import results_for
    from kundkit.incentives.text import show_money, show_ratio

    which = _period(ctx, period)
    with ctx.store.read() as tx:
        results = results_for(ctx, tx, which)
    data = results.as_dict()
    if output_format == "json":
        click.echo(to_json(data))
        return
    rows = [{"rank": i, **row} for i, row in enumerate(data["staff"], start=1)]
    render(rows, _result_columns(ctx), output_format=output_format, table_style=table_style,
           empty=_("No staff and no sales in {period}.").format(period=which))
    if output_format == "table":
        currency = results.currency
        line = _("Organisation {period}: net {net}, weighted {weighted}").format(
            period=which, net=show_money(results.net, currency),
            weighted=show_money(results.weighted, currency))
        if results.target:
            line += ", " + _("{attained} of the target {target}").format(
                attained=show_ratio(results.attainment), target=show_money(results.target, currency))
        if results.unattributed_net:
            line += "; " + _("without a seller: {net}").format(
                net=show_money(results.unattributed_net, currency))
        echo_err(line)


@cli.command("explain")
@click.argument("staff_id", metavar="STAFF")
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@output_options
@pass_ctx
def incentive_explain(ctx: Context, staff_id: str, period: str | None, output_format: str,
                      table_style: str) -> None:
    """The lines behind a seller's figures for a period; key (locomotive) products are marked *."""
    from kundkit.contribution import describe_source, explain
    from kundkit.money import money_str, round_money

    which = _period(ctx, period)
    with ctx.store.read() as tx:
        explanation = explain(ctx, tx, staff_id, which)
    currency = ctx.config.currency
    figures = explanation.result.as_dict(currency)
    figures["period"] = str(which)
    figures["target_how"] = describe_source(figures["target_source"])
    lines = [{"date": line.date.isoformat(), "purchase": line.purchase, "kind": line.kind,
              "credits": line.credits, "customer": line.customer, "sku": line.sku, "name": line.name,
              "quantity": line.quantity, "net": money_str(line.net, currency), "weight": str(line.weight),
              "weighted": money_str(round_money(line.weighted, currency), currency),
              "locomotive": line.locomotive} for line in explanation.lines]
    line_columns = [Column("date", "Date"), Column("purchase", "Purchase"),
                    Column("kind", "Kind", show=lambda k: _("credit") if k == "credit" else _("sale")),
                    Column("customer", "Customer"), Column("sku", "SKU"), Column("name", "Product"),
                    Column("locomotive", "Key", show=lambda v: "*" if v else ""),
                    Column("quantity", "Qty", "right"), Column("net", "Net", "right", _money(ctx)),
                    Column("weight", "Weight", "right"),
                    Column("weighted", "Weighted", "right", _money(ctx))]
    if output_format == "json":
        click.echo(to_json({"figures": figures, "lines": lines}))
        return
    if output_format == "csv":
        render(lines, line_columns, output_format="csv")
        return
    money = _money(ctx)
    render_record(figures, [
        Column("staff", "Staff"), Column("name", "Name"), Column("period", "Period"),
        Column("net", "Net sales", show=money), Column("weighted", "Weighted sales", show=money),
        Column("locomotive_weighted", "of which key products", show=money),
        Column("share", "Share of the organisation's weighted sales", show=_ratio),
        Column("contribution", "Contribution to the organisation's plan", show=_ratio),
        Column("target", "Personal target", show=money), Column("target_how", "Target found as"),
        Column("attainment", "Attainment", show=_ratio)], output_format="table")
    click.echo("")
    render(lines, line_columns, output_format="table", table_style=table_style,
           empty=_("No sales lines for {staff} in {period}.").format(staff=figures["staff"], period=which))
    if lines:
        echo_err(_("* = key (locomotive) product. Weighted = net × the product's weight at the time "
                   "of sale; credit notes count in the period they were made."))


@cli.command("board")
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@click.option("--width", type=click.IntRange(10, 100), default=30, show_default=True,
              help="Width of the bars, in characters.")
@click.option("--ascii", "ascii_only", is_flag=True,
              help="Draw with # instead of block characters (chosen automatically when the "
                   "terminal cannot show them).")
@pass_ctx
def incentive_board(ctx: Context, period: str | None, width: int, ascii_only: bool) -> None:
    """A leaderboard for the staff room: bars of each person's attainment, and the titles earned."""
    from kundkit.analytics.charts import can_draw_blocks
    from kundkit.contribution import results_for
    from kundkit.incentives import run
    from kundkit.incentives.board import board_lines

    which = _period(ctx, period)
    titles: dict[str, list[str]] = {}
    with ctx.store.read() as tx:
        record = run.period_record(tx, which)
        if record is not None and record.get("status") == "approved":
            results = run.snapshot_results(record)
            earned = [(r["staff"], r["item"]) for r in run.stored_rewards(tx, which)
                      if r["kind"] == "recognition"]
        else:
            results = results_for(ctx, tx, which)
            proposal = run.propose(ctx, tx, which) if ctx.config.section("incentives") else None
            earned = [(p.reward.staff, p.reward.item) for p in (proposal.rewards if proposal else [])
                      if p.reward.kind == "recognition"]
    for staff_id, item in earned:
        titles.setdefault(staff_id, []).append(str(item))
    ascii_only = ascii_only or not can_draw_blocks(getattr(sys.stdout, "encoding", None))
    for line in board_lines(results, titles=titles, heading=ctx.config.business_name, width=width,
                            ascii=ascii_only):
        click.echo(line)


@cli.command("rewards")
@click.option("--staff", "staff_id", metavar="STAFF", help="Only this staff member's rewards.")
@click.option("--period", metavar="PERIOD", help="Only rewards of periods within this one.")
@click.option("--withdrawn", is_flag=True, help="Include rewards withdrawn when a period was reopened.")
@output_options
@pass_ctx
def incentive_rewards(ctx: Context, staff_id: str | None, period: str | None, withdrawn: bool,
                      output_format: str, table_style: str) -> None:
    """The approved rewards, oldest first (e.g. for payroll)."""
    from kundkit.incentives.run import REWARDS
    from kundkit.plans import parse_period
    from kundkit.staff import all_staff

    within = parse_period(period) if period else None
    with ctx.store.read() as tx:
        names = {s["id"]: s.get("name", "") for s in all_staff(tx)}
        rows = [dict(r) for r in tx.raw(REWARDS).values()
                if (withdrawn or r.get("status") == "approved")
                and (staff_id is None or r.get("staff") == staff_id.strip().lower())
                and (within is None or within.covers(parse_period(r["period"])))]
    rows = [_named(r, names) for r in sorted(rows, key=lambda r: int(r["id"][1:]))]
    columns = [Column("id", "ID"), Column("period", "Period"), Column("status", "Status")]
    render(rows, columns + _reward_columns(ctx), output_format=output_format, table_style=table_style,
           empty=_("No approved rewards."))


@cli.command("schemes")
@output_options
@pass_ctx
def incentive_schemes(ctx: Context, output_format: str, table_style: str) -> None:
    """The registered incentive schemes and how kundkit.yaml uses them."""
    from kundkit.incentives.run import resolve_schemes

    registry = ctx.registry("register_incentive_schemes", "incentive scheme")
    configured = resolve_schemes(ctx)
    rows = [{"label": c.label, "uses": c.uses, "every": c.every,
             "min_audit_score": None if c.min_audit_score is None else str(c.min_audit_score),
             "description": c.description or _(getattr(s, "description", "") or "")}
            for c, s in configured]
    used = {c.uses for c, _s in configured}
    for name, scheme in sorted(registry.items()):
        if name not in used:
            rows.append({"label": None, "uses": name, "every": None, "min_audit_score": None,
                         "description": _(getattr(scheme, "description", "") or "")})
    render(rows, [Column("label", "Configured as"), Column("uses", "Scheme"),
                  Column("every", "Every", show=lambda v: _(v) if v else ""),
                  Column("min_audit_score", "Min. audit", "right"),
                  Column("description", "Description")],
           output_format=output_format, table_style=table_style)
