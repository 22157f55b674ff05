"""``kundkit standards``: validate, print, follow and audit the service-quality standards."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, output_options, render, render_record
from kundkit.context import Context
from kundkit.errors import ConfigError, KundkitError, NotFound
from kundkit.i18n import _, get_language

if TYPE_CHECKING:
    from kundkit.standards.audit import ChecklistItem, Score
    from kundkit.standards.documents import KindRegistry, Library, StandardDocument
    from kundkit.standards.guide import Guide

LANGUAGE = click.option("--lang", "language", type=click.Choice(["sv", "en"]), default=None,
                        help="Which language version (default: the business's language).")


@group("standards")
def cli() -> None:
    """Service-quality standards: validate, show, guide, audit.

    \b
    The business keeps its standards as YAML files in standards/ (service standards, sales
    cards, instructions, codes of conduct).

    \b
    Example:
      kundkit standards validate
      kundkit standards show service-standard --format html > standard.html
      kundkit standards guide service-standard conflict --log K1001
    """


# -- finding the documents ----------------------------------------------------------------------

def _display(path: Path) -> Path:
    """``path`` relative to the current folder when it is below it, so messages stay short."""
    try:
        return Path(os.path.relpath(path))
    except ValueError:  # another drive on Windows
        return path


def _folder(ctx: Context) -> Path:
    try:
        root = ctx.config_path.resolve().parent
    except ConfigError:
        return Path("standards")
    return _display(root / "standards")


def _registry(ctx: Context) -> KindRegistry:
    from kundkit.standards.documents import KindRegistry

    return KindRegistry.from_plugins(ctx.plugins.pm)


def _library(ctx: Context, paths: tuple[Path, ...] = ()) -> Library:
    from kundkit.standards.documents import load

    if not paths:
        folder = _folder(ctx)
        if not folder.is_dir():
            raise NotFound(_("no standards folder at {path}").format(path=folder))
        paths = (folder,)
    return load(paths, _registry(ctx))


def _preferred_language(ctx: Context) -> str:
    try:
        return ctx.raw_config.language
    except ConfigError:
        return get_language()


def _document(ctx: Context, doc_id: str, language: str | None) -> StandardDocument:
    return _library(ctx).find(doc_id, language, preferred=_preferred_language(ctx))


# -- validate, schema, list, show ---------------------------------------------------------------

@cli.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: one 'file:line:col: message' per line; json: for "
                                      "editors and CI.")
@pass_ctx
def standards_validate(ctx: Context, paths: tuple[Path, ...], output_format: str) -> None:
    """Check the standards documents; exit 1 on any problem.

    Checks each document against the schema of its kind, and each algorithm for branches to
    steps that do not exist, steps no path reaches, paths with no end and loops with no way
    out; then ids used twice and translations that differ. Every problem is reported, one
    'file:line:col: message' line each. PATHS are files or folders (default: the business's
    standards/ folder).
    """
    library = _library(ctx, paths)
    if output_format == "json":
        click.echo(json.dumps({
            "ok": library.ok,
            "files": library.files,
            "documents": [{"id": d.id, "language": d.language, "kind": d.kind,
                           "version": d.version, "file": d.file} for d in library.documents],
            "problems": [p.as_dict() for p in library.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in library.problems:
            click.echo(str(problem))
    if library.problems:
        raise KundkitError(_("{problems} problem(s) in {files} file(s)").format(
            problems=len(library.problems), files=len({p.file for p in library.problems})))
    click.echo(_("{documents} document(s) in {files} file(s): no problems").format(
        documents=len(library.documents), files=len(library.files)), err=True)


@cli.command("schema")
@click.option("--kind", default=None, metavar="KIND",
              help="Only the schema of this kind (default: one schema for every kind).")
@pass_ctx
def standards_schema(ctx: Context, kind: str | None) -> None:
    """Print the JSON Schema of standards documents.

    For editors (yaml-language-server) and CI; plugins' kinds are included.
    """
    registry = _registry(ctx)
    if kind is None:
        schema = registry.schema()
    else:
        found = registry.get(kind)
        if found is None:
            raise click.BadParameter(_("unknown kind '{kind}' (known: {known})").format(
                kind=kind, known=", ".join(registry.names())), param_hint="--kind")
        schema = found.schema
    click.echo(json.dumps(schema, ensure_ascii=False, indent=2))


@cli.command("list")
@output_options
@pass_ctx
def standards_list(ctx: Context, output_format: str, table_style: str) -> None:
    """List the standards documents, one row per language version."""
    library = _library(ctx)
    rows = [{"id": d.id, "language": d.language, "kind": d.kind, "version": d.version,
             "title": d.title, "owner": d.owner, "roles": d.roles, "file": d.file}
            for d in sorted(library.documents, key=lambda d: (d.id, d.language))]
    render(rows, [Column("id", "Id"), Column("language", "Lang"), Column("kind", "Kind"),
                  Column("version", "Version"), Column("title", "Title"), Column("owner", "Owner")],
           output_format=output_format, table_style=table_style,
           empty=_("No standards documents."))
    if library.problems:
        click.echo(_("warning: {n} problem(s) in the standards; run 'kundkit standards validate'")
                   .format(n=len(library.problems)), err=True)


@cli.command("show")
@click.argument("doc_id", metavar="ID")
@LANGUAGE
@click.option("--format", "output_format", type=click.Choice(["md", "html"]), default="md",
              show_default=True, help="md: Markdown for the handbook; html: a printable page.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of stdout.")
@pass_ctx
def standards_show(ctx: Context, doc_id: str, language: str | None, output_format: str,
                   output: Path | None) -> None:
    """Print a document as Markdown or as a printable HTML page.

    The document is printed in its own language, for the staff-room wall or the handbook.
    """
    from kundkit.standards.render import to_html, to_markdown

    document = _document(ctx, doc_id, language)
    text = to_html(document) if output_format == "html" else to_markdown(document)
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(str(output), err=True)


# -- guide --------------------------------------------------------------------------------------

def _ask_step(ctx: Context, guide: Guide) -> str:
    """Show the current step and ask what to do: a choice's index, ``back`` or ``stop``."""
    from kundkit.cli.prompt import ask_choice

    step = guide.current
    number = guide.algorithm.number(step.id)
    if step.detail:
        click.echo(f"   {step.detail}", err=True)
    choices: list[tuple[str, str]] = [(str(i), choice.label)
                                      for i, choice in enumerate(guide.choices())]
    if len(guide.path) > 1:
        choices.append(("back", _("← Back")))
    choices.append(("stop", _("Stop here")))
    return ask_choice(ctx, f"{number}. {step.text}", choices, option="--answer")


