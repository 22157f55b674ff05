"""Finding ``kundkit.yaml`` — kept tiny, since every command, ``--help`` included, does it first."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "kundkit.yaml"
CONFIG_ENV = "KUNDKIT_CONFIG"


def find_config(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path | None:
    """``--config``/``KUNDKIT_CONFIG``, else ``kundkit.yaml`` in the current folder or a parent."""
    given = explicit or os.environ.get(CONFIG_ENV)
    if given:
        return Path(given)
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None
