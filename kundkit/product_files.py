"""The product range in and out of CSV or JSON files (columns named as the ``product add``
options), all rows checked before any is saved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kundkit.auditlog import record_audits
from kundkit.errors import ValidationError
from kundkit.i18n import _
from kundkit.idtable import replace_many
from kundkit.importing import ImportResult, Row, RowProblems, import_rows, rows_to_csv
from kundkit.products import FIELDS, TABLE, check_product_fields, find_product, list_products, new_product_record

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

COLUMNS = FIELDS


def _cell(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_products(ctx: Context, stream: TextIO, *, fmt: str = "csv") -> int:
    with ctx.store.read() as tx:
        rows = [{k: r.get(k) for k in COLUMNS} for r in list_products(tx, include_inactive=True)]
    if fmt == "json":
        stream.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        rows_to_csv(rows, COLUMNS, stream, _cell)
    return len(rows)


def import_products(ctx: Context, path: Path, *, fmt: str | None = None, dry_run: bool = False,
                    update: bool = False) -> ImportResult[dict[str, Any]]:
    """Import products; a SKU that exists is a problem unless ``update``."""
    currency = ctx.config.currency
    seen: set[str] = set()

    def check(tx: Transaction, row: Row, problems: RowProblems) -> dict[str, Any] | None:
        values = {k: v for k, v in row.values.items() if v not in (None, "")}
        checked: dict[str, Any] = {}
        for key in ("sku", "name", "price"):
            if key not in values:
                problems.add(key, _("a value is needed"))
        for key in FIELDS:
            if key in values:
                try:
                    checked.update(check_product_fields({key: values[key]}, currency, partial=True))
                except ValidationError as exc:
                    problems.add_error(exc, key)
        if problems:
            return None
        sku = checked["sku"]
        if sku in seen:
            problems.add("sku", _("SKU '{sku}' appears twice in the file").format(sku=sku))
            return None
        seen.add(sku)
        existing = find_product(tx, sku)
        if existing is not None and not update:
            problems.add("sku", _("a product with SKU '{sku}' already exists (use --update)").format(sku=sku))
            return None
        full = check_product_fields({**checked}, currency)
        if existing is not None:
            return {**existing, **{k: v for k, v in full.items() if k in values or k == "sku"}}
        return new_product_record(full)

    def commit(tx: Transaction, items: list[tuple[Row, dict[str, Any]]]) -> None:
        index = {r["id"]: int(k) for k, r in tx.raw(TABLE).items()}
        updates = {index[r["id"]]: r for _row, r in items if r["id"] in index}
        news = [r for _row, r in items if r["id"] not in index]
        replace_many(tx, TABLE, updates)
        if news:
            tx.table(TABLE).insert_multiple(news)
        record_audits(ctx, tx, [{"action": "import", "table": TABLE, "record_id": r["id"],
                                 "fields": [k for k in FIELDS if r.get(k) not in (None, "")]}
                                for _row, r in items])

    return import_rows(ctx, path, check=check, commit=commit, known=COLUMNS, fmt=fmt, dry_run=dry_run)
