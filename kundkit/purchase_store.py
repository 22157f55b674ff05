"""Where purchases live in the store, laid out so that one sale never reads the whole history.

* ``purchases/<YYYY-MM>.json`` — the purchases and credit notes of one month (by their date); the
  document id is the number of the purchase id (``P1042`` → 1042).
* ``purchase_months.json`` — one small record per month: which purchase numbers it holds (as
  ranges) and how many purchases and lines, so that ``purchase show P1042`` opens one month only.
* ``purchase_totals/<bucket>.json`` — one record per customer (document id = the customer number,
  a thousand customers per file): the net per day, lifetime sums and each discount policy's own
  state (e.g. loyalty points). It is updated in the same transaction as every sale and void, and
  it is all a discount needs.
* ``purchase_orders.json`` — the order ids of imported purchases, so that a file is not imported
  twice.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kundkit.errors import NotFound, ValidationError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.store import Transaction

PURCHASES = "purchases"
MONTHS = "purchase_months"
TOTALS = "purchase_totals"
ORDERS = "purchase_orders"
BUCKET = 1000


def month_of(day: date | str) -> str:
    text = day if isinstance(day, str) else day.isoformat()
    return text[:7]


def number_of(record_id: str, prefix: str) -> int:
    """``P1042`` → 1042; a malformed id is a validation error naming it."""
    text = str(record_id).strip()
    if len(text) > 1 and text[0].upper() == prefix and text[1:].isdigit():
        return int(text[1:])
    raise ValidationError(_("'{value}' is not a valid id (expected {prefix} and a number)").format(
        value=record_id, prefix=prefix), field="id")


def bucket_of(customer_id: str) -> str:
    return f"k{number_of(customer_id, 'K') // BUCKET}"


# -- the month index ------------------------------------------------------------------------------

def _month_doc_id(month: str) -> int:
    return int(month[:4]) * 100 + int(month[5:7])


def _merge(ranges: list[list[int]], numbers: Iterable[int]) -> list[list[int]]:
    spans = sorted([list(r) for r in ranges] + [[n, n] for n in numbers])
    out: list[list[int]] = []
    for lo, hi in spans:
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return out


def index_months(tx: Transaction, added: dict[str, tuple[list[int], int]]) -> None:
    """Record the purchase numbers (and line counts) added to each month."""
    table = tx.table(MONTHS)
    new, changed = [], {}
    for month, (numbers, lines) in added.items():
        doc_id = _month_doc_id(month)
        found = table.get(doc_id=doc_id)
        if found is None:
            from tinydb.table import Document

            new.append(Document({"id": month, "ranges": _merge([], numbers),
                                 "purchases": len(numbers), "lines": lines}, doc_id=doc_id))
        else:
            changed[doc_id] = {"id": month, "ranges": _merge(found["ranges"], numbers),
                               "purchases": found["purchases"] + len(numbers),
                               "lines": found["lines"] + lines}
    if changed:
        table.update(lambda doc: doc.update(changed[_month_doc_id(doc["id"])]), doc_ids=list(changed))
    if new:
        table.insert_multiple(new)


def month_of_number(tx: Transaction, number: int) -> str | None:
    for record in tx.raw(MONTHS).values():
        for lo, hi in record["ranges"]:
            if lo <= number <= hi:
                return str(record["id"])
    return None


def months(tx: Transaction, first: date | None = None, last: date | None = None) -> list[str]:
    """The months that hold purchases, oldest first, limited to a period when given."""
    lo = month_of(first) if first else ""
    hi = month_of(last) if last else "9999-99"
    return [m for m in tx.partitions(PURCHASES) if lo <= m <= hi]


def find_purchase(tx: Transaction, purchase_id: str) -> dict[str, Any]:
    number = number_of(purchase_id, "P")
    month = month_of_number(tx, number)
    record = tx.raw(PURCHASES, month).get(str(number)) if month else None
    if record is None:
        raise NotFound(_("no purchase {id}").format(id=f"P{number}"))
    return copy.deepcopy(record)


def iter_purchases(tx: Transaction, first: date | None = None,
                   last: date | None = None) -> Iterator[dict[str, Any]]:
    """Every purchase and credit note dated in the period (read-only dicts), by date then id."""
    lo = first.isoformat() if first else ""
    hi = last.isoformat() if last else "9999"
    for month in months(tx, first, last):
        records = [r for r in tx.raw(PURCHASES, month).values() if lo <= r["date"] <= hi]
        records.sort(key=lambda r: (r["date"], number_of(r["id"], "P")))
        yield from records


# -- running totals per customer ------------------------------------------------------------------

def empty_totals(customer_id: str) -> dict[str, Any]:
    return {"id": customer_id, "purchases": 0, "credits": 0, "gross": "0.00", "net": "0.00",
            "first": None, "last": None, "daily": {}, "state": {}}


def load_totals(tx: Transaction, customer_id: str) -> dict[str, Any]:
    """The customer's running totals (a private copy; save changes with :func:`save_totals`)."""
    found = tx.raw(TOTALS, bucket_of(customer_id)).get(str(number_of(customer_id, "K")))
    return copy.deepcopy(found) if found is not None else empty_totals(customer_id)


