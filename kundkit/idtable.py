"""Tables whose records carry a short readable id (``K1042``, ``T1001``) whose number is the
TinyDB document id, so that a lookup by id is one dictionary access instead of a scan.

Also the few helpers every register table shares: replacing a record in one table rebuild,
copying records out so that callers cannot change the store by accident, and "now" as stored.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

_NUMBERED = re.compile(r"^([A-Za-z]*)(\d+)$")


def number_of(record_id: str, prefix: str) -> int | None:
    """``"K1042"`` → 1042 (``"k1042"`` and ``"1042"`` too); None when it is no such id."""
    match = _NUMBERED.match(str(record_id).strip())
    if match is None or (match.group(1) and match.group(1).upper() != prefix.upper()):
        return None
    return int(match.group(2))


def make_id(prefix: str, number: int) -> str:
    return f"{prefix}{number}"


def get_numbered(tx: Transaction, table: str, record_id: str, prefix: str,
                 partition: str | None = None) -> dict[str, Any] | None:
    """The record with readable id ``record_id`` (a copy), or None."""
    number = number_of(record_id, prefix)
    if number is None:
        return None
    found = tx.raw(table, partition).get(str(number))
    return copy.deepcopy(found) if found is not None else None


def insert_numbered(tx: Transaction, table: str, record: dict[str, Any], number: int,
                    partition: str | None = None) -> None:
    from tinydb.table import Document

    tx.table(table, partition).insert(Document(record, doc_id=number))


def insert_many_numbered(tx: Transaction, table: str, records: list[tuple[int, dict[str, Any]]],
                         partition: str | None = None) -> None:
    """Insert many records in one table rebuild (TinyDB's insert costs O(table) per call)."""
    from tinydb.table import Document

    if records:
        tx.table(table, partition).insert_multiple([Document(record, doc_id=n) for n, record in records])


def replace_doc(tx: Transaction, table: str, doc_id: int, record: dict[str, Any],
                partition: str | None = None) -> None:
    """Replace the whole document ``doc_id`` (fields missing from ``record`` are dropped)."""
    new = copy.deepcopy(record)

    def swap(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(new)

    tx.table(table, partition).update(swap, doc_ids=[doc_id])


def replace_many(tx: Transaction, table: str, records: dict[int, dict[str, Any]],
                 partition: str | None = None) -> None:
    """Replace several documents in one table rebuild."""
    if not records:
        return
    news = {n: copy.deepcopy(r) for n, r in records.items()}

    def swap(doc: dict[str, Any]) -> None:
        # TinyDB calls this with each document; the doc id is not passed, so find it by "id".
        new = by_id[doc["id"]]
        doc.clear()
        doc.update(new)

    by_id = {r["id"]: r for r in news.values()}
    tx.table(table, partition).update(swap, doc_ids=list(news))


def scan(tx: Transaction, table: str, partition: str | None = None) -> Iterator[dict[str, Any]]:
    """Every record of a table as stored (do not change them: copy first)."""
    yield from tx.raw(table, partition).values()


def stamp(ctx: Context) -> str:
    """Now, as the store keeps it: ISO 8601 with the offset, to the second."""
    return ctx.now().isoformat(timespec="seconds")
