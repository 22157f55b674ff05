"""``kundkit contact``: log contacts with customers by hand, and the phone channel's call lists."""

from __future__ import annotations

from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render
from kundkit.context import Context
from kundkit.i18n import _


@group("contact")
def cli() -> None:
    """Log contacts with customers.

    \b
    Example:
      kundkit contact calls --sendout S1001 --format csv > ringlista.csv
      kundkit --as anna contact log K1031 --channel phone --note "Vill ha offert på snöslunga"
    """


@cli.command("log")
@click.argument("customer_id", metavar="CUSTOMER")
@click.option("--channel", help="phone, email, sms, post, in-person, or another channel's name.")
@click.option("--note", help="What was said or done.")
@click.option("--kind", type=click.Choice(["call", "visit", "message", "note"]),
              help="What kind of contact (default: call for phone, visit for in-person, else "
                   "note; message when the customer wrote to us).")
@click.option("--in", "incoming", is_flag=True, help="The customer contacted us (default: we "
                                                     "contacted the customer).")
@click.option("--subject", help="A short subject line.")
@click.option("--sendout", metavar="ID", help="The send-out whose call list this call ticks off "
                                              "(default: the customer's latest open call).")
@pass_ctx
def contact_log(ctx: Context, customer_id: str, channel: str | None, note: str | None,
                kind: str | None, incoming: bool, subject: str | None,
                sendout: str | None) -> None:
    """Record a contact with a customer in the customer's history; prints its id.

    A phone call ticks the customer off the call list of a send-out.

    \b
    Example:
      kundkit --as anna contact log K1031 --channel phone --note "Kommer in med motorsågen"
      kundkit --as olle contact log K1029 --channel in-person --in --note "Frågade om hyrsläp"
    """
    from kundkit.cli.prompt import ask_choice, ask_text
    from kundkit.contacts import contact_channels, log_contact

    if not channel:
        channel = ask_choice(ctx, _("Through which channel?"), contact_channels(ctx),
                             option="--channel")
    if not note and not subject:
        note = ask_text(ctx, _("What was said or done?"), option="--note")
    record = log_contact(ctx, customer_id, channel=channel, note=note, kind=kind,
                         direction="in" if incoming else "out", subject=subject, sendout=sendout)
    click.echo(record["id"])
    if record.get("call_for"):
        click.echo(_("Ticked {customer} off the call list of send-out {sendout}.").format(
            customer=record["customer"], sendout=record.get("sendout") or "-"), err=True)


def _phone(value: Any) -> str:
    if not value:
        return ""
    from kundkit.identity import format_phone

    try:
        return format_phone(str(value))
    except Exception:  # a number phonenumbers cannot read is shown as stored
        return str(value)


def _first_line(value: Any) -> str:
    return str(value or "").split("\n")[0]


@cli.command("calls")
@click.option("--sendout", metavar="ID", help="Only the call list of this send-out.")
@click.option("--manager", metavar="STAFF", help="Only the customers of this manager.")
@click.option("--all", "include_called", is_flag=True, help="Include the calls already made.")
@output_options
@pass_ctx
def contact_calls(ctx: Context, sendout: str | None, manager: str | None, include_called: bool,
                  output_format: str, table_style: str) -> None:
    """The call list of the phone channel: whom to call, the number, the manager and what to say.

    The table shows the subject; CSV and JSON give the whole text to say.
    """
    from kundkit.contacts import call_list

    with ctx.store.read() as tx:
        if sendout:
            from kundkit.sendouts import get_sendout

            sendout = get_sendout(tx, sendout)["id"]
        rows = call_list(tx, sendout=sendout, manager=manager, include_called=include_called)
    columns = [Column("sendout", "Send-out"), Column("customer", "Customer"),
               Column("name", "Name"), Column("contact", "Contact"),
               Column("phone", "Phone", show=_phone), Column("manager", "Manager")]
    if output_format == "table":
        columns += [Column("subject", "What to say")]
        if include_called:
            columns += [Column("called", "Called")]
    else:
        columns += [Column("manager_name", "Manager's name"), Column("subject", "Subject"),
                    Column("script", "What to say"), Column("called", "Called"),
                    Column("id", "Interaction")]
    render(rows, columns, output_format=output_format, table_style=table_style,
           empty=_("Nobody to call."))


def _direction(value: Any) -> str:
    return {"out": _("out"), "in": _("in")}.get(str(value), str(value or ""))


def _history_status(value: Any) -> str:
    return {"sent": _("sent"), "failed": _("failed"), "skipped": _("not reached")}.get(
        str(value), str(value or ""))


def _kind(value: Any) -> str:
    return {"message": _("message"), "call": _("call"), "visit": _("visit"),
            "guide": _("guide walk"), "note": _("note")}.get(str(value), str(value or ""))


def history_columns() -> list[Column]:
    return [Column("at", "When", show=lambda v: str(v or "")[:16].replace("T", " ")),
            Column("id", "ID"), Column("kind", "Kind", show=_kind), Column("channel", "Channel"),
            Column("direction", "Direction", show=_direction), Column("subject", "Subject"),
            Column("status", "Status", show=_history_status), Column("note", "Note"),
            Column("by", "By")]


def show_history(ctx: Context, customer_id: str, output_format: str, table_style: str) -> None:
    """Print a customer's history: every message sent and every contact logged, oldest first."""
    from kundkit.interactions import customer_history

    with ctx.store.read() as tx:
        rows = customer_history(tx, customer_id)
    if output_format == "table":
        for row in rows:
            if row.get("status") in ("failed", "skipped") and row.get("detail"):
                row["status"] = f"{_history_status(row['status'])}: {row['detail']}"
    render(rows, history_columns(), output_format=output_format, table_style=table_style,
           empty=_("No interactions yet."))
