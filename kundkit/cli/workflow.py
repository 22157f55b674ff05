"""``kundkit workflow``: check, run, resume and follow the business's YAML workflows."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from kundkit.cli.base import group, pass_ctx
from kundkit.cli.output import Column, echo_err, output_options, render, render_record
from kundkit.context import Context
from kundkit.errors import KundkitError, ProblemsError, UsageError
from kundkit.i18n import _

RUN_STATUSES = ("running", "waiting", "interrupted", "done", "failed", "cancelled")


@group("workflow")
def cli() -> None:
    """Run the business's YAML workflows (workflows/*.yaml).

    \b
    Example:
      kundkit workflow validate
      kundkit --as anna workflow run complaint --set customer=K1001 --set kind=complaint
      kundkit workflow runs --status waiting
      kundkit --as anna workflow resume R1001
    """


def run_status_label(value: Any) -> str:
    return {"running": _("running"), "waiting": _("waiting"), "interrupted": _("interrupted"),
            "done": _("done"), "failed": _("failed"), "cancelled": _("cancelled"),
            "skipped": _("skipped"), "invalid": _("invalid")}.get(str(value), str(value or ""))


def _moment(value: Any) -> str:
    text = str(value or "")
    return text[:16].replace("T", " ") if text else ""


def parse_sets(values: tuple[str, ...]) -> dict[str, str]:
    """``--set name=value`` options as a mapping."""
    out: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(_("'{value}' is not NAME=VALUE").format(value=item),
                                     param_hint="--set")
        out[name.strip()] = value
    return out


def asker(ctx: Context) -> Any:
    """The operator's side of ``ask`` steps and missing inputs: questionary at a terminal."""
    from kundkit.cli.prompt import ask_choice, ask_text
    from kundkit.workflows.inputs import parse_value
    from kundkit.workflows.steptypes import Question

    def ask(question: Question) -> Any:
        option = f"--set {question.name}=VALUE"
        if question.type == "choice" and question.choices:
            default = str(question.default) if question.default is not None else None
            return ask_choice(ctx, question.prompt, list(question.choices), option=option,
                              default=default)

        def check(text: str) -> None:
            parse_value(ctx, None, question.type, text, question.name, question.choices)

        default = "" if question.default is None else str(question.default)
        return ask_text(ctx, question.prompt, option=option, check=check, default=default,
                        required=question.required)

    return ask


def _language(ctx: Context) -> str:
    from kundkit.i18n import get_language

    return get_language()


@cli.command("list")
@output_options
@pass_ctx
def workflow_list(ctx: Context, output_format: str, table_style: str) -> None:
    """List the workflows: name, how each starts, its inputs and what it is for."""
    from kundkit.workflows.model import disabled_workflows, pick_text, workflow_files, workflows_folder
    from kundkit.workflows.validate import validate_files

    found, problems = validate_files(ctx, workflow_files(workflows_folder(ctx)))
    disabled = disabled_workflows(ctx)
    rows = []
    for workflow in found:
        triggers = [t.event or "manual" for t in workflow.triggers]
        rows.append({"name": workflow.name, "file": workflow.file, "trigger": triggers,
                     "inputs": list(workflow.inputs), "enabled": workflow.name not in disabled,
                     "description": pick_text(workflow.description, _language(ctx))})
    render(rows, [Column("name", "Name"), Column("trigger", "Trigger"), Column("inputs", "Inputs"),
                  Column("enabled", "Enabled"), Column("description", "Description")],
           output_format=output_format, table_style=table_style, empty=_("No workflows."))
    if problems:
        echo_err(_("{n} problem(s) in the workflow files: run 'kundkit workflow validate'").format(
            n=len(problems)))


