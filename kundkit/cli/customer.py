"""``kundkit customer``: register, find, change and look after customers.

The import/export commands live in :mod:`kundkit.cli.customer_io`, the personal-data ones in
:mod:`kundkit.cli.customer_privacy`; both add themselves to this group.
"""

from __future__ import annotations

from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, render_record, to_json
from kundkit.context import Context
from kundkit.i18n import _


@group("customer")
def cli() -> None:
    """Register, find and look after customers.

    \b
    Example:
      kundkit customer add --name "Bygg & Montage AB" --company --orgnr 556036-0793
      kundkit customer list --segment bygg
    """


# -- showing -----------------------------------------------------------------------------------

def _kind(value: Any) -> str:
    return {"company": _("company"), "person": _("person")}.get(value, value or "")


def _number(row: dict[str, Any]) -> str:
    return row.get("orgnr") or row.get("personnummer") or ""


def masked(record: dict[str, Any]) -> dict[str, Any]:
    """The record with its personal identity number masked, for lists and tables."""
    from kundkit.identity import mask_personnummer

    if record.get("personnummer"):
        return {**record, "personnummer": mask_personnummer(record["personnummer"])}
    return record


def list_columns() -> list[Column]:
    return [Column("id", "ID"), Column("name", "Name"), Column("kind", "Kind", show=_kind),
            Column("number", "Org/personal no."), Column("segment", "Segment"),
            Column("manager", "Manager"), Column("email", "E-mail"), Column("phone", "Phone"),
            Column("tags", "Tags")]


def show_rows(records: list[dict[str, Any]], output_format: str, table_style: str) -> None:
    rows = [dict(masked(r), number=_number(masked(r))) for r in records]
    if output_format != "table":
        for row in rows:
            row.pop("number")
    render(rows, list_columns(), output_format=output_format, table_style=table_style,
           empty=_("No customers."))


def _consent_text(consent: dict[str, Any]) -> str:
    parts = []
    for channel in sorted(consent or {}):
        entry = consent[channel]
        mark = _("yes") if entry.get("given") else _("no")
        parts.append(f"{channel}: {mark} ({(entry.get('at') or '')[:10]}, {entry.get('how') or ''})")
    return "; ".join(parts)


def _lines(value: Any) -> str:
    return "\n".join(value or [])


def _summary_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_summary_text(v)}" for k, v in value.items() if v not in (None, "", []))
    if isinstance(value, list):
        return str(len(value)) if value and isinstance(value[0], dict) else ", ".join(map(str, value))
    return "" if value is None else str(value)


def record_fields() -> list[Column]:
    return [Column("id", "ID"), Column("name", "Name"), Column("kind", "Kind", show=_kind),
            Column("orgnr", "Organisation number"), Column("personnummer", "Personal identity number"),
            Column("contact", "Contact"), Column("email", "E-mail"), Column("phone", "Phone"),
            Column("address", "Address", show=_lines), Column("segment", "Segment"),
            Column("manager", "Manager"), Column("tags", "Tags"), Column("consent", "Consent", show=_consent_text),
            Column("preferred_channel", "Preferred channel"), Column("language", "Language"),
            Column("notes", "Notes"), Column("created_at", "Created"), Column("created_by", "Created by")]


# -- add ---------------------------------------------------------------------------------------