def _walk(ctx: Context, guide: Guide, answers: tuple[str, ...]) -> None:
    if answers or ctx.no_input:
        # A script gives the answers to the questions in order; actions need no answer.
        given = list(answers)
        while not guide.finished:
            if guide.current.kind == "action":
                guide.choose(0)
            elif given:
                guide.answer(given.pop(0))
            else:
                offered = ", ".join(f"'{c.label}'" for c in guide.choices())
                raise KundkitError(_("the walk stopped at step '{step}' ({text}): give one more "
                                     "--answer, one of {offered}").format(
                    step=guide.current.id, text=guide.current.text, offered=offered))
        if given:
            raise KundkitError(_("the walk ended at '{step}' with {n} answer(s) left over").format(
                step=guide.current.id, n=len(given)))
        return
    while not guide.finished:
        choice = _ask_step(ctx, guide)
        if choice == "stop":
            return
        if choice == "back":
            guide.back()
        else:
            guide.choose(int(choice))


def _print_walk(document: StandardDocument, guide: Guide) -> None:
    from kundkit.i18n import translator

    catalog = translator(document.language)
    click.echo(f"{guide.algorithm.title} ({document.id}, {document.language})")
    for visit in guide.path:
        number = guide.algorithm.number(visit.step)
        if visit.kind == "outcome":
            click.echo(f"{number:>3}. {catalog.gettext('Outcome')}: {visit.text}")
        elif visit.answer is not None:
            click.echo(f"{number:>3}. {visit.text} → {visit.answer}")
        else:
            click.echo(f"{number:>3}. {visit.text}")


