"""Laying out a new business folder (``kundkit init``)."""

from __future__ import annotations

import shutil
from pathlib import Path

from kundkit.errors import Conflict, UsageError
from kundkit.i18n import _
from kundkit.store import Store

DEFAULTS = Path(__file__).parent / "defaults"


def init_business(dest: Path, *, language: str, name: str) -> list[Path]:
    """Create ``kundkit.yaml``, ``standards/``, ``workflows/`` and an empty store in ``dest``.

    Refuses to touch a folder that already holds a business. Returns what it created.
    """
    source = DEFAULTS / language
    if not source.is_dir():
        raise UsageError(_("no defaults for the language '{lang}'").format(lang=language))
    config = dest / "kundkit.yaml"
    if config.exists():
        raise Conflict(_("{path} already exists; kundkit will not overwrite a business").format(path=config))
    for sub in ("standards", "workflows", "data"):
        if (dest / sub).exists() and any((dest / sub).iterdir()):
            raise Conflict(_("{path} already exists and is not empty; kundkit will not overwrite "
                             "it").format(path=dest / sub))
    dest.mkdir(parents=True, exist_ok=True)
    created: list[Path] = []
    for item in sorted(source.rglob("*")):
        target = dest / item.relative_to(source)
        if item.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.name == "kundkit.yaml":
            text = item.read_text(encoding="utf-8")
            escaped = name.replace("\\", "\\\\").replace('"', '\\"')
            target.write_text(text.replace("{{business_name}}", escaped), encoding="utf-8")
        else:
            shutil.copyfile(item, target)
        created.append(target)
    for sub in ("standards", "workflows"):
        (dest / sub).mkdir(exist_ok=True)
    store = Store(dest / "data")
    with store.transaction() as tx:
        tx.set_meta("created_by", "kundkit init")
    created.append(dest / "data")
    return created