def load_all_totals(tx: Transaction, customer_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    return {cid: load_totals(tx, cid) for cid in customer_ids}


def save_totals(tx: Transaction, records: Iterable[dict[str, Any]]) -> None:
    """Write customers' totals back: one pass over each bucket file, however many changed."""
    from tinydb.table import Document

    by_bucket: dict[str, dict[int, dict[str, Any]]] = {}
    for record in records:
        by_bucket.setdefault(bucket_of(record["id"]), {})[number_of(record["id"], "K")] = record
    for bucket, changed in by_bucket.items():
        table = tx.table(TOTALS, bucket)
        raw = tx.raw(TOTALS, bucket)
        existing = [n for n in changed if str(n) in raw]
        fresh = [Document(changed[n], doc_id=n) for n in changed if str(n) not in raw]
        if existing:
            def replace_doc(doc: dict[str, Any]) -> None:
                new = changed[number_of(doc["id"], "K")]
                doc.clear()
                doc.update(new)

            table.update(replace_doc, doc_ids=existing)
        if fresh:
            table.insert_multiple(fresh)


def add_to_totals(totals: dict[str, Any], day: str, gross: Decimal, net: Decimal, *,
                  credit: bool = False) -> None:
    """Count a sale (or, with ``credit``, take a voided one off the day it was made)."""
    daily = totals["daily"]
    value = Decimal(daily.get(day, "0.00")) + net
    if value:
        daily[day] = str(value)
    else:
        daily.pop(day, None)
    totals["gross"] = str(Decimal(totals["gross"]) + gross)
    totals["net"] = str(Decimal(totals["net"]) + net)
    if credit:
        totals["credits"] += 1
        return
    totals["purchases"] += 1
    if totals["first"] is None or day < totals["first"]:
        totals["first"] = day
    if totals["last"] is None or day > totals["last"]:
        totals["last"] = day


def add_days(totals: dict[str, Any], days: dict[str, Decimal], purchases: int) -> None:
    """Count many sales at once (an import): ``days`` is the net of the new sales per day (gross
    and net alike: imported history has no discount), ``purchases`` how many sales they are."""
    totals["purchases"] += purchases
    daily = totals["daily"]
    added = Decimal("0.00")
    for day, net in days.items():
        value = Decimal(daily.get(day, "0.00")) + net
        if value:
            daily[day] = str(value)
        else:
            daily.pop(day, None)
        added += net
    totals["gross"] = str(Decimal(totals["gross"]) + added)
    totals["net"] = str(Decimal(totals["net"]) + added)
    first, last = min(days), max(days)
    if totals["first"] is None or first < totals["first"]:
        totals["first"] = first
    if totals["last"] is None or last > totals["last"]:
        totals["last"] = last


def daily_decimals(totals: dict[str, Any]) -> dict[str, Decimal]:
    return {day: Decimal(amount) for day, amount in totals["daily"].items()}