def _identity_options(func: Any) -> Any:
    options = [
        click.option("--name", help="The company's or person's name."),
        click.option("--company", "kind", flag_value="company", help="The customer is a company."),
        click.option("--person", "kind", flag_value="person", help="The customer is a private person."),
        click.option("--orgnr", help="Organisation number (NNNNNN-NNNN), for a company."),
        click.option("--personnummer", help="Personal identity or coordination number (YYMMDD-NNNN)."),
        click.option("--contact", help="Contact person at a company."),
        click.option("--email", help="E-mail address."),
        click.option("--phone", help="Phone number (stored as +46...)."),
        click.option("--address", multiple=True, help="A line of the postal address (repeat for each line)."),
        click.option("--segment", help="Segment, from the list in kundkit.yaml."),
        click.option("--manager", metavar="STAFF", help="Permanent manager (default: chosen by the "
                                                         "strategy in kundkit.yaml)."),
        click.option("--notes", help="Free-text notes."),
        click.option("--language", type=click.Choice(["sv", "en"]),
                     help="The customer's language (default: the business's)."),
        click.option("--preferred-channel", "preferred_channel",
                     type=click.Choice(["email", "sms", "post", "phone"]), help="How the customer "
                                                                                "prefers to be contacted."),
        click.option("--force", is_flag=True, help="Save even if the customer looks like one already "
                                                   "registered."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _ask_missing(ctx: Context, fields: dict[str, Any]) -> dict[str, Any]:
    """Ask for what is missing when someone is at the terminal; fail naming the option if not."""
    from kundkit.cli.prompt import ask_checkbox, ask_choice, ask_text
    from kundkit.customers import CHANNELS, settings
    from kundkit.identity import parse_email, parse_orgnr, parse_personnummer, parse_phone

    asked_name = False
    if not fields.get("name"):
        fields["name"] = ask_text(ctx, _("Name of the company or person:"), option="--name")
        asked_name = True
    if not fields.get("kind"):
        if fields.get("orgnr"):
            fields["kind"] = "company"
        elif fields.get("personnummer"):
            fields["kind"] = "person"
        else:
            fields["kind"] = ask_choice(ctx, _("Company or private person?"),
                                        [("company", _("Company")), ("person", _("Private person"))],
                                        option="--company or --person")
    if fields["kind"] == "company" and not fields.get("orgnr") and not fields.get("personnummer"):
        fields["orgnr"] = ask_text(ctx, _("Organisation number (NNNNNN-NNNN):"), option="--orgnr",
                                   check=parse_orgnr)
    if not asked_name:
        return fields
    # A person at the counter: ask the useful optional fields too, each checked as typed.
    region, today = ctx.config.region, ctx.today()

    def optional(check: Any) -> Any:
        return lambda text: check(text) if text.strip() else None

    if fields["kind"] == "person" and not fields.get("personnummer"):
        fields["personnummer"] = ask_text(
            ctx, _("Personal identity number (YYMMDD-NNNN, optional):"), option="--personnummer",
            check=optional(lambda t: parse_personnummer(t, today=today)), required=False) or None
    if fields["kind"] == "company" and not fields.get("contact"):
        fields["contact"] = ask_text(ctx, _("Contact person (optional):"), option="--contact",
                                     required=False) or None
    if not fields.get("email"):
        fields["email"] = ask_text(ctx, _("E-mail (optional):"), option="--email",
                                   check=optional(parse_email), required=False) or None
    if not fields.get("phone"):
        fields["phone"] = ask_text(ctx, _("Phone (optional):"), option="--phone",
                                   check=optional(lambda t: parse_phone(t, region)), required=False) or None
    segments = settings(ctx).segments
    if segments and not fields.get("segment"):
        fields["segment"] = ask_choice(ctx, _("Segment:"), segments, option="--segment")
    if not fields.get("consent"):
        labels = {"email": _("e-mail"), "sms": _("SMS"), "post": _("post"), "phone": _("phone")}
        fields["consent"] = ask_checkbox(ctx, _("The customer agrees to hear from us by:"),
                                         [(c, labels[c]) for c in CHANNELS], option="--consent") or None
    return fields


def _given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, (), [])}


@cli.command("add")
@_identity_options
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@click.option("--consent", help="Channels the customer consents to now, e.g. email,sms.")
@click.option("--consent-how", "consent_how", help="How the consent was given (default: at "
                                                   "registration).")
