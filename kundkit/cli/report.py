"""``kundkit report``: the owner's reports, as tables, JSON, CSV or self-contained HTML pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import output_options
from kundkit.context import Context
from kundkit.i18n import _


@group("report")
def cli() -> None:
    """Reports: plan attainment, customer economics, forecast, feedback, trends.

    \b
    Every report takes --period (2026, 2026-Q4, 2026-11) or --since/--until, --segment and
    --manager, --format table|json|csv, and --html FILE for a page to open or print.

    \b
    Example:
      kundkit report customers --top 10
      kundkit report plan --period 2026-11
      kundkit report dashboard --html nordbygg.html
    """


def report_options(default: str = "all") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The options every report shares (``window`` and ``filters`` reach the command ready)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        func = output_options(func)
        func = click.option("--html", "html", type=click.Path(dir_okay=False, path_type=Path),
                            metavar="FILE",
                            help="Write the report as a self-contained HTML page to FILE.")(func)
        func = click.option("--manager", metavar="STAFF",
                            help="Only customers whose permanent manager is STAFF.")(func)
        func = click.option("--segment", metavar="SEGMENT",
                            help="Only customers of SEGMENT.")(func)
        func = click.option("--until", metavar="DATE",
                            help="The last day of the report (default: today).")(func)
        func = click.option("--since", metavar="DATE", help="The first day of the report.")(func)
        func = click.option("--period", metavar="PERIOD",
                            help="A year (2026), quarter (2026-Q4), month (2026-11) or day.")(func)
        return func

    return decorate


def _scope(ctx: Context, period: str | None, since: str | None, until: str | None,
           segment: str | None, manager: str | None, default: str = "all") -> tuple[Any, Any]:
    from kundkit.reports.common import check_filters, parse_window

    window = parse_window(ctx.today(), period=period, since=since, until=until, default=default)
    with ctx.store.read() as tx:
        filters = check_filters(ctx, tx, segment, manager)
    return window, filters


def _write_html(ctx: Context, path: Path, page: str) -> None:
    from kundkit.reports.html import write_page

    write_page(path, page)
    click.echo(_("Wrote {file}").format(file=path), err=True)


def _emit(ctx: Context, report: Any, output_format: str, table_style: str, html: Path | None,
          table: Callable[[Any, str], str], csv_rows: Callable[[Any], tuple[list[Any], list[str]]],
          page: Callable[[Context, Any], str]) -> None:
    """Print a report in the format asked for, or write its HTML page."""
    from kundkit.cli.output import to_json, write_csv

    if html is not None:
        _write_html(ctx, html, page(ctx, report))
        return
    if output_format == "json":
        click.echo(to_json(report.as_dict()))
    elif output_format == "csv":
        rows, keys = csv_rows(report)
        import sys

        write_csv(rows, keys, sys.stdout)
    else:
        click.echo(table(report, table_style), nl=False)


@cli.command("customers")
@report_options()
@click.option("--sort", "sort", default="contribution", show_default=True, metavar="KEY",
              help="contribution, revenue, per-year, margin, discounts, serving, trend, rfm, first, "
                   "last, tenure, customer or name.")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the first N customers.")
@pass_ctx
def report_customers(ctx: Context, period: str | None, since: str | None, until: str | None,
                     segment: str | None, manager: str | None, html: Path | None,
                     output_format: str, table_style: str, sort: str, top: int | None) -> None:
    """The economics of each customer: revenue, margin, cost of serving, contribution, RFM.

    Revenue is net of discounts and credit notes; the gross margin counts the products with a
    unit cost; the cost of serving uses the unit costs under reports.costs in kundkit.yaml; the
    trend compares the last twelve months with the twelve before.
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.customers import customer_report
    from kundkit.reports.html import customers_page

    window, filters = _scope(ctx, period, since, until, segment, manager)
    report = customer_report(ctx, window, filters, sort=sort, top=top)
    _emit(ctx, report, output_format, table_style, html, view.customers_text, view.customers_csv,
          customers_page)


@cli.command("plan")
@report_options(default="month")
@pass_ctx
def report_plan(ctx: Context, period: str | None, since: str | None, until: str | None,
                segment: str | None, manager: str | None, html: Path | None,
                output_format: str, table_style: str) -> None:
    """Sales, weighted sales, attainment and contribution to the plan, per seller.

    The period defaults to this month. Weighted sales are each line's net times the product's
    weight; the key products' share is their part of the weighted sales.
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.html import plan_page
    from kundkit.reports.plan import plan_report

    window, filters = _scope(ctx, period, since, until, segment, manager, default="month")
    report = plan_report(ctx, window, filters)
    _emit(ctx, report, output_format, table_style, html, view.plan_text, view.plan_csv, plan_page)


@cli.command("forecast")
@report_options()
@click.option("--days", type=click.IntRange(min=1), metavar="N",
              help="Forecast the purchases of the next N days (default: reports.forecast."
                   "horizon_days, 90).")
@click.option("--top", type=click.IntRange(min=1), metavar="N", help="Only the first N customers.")
@pass_ctx
def report_forecast(ctx: Context, period: str | None, since: str | None, until: str | None,
                    segment: str | None, manager: str | None, html: Path | None,
                    output_format: str, table_style: str, days: int | None, top: int | None) -> None:
    """Each customer's expected purchases and the chance that they are still a customer.

    The BG/NBD model is fitted to the store's purchase history (one purchase per customer and
    day) up to --until. Customers slipping away come first: call them. Needs numpy and scipy
    (pip install 'kundkit[forecast]').
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.forecast import forecast_report
    from kundkit.reports.html import forecast_page

    window, filters = _scope(ctx, period, since, until, segment, manager)
    report = forecast_report(ctx, window, filters, days=days, top=top)
    _emit(ctx, report, output_format, table_style, html, view.forecast_text, view.forecast_csv,
          forecast_page)


