"""``kundkit plan``: the organisation's and each seller's sales target per month, quarter or year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import KundkitCommand, group, pass_ctx
from kundkit.cli.output import Column, output_options, render, to_json
from kundkit.context import Context
from kundkit.errors import UsageError, ValidationError
from kundkit.i18n import _

PERIOD_HELP = "A month (2026-11), a quarter (2026-Q4) or a year (2026)."


@group("plan")
def cli() -> None:
    """Sales plans: the organisation's and each seller's target per period.

    \b
    A target that is not set is worked out: a quarter's as the sum of its months, a month's as
    its share of the quarter's or year's target.

    \b
    Example:
      kundkit plan set --period 2026-11 --target 500000 --staff anna --target 120000
      kundkit plan show --period 2026-Q4
    """


class _PairedTargets(KundkitCommand):
    """Keeps the order of ``--staff`` and ``--target`` as typed, so that each ``--target`` after a
    ``--staff S`` is S's, and one before any ``--staff`` is the organisation's."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        order: list[tuple[str, str]] = []
        tokens = list(args)
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token == "--":
                break
            for name in ("--staff", "--target"):
                if token == name and i + 1 < len(tokens):
                    order.append((name, tokens[i + 1]))
                    i += 1
                elif token.startswith(name + "="):
                    order.append((name, token.split("=", 1)[1]))
            i += 1
        ctx.meta["kundkit.plan.order"] = order
        return super().parse_args(ctx, args)


def _pairs(order: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]]:
    organisation: str | None = None
    pending: str | None = None
    staff: list[tuple[str, str]] = []
    for name, value in order:
        if name == "--staff":
            if pending is not None:
                raise UsageError(_("--staff {staff} needs a --target after it").format(staff=pending))
            pending = value
        elif pending is not None:
            staff.append((pending, value))
            pending = None
        elif organisation is None:
            organisation = value
        else:
            raise UsageError(_("two targets for the organisation; give each staff member's target "
                               "after --staff STAFF"))
    if pending is not None:
        raise UsageError(_("--staff {staff} needs a --target after it").format(staff=pending))
    return organisation, staff


def _from_file(path: Path) -> tuple[str | None, list[tuple[str, str]]]:
    """A CSV file with the columns ``staff`` and ``target``; an empty staff cell is the
    organisation's target."""
    import csv

    organisation = None
    staff = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"staff", "target"} <= set(reader.fieldnames):
            raise ValidationError(_("{file}: needs the columns staff and target").format(file=path),
                                  field="file")
        for line, row in enumerate(reader, start=2):
            who, amount = (row.get("staff") or "").strip(), (row.get("target") or "").strip()
            if not amount:
                raise ValidationError(_("{file}:{line}: the target is empty").format(file=path, line=line),
                                      field="target")
            if who:
                staff.append((who, amount))
            elif organisation is None:
                organisation = amount
            else:
                raise ValidationError(_("{file}:{line}: a second target for the organisation").format(
                    file=path, line=line), field="target")
    return organisation, staff


@cli.command("set", cls=_PairedTargets)
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@click.option("--target", "targets", multiple=True, metavar="AMOUNT",
              help="The organisation's target; after --staff S, S's personal target.")
@click.option("--staff", "staff", multiple=True, metavar="STAFF",
              help="A staff member whose personal target follows as --target (repeatable).")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the targets from a CSV file with the columns staff,target (an empty staff "
                   "cell is the organisation's).")
@pass_ctx
def plan_set(ctx: Context, period: str | None, targets: tuple[str, ...], staff: tuple[str, ...],
             file: Path | None) -> None:
    """Set the targets of a period (personal targets already set for others stay)."""
    from kundkit.cli.prompt import ask_text
    from kundkit.plans import parse_period, parse_target, set_plan

    order = click.get_current_context().meta.get("kundkit.plan.order", [])
    organisation, people = _pairs(order)
    if file is not None:
        if targets or staff:
            raise UsageError(_("give the targets either as options or in --file, not both"))
        organisation, people = _from_file(file)
    if period is None:
        period = ask_text(ctx, _("Period (2026-11, 2026-Q4 or 2026):"), option="--period",
                          check=parse_period)
    if organisation is None and not people:
        organisation = ask_text(ctx, _("The organisation's target:"), option="--target",
                                check=lambda text: parse_target(text, ctx.config.currency))
    which = parse_period(period)
    currency = ctx.config.currency
    total = parse_target(organisation, currency) if organisation is not None else None
    personal: dict[str, Any] = {}
    for who, amount in people:
        personal[who] = parse_target(amount, currency, f"--target ({who})")
    with ctx.store.transaction() as tx:
        set_plan(ctx, tx, which, target=total, staff_targets=personal)
    click.echo(_("Plan for {period} saved.").format(period=which), err=True)