@pass_ctx
def customer_add(ctx: Context, force: bool, consent_how: str | None, **options: Any) -> None:
    """Register a customer; prints the new id.

    At a terminal, missing values are asked for and checked as they are typed. A customer that
    looks like one already registered (same number, e-mail or phone, or a similar name) is
    refused, showing the match, unless --force.

    \b
    Example:
      kundkit customer add --name "Bygg & Montage AB" --company --orgnr 556036-0793 \\
          --email info@byggmontage.example --segment bygg --consent email
    """
    from kundkit.cli.prompt import ask_confirm
    from kundkit.customers import register_customer
    from kundkit.duplicates import DuplicateCustomer

    fields = _given(options)
    if "address" in fields:
        fields["address"] = list(fields["address"])
    if "tags" in fields:
        fields["tags"] = list(fields["tags"])
    fields = _given(_ask_missing(ctx, fields))
    how = consent_how or _("at registration")
    try:
        record = register_customer(ctx, fields, force=force, how=how)
    except DuplicateCustomer as exc:
        if ctx.no_input:
            raise
        click.echo(exc.message, err=True)
        if not ask_confirm(ctx, _("Register a new customer anyway?"), default=False, option="--force"):
            raise click.Abort() from None
        record = register_customer(ctx, fields, force=True, how=how)
    click.echo(record["id"])
    click.echo(_("Registered {id} {name}; manager: {manager}").format(
        id=record["id"], name=record["name"], manager=record.get("manager") or _("none")), err=True)


# -- list, show, find --------------------------------------------------------------------------

@cli.command("list")
@click.option("--segment", help="Only this segment.")
@click.option("--manager", metavar="STAFF", help="Only customers of this manager.")
@click.option("--tag", help="Only customers with this tag.")
@click.option("--kind", type=click.Choice(["company", "person"]), help="Only companies or persons.")
@click.option("--search", "text", metavar="TEXT", help="Only customers matching this text.")
@output_options
@pass_ctx
def customer_list(ctx: Context, segment: str | None, manager: str | None, tag: str | None,
                  kind: str | None, text: str | None, output_format: str, table_style: str) -> None:
    """List customers (personal identity numbers masked)."""
    from kundkit.customers import list_customers

    with ctx.store.read() as tx:
        records = list_customers(tx, segment=segment, manager=manager, tag=tag, kind=kind, text=text)
    show_rows(records, output_format, table_style)


@cli.command("find")
@click.argument("text")
@output_options
@pass_ctx
def customer_find(ctx: Context, text: str, output_format: str, table_style: str) -> None:
    """Find customers by name, contact, e-mail, phone, number, tag or id."""
    from kundkit.customers import find_customers

    with ctx.store.read() as tx:
        records = find_customers(tx, text)
    show_rows(records, output_format, table_style)


def _task_columns() -> list[Column]:
    return [Column("id", "ID"), Column("due", "Due"), Column("assignee", "Assignee"),
            Column("title", "Title")]


@cli.command("show")
@click.argument("customer_id", metavar="ID")
@output_options
@pass_ctx
def customer_show(ctx: Context, customer_id: str, output_format: str, table_style: str) -> None:
    """Everything about a customer: the record, open tasks, and what other areas add (purchases,
    feedback, ...)."""
    from kundkit.cli.output import table_text
    from kundkit.customers import customer_overview

    with ctx.store.read() as tx:
        overview = customer_overview(ctx, tx, customer_id)
    if output_format == "json":
        click.echo(to_json(overview))
        return
    fields = record_fields()
    known = {f.key for f in fields} | {"open_tasks"}
    extra = [Column(k, k.replace("_", " ").capitalize(), show=_summary_text)
             for k in overview if k not in known and k not in ("forgotten_at", "forgotten_by")]
    if output_format == "table":
        fields = [f for f in fields if overview.get(f.key) not in (None, "", [], {})]
    render_record(overview, fields + extra, output_format=output_format,
                  table_style="plain" if table_style == "simple" else table_style)
    if output_format == "table" and overview["open_tasks"]:
        click.echo("")
        click.echo(_("Open tasks:"))
        click.echo(table_text(overview["open_tasks"], _task_columns(), table_style))


# -- edit, assign ------------------------------------------------------------------------------

