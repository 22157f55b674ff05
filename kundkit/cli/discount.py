"""``kundkit discount``: each customer's standing, the policies in force, and what other settings
would have cost."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, to_json
from kundkit.context import Context
from kundkit.i18n import _


@group("discount")
def cli() -> None:
    """Discount policies, each customer's standing, and simulations of other settings.

    \b
    Example:
      kundkit discount show K1042
      kundkit discount simulate --policy-file richer.yaml
    """


def _combination_text(describe: dict[str, Any]) -> str:
    if describe["combine"] == "add":
        text = _("Offers add up") + (
            " " + _("to at most {cap} % of the order").format(cap=describe["cap"]) if describe["cap"] else "")
    else:
        text = _("The best offer wins")
    excluded = describe["exclude"]
    parts = []
    if excluded["categories"]:
        parts.append(_("categories {names}").format(names=", ".join(excluded["categories"])))
    if excluded["products"]:
        parts.append(_("products {names}").format(names=", ".join(excluded["products"])))
    if parts:
        text += "; " + _("never discounted: {what}").format(what="; ".join(parts))
    return text + "."


@cli.command("show")
@click.argument("customer_id", metavar="CUSTOMER")
@output_options
@pass_ctx
def discount_show(ctx: Context, customer_id: str, output_format: str, table_style: str) -> None:
    """A customer's standing under each active policy: current level, what the next level needs,
    and when the current one lapses.

    \b
    Example:
      kundkit discount show K1042
    """
    from kundkit.customers import get_customer
    from kundkit.discounts.engine import setup_for, standings
    from kundkit.purchase_store import load_totals
    from kundkit.purchases import history_of

    setup = setup_for(ctx)
    with ctx.store.read() as tx:
        customer = get_customer(tx, customer_id)
        totals = load_totals(tx, customer["id"])
        found = standings(setup, customer=customer, history=history_of(tx, totals), today=ctx.today())
    rows = [s.as_dict() for s in found]
    if output_format == "json":
        click.echo(to_json({"customer": customer["id"], "name": customer.get("name"),
                            "segment": customer.get("segment"), "date": ctx.today().isoformat(),
                            **setup.describe(), "standings": rows}))
        return
    if output_format == "table":
        click.echo(_("{id} {name}, segment {segment}, on {date}. {rule}").format(
            id=customer["id"], name=customer.get("name") or "", segment=customer.get("segment") or "-",
            date=ctx.today().isoformat(), rule=_combination_text(setup.describe())))
        click.echo()
    render(rows, [Column("policy", "Policy"), Column("level", "Level"),
                  Column("next_level", "Next level"), Column("needed", "Needed"),
                  Column("lapses", "Lapses"), Column("explanation", "Explanation")],
           output_format=output_format, table_style=table_style,
           empty=_("No discount policy is active (see discounts: in kundkit.yaml)."))


def _owners(ctx: Context) -> dict[str, str]:
    """Policy name → the plugin that registered it."""
    owners: dict[str, str] = {}
    for impl in ctx.plugins.hook.register_discount_policies.get_hookimpls():
        impl.function(register=lambda policy, _p=impl.plugin_name: owners.setdefault(policy.name, _p))
    return owners


def _settings_text(settings: Any) -> str:
    return json.dumps(settings, ensure_ascii=False, sort_keys=False, default=str) if settings else ""


@cli.command("policies")
@output_options
@pass_ctx
def discount_policies(ctx: Context, output_format: str, table_style: str) -> None:
    """List the discount policies that plugins provide, which are active, and their settings.

    \b
    Example:
      kundkit discount policies
    """
    from kundkit.discounts.engine import setup_for

    setup = setup_for(ctx)
    registry = ctx.registry("register_discount_policies", "discount policy")
    owners = _owners(ctx)
    active = {p.name: p.settings for p in setup.policies}
    order = [p.name for p in setup.policies] + sorted(n for n in registry if n not in active)
    rows = [{"name": name, "active": name in active, "plugin": owners.get(name, ""),
             "description": _(getattr(registry[name], "description", "") or ""),
             "settings": active.get(name)} for name in order]
    if output_format == "json":
        click.echo(to_json({**setup.describe(), "policies": rows}))
        return
    for row in rows:
        row["settings"] = _settings_text(row["settings"])
    render(rows, [Column("name", "Policy"), Column("active", "Active"), Column("plugin", "Plugin"),
                  Column("description", "Description"), Column("settings", "Settings")],
           output_format=output_format, table_style=table_style)
    if output_format == "table":
        click.echo()
        click.echo(_combination_text(setup.describe()))


@cli.command("simulate")
@click.option("--policy-file", "policy_file", required=True,
              type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Other discount settings: a kundkit.yaml, or a file with its discounts: section.")
@click.option("--period", metavar="PERIOD", help="A year, quarter or month (default: the last 365 days).")
@click.option("--from", "first", metavar="YYYY-MM-DD", help="From this date (included).")
@click.option("--to", "last", metavar="YYYY-MM-DD", help="Up to this date (included).")
@output_options
@pass_ctx
def discount_simulate(ctx: Context, policy_file: Path, period: str | None, first: str | None,
                      last: str | None, output_format: str, table_style: str) -> None:
    """What the customers would have received under other discount settings: the total discount
    cost and its effect per customer segment, beside the settings in force and what was granted.

    \b
    Example:
      kundkit discount simulate --policy-file richer.yaml --period 2025
    """
    from kundkit.cli.purchase import _period
    from kundkit.cli.purchase_view import money
    from kundkit.discounts.engine import setup_for, setup_from_file
    from kundkit.discounts.simulate import SegmentEffect, simulate

    start, end = _period(period, first, last)
    end = end or ctx.today() - timedelta(days=1)
    start = start or end - timedelta(days=364)
    current = setup_for(ctx)
    registry = ctx.registry("register_discount_policies", "discount policy")
    other = setup_from_file(policy_file, registry, currency=ctx.config.currency)
    with ctx.store.read() as tx:
        effects = simulate(tx, {"current": current, "simulated": other}, start, end)
    total = SegmentEffect(_("all"))
    for effect in effects:
        total.customers |= effect.customers
        total.sales += effect.sales
        total.gross += effect.gross
        total.recorded += effect.recorded
        for name, amount in effect.discounts.items():
            total.discounts[name] = total.discounts.get(name, 0) + amount
    names = ["current", "simulated"]
    rows = [e.as_dict(names) for e in effects]
    total_row = total.as_dict(names)
    for row in rows + [total_row]:
        row["difference"] = str(total_discount(row, "simulated") - total_discount(row, "current"))
    if output_format == "json":
        click.echo(to_json({"file": str(policy_file), "from": start.isoformat(), "to": end.isoformat(),
                            "segments": rows, "total": total_row}))
        return
    if output_format == "table":
        click.echo(_("Sales from {start} to {end}; simulated settings from {file}.").format(
            start=start.isoformat(), end=end.isoformat(), file=policy_file))
        click.echo()
    cash = money
    render(rows + [total_row] if output_format == "table" else rows,
           [Column("segment", "Segment"), Column("customers", "Customers", "right"),
            Column("sales", "Sales", "right"), Column("gross", "Gross", "right", show=cash),
            Column("recorded", "Granted", "right", show=cash),
            Column("current", "Current rules", "right", show=cash),
            Column("simulated", "Simulated", "right", show=cash),
            Column("difference", "Difference", "right", show=cash)],
           output_format=output_format, table_style=table_style, empty=_("No sales in the period."))


def total_discount(row: dict[str, Any], name: str) -> Any:
    from decimal import Decimal

    return Decimal(row.get(name) or "0")
