"""How a purchase looks on the terminal: its fields, its lines, its discount and follow-ups.
Shared by ``purchase show``, ``purchase add`` and ``purchase void``."""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any, TextIO

from kundkit.cli.output import Column, render, render_record, to_json
from kundkit.i18n import _, get_language


def money(value: Any, currency: str = "SEK") -> str:
    """A stored amount as the reader writes it (``12 900,00 kr`` / ``SEK 12,900.00``)."""
    from kundkit.money import format_money

    if value in (None, ""):
        return ""
    return format_money(Decimal(str(value)), currency, get_language())


def discount_text(discount: Any, currency: str = "SEK") -> str:
    if not discount:
        return _("none")
    return _("{amount} ({percent} %, {policy})").format(
        amount=money(discount["amount"], currency), percent=discount["percent"],
        policy=discount["policy"])


def kind_text(value: Any) -> str:
    return {"sale": _("sale"), "credit": _("credit note")}.get(value, value or "")


def note_text(record: dict[str, Any]) -> str:
    if record.get("credits"):
        return _("credits {id}").format(id=record["credits"])
    if record.get("voided_by"):
        return _("voided by {id}").format(id=record["voided_by"])
    return ""


def followup_text(entries: Any) -> str:
    out = []
    for entry in entries or []:
        if entry.get("task") is None:
            out.append(_("{sku}: no one to consult (no active staff)").format(sku=entry["sku"]))
        elif entry.get("created"):
            out.append(_("{sku}: {task} for {assignee}, due {due}").format(**entry))
        else:
            out.append(_("{sku}: covered by open {task} ({assignee})").format(**entry))
    return "\n".join(out)


def line_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(line, key=_("yes") if line.get("locomotive") else "") for line in record["lines"]]


def line_columns(currency: str) -> list[Column]:
    def cash(value: Any) -> str:
        return money(value, currency)

    return [Column("sku", "SKU"), Column("name", "Product"), Column("quantity", "Qty", "right"),
            Column("unit_price", "Unit price", "right", show=cash),
            Column("gross", "Gross", "right", show=cash),
            Column("discount", "Discount", "right", show=cash),
            Column("net", "Net", "right", show=cash), Column("key", "Key product")]


def record_fields(record: dict[str, Any]) -> list[Column]:
    currency = record.get("currency") or "SEK"

    def cash(value: Any) -> str:
        return money(value, currency)

    fields = [Column("id", "Purchase"), Column("kind", "Kind", show=kind_text), Column("date", "Date"),
              Column("customer", "Customer"), Column("seller", "Seller"),
              Column("gross", "Gross", show=cash),
              Column("discount", "Discount", show=lambda d: discount_text(d, currency)),
              Column("net", "Net", show=cash)]
    if record.get("discount"):
        fields.append(Column("reason", "Why"))
    if record.get("credits") or record.get("voided_by"):
        fields.append(Column("note", "Note"))
    if record.get("reason") or record.get("void_reason"):
        fields.append(Column("void_reason", "Reason for the void"))
    if record.get("order"):
        fields.append(Column("order", "Order"))
    if record.get("followups"):
        fields.append(Column("followups", "Key-product follow-up", show=followup_text))
    return fields


def show_purchase(record: dict[str, Any], *, output_format: str, table_style: str = "simple",
                  stream: TextIO | None = None, customer_name: str | None = None) -> None:
    """Print one purchase: the record as JSON, or its fields and then its lines."""
    out = stream or sys.stdout
    if output_format == "json":
        out.write(to_json(record) + "\n")
        return
    currency = record.get("currency") or "SEK"
    shown = dict(record, reason=(record.get("discount") or {}).get("reason"),
                 note=note_text(record), void_reason=record.get("reason") or record.get("void_reason"))
    if customer_name:
        shown["customer"] = f"{record['customer']} {customer_name}"
    if output_format == "csv":
        render(line_rows(record), line_columns(currency), output_format="csv", stream=out)
        return
    render_record(shown, record_fields(record), output_format="table", stream=out)
    out.write("\n")
    render(line_rows(record), line_columns(currency), output_format="table", table_style=table_style,
           stream=out)


def list_columns(currency: str) -> list[Column]:
    def cash(value: Any) -> str:
        return money(value, currency)

    return [Column("id", "ID"), Column("date", "Date"), Column("kind", "Kind", show=kind_text),
            Column("customer", "Customer"), Column("seller", "Seller"),
            Column("line_count", "Lines", "right"), Column("gross", "Gross", "right", show=cash),
            Column("discount_amount", "Discount", "right", show=cash),
            Column("net", "Net", "right", show=cash), Column("note", "Note")]