@cli.command("followups")
@report_options()
@pass_ctx
def report_followups(ctx: Context, period: str | None, since: str | None, until: str | None,
                     segment: str | None, manager: str | None, html: Path | None,
                     output_format: str, table_style: str) -> None:
    """Key-product sales and whether their consultation was done in time, late or not at all.

    Per manager, with the sales whose consultation was late or missed. The share in time counts
    the consultations that are due; those still open and not yet due are pending.
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.followups import followups_report
    from kundkit.reports.html import followups_page

    window, filters = _scope(ctx, period, since, until, segment, manager)
    report = followups_report(ctx, window, filters)
    _emit(ctx, report, output_format, table_style, html, view.followups_text, view.followups_csv,
          followups_page)


@cli.command("feedback")
@report_options()
@pass_ctx
def report_feedback(ctx: Context, period: str | None, since: str | None, until: str | None,
                    segment: str | None, manager: str | None, html: Path | None,
                    output_format: str, table_style: str) -> None:
    """Feedback received: counts, deadlines met, response times, open and overdue, satisfaction.

    Counts by kind, category, segment and status; the share answered and resolved within the
    deadline; median and 90th percentile of the open time to the first response and to the
    resolution; the items overdue now; the customers' satisfaction.
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.feedback import feedback_report
    from kundkit.reports.html import feedback_page

    window, filters = _scope(ctx, period, since, until, segment, manager)
    report = feedback_report(ctx, window, filters)
    _emit(ctx, report, output_format, table_style, html, view.feedback_text, view.feedback_csv,
          feedback_page)


@cli.command("trends")
@report_options()
@click.option("--periods", type=click.IntRange(min=2), metavar="N",
              help="Months of history, the latest included (default: reports.trends.periods, 12; "
                   "with --since: the months from it).")
@pass_ctx
def report_trends(ctx: Context, period: str | None, since: str | None, until: str | None,
                  segment: str | None, manager: str | None, html: Path | None,
                  output_format: str, table_style: str, periods: int | None) -> None:
    """What each segment is starting to ask for: rising feedback, products and words.

    For every segment, the feedback categories, product categories and words of feedback texts
    whose count in the latest month rises above their own history (an exact Poisson rate test,
    corrected for testing many at once), strongest first, each with its counts per month.
    """
    from kundkit.cli import report_view as view
    from kundkit.reports.html import trends_page
    from kundkit.reports.trends import find_rising

    window, filters = _scope(ctx, period, since, until, segment, manager)
    report = find_rising(ctx, window, filters, periods=periods)
    _emit(ctx, report, output_format, table_style, html, view.trends_text, view.trends_csv,
          trends_page)


@cli.command("dashboard")
@click.option("--period", metavar="PERIOD",
              help="A year (2026), quarter (2026-Q4), month (2026-11) or day.")
@click.option("--since", metavar="DATE", help="The first day of the report.")
@click.option("--until", metavar="DATE", help="The last day of the report (default: today).")
@click.option("--segment", metavar="SEGMENT", help="Only customers of SEGMENT.")
@click.option("--manager", metavar="STAFF", help="Only customers whose permanent manager is STAFF.")
@click.option("--top", type=click.IntRange(min=1), metavar="N",
              help="Only the first N customers in the customer and forecast tables.")
@click.option("--html", "html", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="FILE", help="Write the dashboard as a self-contained HTML page to FILE.")
@pass_ctx
def report_dashboard(ctx: Context, period: str | None, since: str | None, until: str | None,
                     segment: str | None, manager: str | None, top: int | None,
                     html: Path) -> None:
    """Every report on one self-contained HTML page, to open in a browser or print.

    Without a period each report takes its own default: the plan this month, the trends the last
    twelve months, the others the whole history.
    """
    from kundkit.reports.common import check_filters, parse_window
    from kundkit.reports.dashboard import build_dashboard
    from kundkit.reports.html import dashboard_page

    parse_window(ctx.today(), period=period, since=since, until=until)  # refuse a bad one at once
    with ctx.store.read() as tx:
        filters = check_filters(ctx, tx, segment, manager)
    board = build_dashboard(ctx, filters, period=period, since=since, until=until, top=top)
    for name, reason in board.failures.items():
        click.echo(_("{report}: {reason}").format(report=name, reason=reason), err=True)
    _write_html(ctx, html, dashboard_page(ctx, board))
