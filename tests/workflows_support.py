"""Shared set-up of the workflow and feedback tests: a copy of the example business with staff,
products and customers, contexts for domain calls, and workflow files written by a test."""

from __future__ import annotations

import textwrap
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
        if table == "customers":
            from kundkit.customers import iter_customers

            return [dict(r) for r in iter_customers(tx)]
        return [dict(r) for r in tx.raw(table).values()]