@cli.command("validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
def workflow_validate(ctx: Context, files: tuple[Path, ...]) -> None:
    """Check workflow files (default: all in workflows/): every problem as FILE:LINE:COL."""
    from kundkit.workflows.model import workflow_files, workflows_folder
    from kundkit.workflows.validate import validate_files

    paths = list(files) or workflow_files(workflows_folder(ctx))
    if not paths:
        raise UsageError(_("no workflow files to check in {folder}").format(
            folder=workflows_folder(ctx)))
    _found, problems = validate_files(ctx, paths)
    if problems:
        raise ProblemsError(problems)
    echo_err(_("{n} workflow file(s) checked: no problems.").format(n=len(paths)))


@cli.command("schema")
@pass_ctx
def workflow_schema(ctx: Context) -> None:
    """Print the JSON Schema of workflow files, with every step type's arguments (for editors)."""
    from kundkit.cli.output import to_json
    from kundkit.workflows.schema import workflow_schema as schema
    from kundkit.workflows.validate import step_types_of

    click.echo(to_json(schema(step_types_of(ctx))))


def _run_line(record: dict[str, Any]) -> str:
    from kundkit.workflows.runs import shown_status

    status = record["status"] if record.get("dry_run") else shown_status(record)
    return f"{record['id']}\t{status}"


@cli.command("run")
@click.argument("name")
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="An input (or an answer to an ask step); repeat for several.")
@click.option("--input", "input_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV file: run once per row, its columns named after the inputs.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; store and send nothing.")
@pass_ctx
def workflow_run(ctx: Context, name: str, sets: tuple[str, ...], input_file: Path | None,
                 dry_run: bool) -> None:
    """Run a workflow; prints the run's id and status.

    Missing inputs are asked for at a terminal; elsewhere give them with --set. With --input,
    every row is checked first and a summary lists the rows that failed.
    """
    from kundkit.workflows.engine import Engine
    from kundkit.workflows.model import load_workflow

    given = parse_sets(sets)
    workflow = load_workflow(ctx, name)
    if not workflow.manual:
        raise UsageError(_("workflow '{name}' is started by {events}, not by hand").format(
            name=workflow.name, events=", ".join(workflow.events)))
    if input_file is not None:
        _batch(ctx, workflow, input_file, given, dry_run)
        return
    engine = Engine(ctx, asker=asker(ctx), report=echo_err, dry_run=dry_run)
    record = engine.start(workflow, given)
    click.echo(_run_line(record))
    if dry_run:
        echo_err(_("Dry run: nothing was stored or sent."))
    if record["status"] == "failed":
        raise KundkitError(_("run {id} failed: {error}").format(id=record["id"],
                                                               error=record.get("error")))


def _batch(ctx: Context, workflow: Any, path: Path, given: dict[str, str], dry_run: bool) -> None:
    from kundkit.cli.output import Progress
    from kundkit.workflows.batch import read_rows, run_batch

    _header, rows = read_rows(path)
    # A counter only for a file long enough to wait for; a short one is done before anyone looks.
    progress = Progress(len(rows), _("rows")) if len(rows) >= 100 else None
    results = run_batch(ctx, workflow, path, given, dry_run=dry_run,
                        progress=(lambda result: progress.advance()) if progress else None)
    if progress is not None:
        progress.close()
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    parts = ", ".join(f"{n} {run_status_label(status)}" for status, n in sorted(counts.items()))
    echo_err(_("{n} row(s): {parts}").format(n=len(results), parts=parts or "-"))
    failed = [r.as_dict() for r in results if r.status in ("failed", "invalid")]
    if failed:
        render(failed, [Column("line", "Line", "right"), Column("status", "Status",
                                                                  show=run_status_label),
                        Column("run", "Run"), Column("error", "Error")],
               output_format="table", table_style="simple")
        sys.stdout.flush()  # the rows before the error line, as they happened
        raise KundkitError(_("{n} of {total} row(s) failed").format(n=len(failed),
                                                                    total=len(results)))
    if dry_run:
        echo_err(_("Dry run: nothing was stored or sent."))


@cli.command("runs")
@click.option("--status", type=click.Choice(RUN_STATUSES), help="Only runs with this status.")
@click.option("--workflow", "workflow_name", metavar="NAME", help="Only runs of this workflow.")
@click.option("--customer", metavar="ID", help="Only runs about this customer.")
@output_options
@pass_ctx
def workflow_runs(ctx: Context, status: str | None, workflow_name: str | None,
                  customer: str | None, output_format: str, table_style: str) -> None:
    """List workflow runs, oldest first."""
    from kundkit.workflows.runs import list_runs

    with ctx.store.read() as tx:
        records = list_runs(tx, status=status, workflow=workflow_name, customer=customer)
    rows = []
    for record in records:
        waiting = record.get("waiting") or {}
        row = {key: value for key, value in record.items() if key != "definition"}
        row["at_step"] = waiting.get("step") or record.get("next") or ""
        row["note"] = (waiting.get("message") or "") if waiting else (record.get("error") or "")
        rows.append(row)
    render(rows, [Column("id", "Run"), Column("workflow", "Workflow"),
                  Column("shown_status", "Status", show=run_status_label),
                  Column("customer", "Customer"), Column("at_step", "Step"),
                  Column("updated_at", "Updated", show=_moment), Column("note", "Note")],
           output_format=output_format, table_style=table_style, empty=_("No workflow runs."))