@cli.command("edit")
@click.argument("customer_id", metavar="ID")
@_identity_options
@click.option("--tag", "tags", multiple=True, help="Replace the tags with these (repeat for several).")
@click.option("--add-tag", "add_tags", multiple=True, help="Add a tag.")
@click.option("--remove-tag", "remove_tags", multiple=True, help="Remove a tag.")
@click.option("--consent", help="Channels the customer consents to now, e.g. email,sms.")
@click.option("--withdraw", help="Channels whose consent the customer withdraws now, e.g. sms.")
@click.option("--consent-how", "consent_how", help="How the consent was given or withdrawn.")
@pass_ctx
def customer_edit(ctx: Context, customer_id: str, force: bool, add_tags: tuple[str, ...],
                  remove_tags: tuple[str, ...], withdraw: str | None, consent_how: str | None,
                  **options: Any) -> None:
    """Change a customer's fields. An empty value ("") clears a field. A new --manager takes over
    the customer's open tasks.

    \b
    Example:
      kundkit customer edit K1042 --phone "070-123 45 67" --add-tag vip --withdraw sms
    """
    from kundkit.customers import edit_customer, get_customer, split_list

    changes = {k: v for k, v in options.items() if v is not None and v != ()}
    if "address" in changes:
        changes["address"] = [line for line in changes["address"] if line]
    if "tags" in changes:
        changes["tags"] = list(changes["tags"])
    how = consent_how or _("changed by staff")
    now = ctx.now().isoformat(timespec="seconds")
    consent: dict[str, Any] = {}
    if changes.get("consent"):
        consent.update({c: {"given": True, "at": now, "how": how, "by": ctx.actor}
                        for c in split_list(changes["consent"])})
    if withdraw:
        consent.update({c: {"given": False, "at": now, "how": how, "by": ctx.actor}
                        for c in split_list(withdraw)})
    changes.pop("consent", None)
    if consent:
        changes["consent"] = consent
    with ctx.store.transaction() as tx:
        if add_tags or remove_tags:
            current = changes.get("tags", get_customer(tx, customer_id).get("tags", []))
            drop = {t.casefold() for t in remove_tags}
            changes["tags"] = [t for t in [*current, *add_tags] if t.casefold() not in drop]
        if not changes:
            raise click.UsageError(_("nothing to change: give at least one option"))
        record = edit_customer(ctx, tx, customer_id, changes, force=force)
    click.echo(_("Saved {id} {name}.").format(id=record["id"], name=record["name"]), err=True)


@cli.command("assign")
@click.argument("customer_id", metavar="ID")
@click.option("--manager", metavar="STAFF", help="The new permanent manager (default: chosen by the "
                                                  "strategy in kundkit.yaml).")
@pass_ctx
def customer_assign(ctx: Context, customer_id: str, manager: str | None) -> None:
    """Give a customer a new permanent manager; the customer's open tasks move along."""
    from kundkit.customers import get_customer, reassign
    from kundkit.managers import ManagerPicker

    with ctx.store.transaction() as tx:
        old = get_customer(tx, customer_id)
        if manager is None:
            picker = ManagerPicker(ctx, tx)
            picker.eligible = [s for s in picker.eligible if s != old.get("manager")]
            manager = picker.pick(old)
            if manager is None:
                raise click.UsageError(_("no other active staff member to assign; give --manager"))
        new = reassign(ctx, tx, old["id"], manager)
    if new.get("manager") == old.get("manager"):
        click.echo(_("{id} already has the manager {manager}.").format(id=new["id"], manager=new["manager"]),
                   err=True)
        return
    click.echo(_("{id}: manager {old} → {new}").format(id=new["id"], old=old.get("manager") or "-",
                                                        new=new["manager"]))


@cli.command("history")
@click.argument("customer_id", metavar="ID")
@output_options
@pass_ctx
def customer_history(ctx: Context, customer_id: str, output_format: str, table_style: str) -> None:
    """Show a customer's history: every message sent and every contact logged, oldest first."""
    from kundkit.cli.contact import show_history

    show_history(ctx, customer_id, output_format, table_style)


from kundkit.cli import customer_io as _io  # noqa: E402  (adds import/export to the group)
from kundkit.cli import customer_privacy as _privacy  # noqa: E402  (adds data/forget)

_io.attach(cli)
_privacy.attach(cli)
