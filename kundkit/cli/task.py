"""``kundkit task``: follow-ups, calls and answers that staff have to do, with due dates."""

from __future__ import annotations

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context
from kundkit.i18n import _


@group("task")
def cli() -> None:
    """Tasks for staff: follow-ups, calls, answers.

    \b
    Example:
      kundkit --as anna task add --customer K1042 --title "Ring om offerten" --due +3d
      kundkit --as anna task list --mine --due-within 3d
    """


def _source(value: object) -> str:
    return {"manual": _("manual"), "key-product": _("key product"), "feedback": _("feedback"),
            "workflow": _("workflow")}.get(str(value), str(value or ""))


def _status(value: object) -> str:
    return {"open": _("To do"), "done": _("Done"), "cancelled": _("Cancelled")}.get(str(value), str(value))


def _columns() -> list[Column]:
    return [Column("id", "ID"), Column("due", "Due"), Column("assignee", "Assignee"),
            Column("customer", "Customer"), Column("title", "Title"), Column("source", "Source", show=_source),
            Column("status", "Status", show=_status)]


@cli.command("add")
@click.option("--title", help="What is to be done.")
@click.option("--assignee", metavar="STAFF", help="Who does it (default: the acting staff member, --as).")
@click.option("--due", help="Due date: YYYY-MM-DD, today, tomorrow or +3d (default: today).")
@click.option("--customer", metavar="ID", help="The customer it is about.")
@click.option("--note", help="A note.")
@pass_ctx
def task_add(ctx: Context, title: str | None, assignee: str | None, due: str | None,
             customer: str | None, note: str | None) -> None:
    """Add a task; prints its id."""
    from kundkit.cli.prompt import ask_text
    from kundkit.tasks import create_task

    if not title:
        title = ask_text(ctx, _("What is to be done?"), option="--title")
    who = assignee or ctx.actor
    if not who:
        who = ask_text(ctx, _("Who does it (staff id)?"), option="--assignee")
    with ctx.store.transaction() as tx:
        record = create_task(ctx, tx, assignee=who, title=title, due=due or "today", customer=customer,
                             note=note)
    click.echo(record["id"])


@cli.command("list")
@click.option("--mine", is_flag=True, help="Only the acting staff member's tasks (--as / KUNDKIT_USER).")
@click.option("--assignee", metavar="STAFF", help="Only this staff member's tasks.")
@click.option("--customer", metavar="ID", help="Only tasks about this customer.")
@click.option("--overdue", is_flag=True, help="Only tasks past their due date.")
@click.option("--due-within", "due_within", metavar="SPAN", help="Only tasks due within this span, "
                                                                  "e.g. 3d, 2w (overdue ones included).")
@click.option("--status", type=click.Choice(["open", "done", "cancelled", "all"]), default="open",
              show_default=True, help="Which tasks.")
@output_options
@pass_ctx
def task_list(ctx: Context, mine: bool, assignee: str | None, customer: str | None, overdue: bool,
              due_within: str | None, status: str, output_format: str, table_style: str) -> None:
    """List tasks, soonest due first."""
    from kundkit.tasks import list_tasks, parse_span

    if mine:
        assignee = ctx.require_actor()
    today = ctx.today()
    due_before = today.isoformat() if overdue else None
    due_until = (today + parse_span(due_within)).isoformat() if due_within else None
    with ctx.store.read() as tx:
        rows = list_tasks(tx, customer=customer, assignee=assignee,
                          status=None if status == "all" else status,
                          due_before=due_before, due_until=due_until)
    render(rows, _columns(), output_format=output_format, table_style=table_style, empty=_("No tasks."))


@cli.command("done")
@click.argument("task_ids", metavar="ID...", nargs=-1, required=True)
@click.option("--note", help="What was done.")
@pass_ctx
def task_done(ctx: Context, task_ids: tuple[str, ...], note: str | None) -> None:
    """Mark tasks as done."""
    from kundkit.tasks import complete_task

    with ctx.store.transaction() as tx:
        done = [complete_task(ctx, tx, task_id, note) for task_id in task_ids]
    for task in done:
        click.echo(_("Done: {id} {title}").format(id=task["id"], title=task["title"]), err=True)


@cli.command("cancel")
@click.argument("task_ids", metavar="ID...", nargs=-1, required=True)
@click.option("--note", help="Why it was cancelled.")
@pass_ctx
def task_cancel(ctx: Context, task_ids: tuple[str, ...], note: str | None) -> None:
    """Cancel tasks that no longer need doing."""
    from kundkit.tasks import cancel_task

    with ctx.store.transaction() as tx:
        done = [cancel_task(ctx, tx, task_id, note) for task_id in task_ids]
    for task in done:
        click.echo(_("Cancelled: {id} {title}").format(id=task["id"], title=task["title"]), err=True)