@cli.command("guide")
@click.argument("doc_id", metavar="ID")
@click.argument("algorithm", required=False)
@LANGUAGE
@click.option("--log", "customer", metavar="CUSTOMER", default=None,
              help="Record the path taken as an interaction with this customer (e.g. K1001).")
@click.option("--answer", "answers", multiple=True, metavar="TEXT",
              help="Answer the questions in order without asking (repeat for each question).")
@pass_ctx
def standards_guide(ctx: Context, doc_id: str, algorithm: str | None, language: str | None,
                    customer: str | None, answers: tuple[str, ...]) -> None:
    """Walk through a behaviour algorithm, step by step.

    At a terminal each step is shown with its answers as choices; you can go back or stop.
    The path taken is printed at the end, and recorded with --log. ALGORITHM is for example
    'contact' or 'conflict'.
    """
    from kundkit.standards.guide import Guide

    document = _document(ctx, doc_id, language)
    if not document.algorithms:
        raise NotFound(_("'{id}' has no algorithms to walk through").format(id=document.id))
    if algorithm is None:
        if len(document.algorithms) == 1:
            algorithm = next(iter(document.algorithms))
        else:
            from kundkit.cli.prompt import ask_choice

            algorithm = ask_choice(ctx, _("Which algorithm?"),
                                   [(name, a.title) for name, a in document.algorithms.items()],
                                   option="ALGORITHM")
    guide = Guide(document.algorithm(algorithm))
    _walk(ctx, guide, answers)
    _print_walk(document, guide)
    if customer is not None:
        from kundkit.standards.guide_log import log_walk

        record = log_walk(ctx, customer, document, guide)
        click.echo(_("Recorded as interaction {id} with customer {customer}.").format(
            id=record["id"], customer=record["customer"]), err=True)


# -- checklists and audits ----------------------------------------------------------------------

CHECKLIST_COLUMNS = [Column("section", "Section"), Column("id", "Item"), Column("text", "Text"),
                     Column("scoring", "Scoring"), Column("weight", "Weight", "right")]


@cli.command("checklist")
@click.argument("doc_id", metavar="ID")
@LANGUAGE
@click.option("--template", is_flag=True,
              help="Print a YAML scores file to fill in for 'standards audit --file'.")
@output_options
@pass_ctx
def standards_checklist(ctx: Context, doc_id: str, language: str | None, template: bool,
                        output_format: str, table_style: str) -> None:
    """Show the audit checklist of a document.

    Each item with its section, how it is scored (scale: 0-2, yes-no) and its weight.
    """
    from kundkit.standards.audit import checklist, scores_template

    document = _document(ctx, doc_id, language)
    items = checklist(document, _registry(ctx))
    if template:
        click.echo(scores_template(items), nl=False)
        return
    rows = [{"section": item.section_title, "section_id": item.section, "id": item.id,
             "text": item.text, "scoring": item.scoring, "weight": item.weight} for item in items]
    render(rows, CHECKLIST_COLUMNS, output_format=output_format, table_style=table_style,
           empty=_("This document has no checklist items."))


def _ask_scores(ctx: Context, items: list[ChecklistItem]) -> dict[str, Score]:
    from kundkit.cli.prompt import ask_choice
    from kundkit.standards.audit import SCALE, parse_score

    scores: dict[str, Score] = {}
    for item in items:
        if item.scoring == SCALE:
            choices = [("2", _("2 — met")), ("1", _("1 — partly met")), ("0", _("0 — not met"))]
        else:
            choices = [("yes", _("yes")), ("no", _("no"))]
        choices.append(("n/a", _("n/a — does not apply here")))
        answer = ask_choice(ctx, f"[{item.section_title}] {item.text}", choices, option="--file")
        scores[item.id] = parse_score(item, answer)
    return scores


