"""The store's guarantees, with real processes and real files."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kundkit.errors import StoreCorrupt, StoreLocked
from kundkit.store import Store

WORKER = str(Path(__file__).with_name("store_worker.py"))


def _spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, WORKER, *args], stdout=subprocess.PIPE, text=True)


def _all_json_valid(root: Path) -> None:
    for path in list(root.glob("*.json")) + list(root.glob("*/*.json")):
        json.loads(path.read_text())


def test_eight_processes_insert_2000_records_without_loss(tmp_path: Path) -> None:
    root = tmp_path / "data"
    workers = [_spawn("insert", str(root), str(w), "250") for w in range(8)]
    for proc in workers:
        assert proc.wait(timeout=300) == 0
    with Store(root).read() as tx:
        items = tx.table("items").all()
        assert len(items) == 2000
        assert sorted(item["id"] for item in items) == list(range(1, 2001))
        assert tx.meta["counters"]["item"] == 2000
        for w in range(8):
            assert sorted(i["i"] for i in items if i["worker"] == w) == list(range(250))
    _all_json_valid(root)


def test_two_processes_increment_one_counter_to_1000(tmp_path: Path) -> None:
    root = tmp_path / "data"
    workers = [_spawn("increment", str(root), "500") for _ in range(2)]
    for proc in workers:
        assert proc.wait(timeout=300) == 0
    with Store(root).read() as tx:
        assert tx.table("counter").get(doc_id=1)["value"] == 1000


def _check_consistent(root: Path) -> int:
    store = Store(root)
    with store.read() as tx:
        steps = tx.meta.get("counters", {}).get("step", 0)
        ledger = tx.table("ledger").get(doc_id=1)
        entries = sum(len(tx.table("entries", p).all()) for p in tx.partitions("entries"))
    # Three files changed in each commit: all of them or none.
    assert (ledger or {}).get("steps", 0) == steps == entries
    assert not [p for p in root.rglob("*") if ".tmp-" in p.name]
    _all_json_valid(root)
    return steps


def test_writer_killed_at_random_moments_never_tears_the_store(tmp_path: Path) -> None:
    root = tmp_path / "data"
    rng = random.Random(20261203)
    kills, previous, advanced = 120, 0, 0
    for _ in range(kills):
        proc = _spawn("crash", str(root))
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        # Kill while the writer is committing back to back: after its first commit, at a random
        # moment within the next few commits (each takes a few ms, mostly in fsync).
        assert proc.stdout.readline().strip() == "committed"
        time.sleep(rng.uniform(0.0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        steps = _check_consistent(root)
        assert steps >= previous
        advanced += steps > previous
        previous = steps
    # Every run committed at least once before it was killed, so the store moved on each time.
    assert advanced == kills and previous >= kills


def test_leftover_temporary_file_is_removed_on_next_open(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with store.transaction() as tx:
        tx.table("items").insert({"a": 1})
    stray = tmp_path / "data" / "items.json.tmp-deadbeef"
    stray.write_text('{"items": {"1": {"a": 2}}}')
    with store.read() as tx:
        assert tx.table("items").all() == [{"a": 1}]
    assert not stray.exists()


def test_journal_left_by_a_dead_commit_is_rolled_forward(tmp_path: Path) -> None:
    root = tmp_path / "data"
    store = Store(root)
    with store.transaction() as tx:
        tx.table("a").insert({"v": 1})
        tx.table("b").insert({"v": 1})
    # A commit that died after writing its journal and renaming one of two files.
    (root / "b.json.tmp-x").write_text('{"b": {"1": {"v": 2}}}')
    (root / "a.json").write_text('{"a": {"1": {"v": 2}}}')
    (root / "journal.json").write_text(json.dumps([[None, "gone.json"], ["b.json.tmp-x", "b.json"]]))
    with store.read() as tx:
        assert tx.table("a").all() == [{"v": 2}] and tx.table("b").all() == [{"v": 2}]
    assert not (root / "journal.json").exists()


def test_failed_transaction_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with store.transaction() as tx:
        tx.table("items").insert({"a": 1})
    before = (tmp_path / "data" / "items.json").read_bytes()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.table("items").insert({"a": 2})
        raise RuntimeError("boom")
    assert (tmp_path / "data" / "items.json").read_bytes() == before


def test_corrupt_file_is_refused_named_and_left_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with store.transaction() as tx:
        tx.table("items").insert({"a": 1})
    path = tmp_path / "data" / "items.json"
    path.write_bytes(b'{"items": {"1": {"a": 1}')  # truncated
    damaged = path.read_bytes()
    with pytest.raises(StoreCorrupt) as info, store.transaction() as tx:
        tx.table("items").insert({"a": 2})
    assert str(path) in str(info.value)
    assert path.read_bytes() == damaged


def test_lock_wait_times_out_with_a_clear_message(tmp_path: Path) -> None:
    from filelock import FileLock

    root = tmp_path / "data"
    root.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from filelock import FileLock; "
        f"l = FileLock({str(root / '.lock')!r}); l.acquire(); print('held', flush=True); time.sleep(30)")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLocked) as info, Store(root, lock_timeout=0.3).transaction():
            pass
        assert "busy" in str(info.value) and str(root) in str(info.value)
    finally:
        holder.kill()
        holder.wait()
    assert FileLock  # the lock is the library's, not ours


def test_no_float_money_and_ids_never_reused(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    with store.transaction() as tx:
        a = tx.next_id("customer", start=1001)
        b = tx.next_id("customer", start=1001)
    assert (a, b) == (1001, 1002)
    with store.transaction() as tx:
        assert tx.next_id("customer", start=1001) == 1003


def test_a_nested_transaction_is_refused_at_once_instead_of_waiting_for_itself(tmp_path: Path) -> None:
    from kundkit.errors import StoreError

    store = Store(tmp_path / "data", lock_timeout=30)
    started = time.monotonic()
    with store.transaction() as tx:
        tx.table("items").insert({"a": 1})
        with pytest.raises(StoreError, match="nested transaction"), Store(tmp_path / "data").read():
            pass
    assert time.monotonic() - started < 5
    with store.read() as tx:  # the outer transaction still committed, and the lock is free
        assert tx.table("items").all() == [{"a": 1}]
