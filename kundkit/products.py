"""Products: SKU, name, category, unit price and cost, weight and whether it is a locomotive.

**Weight** says how much a product matters to the business's finances (a positive number, 1 by
default): reports and plans multiply by it. A **locomotive** is a key profit product that pulls the
rest of the range along; selling one starts a follow-up with the customer.

Money is kept as decimal strings in the business's currency (``"1234.50"``), weights as decimal
strings (``"1.5"``), never floats. Lookups by SKU go through an index kept for the transaction, so
that a batch of purchases does not scan the product table once per line.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from kundkit.auditlog import record_audit
from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.i18n import _
from kundkit.idtable import replace_doc, stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

TABLE = "products"
FIELDS = ("sku", "name", "category", "price", "cost", "weight", "locomotive", "active")
EDITABLE = ("name", "category", "price", "cost", "weight", "locomotive", "active")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
_TRUE = {"1", "true", "yes", "y", "ja", "j", "x", "sant"}
_FALSE = {"0", "false", "no", "n", "nej", "", "falskt"}


def parse_sku(text: str) -> str:
    value = str(text).strip()
    if not _SKU.match(value):
        raise ValidationError(_("SKU {value!r} must be 1–40 letters, digits, '.', '_', '/' or '-'").format(
            value=text), field="sku")
    return value


def parse_weight(value: Any) -> str:
    """A positive decimal weight as the store keeps it (``"1.5"``)."""
    if isinstance(value, bool):
        raise ValidationError(_("weight: {value!r} is not a number").format(value=value), field="weight")
    text = str(value).strip().replace(",", ".")
    try:
        weight = Decimal(text)
    except InvalidOperation:
        raise ValidationError(_("weight: {value!r} is not a number").format(value=value),
                              field="weight") from None
    if not weight.is_finite() or weight <= 0:
        raise ValidationError(_("weight: must be a positive number, not {value}").format(value=value),
                              field="weight")
    return format(weight.normalize(), "f")


def parse_flag(value: Any, field: str) -> bool:
    """yes/no, true/false, ja/nej, 1/0, x/blank → bool."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError(_("{field}: {value!r} is not yes or no").format(field=field, value=value),
                          field=field)


def _money(value: Any, currency: str, field: str) -> str:
    from kundkit.money import money_str, to_money

    amount = to_money(value if not isinstance(value, float) else str(value), currency, field=field)
    if amount < 0:
        raise ValidationError(_("{field}: must not be negative").format(field=field), field=field)
    return money_str(amount, currency)


def check_product_fields(fields: dict[str, Any], currency: str, *, partial: bool = False) -> dict[str, Any]:
    """Validate and normalise product fields (the names of the CLI options and CSV columns).

    ``partial`` checks only the fields given (an edit); otherwise sku, name and price are required.
    """
    out: dict[str, Any] = {}
    if not partial:
        for required in ("sku", "name", "price"):
            if fields.get(required) in (None, ""):
                raise ValidationError(_("{field}: a value is needed").format(field=required), field=required)
    if "sku" in fields:
        out["sku"] = parse_sku(fields["sku"])
    if "name" in fields:
        name = str(fields["name"] or "").strip()
        if not name:
            raise ValidationError(_("name: a value is needed"), field="name")
        out["name"] = name
    if "category" in fields:
        out["category"] = str(fields["category"]).strip() if fields["category"] else None
    if "price" in fields:
        out["price"] = _money(fields["price"], currency, "price")
    if "cost" in fields:
        out["cost"] = _money(fields["cost"], currency, "cost") if fields["cost"] not in (None, "") else None
    if "weight" in fields or not partial:
        raw = fields.get("weight")
        out["weight"] = parse_weight(raw) if raw not in (None, "") else "1"
    if "locomotive" in fields or not partial:
        out["locomotive"] = parse_flag(fields.get("locomotive", False), "locomotive")
    if "active" in fields or not partial:
        raw_active = fields.get("active", True)
        out["active"] = parse_flag(True if raw_active in (None, "") else raw_active, "active")
    return out


# -- the SKU index ------------------------------------------------------------------------------