AUDIT_FIELDS = [Column("id", "Audit"), Column("document", "Document"), Column("version", "Version"),
                Column("language", "Lang"), Column("staff", "Staff"), Column("auditor", "Auditor"),
                Column("at", "When"), Column("points", "Points"), Column("possible", "Possible"),
                Column("percent", "Score %")]


@cli.command("audit")
@click.argument("doc_id", metavar="ID")
@click.option("--staff", "staff_id", metavar="STAFF", default=None,
              help="The staff member audited.")
@click.option("--file", "scores_file", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, help="Read the scores from a YAML or CSV file instead of asking.")
@LANGUAGE
@output_options
@pass_ctx
def standards_audit(ctx: Context, doc_id: str, staff_id: str | None, scores_file: Path | None,
                    language: str | None, output_format: str, table_style: str) -> None:
    """Score a staff member against a checklist and store the audit.

    Each item is scored 0, 1 or 2 (or yes/no), or n/a when it does not apply; the total is the
    weighted share of the points possible. The auditor is the one given by --as.
    """
    from kundkit.standards.audit import checklist, read_scores, score_audit
    from kundkit.standards.audit_store import save_audit

    document = _document(ctx, doc_id, language)
    items = checklist(document, _registry(ctx))
    if not items:
        raise KundkitError(_("'{id}' has no checklist items to audit").format(id=document.id))
    if staff_id is None:
        from kundkit.cli.prompt import ask_choice
        from kundkit.staff import active_staff

        with ctx.store.read() as rx:
            people = [(s["id"], f"{s['id']} — {s.get('name', '')}") for s in active_staff(rx)]
        if not people and not ctx.no_input:
            raise NotFound(_("there are no active staff members to audit"))
        staff_id = ask_choice(ctx, _("Who is audited?"), people, option="--staff")
    notes: dict[str, str] = {}
    if scores_file is not None:
        scores, notes = read_scores(scores_file, items, str(_display(scores_file)))
    elif ctx.no_input:
        from kundkit.cli.prompt import missing

        raise missing("--file")
    else:
        scores = _ask_scores(ctx, items)
    result = score_audit(document, items, scores, staff=staff_id, at=ctx.now(), auditor=ctx.actor,
                         notes=notes)
    result = save_audit(ctx, result)
    record = {"id": result.id, **result.as_record(), "at": result.at}
    render_record(record, AUDIT_FIELDS, output_format=output_format,
                  table_style="plain" if table_style == "simple" else table_style)


def _signed(value: Any) -> str:
    return "" if value is None else (f"+{value}" if value > 0 else str(value))


@cli.command("audits")
@click.option("--staff", "staff_id", metavar="STAFF", default=None, help="Only this staff member.")
@click.option("--document", "doc_id", metavar="ID", default=None, help="Only this document.")
@output_options
@pass_ctx
def standards_audits(ctx: Context, staff_id: str | None, doc_id: str | None, output_format: str,
                     table_style: str) -> None:
    """Show stored audits and how the scores changed.

    Oldest first; 'change' is the difference from the same staff member's previous audit
    against the same document.
    """
    from kundkit.standards.audit_store import audit_history

    rows = audit_history(ctx, staff=staff_id, document=doc_id)
    render(rows, [Column("id", "Audit"), Column("at", "When"), Column("staff", "Staff"),
                  Column("document", "Document"), Column("version", "Version"),
                  Column("percent", "Score %", "right"),
                  Column("change", "Change", "right", show=_signed),
                  Column("auditor", "Auditor")],
           output_format=output_format, table_style=table_style, empty=_("No audits yet."))