def _target_rows(ctx: Context, period: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The resolved targets of ``period`` and their rows (the organisation first)."""
    from kundkit.contribution import describe_source
    from kundkit.money import money_str
    from kundkit.plans import resolve_targets
    from kundkit.staff import all_staff

    currency = ctx.config.currency
    with ctx.store.read() as tx:
        targets = resolve_targets(tx, period, currency)
        names = {s["id"]: s.get("name", "") for s in all_staff(tx)}
    found = ([(None, _("(organisation)"), targets.organisation)] if targets.organisation else []) + [
        (who, names.get(who, ""), target) for who, target in targets.staff.items()]
    rows = [{"staff": who, "name": name, "target": money_str(target.amount, currency),
             "source": target.source, "basis": target.basis,
             "how": describe_source(target.source if target.basis is None
                                    else f"{target.source}:{target.basis}")}
            for who, name, target in found]
    return targets, rows


def _money_cell(ctx: Context) -> Any:
    from decimal import Decimal

    from kundkit.incentives.text import show_money

    currency = ctx.config.currency
    return lambda value: "" if value is None else show_money(Decimal(value), currency)


@cli.command("show")
@click.option("--period", metavar="PERIOD", help=PERIOD_HELP)
@output_options
@pass_ctx
def plan_show(ctx: Context, period: str | None, output_format: str, table_style: str) -> None:
    """The targets of a period, set or worked out, and how each was found."""
    from decimal import Decimal

    from kundkit.cli.prompt import ask_text
    from kundkit.incentives.text import show_money, show_ratio
    from kundkit.plans import parse_period

    if period is None:
        period = ask_text(ctx, _("Period (2026-11, 2026-Q4 or 2026):"), option="--period",
                          check=parse_period)
    which = parse_period(period)
    targets, rows = _target_rows(ctx, which)
    if output_format == "json":
        click.echo(to_json({"period": str(which), "targets": rows}))
        return
    render(rows, [Column("staff", "Staff"), Column("name", "Name"),
                  Column("target", "Target", "right", _money_cell(ctx)), Column("how", "How")],
           output_format=output_format, table_style=table_style,
           empty=_("No target for {period}: set one with 'kundkit plan set'.").format(period=which))
    if output_format == "table" and targets.organisation is not None and targets.staff:
        personal = sum((t.amount for t in targets.staff.values()), Decimal(0))
        click.echo(_("Personal targets add up to {sum}, {share} of the organisation's.").format(
            sum=show_money(personal, ctx.config.currency),
            share=show_ratio(personal / targets.organisation.amount)), err=True)


@cli.command("list")
@output_options
@pass_ctx
def plan_list(ctx: Context, output_format: str, table_style: str) -> None:
    """Every plan that was set, in calendar order."""
    from decimal import Decimal

    from kundkit.money import money_str
    from kundkit.plans import list_plans, parse_period

    currency = ctx.config.currency
    with ctx.store.read() as tx:
        records = list_plans(tx)
    rows = []
    for record in records:
        personal = record.get("staff", {})
        rows.append({"period": record["period"], "kind": parse_period(record["period"]).kind,
                     "target": record.get("target"), "staff_targets": len(personal),
                     "staff_sum": money_str(sum((Decimal(v) for v in personal.values()), Decimal(0)),
                                            currency) if personal else None,
                     "staff": personal, "updated_at": record.get("updated_at"),
                     "updated_by": record.get("updated_by")})
    kinds = {"month": _("month"), "quarter": _("quarter"), "year": _("year")}
    render(rows, [Column("period", "Period"), Column("kind", "Kind", show=lambda k: kinds.get(k, k)),
                  Column("target", "Target", "right", _money_cell(ctx)),
                  Column("staff_targets", "Personal targets", "right"),
                  Column("staff_sum", "Sum of personal", "right", _money_cell(ctx))],
           output_format=output_format, table_style=table_style,
           empty=_("No plans yet: set one with 'kundkit plan set --period 2026-11 --target 500000'."))


@cli.command("remove")
@click.option("--period", metavar="PERIOD", required=True, help=PERIOD_HELP)
@click.option("--staff", "staff", multiple=True, metavar="STAFF",
              help="Remove only this staff member's personal target (repeatable).")
@pass_ctx
def plan_remove(ctx: Context, period: str, staff: tuple[str, ...]) -> None:
    """Remove the plan of a period, or some personal targets in it."""
    from kundkit.plans import parse_period, remove_plan

    which = parse_period(period)
    with ctx.store.transaction() as tx:
        remove_plan(ctx, tx, which, staff=[s.strip().lower() for s in staff])
    click.echo(_("Plan for {period} changed.").format(period=which) if staff
               else _("Plan for {period} removed.").format(period=which), err=True)
