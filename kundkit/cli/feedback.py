"""``kundkit feedback``: complaints, claims, suggestions and comments, each on a deadline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, render_record
from kundkit.context import Context
from kundkit.feedback import kind_label, status_label
from kundkit.i18n import _

KIND_CHOICES = ("complaint", "claim", "suggestion", "comment")
STATUS_CHOICES = ("new", "acknowledged", "in-progress", "waiting", "resolved", "closed", "rejected")


@group("feedback")
def cli() -> None:
    """Complaints, claims, suggestions and comments, on a deadline.

    \b
    Example:
      kundkit --as anna feedback add --customer K1001 --kind complaint --category leverans \\
          --text "The drill arrived without its charger" --channel phone
      kundkit feedback list --overdue
      kundkit --as anna feedback respond F1001 --text "A charger is on its way" --via phone
    """


def moment(value: Any) -> str:
    """An ISO date and time as a person reads it: ``2026-11-20 14:00``."""
    text = str(value or "")
    return text[:16].replace("T", " ") if text else ""


def _due(row: dict[str, Any]) -> str:
    if row.get("overdue"):
        return _("OVERDUE since {when}").format(when=moment(row.get("next_due")) or "?")
    return moment(row.get("next_due"))


def _columns() -> list[Column]:
    return [Column("id", "ID"), Column("customer", "Customer"), Column("kind", "Kind", show=kind_label),
            Column("category", "Category"), Column("priority", "Priority"),
            Column("status", "Status", show=status_label), Column("assignee", "Handled by"),
            Column("received_at", "Came in", show=moment), Column("due", "Next due")]


def _rows(ctx: Context, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from kundkit.feedback import with_deadlines

    now = ctx.now()
    out = []
    for record in records:
        row = with_deadlines(ctx, record, now)
        row["due"] = _due(row)
        out.append(row)
    return out


def _echo_deadlines(ctx: Context, record: dict[str, Any]) -> None:
    from kundkit.feedback import deadlines_of

    clocks = deadlines_of(ctx, record)
    for name, clock in clocks.clocks():
        label = _("first response") if name == "first_response" else _("resolution")
        if clock.stopped_at is not None:
            state = _("met") if clock.met else _("late")
            click.echo(_("  {label}: {state} ({when})").format(label=label, state=state,
                                                               when=moment(clock.stopped_at.isoformat())),
                       err=True)
        elif clock.paused:
            click.echo(_("  {label}: paused while waiting for the customer").format(label=label),
                       err=True)
        elif clock.due is not None and clock.overdue:
            click.echo(_("  {label}: OVERDUE since {due}").format(
                label=label, due=moment(clock.due.isoformat())), err=True)
        elif clock.due is not None:
            click.echo(_("  {label}: due {due}").format(label=label, due=moment(clock.due.isoformat())),
                       err=True)


@cli.command("add")
@click.option("--customer", metavar="ID", help="The customer it comes from.")
@click.option("--kind", type=click.Choice(KIND_CHOICES), help="What it is.")
@click.option("--category", help="A category from the feedback section of kundkit.yaml.")
@click.option("--text", help="What the customer said.")
@click.option("--purchase", metavar="ID", help="The purchase it concerns.")
@click.option("--channel", help="The channel it came through (phone, email, ...).")
@click.option("--priority", help="A priority from kundkit.yaml (default: its default_priority).")
@click.option("--assignee", metavar="STAFF", help="Who handles it (default: the customer's manager).")
@click.option("--received-at", "received_at", metavar="WHEN",
              help="When it came in, YYYY-MM-DD HH:MM (default: now).")
@pass_ctx
def feedback_add(ctx: Context, customer: str | None, kind: str | None, category: str | None,
                 text: str | None, purchase: str | None, channel: str | None,
                 priority: str | None, assignee: str | None, received_at: str | None) -> None:
    """Register a complaint, claim, suggestion or comment; prints its id."""
    from kundkit.cli.prompt import ask_choice, ask_text
    from kundkit.feedback import register_feedback
    from kundkit.feedback_settings import feedback_settings

    settings = feedback_settings(ctx)
    if not customer:
        customer = ask_text(ctx, _("Customer (id)?"), option="--customer")
    if not kind:
        kind = ask_choice(ctx, _("What is it?"), [(k, kind_label(k)) for k in KIND_CHOICES],
                          option="--kind")
    if not category and settings.categories and not ctx.no_input:
        # A category helps the reports, but an item without one is still worth registering.
        category = ask_choice(ctx, _("Category?"), settings.categories, option="--category")
    if not text:
        text = ask_text(ctx, _("What did the customer say?"), option="--text")
    record = register_feedback(ctx, {"customer": customer, "kind": kind, "category": category,
                                     "text": text, "purchase": purchase, "channel": channel,
                                     "priority": priority, "assignee": assignee,
                                     "received_at": received_at})
    click.echo(record["id"])
    click.echo(_("Registered {id}: {kind} from {customer}, assigned to {assignee}.").format(
        id=record["id"], kind=kind_label(record["kind"]), customer=record["customer"],
        assignee=record.get("assignee") or _("nobody")), err=True)
    _echo_deadlines(ctx, record)


@cli.command("list")
@click.option("--status", type=click.Choice(STATUS_CHOICES), help="Only items with this status.")
@click.option("--all", "include_done", is_flag=True, help="Resolved, closed and rejected items too.")
@click.option("--kind", type=click.Choice(KIND_CHOICES), help="Only this kind.")
@click.option("--category", help="Only this category.")
@click.option("--customer", metavar="ID", help="Only this customer's items.")
@click.option("--assignee", metavar="STAFF", help="Only this staff member's items.")
@click.option("--mine", is_flag=True, help="Only the acting staff member's items (--as).")
@click.option("--overdue", is_flag=True, help="Only items past a deadline.")
@click.option("--due-within", "due_within", metavar="DURATION",
              help="Only items with a deadline within this much open time, e.g. 4h or 2d "
                   "(overdue ones included).")
@output_options
@pass_ctx
def feedback_list(ctx: Context, status: str | None, include_done: bool, kind: str | None,
                  category: str | None, customer: str | None, assignee: str | None, mine: bool,
                  overdue: bool, due_within: str | None, output_format: str,
                  table_style: str) -> None:
    """List feedback, open items by default, oldest first."""
    from kundkit.feedback import is_due_within, is_overdue, list_feedback, parse_window

    if mine:
        assignee = ctx.require_actor()
    window = parse_window(ctx, due_within) if due_within else None
    with ctx.store.read() as tx:
        records = list_feedback(tx, status=status, kind=kind, customer=customer, assignee=assignee,
                                category=category, include_done=include_done)
    now = ctx.now()
    if overdue:
        records = [r for r in records if is_overdue(ctx, r, now)]
    if window is not None:
        records = [r for r in records if is_due_within(ctx, r, window, now)]
    rows = _rows(ctx, records)
    columns = _columns()
    if output_format != "table":
        # Scripts get the moment and the flag, not the sentence a person reads.
        rows = [{k: v for k, v in row.items() if k != "due"} for row in rows]
        columns = columns[:-1] + [Column("next_due", "Next due"), Column("overdue", "Overdue")]
    render(rows, columns, output_format=output_format, table_style=table_style,
           empty=_("No feedback."))


@cli.command("show")
@click.argument("feedback_id", metavar="ID")
@output_options
@pass_ctx
def feedback_show(ctx: Context, feedback_id: str, output_format: str, table_style: str) -> None:
    """Show an item of feedback: its details, deadlines, answers and history."""
    from kundkit.feedback import get_feedback, with_deadlines

    with ctx.store.read() as tx:
        record = get_feedback(tx, feedback_id)
    row = with_deadlines(ctx, record)
    if output_format == "json":
        render_record(row, [], output_format="json")
        return
    clocks = row["deadlines"]

    def clock(name: str) -> str:
        entry = clocks.get(name)
        if entry is None:
            return _("no deadline")
        if entry["stopped_at"]:
            return (_("met") if entry["met"] else _("late")) + f" ({moment(entry['stopped_at'])})"
        if entry["paused"]:
            return _("paused while waiting for the customer")
        text = moment(entry["due"])
        return _("OVERDUE since {when}").format(when=text) if entry["overdue"] else text

    row["first_response_due"] = clock("first_response")
    row["resolution_due"] = clock("resolution")
    compensation = row.get("compensation")
    if compensation:
        row["compensation_text"] = (f"{compensation['type']} {compensation['percent']}%"
                                    if "percent" in compensation else
                                    f"{compensation['type']} {compensation['amount']} "
                                    f"{compensation.get('currency', '')}".rstrip())
    fields = [Column("id", "ID"), Column("customer", "Customer"), Column("kind", "Kind", show=kind_label),
              Column("category", "Category"), Column("priority", "Priority"),
              Column("status", "Status", show=status_label), Column("assignee", "Handled by"),
              Column("channel", "Came through"), Column("purchase", "Purchase"),
              Column("received_at", "Came in", show=moment), Column("text", "Text"),
              Column("first_response_at", "First response", show=moment),
              Column("first_response_due", "First response due"),
              Column("resolution_due", "Resolution due"), Column("resolution", "Resolution"),
              Column("compensation_text", "Compensation"), Column("satisfaction", "Satisfaction")]
    render_record(row, fields, output_format=output_format,
                  table_style=table_style if table_style != "simple" else "plain")
    if output_format != "table":
        return
    if record.get("responses"):
        click.echo("")
        click.echo(_("Answers:"))
        for answer in record["responses"]:
            via = f" ({answer['via']})" if answer.get("via") else ""
            click.echo(f"  {moment(answer['at'])} {answer.get('by') or '-'}{via}: {answer['text']}")
    click.echo("")
    click.echo(_("History:"))
    for entry in record.get("history", []):
        note = f": {entry['note']}" if entry.get("note") else ""
        click.echo(f"  {moment(entry['at'])} {status_label(entry['status'])} "
                   f"({entry.get('by') or '-'}){note}")


def _changed(record: dict[str, Any], message: str) -> None:
    click.echo(message.format(id=record["id"], status=status_label(record["status"])), err=True)


@cli.command("respond")
@click.argument("feedback_id", metavar="ID")
@click.option("--text", help="The answer given to the customer.")
@click.option("--via", help="The channel the answer went through (phone, email, ...).")
@click.option("--status", type=click.Choice(["acknowledged", "in-progress", "waiting"]),
              help="The status after the answer (default: acknowledged for a new item).")
@pass_ctx
def feedback_respond(ctx: Context, feedback_id: str, text: str | None, via: str | None,
                     status: str | None) -> None:
    """Record an answer to the customer; the first one stops the first-response clock."""
    from kundkit.cli.prompt import ask_text
    from kundkit.feedback import respond

    if not text:
        text = ask_text(ctx, _("What was the customer told?"), option="--text")
    with ctx.store.transaction() as tx:
        record = respond(ctx, tx, feedback_id, text=text, via=via, status=status)
    _changed(record, _("{id}: answered; now {status}."))


@cli.command("status")
@click.argument("feedback_id", metavar="ID")
@click.argument("status", type=click.Choice(["acknowledged", "in-progress", "waiting"]))
@click.option("--note", help="Why (kept in the history).")
@pass_ctx
def feedback_status(ctx: Context, feedback_id: str, status: str, note: str | None) -> None:
    """Set the status of an open item; 'waiting' (for the customer) pauses the resolution clock."""
    from kundkit.feedback import set_status

    with ctx.store.transaction() as tx:
        record = set_status(ctx, tx, feedback_id, status, note=note)
    _changed(record, _("{id}: now {status}."))


@cli.command("assign")
@click.argument("feedback_id", metavar="ID")
@click.argument("assignee", metavar="STAFF")
@pass_ctx
def feedback_assign(ctx: Context, feedback_id: str, assignee: str) -> None:
    """Give an item to a staff member."""
    from kundkit.feedback import assign

    with ctx.store.transaction() as tx:
        record = assign(ctx, tx, feedback_id, assignee)
    click.echo(_("{id}: assigned to {assignee}.").format(id=record["id"], assignee=record["assignee"]),
               err=True)


@cli.command("resolve")
@click.argument("feedback_id", metavar="ID")
@click.option("--resolution", help="What was done (or why the item is rejected).")
@click.option("--compensation", metavar="TEXT",
              help="'credit 500', 'discount 10%' or 'discount 200' (kredit/rabatt work too).")
@click.option("--reject", is_flag=True, help="Reject the item instead of resolving it.")
@pass_ctx
def feedback_resolve(ctx: Context, feedback_id: str, resolution: str | None,
                     compensation: str | None, reject: bool) -> None:
    """Resolve (or reject) an item, with any compensation to the customer."""
    from kundkit.cli.prompt import ask_text
    from kundkit.feedback import resolve

    if not resolution:
        resolution = ask_text(ctx, _("What was done?") if not reject else _("Why is it rejected?"),
                              option="--resolution")
    with ctx.store.transaction() as tx:
        record = resolve(ctx, tx, feedback_id, resolution=resolution, compensation=compensation,
                         reject=reject)
    _changed(record, _("{id}: {status}."))


@cli.command("close")
@click.argument("feedback_id", metavar="ID")
@click.option("--satisfaction", type=click.IntRange(1, 5),
              help="The customer's satisfaction afterwards, 1 (poor) to 5 (very good).")
@pass_ctx
def feedback_close(ctx: Context, feedback_id: str, satisfaction: int | None) -> None:
    """Close a resolved or rejected item."""
    from kundkit.feedback import close

    with ctx.store.transaction() as tx:
        record = close(ctx, tx, feedback_id, satisfaction=satisfaction)
    _changed(record, _("{id}: {status}."))


@cli.command("rate")
@click.argument("feedback_id", metavar="ID")
@click.argument("satisfaction", type=click.IntRange(1, 5))
@pass_ctx
def feedback_rate(ctx: Context, feedback_id: str, satisfaction: int) -> None:
    """Record the customer's satisfaction (1–5) with a resolved, rejected or closed item."""
    from kundkit.feedback import rate

    with ctx.store.transaction() as tx:
        record = rate(ctx, tx, feedback_id, satisfaction)
    click.echo(_("{id}: satisfaction {n} of 5.").format(id=record["id"], n=record["satisfaction"]),
               err=True)


