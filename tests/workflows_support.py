"""Shared set-up of the workflow and feedback tests: a copy of the example business with staff,
products and customers, contexts for domain calls, and workflow files written by a test."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from kundkit.context import Context

STAFF = [("anna", "Anna Lind"), ("erik", "Erik Ström"), ("maria", "Maria Ek")]
PRODUCTS = [
    {"sku": "SKRUV-100", "name": "Träskruv 4x40, 100 st", "category": "förbrukning", "price": "89.00",
     "weight": "1"},
    {"sku": "SAG-KAP", "name": "Kapsåg 254 mm", "category": "maskiner", "price": "12900.00",
     "weight": "2", "locomotive": True},
]
CUSTOMERS = [
    {"name": "Bygg & Montage AB", "kind": "company", "orgnr": "556036-0793", "segment": "bygg",
     "manager": "anna", "email": "info@byggmontage.example", "contact": "Per Lindqvist"},
    {"name": "Karin Nilsson", "kind": "person", "segment": "privat", "manager": "erik",
     "email": "karin@example.com", "language": "en"},
    {"name": "Tyst Kund", "kind": "person", "segment": "privat", "manager": "maria"},
]


def context(business: Path, **kwargs: Any) -> Context:
    kwargs.setdefault("actor", "anna")
    kwargs.setdefault("no_input", True)
    return Context(config_path=business / "kundkit.yaml", **kwargs)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def set_section(business: Path, name: str, value: Any) -> None:
    """Replace (or remove, with None) a top-level section of the business's kundkit.yaml."""
    path = business / "kundkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        data.pop(name, None)
    else:
        data[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def populate(business: Path) -> None:
    """Staff anna, erik, maria; two products (SAG-KAP is a key product); customers K1001 (a company
    with e-mail), K1002 (a person with e-mail, English) and K1003 (no way to reach her)."""
    from kundkit.customers import create_customer
    from kundkit.products import create_product
    from kundkit.staff import create_staff

    ctx = context(business)
    with ctx.store.transaction() as tx:
        for sid, name in STAFF:
            create_staff(ctx, tx, staff_id=sid, name=name)
        for product in PRODUCTS:
            create_product(ctx, tx, product)
        for customer in CUSTOMERS:
            create_customer(ctx, tx, dict(customer), force=True)


def write_workflow(business: Path, name: str, text: str) -> Path:
    path = business / "workflows" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def run_workflow(business: Path, name: str, given: dict[str, Any] | None = None, *,
                 dry_run: bool = False, **kwargs: Any) -> dict[str, Any]:
    from kundkit.workflows.engine import Engine
    from kundkit.workflows.model import load_workflow

    ctx = context(business, **kwargs)
    return Engine(ctx, dry_run=dry_run).start(load_workflow(ctx, name), given or {})


def get_record(business: Path, table: str, record_id: str) -> dict[str, Any]:
    ctx = context(business)
    with ctx.store.read() as tx:
        if table == "workflow_runs":
            from kundkit.workflows.runs import get_run

            return get_run(tx, record_id)
        if table == "feedback":
            from kundkit.feedback import get_feedback

            return get_feedback(tx, record_id)
        if table == "tasks":
            from kundkit.tasks import get_task

            return get_task(tx, record_id)
        from kundkit.customers import get_customer

        return get_customer(tx, record_id)


def all_records(business: Path, table: str) -> list[dict[str, Any]]:
    ctx = context(business)
    with ctx.store.read() as tx:
        if table == "workflow_runs":
            from kundkit.workflows.runs import iter_runs

            return [dict(r) for r in iter_runs(tx)]
        return [dict(r) for r in tx.raw(table).values()]


# -- pages of documentation, replayed --------------------------------------------------------------

_FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_FILE_MARK = re.compile(r"<!-- file: (\S+) -->\n$")
# The random part of a file name a channel writes (outbox/20261120T090000Z-K1005-23d9b3135798.eml).
_RANDOM = re.compile(r"-[0-9a-f]{12}\.(eml|pdf)")
_EDIT = re.compile(r"^<!-- edit: (\S+) ([\w.]+) = (.*?) -->$", re.MULTILINE)


@dataclass
class Example:
    """``$ [VAR=value ...] kundkit ... [| head -n N]`` and what the page says it prints."""

    command: str
    expected: str = ""


@dataclass
class Edit:
    """``<!-- edit: FILE KEY.PATH = YAML -->``: what the text just before tells the reader to change."""

    file: str
    key: str
    value: str

    def apply(self, business: Path) -> None:
        path = business / self.file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        *parents, last = self.key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = yaml.safe_load(self.value)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def read_page(path: Path) -> list[tuple[str, str] | Example | Edit]:
    """Files to write, edits to make and commands to run, in the order of the page."""
    text = path.read_text(encoding="utf-8")
    steps: list[tuple[str, str] | Example | Edit] = []
    found = sorted([(m.start(), m) for m in _FENCE.finditer(text)]
                   + [(m.start(), m) for m in _EDIT.finditer(text)], key=lambda pair: pair[0])
    for _start, match in found:
        if match.re is _EDIT:
            steps.append(Edit(*match.groups()))
            continue
        language, body = match.group(1), match.group(2)
        mark = _FILE_MARK.search(text[:match.start()])
        if mark and text[mark.end():match.start()] == "":
            steps.append((mark.group(1), body))
            continue
        if language != "console":
            continue
        current: Example | None = None
        for line in body.splitlines():
            if line.startswith("$ "):
                current = Example(line[2:])
                steps.append(current)
            elif current is not None:
                current.expected += line + "\n"
    return steps


def run_example(command: str) -> str:
    """The output (stdout and stderr, as a person sees them) of one example command."""
    import shlex

    from click.testing import CliRunner

    from kundkit.cli.app import cli

    words = shlex.split(command)
    env: dict[str, str] = {}
    while words and "=" in words[0] and words[0] != "kundkit":
        name, _sep, value = words.pop(0).partition("=")
        env[name] = value
    head = None
    if "|" in words:
        at_pipe = words.index("|")
        assert words[at_pipe + 1:at_pipe + 3] == ["head", "-n"], command
        head = int(words[at_pipe + 3])
        words = words[:at_pipe]
    assert words[0] == "kundkit", command
    result = CliRunner().invoke(cli, words[1:], env=env, catch_exceptions=False)
    output = result.output
    if head is not None:
        output = "".join(output.splitlines(keepends=True)[:head])
    return output


def replay_page(path: Path, business: Path) -> list[Example]:
    """Run every example of the page in order; returns the examples whose output differs."""
    wrong = []
    for step in read_page(path):
        if isinstance(step, Edit):
            step.apply(business)
            continue
        if isinstance(step, tuple):
            target = business / step[0]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step[1], encoding="utf-8")
            continue
        output = run_example(step.command)
        if _RANDOM.sub("-*.\\1", output).rstrip("\n") != \
                _RANDOM.sub("-*.\\1", step.expected).rstrip("\n"):
            wrong.append(Example(step.command, output))
    return wrong
