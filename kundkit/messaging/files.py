"""Safe file names and atomic, never-overwriting writes for the outbox and the letter PDFs."""

from __future__ import annotations

import os
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from kundkit.errors import DeliveryError
from kundkit.i18n import _

_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def safe_slug(text: str, max_length: int = 32) -> str:
    """ASCII letters, digits and dashes only: ``"Åsa & Co/../x"`` → ``"Asa-Co-x"``.

    Used for the readable part of a file name; the unique part is random, so two customers whose
    ids slug alike still get different files.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", ascii_text).strip("-")[:max_length].strip("-")
    return slug or "x"


def unique_name(stem: str, suffix: str) -> str:
    """``stem-<12 random hex digits><suffix>``; ``stem`` must already be safe."""
    return f"{stem}-{secrets.token_hex(6)}{suffix}"


def write_new_file(folder: Path, make_name: Callable[[], str], data: bytes) -> Path:
    """Write ``data`` to a new file in ``folder``, atomically, without replacing any file.

    The bytes go to a temporary file in the same folder, are flushed and fsynced, and the file is
    then linked under its final name (a link fails rather than replace an existing file, so a name
    collision retries with a new name). A reader never sees a half-written file, and a crash leaves
    at most a hidden ``.tmp-*`` file behind.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=folder)
    except OSError as exc:
        raise DeliveryError(
            _("Cannot write into {folder}: {reason}").format(folder=folder, reason=exc.strerror
                                                             or exc)) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        for _attempt in range(5):
            final = folder / make_name()
            try:
                os.link(tmp, final)
            except FileExistsError:
                continue
            except OSError:
                # File systems without hard links (FAT, some shares): rename, after a check.
                if final.exists():
                    continue
                os.replace(tmp, final)
            _fsync_folder(folder)
            return final
        raise DeliveryError(_("Cannot find a free file name in {folder}").format(folder=folder))
    except OSError as exc:
        raise DeliveryError(
            _("Cannot write into {folder}: {reason}").format(folder=folder, reason=exc.strerror
                                                             or exc)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    # Makes the new directory entry itself durable; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
