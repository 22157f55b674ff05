"""Looking after the store: integrity check, backup, restore, statistics and schema upgrades."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kundkit.errors import KundkitError, StoreCorrupt, ValidationError
from kundkit.i18n import _
from kundkit.store import META, MIGRATIONS, SCHEMA_VERSION, TMP_MARK, Store, _loads

_MEMBER = re.compile(r"^(meta|[a-z][a-z0-9_]*)\.json$|^[a-z][a-z0-9_]*/[A-Za-z0-9][A-Za-z0-9_-]*\.json$")


def _relative(store: Store, path: Path) -> str:
    return path.relative_to(store.root).as_posix()


def _write_backup(store: Store, now: datetime, dest: Path | None = None) -> Path:
    """Zip every store file; the caller holds the lock, so the copy is consistent."""
    if dest is None:
        store.backups.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%d-%H%M%S")
        dest = store.backups / f"kundkit-{stamp}.zip"
        n = 1
        while dest.exists():
            n += 1
            dest = store.backups / f"kundkit-{stamp}-{n}.zip"
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + TMP_MARK + "backup")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in store.files():
            archive.write(path, _relative(store, path))
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def backup(store: Store, now: datetime, dest: Path | None = None) -> Path:
    """A consistent copy of the whole store, taken under the lock. Returns the zip file."""
    with store.locked():
        return _write_backup(store, now, dest)


def _read_backup(file: Path) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(file)
    except FileNotFoundError:
        raise KundkitError(_("{file}: no such backup").format(file=file)) from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationError(_("{file}: not a kundkit backup ({reason})").format(
            file=file, reason=exc)) from None
    contents: dict[str, bytes] = {}
    with archive:
        for name in archive.namelist():
            if not _MEMBER.match(name):
                raise ValidationError(_("{file}: unexpected member '{name}'; not a kundkit backup").format(
                    file=file, name=name))
            data = archive.read(name)
            try:
                parsed = _loads(data)
            except ValueError as exc:
                raise ValidationError(_("{file}: member {name} is damaged ({reason})").format(
                    file=file, name=name, reason=exc)) from None
            if not isinstance(parsed, dict):
                raise ValidationError(_("{file}: member {name} is damaged").format(file=file, name=name))
            if name == META and parsed.get("schema") != SCHEMA_VERSION:
                raise ValidationError(_("{file}: schema version {found}, this kundkit reads {wanted}").format(
                    file=file, found=parsed.get("schema"), wanted=SCHEMA_VERSION))
            contents[name] = data
    if META not in contents:
        raise ValidationError(_("{file}: has no {meta}; not a kundkit backup").format(file=file, meta=META))
    return contents


def restore(store: Store, file: Path, now: datetime) -> Path:
    """Replace the store with a backup, atomically; the current state is backed up first."""
    contents: dict[str, bytes | None] = dict(_read_backup(file))
    with store.locked():
        safety = _write_backup(store, now)
        for path in store.files():
            name = _relative(store, path)
            contents.setdefault(name, None)
        store.write_files(contents)
    return safety


@dataclass
class TableStats:
    table: str
    partitions: int
    records: int
    bytes: int


def stats(store: Store) -> list[TableStats]:
    out: dict[str, TableStats] = {}
    with store.locked():
        for path in store.files():
            if path.name == META:
                continue
            rel = _relative(store, path)
            table = rel.split("/")[0].removesuffix(".json")
            data = store.read_file(path)
            records = len(data.get(table, {}))
            entry = out.setdefault(table, TableStats(table, 0, 0, 0))
            entry.partitions += 1 if "/" in rel else 0
            entry.records += records
            entry.bytes += path.stat().st_size
    return sorted(out.values(), key=lambda s: s.table)


def check(store: Store, references: list[tuple[str, str, str]]) -> list[str]:
    """Every integrity problem: unreadable files, ids out of sequence, dangling references."""
    problems: list[str] = []
    tables: dict[str, dict[str, Any]] = {}
    with store.locked():
        for path in store.files():
            try:
                data = store.read_file(path)
            except StoreCorrupt as exc:
                problems.append(exc.message)
                continue
            rel = _relative(store, path)
            if path.name == META:
                if data.get("schema") != SCHEMA_VERSION:
                    problems.append(_("{file}: schema version {found}, expected {wanted}").format(
                        file=path, found=data.get("schema"), wanted=SCHEMA_VERSION))
                continue
            table = rel.split("/")[0].removesuffix(".json")
            for doc_id, record in data.get(table, {}).items():
                tables.setdefault(table, {})[f"{rel}#{doc_id}"] = record
    ids = {name: {r.get("id") for r in records.values() if isinstance(r, dict)}
           for name, records in tables.items()}
    for table, field, target in references:
        known = ids.get(target, set())
        for where, record in sorted(tables.get(table, {}).items()):
            value = record.get(field) if isinstance(record, dict) else None
            for item in (value if isinstance(value, list) else [value]):
                if item not in (None, "") and item not in known:
                    problems.append(_("{where}: {table}.{field} refers to {target} '{value}', which "
                                      "does not exist").format(where=where, table=table, field=field,
                                                               target=target, value=item))
    return problems


def upgrade(store: Store, now: datetime) -> tuple[int, int, Path | None]:
    """Bring the store to this kundkit's schema version, after a backup. (from, to, backup)."""
    with store.locked():
        meta = store.read_file(store.root / META) if (store.root / META).exists() else {}
        found = int(meta.get("schema", SCHEMA_VERSION))
        if found == SCHEMA_VERSION:
            return found, found, None
        if found > SCHEMA_VERSION:
            raise KundkitError(_("the store has schema version {found}, newer than this kundkit "
                                 "({wanted}); upgrade kundkit").format(found=found, wanted=SCHEMA_VERSION))
        safety = _write_backup(store, now)
    version = found
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS[version]
        with store.locked():
            migrate(store)
        version += 1
    return found, version, safety