@cli.command("show")
@click.argument("run_id", metavar="RUN")
@output_options
@pass_ctx
def workflow_show(ctx: Context, run_id: str, output_format: str, table_style: str) -> None:
    """Show a run: its inputs, each step's status and output, and its log."""
    from kundkit.cli.output import to_json
    from kundkit.workflows.engine import summary
    from kundkit.workflows.runs import get_run, shown_status

    with ctx.store.read() as tx:
        record = get_run(tx, run_id)
    record["shown_status"] = shown_status(record)
    if output_format == "json":
        click.echo(to_json(record))
        return
    waiting = record.get("waiting") or {}
    record["waiting_text"] = (f"{waiting.get('step')}: {waiting.get('message') or ''}".strip()
                              if waiting else "")
    record["inputs_text"] = ", ".join(f"{k}={v}" for k, v in record["inputs"].items()
                                      if v not in (None, ""))
    render_record(record, [Column("id", "Run"), Column("workflow", "Workflow"),
                           Column("shown_status", "Status", show=run_status_label),
                           Column("customer", "Customer"), Column("inputs_text", "Inputs"),
                           Column("waiting_text", "Waiting"), Column("error", "Error"),
                           Column("started_at", "Started", show=_moment),
                           Column("started_by", "Started by"),
                           Column("finished_at", "Finished", show=_moment)],
                  output_format=output_format,
                  table_style=table_style if table_style != "simple" else "plain")
    steps = []
    for step in record["definition"].get("steps", []):
        entry = record["steps"].get(step["id"]) or {}
        detail = entry.get("error") or summary(entry.get("output"))
        steps.append({"step": step["id"], "uses": step["uses"],
                      "status": entry.get("status") or "", "at": entry.get("at"),
                      "detail": detail})
    click.echo("")
    render(steps, [Column("step", "Step"), Column("uses", "Uses"),
                   Column("status", "Status", show=run_status_label),
                   Column("at", "At", show=_moment), Column("detail", "Output or error")],
           output_format=output_format, table_style=table_style)


@cli.command("resume")
@click.argument("run_id", metavar="RUN", required=False)
@click.option("--set", "sets", multiple=True, metavar="NAME=VALUE",
              help="An answer the run waits for, or an input to change.")
@click.option("--due", is_flag=True, help="Resume every run whose waiting date has come.")
@click.option("--force", is_flag=True,
              help="Resume before the waiting date, or a run whose process cannot be checked.")
@pass_ctx
def workflow_resume(ctx: Context, run_id: str | None, sets: tuple[str, ...], due: bool,
                    force: bool) -> None:
    """Go on with a waiting or interrupted run (or, with --due, every run whose date has come)."""
    from kundkit.workflows.engine import Engine, due_runs

    given = parse_sets(sets)
    if due == bool(run_id):
        raise UsageError(_("give a run id, or --due"))
    ids = due_runs(ctx) if due else [str(run_id)]
    failed = 0
    for one in ids:
        engine = Engine(ctx, asker=asker(ctx), report=echo_err)
        try:
            record = engine.resume(one, given, force=force)
        except KundkitError as exc:
            if not due:
                raise
            echo_err(_("{run}: {error}").format(run=one, error=exc.message))
            failed += 1
            continue
        click.echo(_run_line(record))
        failed += record["status"] == "failed"
    if due and not ids:
        echo_err(_("No run is due."))
    if failed:
        raise KundkitError(_("{n} run(s) failed").format(n=failed))


@cli.command("cancel")
@click.argument("run_id", metavar="RUN")
@click.option("--reason", help="Why (kept in the run's log).")
@pass_ctx
def workflow_cancel(ctx: Context, run_id: str, reason: str | None) -> None:
    """Cancel a waiting, running or interrupted run."""
    from kundkit.workflows.engine import cancel_run

    record = cancel_run(ctx, run_id, reason=reason)
    click.echo(_run_line(record))
