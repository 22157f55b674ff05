"""The store: TinyDB files under the business folder, and every guarantee kundkit makes about them.

Nothing else opens the database files. The layout (all JSON, in TinyDB's format)::

    data/
      meta.json                 schema version and id counters
      staff.json                one file per table ...
      customers/k1.json         ... and large tables split into partitions (customers by the
      purchases/2026-11.json    thousand, purchases by month)
      .lock                     the inter-process lock

Guarantees:

* Every transaction (read or write) holds an inter-process lock, so several staff can use one store
  at the same time and a read-modify-write never loses another process's update.
* A commit writes each changed file to a temporary file in the same folder (flush, fsync), then
  records the set of renames in a journal (itself written atomically), then renames; the journal is
  replayed by the next process if the writer died half-way. So a crash or ``kill -9`` at any moment
  leaves either the whole old state or the whole new state, never a torn or half-committed one.
* A damaged file stops kundkit with a message naming it and the latest backup; it is never
  overwritten.
* A transaction reads each file at most once and writes each changed file once, so the cost of a
  write grows with the files it touches, not with the whole history.

TinyDB keeps a ``Table``'s next document id cached; we build fresh TinyDB objects for every
transaction, from data read under the lock, so no cache ever outlives the lock.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import SchemaVersionError, StoreCorrupt, StoreError, StoreLocked
from kundkit.i18n import _

if TYPE_CHECKING:
    from tinydb.table import Table

SCHEMA_VERSION = 1
META = "meta.json"
JOURNAL = "journal.json"
LOCK = ".lock"
TMP_MARK = ".tmp-"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_PARTITION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")

# Stores whose lock this process holds now (see Store._locked).
_HELD: set[str] = set()

# Migrations from version N to N+1: functions taking a writable Transaction. Empty while the store
# is at its first version; ``kundkit db upgrade`` runs them after a backup.
MIGRATIONS: dict[int, Any] = {}


def _fsync_dir(path: Path) -> None:
    # Renames are only durable once the folder itself is synced (POSIX); Windows has no dir fds.
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _dumps(data: Any) -> bytes:
    import orjson

    return orjson.dumps(data)


def _loads(raw: bytes) -> Any:
    import orjson

    return orjson.loads(raw)


class _LockTimeout(Exception):
    """The lock was not had within the timeout (filelock's Timeout on Windows)."""


class _QueuedLock:
    """An exclusive ``flock`` that waits in the kernel's queue instead of polling.

    filelock polls every 50 ms, so under contention a waiter can lose round after round to
    newcomers and time out while others get through; a blocking ``flock`` is woken as soon as the
    lock is free. The blocking call runs in a helper thread so that the wait can time out; a wait
    that timed out releases the lock at once if it gets it later.
    """

    def __init__(self, path: Path, timeout: float) -> None:
        self.path = path
        self.timeout = timeout
        self.fd: int | None = None

    def acquire(self) -> None:
        import fcntl
        import threading

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            self.fd = fd
            return
        except BlockingIOError:
            pass
        except BaseException:
            os.close(fd)
            raise
        guard = threading.Lock()
        state = {"got": False, "abandoned": False}

        def wait() -> None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                with guard:
                    state["abandoned"] = True
                os.close(fd)
                return
            with guard:
                if state["abandoned"]:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                    os.close(fd)
                else:
                    state["got"] = True

        waiter = threading.Thread(target=wait, name="kundkit-store-lock", daemon=True)
        waiter.start()
        waiter.join(self.timeout if self.timeout >= 0 else None)
        with guard:
            if state["got"]:
                self.fd = fd
                return
            state["abandoned"] = True
        raise _LockTimeout(str(self.path))

    def release(self) -> None:
        import fcntl

        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None


def _lock_for(path: Path, timeout: float) -> Any:
    if os.name == "posix":
        return _QueuedLock(path, timeout)
    from filelock import FileLock, Timeout  # Windows: the library's lock, which polls

    class _WindowsLock(FileLock):
        def acquire(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super().acquire(*args, **kwargs)
            except Timeout:
                raise _LockTimeout(str(path)) from None

    return _WindowsLock(str(path), timeout=timeout)


class _MemoryStorage:
    """A TinyDB storage over a dict read once; the transaction writes it back at commit."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = False

    def read(self) -> dict[str, Any]:
        return self.data

    def write(self, data: dict[str, Any]) -> None:
        self.data = data
        self.dirty = True

    def close(self) -> None:
        pass


class Store:
    """The store of one business. Open with :meth:`transaction` (write) or :meth:`read`."""

    def __init__(self, root: Path, *, lock_timeout: float | None = None,
                 backups: Path | None = None) -> None:
        self.root = Path(root)
        if lock_timeout is None:
            lock_timeout = float(os.environ.get("KUNDKIT_LOCK_TIMEOUT", "30"))
        self.lock_timeout = lock_timeout
        self.backups = backups or self.root.parent / "backups"

    # -- locking and recovery -------------------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        key = str(self.root.resolve())
        if key in _HELD:
            # A second lock in the same process would wait for itself, and a nested transaction
            # would overwrite the outer one's changes: pass the open transaction down instead.
            raise StoreError(f"nested transaction on the store {self.root}: pass the open "
                             "transaction to the function that needs it")
        lock = _lock_for(self.root / LOCK, self.lock_timeout)
        try:
            lock.acquire()
        except _LockTimeout:
            raise StoreLocked(_("the store {path} is busy: another kundkit process has held it for "
                                "more than {seconds:g} s; try again").format(
                path=self.root, seconds=self.lock_timeout)) from None
        _HELD.add(key)
        try:
            self._recover()
            yield
        finally:
            _HELD.discard(key)
            lock.release()

    def _recover(self) -> None:
        """Finish a commit that a dead process left half-done, and drop stray temporary files."""
        journal = self.root / JOURNAL
        if journal.exists():
            try:
                entries = _loads(journal.read_bytes())
            except ValueError:
                raise StoreCorrupt(_("{file}: the commit journal is damaged; kundkit will not "
                                     "change the store. Latest backup: {backup}").format(
                    file=journal, backup=self.latest_backup() or _("none"))) from None
            folders = set()
            for tmp, final in entries:
                target = self.root / final
                folders.add(target.parent)
                if tmp is None:
                    target.unlink(missing_ok=True)
                elif (self.root / tmp).exists():
                    os.replace(self.root / tmp, target)
            for folder in folders:
                _fsync_dir(folder)
            journal.unlink()
            _fsync_dir(self.root)
        # Under the lock no writer is between "temp written" and "journal written", so every
        # temporary file left now belongs to a transaction that never committed.
        for stray in list(self.root.glob(f"*{TMP_MARK}*")) + list(self.root.glob(f"*/*{TMP_MARK}*")):
            stray.unlink(missing_ok=True)

    # -- sessions -------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction: committed when the block ends without an exception."""
        with self._locked():
            tx = Transaction(self, writable=True)
            tx._open()
            yield tx
            tx._commit()

    @contextmanager
    def read(self) -> Iterator[Transaction]:
        """A consistent read-only view. Leave it before slow work such as rendering."""
        with self._locked():
            tx = Transaction(self, writable=False)
            tx._open()
            yield tx
            if tx._dirty_files():
                raise StoreError("a read-only transaction tried to write")  # a bug, not user error

    def exists(self) -> bool:
        return (self.root / META).exists()

    # -- files ----------------------------------------------------------------------------------

    def files(self) -> list[Path]:
        """Every data file of the store (meta first), as stored now."""
        if not self.root.is_dir():
            return []
        out = [self.root / META] if (self.root / META).exists() else []
        for path in sorted(self.root.glob("*.json")) + sorted(self.root.glob("*/*.json")):
            if path.name not in (META, JOURNAL) and TMP_MARK not in path.name:
                out.append(path)
        return out

    def read_file(self, path: Path) -> Any:
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise StoreCorrupt(_("{file}: cannot read the store file ({reason}). Latest backup: "
                                 "{backup}").format(file=path, reason=exc.strerror or exc,
                                                    backup=self.latest_backup() or _("none"))) from None
        try:
            data = _loads(raw)
        except ValueError as exc:
            data, reason = None, str(exc)
        else:
            reason = _("not a JSON object")
        if not isinstance(data, dict):
            raise StoreCorrupt(_("{file}: the store file is damaged ({reason}); kundkit will not "
                                 "change it. Latest backup: {backup}").format(
                file=path, reason=reason, backup=self.latest_backup() or _("none")))
        return data

    def latest_backup(self) -> Path | None:
        if not self.backups.is_dir():
            return None
        found = sorted(self.backups.glob("kundkit-*.zip"))
        return found[-1] if found else None

    def write_files(self, contents: dict[str, bytes | None]) -> None:
        """Replace files (relative name → bytes, or None to delete) atomically, as one commit.

        Must be called with the lock held (inside a transaction or :meth:`locked`).
        """
        if not contents:
            return
        token = secrets.token_hex(6)
        entries: list[tuple[str | None, str]] = []
        folders: set[Path] = set()
        try:
            for name, data in contents.items():
                final = self.root / name
                final.parent.mkdir(parents=True, exist_ok=True)
                if data is None:
                    entries.append((None, name))
                    continue
                tmp_name = f"{name}{TMP_MARK}{token}"
                with open(self.root / tmp_name, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                folders.add(final.parent)
                entries.append((tmp_name, name))
            for folder in folders:
                _fsync_dir(folder)
            if len(entries) == 1 and entries[0][0] is not None:
                # One file: a rename is atomic on its own, no journal needed.
                only_tmp, only_final = entries[0]
                os.replace(self.root / only_tmp, self.root / only_final)
                _fsync_dir((self.root / only_final).parent)
                return
            journal_tmp = self.root / f"{JOURNAL}{TMP_MARK}{token}"
            with open(journal_tmp, "wb") as fh:
                fh.write(_dumps(entries))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(journal_tmp, self.root / JOURNAL)
            _fsync_dir(self.root)
        except BaseException:
            for tmp, _final in entries:
                if tmp:
                    (self.root / tmp).unlink(missing_ok=True)
            raise
        self._recover()  # the journal is in place: from here the commit is the new state

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the lock for work on whole files (backup, restore)."""
        with self._locked():
            yield


class Transaction:
    """One unit of work: each file is read at most once and each changed file written once."""

    def __init__(self, store: Store, *, writable: bool) -> None:
        self.store = store
        self.writable = writable
        self.meta: dict[str, Any] = {}
        self._meta_dirty = False
        self._dbs: dict[str, tuple[Any, _MemoryStorage]] = {}

    def _open(self) -> None:
        path = self.store.root / META
        if path.exists():
            self.meta = self.store.read_file(path)
            version = self.meta.get("schema")
            if version != SCHEMA_VERSION:
                if isinstance(version, int) and version < SCHEMA_VERSION:
                    msg = _("the store {path} has schema version {found}; this kundkit needs "
                            "{wanted}: run 'kundkit db upgrade' (it makes a backup first)")
                else:
                    msg = _("the store {path} has schema version {found}, newer than this kundkit "
                            "({wanted}); upgrade kundkit")
                raise SchemaVersionError(msg.format(path=self.store.root, found=version,
                                                    wanted=SCHEMA_VERSION))
        else:
            self.meta = {"schema": SCHEMA_VERSION, "counters": {}}
            self._meta_dirty = self.writable

    @staticmethod
    def _file_name(name: str, partition: str | None) -> str:
        if not _NAME.match(name):
            raise ValueError(f"bad table name {name!r}")
        if partition is None:
            return f"{name}.json"
        if not _PARTITION.match(partition):
            raise ValueError(f"bad partition name {partition!r}")
        return f"{name}/{partition}.json"

    def table(self, name: str, partition: str | None = None) -> Table:
        """The TinyDB table ``name`` (or one partition of it), loaded on first use."""
        key = self._file_name(name, partition)
        if key not in self._dbs:
            from tinydb import TinyDB

            path = self.store.root / key
            data = self.store.read_file(path) if path.exists() else {}
            db = TinyDB(storage=_MemoryStorage, data=data)  # type: ignore[arg-type]
            self._dbs[key] = (db, db.storage)
        db = self._dbs[key][0]
        return db.table(name, cache_size=0)

    def raw(self, name: str, partition: str | None = None) -> dict[str, dict[str, Any]]:
        """The table's documents as stored (doc id → dict), for fast scans that do not write."""
        self.table(name, partition)
        storage = self._dbs[self._file_name(name, partition)][1]
        return storage.data.get(name, {})

    def scan(self, name: str, partition: str | None = None) -> dict[str, dict[str, Any]]:
        """The table's documents (doc id → dict) for one pass, not kept in the transaction.

        For reads over many partitions (a report over years of purchases): each is read, scanned
        and let go, instead of all being held until the transaction ends as :meth:`table` and
        :meth:`raw` do. What this transaction changed already is seen. Do not modify the result.
        """
        key = self._file_name(name, partition)
        if key in self._dbs:
            return self._dbs[key][1].data.get(name, {})
        path = self.store.root / key
        return self.store.read_file(path).get(name, {}) if path.exists() else {}

    def partitions(self, name: str) -> list[str]:
        """The partitions of a split table that exist, sorted."""
        folder = self.store.root / name
        found = {p.stem for p in folder.glob("*.json") if TMP_MARK not in p.name} if folder.is_dir() else set()
        prefix = f"{name}/"
        found |= {k[len(prefix):-5] for k in self._dbs if k.startswith(prefix)}
        return sorted(found)

    def next_id(self, sequence: str, start: int = 1) -> int:
        """The next number of a sequence (ids are never reused, even after a deletion)."""
        counters = self.meta.setdefault("counters", {})
        value = max(int(counters.get(sequence, start - 1)) + 1, start)
        counters[sequence] = value
        self._meta_dirty = True
        return value

    def set_meta(self, key: str, value: Any) -> None:
        self.meta[key] = value
        self._meta_dirty = True

    def _dirty_files(self) -> dict[str, bytes]:
        out = {key: _dumps(storage.data) for key, (_db, storage) in self._dbs.items() if storage.dirty}
        if self._meta_dirty or (out and not (self.store.root / META).exists()):
            out[META] = _dumps(self.meta)
        return out

    def _commit(self) -> None:
        contents = self._dirty_files()
        if contents:
            self.store.write_files(dict(contents))