@cli.command("reopen")
@click.argument("feedback_id", metavar="ID")
@click.option("--reason", help="Why it is taken up again (kept in the history).")
@pass_ctx
def feedback_reopen(ctx: Context, feedback_id: str, reason: str | None) -> None:
    """Take a resolved, rejected or closed item up again; its clock goes on where it stopped."""
    from kundkit.feedback import reopen

    with ctx.store.transaction() as tx:
        record = reopen(ctx, tx, feedback_id, reason=reason)
    _changed(record, _("{id}: reopened; now {status}."))


@cli.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]),
              help="The file's format (default: from its name or content).")
@click.option("--dry-run", is_flag=True, help="Check every row and report, but save nothing.")
@pass_ctx
def feedback_import(ctx: Context, file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import feedback, with its past if known, from a CSV or JSON file: every row is checked
    first, every bad row is reported with its line number, and either all rows are saved or none.

    Columns: customer, kind and text (required); id, category, priority, purchase, channel,
    assignee, received_at, status, first_response_at, resolved_at, closed_at, resolution,
    compensation, satisfaction. No feedback_received event fires for imported items.

    \b
    Example:
      kundkit feedback import old-complaints.csv --dry-run
    """
    from kundkit.feedback_import import import_feedback

    result = import_feedback(ctx, file, fmt=fmt, dry_run=dry_run)
    if dry_run:
        click.echo(_("{n} rows are valid; nothing was saved (--dry-run).").format(n=result.rows),
                   err=True)
        return
    for _row, item in result.items:
        click.echo(item["id"])
    click.echo(_("Imported {n} items of feedback from {file}.").format(n=result.imported, file=file),
               err=True)
