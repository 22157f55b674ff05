"""Loading a whole business from a folder of files (``kundkit db load``): staff, products,
customers, purchases, ... in the order their references need, through each area's own import.

The office moving from spreadsheets to kundkit exports them once and loads them in one go; the
README's quick start loads the example business's ``examples/`` folder the same way. The load is
all or nothing: when a file fails, the store goes back to what it was before the load.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict, KundkitError, NotFound
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.context import Context

# (file stem, module, function, keyword arguments): in the order references need them.
LOADERS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("staff", "kundkit.staff", "import_staff", {}),
    ("plans", "kundkit.plan_files", "import_plans", {}),
    ("products", "kundkit.product_files", "import_products", {}),
    ("customers", "kundkit.customer_files", "import_customers", {}),
    ("purchases", "kundkit.purchase_import", "import_purchases", {}),
    ("feedback", "kundkit.feedback_import", "import_feedback", {}),
]
SUFFIXES = (".csv", ".json")


@dataclass
class Loaded:
    file: Path
    rows: int


def _files(folder: Path) -> list[tuple[Path, Callable[..., Any], dict[str, Any]]]:
    if not folder.is_dir():
        raise NotFound(_("{folder}: no such folder").format(folder=folder))
    plan = []
    known = {stem for stem, *_rest in LOADERS}
    for stem, module_name, function, kwargs in LOADERS:
        found = [folder / f"{stem}{suffix}" for suffix in SUFFIXES if (folder / f"{stem}{suffix}").is_file()]
        if not found:
            continue
        if len(found) > 1:
            raise Conflict(_("{folder}: both {a} and {b}; keep one").format(
                folder=folder, a=found[0].name, b=found[1].name))
        module = importlib.import_module(module_name)
        plan.append((found[0], getattr(module, function), kwargs))
    strays = sorted(p.name for p in folder.iterdir()
                    if p.suffix in SUFFIXES and p.stem not in known)
    if strays:
        raise KundkitError(_("{folder}: kundkit does not know what to load from {files} (it loads "
                             "{known})").format(folder=folder, files=", ".join(strays),
                                                known=", ".join(f"{s}.csv" for s, *_r in LOADERS)))
    if not plan:
        raise NotFound(_("{folder}: nothing to load").format(folder=folder))
    return plan


def _has_data(ctx: Context) -> bool:
    return any(path.name != "meta.json" for path in ctx.store.files())


def load_folder(ctx: Context, folder: Path, *, replace: bool = False,
                done: Callable[[Loaded], None] | None = None) -> tuple[list[Loaded], Path | None]:
    """Load every known file of ``folder``; returns what was loaded and the backup taken, if any."""
    from kundkit.dbtools import backup, restore

    plan = _files(folder)
    store = ctx.store
    safety: Path | None = None
    if _has_data(ctx):
        if not replace:
            raise Conflict(_("the store {path} already holds data; give --replace to replace it (a "
                             "backup is taken first)").format(path=store.root))
        safety = backup(store, ctx.now())
    with store.locked():
        store.write_files({path.relative_to(store.root).as_posix(): None for path in store.files()})
    loaded: list[Loaded] = []
    try:
        for path, function, kwargs in plan:
            result = function(ctx, path, **kwargs)
            rows = getattr(result, "imported", None)
            loaded.append(Loaded(path, int(rows if rows is not None else getattr(result, "rows", 0))))
            if done:
                done(loaded[-1])
    except BaseException:
        if safety is not None:
            restore(store, safety, ctx.now())
        else:
            with store.locked():
                store.write_files({p.relative_to(store.root).as_posix(): None for p in store.files()})
        raise
    return loaded, safety
