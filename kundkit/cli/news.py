"""``kundkit news``: send company news to a group of customers over every channel at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, Progress, output_options, render, render_record, to_json
from kundkit.context import Context
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.sendouts import Plan, Report


@group("news")
def cli() -> None:
    """Send company news to customers.

    Each customer gets the news through the first channel that their consent allows and that
    can reach them, starting from the channel they prefer.

    \b
    Example:
      kundkit news send --template news/december --segment privat --dry-run
      kundkit news send --template news/december --segment privat
      kundkit news retry S1001
    """


def _status(value: Any) -> str:
    return {"send": _("to send"), "sent": _("sent"), "failed": _("failed"),
            "skipped": _("not reached")}.get(str(value), str(value or ""))


def _item_columns() -> list[Column]:
    return [Column("customer", "Customer"), Column("name", "Name"), Column("channel", "Channel"),
            Column("language", "Language"), Column("subject", "Subject"),
            Column("status", "Status", show=_status), Column("detail", "Detail")]


def _summary_columns() -> list[Column]:
    return [Column("channel", "Channel"), Column("sent", "Sent", "right"),
            Column("failed", "Failed", "right"), Column("skipped", "Not reached", "right")]


def _audience_options(func: Any) -> Any:
    options = [
        click.option("--segment", help="Customers of this segment."),
        click.option("--tag", help="Customers with this tag."),
        click.option("--kind", type=click.Choice(["company", "person"]),
                     help="Only companies or only private persons."),
        click.option("--manager", metavar="STAFF", help="Customers of this permanent manager."),
        click.option("--customer", "customers", metavar="ID", multiple=True,
                     help="This customer (repeat for several)."),
        click.option("--all", "everyone", is_flag=True, help="Every customer."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@cli.command("send")
@click.option("--template", metavar="NAME",
              help="The template, e.g. news/december (files templates/news/december.sv.md, "
                   ".en.md).")
@_audience_options
@click.option("--channel", metavar="NAME",
              help="Send through this channel only (default: each customer's preferred channel, "
                   "then channels.order).")
@click.option("--dry-run", is_flag=True, help="Show who would get what through which channel; "
                                              "send nothing.")
@click.option("--again", is_flag=True, help="Start a new send-out even if this one was sent "
                                            "before (everyone gets it again).")
@output_options
@pass_ctx
def news_send(ctx: Context, template: str | None, segment: str | None, tag: str | None,
              kind: str | None, manager: str | None, customers: tuple[str, ...], everyone: bool,
              channel: str | None, dry_run: bool, again: bool, output_format: str,
              table_style: str) -> None:
    """Send news to a group of customers, each through the first channel allowed and possible.

    The template is rendered for every customer before anything is sent: a template error stops
    the send-out with nothing sent. Running the same send-out again sends only to those who have
    not got it yet; failed deliveries are sent again with 'news retry'.

    \b
    Example:
      kundkit news send --template news/december --segment privat --dry-run
      kundkit news send --template news/december --segment bygg --channel letter
    """
    from kundkit.cli.prompt import ask_text
    from kundkit.sendouts import Audience, plan_sendout, run_plan

    if not template:
        template = ask_text(ctx, _("Template (e.g. news/december):"), option="--template")
    audience = Audience(segment=segment, tag=tag, kind=kind, manager=manager,
                        customers=customers, everyone=everyone)
    plan = plan_sendout(ctx, template, audience, channel=channel, again=again)
    if not plan.items and not dry_run:
        click.echo(_("No customers match."), err=True)
        return
    if dry_run:
        _show_plan(plan, output_format, table_style)
        return
    to_send = plan.count("send")
    if not to_send and plan.sendout is not None:
        _nothing_new(plan)
        if not plan.count("skipped"):
            return
    progress = Progress(to_send, _("Sending")) if to_send else None
    report = run_plan(ctx, plan, progress=(lambda done, total: progress.advance(
        done - progress.done)) if progress else None)
    if progress:
        progress.close()
    show_report(report, output_format, table_style)


def _nothing_new(plan: Plan) -> None:
    assert plan.sendout is not None
    click.echo(_("Send-out {id} has reached everyone it can: {sent} sent, {failed} failed "
                 "earlier. Use --again for a new send-out.").format(
        id=plan.sendout["id"], sent=plan.count("sent"), failed=plan.count("failed")), err=True)


def _show_plan(plan: Plan, output_format: str, table_style: str) -> None:
    rows = [item.as_row() for item in plan.items]
    summary: dict[str, dict[str, Any]] = {}
    for item in plan.items:
        if item.status == "send":
            row = summary.setdefault(str(item.channel), {"channel": item.channel, "count": 0})
            row["count"] += 1
    if output_format == "json":
        click.echo(to_json({"sendout": plan.sendout["id"] if plan.sendout else None,
                            "template": plan.template, "marketing": plan.marketing,
                            "dry_run": True, "items": rows,
                            "summary": sorted(summary.values(), key=lambda r: r["channel"])}))
        return
    render(rows, _item_columns(), output_format=output_format, table_style=table_style,
           empty=_("No customers match."))
    if output_format != "table":
        return
    where = plan.sendout["id"] if plan.sendout else _("a new send-out")
    kind = _("marketing") if plan.marketing else _("service message")
    click.echo(_("Dry run of {sendout} ({kind}): {send} to send, {sent} already sent, {failed} "
                 "failed earlier, {skipped} not reached. Nothing was sent.").format(
        sendout=where, kind=kind, send=plan.count("send"), sent=plan.count("sent"),
        failed=plan.count("failed"), skipped=plan.count("skipped")), err=True)
    for row in sorted(summary.values(), key=lambda r: r["channel"]):
        click.echo(_("  {channel}: {count}").format(**row), err=True)


def show_report(report: Report, output_format: str, table_style: str) -> None:
    """What a run of ``news send`` or ``news retry`` did: per channel, then who was not reached."""
    sendout = report.sendout
    rows = [item.as_row() for item in report.items]
    if output_format == "json":
        click.echo(to_json({"sendout": sendout.get("id"), "new": report.new,
                            "status": sendout.get("status"), "summary": report.by_channel(),
                            "already_sent": report.already_sent,
                            "failed_earlier": report.failed_earlier, "items": rows}))
        return
    if output_format == "csv":
        render(rows, _item_columns(), output_format="csv")
        return
    click.echo(_("Send-out {id}: {template} to {audience}").format(
        id=sendout.get("id"), template=sendout.get("template"),
        audience=_audience_text(sendout.get("audience") or {})))
    render(report.by_channel(), _summary_columns(), output_format="table",
           table_style=table_style, empty=_("Nothing was sent."))
    unreached = [item.as_row() for item in report.unreached()]
    if unreached:
        click.echo("")
        click.echo(_("Not reached:"))
        render(unreached, [Column("customer", "Customer"), Column("name", "Name"),
                           Column("channel", "Channel"), Column("status", "Status", show=_status),
                           Column("detail", "Why")],
               output_format="table", table_style=table_style)
    _hints(report)


def _audience_text(audience: dict[str, Any]) -> str:
    from kundkit.sendouts import Audience

    return Audience.from_dict(audience).describe()


def _hints(report: Report) -> None:
    sendout_id = report.sendout.get("id")
    letters = sorted({str(item.delivery.provider_id).split("#")[0] for item in report.items
                      if item.delivery and item.status == "sent" and item.channel == "letter"
                      and item.delivery.provider_id})
    for name in letters:
        click.echo(_("Letters to print: {file}").format(file=name), err=True)
    calls = sum(1 for item in report.items if item.channel == "phone" and item.status == "sent")
    if calls:
        click.echo(_("Customers to call: {n} (kundkit contact calls --sendout {id})").format(
            n=calls, id=sendout_id), err=True)
    if any(item.status == "failed" for item in report.items):
        click.echo(_("Send the failed ones again with: kundkit news retry {id}").format(
            id=sendout_id), err=True)
    if report.sendout.get("status") == "stopped":
        click.echo(_("The send-out stopped: {error}").format(error=report.sendout.get("error")),
                   err=True)


@cli.command("retry")
@click.argument("sendout_id", metavar="ID")
@output_options
@pass_ctx
def news_retry(ctx: Context, sendout_id: str, output_format: str, table_style: str) -> None:
    """Send the failed deliveries of a send-out again, through the same channels.

    Consent and the customers' addresses are checked again first: a customer who has withdrawn
    consent since is not sent to.
    """
    from kundkit.sendouts import plan_retry, run_plan

    plan = plan_retry(ctx, sendout_id)
    if not plan.items:
        click.echo(_("Send-out {id} has no failed deliveries to retry.").format(
            id=plan.sendout["id"] if plan.sendout else sendout_id), err=True)
        return
    to_send = plan.count("send")
    progress = Progress(to_send, _("Sending")) if to_send else None
    report = run_plan(ctx, plan, progress=(lambda done, total: progress.advance(
        done - progress.done)) if progress else None)
    if progress:
        progress.close()
    show_report(report, output_format, table_style)


def _sendout_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        totals = {"sent": 0, "failed": 0, "skipped": 0}
        for per in (record.get("counts") or {}).values():
            for status, n in per.items():
                totals[status] = totals.get(status, 0) + n
        rows.append({**record, **totals,
                     "audience_text": _audience_text(record.get("audience") or {})})
    return rows


def _sendout_status(value: Any) -> str:
    return {"done": _("done"), "sending": _("sending"), "stopped": _("stopped")}.get(
        str(value), str(value or ""))


@cli.command("list")
@output_options
@pass_ctx
def news_list(ctx: Context, output_format: str, table_style: str) -> None:
    """List the send-outs with what each reached."""
    from kundkit.sendouts import list_sendouts

    with ctx.store.read() as tx:
        records = list_sendouts(tx)
    render(_sendout_rows(records),
           [Column("id", "ID"), Column("created_at", "Created", show=lambda v: str(v or "")[:16]),
            Column("template", "Template"), Column("audience_text", "To"),
            Column("marketing", "Marketing"), Column("sent", "Sent", "right"),
            Column("failed", "Failed", "right"), Column("skipped", "Not reached", "right"),
            Column("status", "Status", show=_sendout_status)],
           output_format=output_format, table_style=table_style, empty=_("No send-outs yet."))


@cli.command("show")
@click.argument("sendout_id", metavar="ID")
@output_options
@pass_ctx
def news_show(ctx: Context, sendout_id: str, output_format: str, table_style: str) -> None:
    """Show a send-out and what happened to each customer's message."""
    from kundkit.customers import iter_customers
    from kundkit.interactions import sendout_interactions
    from kundkit.sendouts import get_sendout

    with ctx.store.read() as tx:
        record = get_sendout(tx, sendout_id)
        messages = sendout_interactions(tx, record["id"], record["partition"])
        names = {str(r.get("id")): r.get("name") for r in iter_customers(tx)}
    rows = [{**m, "name": names.get(m["customer"])} for m in messages]
    if output_format == "json":
        click.echo(to_json({**record, "messages": rows}))
        return
    if output_format == "table":
        row = _sendout_rows([record])[0]
        fields = [Column("id", "ID"), Column("template", "Template"),
                  Column("audience_text", "To"), Column("channel", "Channel"),
                  Column("marketing", "Marketing"), Column("created_at", "Created"),
                  Column("created_by", "Created by"),
                  Column("status", "Status", show=_sendout_status), Column("sent", "Sent"),
                  Column("failed", "Failed"), Column("skipped", "Not reached"),
                  Column("error", "Error")]
        render_record(row, [f for f in fields if row.get(f.key) not in (None, "")],
                      output_format="table", table_style="plain")
        click.echo("")
    render(rows, [Column("id", "Interaction"), Column("customer", "Customer"),
                  Column("name", "Name"), Column("channel", "Channel"),
                  Column("status", "Status", show=_status), Column("attempts", "Attempts", "right"),
                  Column("detail", "Detail")],
           output_format=output_format, table_style=table_style, empty=_("No messages yet."))