def _index(tx: Transaction) -> dict[str, int]:
    """SKU → doc id, rebuilt when the table changed size (TinyDB swaps the table dict on writes,
    so the identity of the raw dict tells too)."""
    raw = tx.raw(TABLE)
    cached = getattr(tx, "_kundkit_sku_index", None)
    if cached is not None and cached[0] is raw and cached[1] == len(raw):
        return cached[2]
    index = {record["id"]: int(key) for key, record in raw.items()}
    tx._kundkit_sku_index = (raw, len(raw), index)  # type: ignore[attr-defined]
    return index


def _find(tx: Transaction, sku: str) -> tuple[int, dict[str, Any]] | None:
    key = str(sku).strip()
    doc_id = _index(tx).get(key)
    if doc_id is None:
        return None
    record = tx.raw(TABLE).get(str(doc_id))
    if record is None or record.get("id") != key:
        tx._kundkit_sku_index = None  # type: ignore[attr-defined]
        doc_id = _index(tx).get(key)
        record = tx.raw(TABLE).get(str(doc_id)) if doc_id is not None else None
        if record is None:
            return None
    return doc_id, record


def get_product(tx: Transaction, sku: str) -> dict[str, Any]:
    """The product with this SKU; :class:`NotFound` naming it otherwise."""
    found = _find(tx, sku)
    if found is None:
        raise NotFound(_("no product with SKU '{sku}' (see 'kundkit product list')").format(sku=sku))
    return dict(found[1])


def find_product(tx: Transaction, sku: str) -> dict[str, Any] | None:
    """The product with this SKU, or None."""
    found = _find(tx, sku)
    return dict(found[1]) if found else None


def list_products(tx: Transaction, *, category: str | None = None, locomotive: bool | None = None,
                  include_inactive: bool = False, text: str | None = None) -> list[dict[str, Any]]:
    """Products sorted by SKU, filtered."""
    needle = text.casefold() if text else None
    out = []
    for record in tx.raw(TABLE).values():
        if not include_inactive and not record.get("active", True):
            continue
        if category is not None and (record.get("category") or "").casefold() != category.casefold():
            continue
        if locomotive is not None and bool(record.get("locomotive")) != locomotive:
            continue
        if needle and needle not in record["sku"].casefold() and needle not in record["name"].casefold():
            continue
        out.append(dict(record))
    return sorted(out, key=lambda r: r["sku"])


def locomotives(tx: Transaction) -> list[dict[str, Any]]:
    """The active key profit products."""
    return list_products(tx, locomotive=True)


def new_product_record(fields: dict[str, Any]) -> dict[str, Any]:
    """A full product record from checked fields (see :func:`check_product_fields`)."""
    record = {"id": fields["sku"], "sku": fields["sku"], "name": fields["name"],
              "category": fields.get("category"), "price": fields["price"], "cost": fields.get("cost"),
              "weight": fields.get("weight", "1"), "locomotive": bool(fields.get("locomotive")),
              "active": fields.get("active", True)}
    return record


def create_product(ctx: Context, tx: Transaction, fields: dict[str, Any]) -> dict[str, Any]:
    """Add a product; :class:`Conflict` when the SKU exists."""
    checked = check_product_fields(fields, ctx.config.currency)
    if _find(tx, checked["sku"]) is not None:
        raise Conflict(_("a product with SKU '{sku}' already exists").format(sku=checked["sku"]))
    record = new_product_record(checked)
    record["created_at"] = stamp(ctx)
    tx.table(TABLE).insert(record)
    record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"],
                 fields=[k for k in FIELDS if record.get(k) not in (None, "")])
    return record


def edit_product(ctx: Context, tx: Transaction, sku: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of a product (not its SKU). Returns the updated record."""
    found = _find(tx, sku)
    if found is None:
        get_product(tx, sku)
        raise AssertionError
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("product: cannot change {fields}").format(fields=", ".join(sorted(unknown))),
                              field=sorted(unknown)[0])
    doc_id, old = found
    new = {**old, **check_product_fields(changes, ctx.config.currency, partial=True)}
    changed = [k for k in EDITABLE if new.get(k) != old.get(k)]
    if changed:
        replace_doc(tx, TABLE, doc_id, new)
        record_audit(ctx, tx, action="update", table=TABLE, record_id=old["id"], fields=changed)
    return dict(new)


def product_price(product: dict[str, Any]) -> Decimal:
    from kundkit.money import parse_stored

    return parse_stored(product["price"], field="price")


def product_weight(product: dict[str, Any]) -> Decimal:
    return Decimal(str(product.get("weight") or "1"))
