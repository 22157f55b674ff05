"""A worker process for the store's concurrency and crash tests (run as a script)."""

from __future__ import annotations

import sys
from pathlib import Path

from kundkit.store import Store


def insert(root: Path, worker: int, count: int) -> None:
    store = Store(root)
    for i in range(count):
        with store.transaction() as tx:
            n = tx.next_id("item")
            tx.table("items").insert({"id": n, "worker": worker, "i": i})


def increment(root: Path, count: int) -> None:
    store = Store(root)
    for _ in range(count):
        with store.transaction() as tx:
            table = tx.table("counter")
            row = table.get(doc_id=1)
            if row is None:
                table.insert({"value": 1})
            else:
                table.update({"value": row["value"] + 1}, doc_ids=[1])


def crash_loop(root: Path) -> None:
    """Commit forever: each commit changes three files that must stay consistent."""
    import filelock, orjson, tinydb  # noqa: E401,F401  # loaded before "ready", so kills hit commits

    store = Store(root)
    payload = "x" * 200
    print("ready", flush=True)
    first = True
    while True:
        with store.transaction() as tx:
            n = tx.next_id("step")
            tx.table("ledger").update({"steps": n}, doc_ids=[1]) if tx.table("ledger").get(doc_id=1) \
                else tx.table("ledger").insert({"steps": n})
            month = f"p{n % 3}"
            tx.table("entries", month).insert({"n": n, "payload": payload})
        if first:
            print("committed", flush=True)
            first = False


if __name__ == "__main__":
    mode, root = sys.argv[1], Path(sys.argv[2])
    if mode == "insert":
        insert(root, int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "increment":
        increment(root, int(sys.argv[3]))
    elif mode == "crash":
        crash_loop(root)
