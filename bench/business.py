"""Building the benchmark's business folders the way a user does: ``kundkit init``, then the import
commands on the generated CSV files. Nothing here writes kundkit's store directly.

A work folder holds::

    data/        the generated CSV files
    base/        staff, products and customers, no purchases (the starting point of each import)
    store/       base + the purchase history (+ feedback, when kundkit can import it)
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generate import NOW, Generated, Spec, generate
from measure import run_once

# What the benchmark business configures beyond 'kundkit init': its segments, all four discount
# policies (so that 'purchase add' weighs them as a real shop's would) and the key-product
# follow-up; the settings of the repository's example business.
BUSINESS_SETTINGS: dict[str, Any] = {
    "discounts": {
        "combine": "best",
        "exclude": {"categories": ["service"]},
        "policies": {
            "cumulative": {"window_days": 365, "tiers": [{"from": 25000, "percent": 3},
                                                         {"from": 100000, "percent": 5},
                                                         {"from": 250000, "percent": 8}]},
            "volume": {"measure": "amount", "tiers": [{"from": 20000, "percent": 2},
                                                      {"from": 50000, "percent": 4}]},
            "segment": {"percents": {"offentlig": 4}},
            "points": {"earn_every": 10, "point_value": 0.10, "expiry_days": 365, "min_redeem": 500,
                       "max_share": 50},
        },
    },
    "followup": {"enabled": True, "due_days": 7},
}
SEGMENTS = ["bygg", "industri", "offentlig", "privat"]


def kundkit_argv() -> list[str]:
    """How a user starts kundkit: its console script, next to this Python (a version manager's shim
    in front of it would add its own start-up time to every figure)."""
    script = Path(sys.executable).parent / ("kundkit.exe" if os.name == "nt" else "kundkit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kundkit"]


def bench_env() -> dict[str, str]:
    """The environment of every measured process: the caller's, without kundkit settings that
    could change what is measured, and with "now" frozen so that every run sees the same dates."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUNDKIT_")}
    # An installed kundkit has its .pyc files; without them every process would compile its modules
    # again, which is not what a user waits for.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update({"KUNDKIT_NOW": NOW, "KUNDKIT_LANG": "en", "KUNDKIT_USER": "anna"})
    return env


@dataclass
class Business:
    work: Path
    data: Generated
    base: Path
    store: Path
    steps: dict[str, float] = field(default_factory=dict)   # build step → seconds
    notes: list[str] = field(default_factory=list)


def kk(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Run a kundkit command that must succeed; returns its wall time."""
    return run_once(kundkit_argv() + args, cwd=cwd, env=env).seconds


_LIST_COMMANDS = """
import click
from kundkit.cli.app import cli
root = click.Context(cli)
for name in cli.list_commands(root):
    command = cli.get_command(root, name)
    if isinstance(command, click.Group):
        for verb in command.list_commands(click.Context(command, parent=root)):
            print(name, verb)
    else:
        print(name)
"""


def available_commands(cwd: Path, env: dict[str, str]) -> set[str]:
    """Every ``group verb`` this kundkit has (other areas are still being written), plugins'
    included, as the business in ``cwd`` sees them."""
    sample = run_once([sys.executable, "-c", _LIST_COMMANDS], cwd=cwd, env=env, capture=True)
    return set(sample.stdout.splitlines())


def configure(folder: Path) -> None:
    """Set the benchmark's settings in the ``kundkit.yaml`` that ``kundkit init`` wrote."""
    import yaml

    config = folder / "kundkit.yaml"
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    data.update(BUSINESS_SETTINGS)
    data.setdefault("customers", {})["segments"] = SEGMENTS
    config.write_text("# kundkit.yaml of the benchmark business (bench/build.py)\n"
                      + yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def copy_business(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def build(spec: Spec, work: Path, env: dict[str, str], *, log: Callable[[str], None] = print) -> Business:
    """Generate the data of ``spec`` and build ``base`` and ``store`` in ``work`` (emptied first)."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.perf_counter()
    data = generate(spec, work / "data")
    business = Business(work, data, work / "base", work / "store")
    business.steps["generate CSV"] = time.perf_counter() - started
    log(f"  generated {spec.customers} customers, {spec.lines} purchase lines in "
        f"{business.steps['generate CSV']:.1f} s")
    business.steps["kundkit init"] = kk(["init", "base", "--lang", "en", "--name", "Benchmark AB"], work, env)
    configure(business.base)
    base = business.base
    business.steps["staff import"] = kk(["staff", "import", str(data.staff)], base, env)
    business.steps["product import"] = kk(["product", "import", str(data.products)], base, env)
    # A register of this size has namesakes (two Anna Lindqvists with different personal numbers),
    # which kundkit rightly flags as possible duplicates; an office moving its register in says
    # --force, as here. The duplicate check itself is measured by 'customer add' (target 4).
    business.steps["customer import"] = kk(["customer", "import", "--force", str(data.customers)], base, env)
    copy_business(base, business.store)
    business.steps["purchase import"] = kk(["purchase", "import", str(data.purchases)], business.store, env)
    log(f"  built the store: {spec.customers} customers and {spec.lines} lines imported in "
        f"{business.steps['customer import'] + business.steps['purchase import']:.1f} s")
    available = available_commands(business.store, env)
    if "feedback import" in available:
        business.steps["feedback import"] = kk(["feedback", "import", str(data.feedback)], business.store, env)
    elif "feedback add" in available:
        # One process per item: a sample of the items, enough for the feedback commands to have
        # something to show.
        started = time.perf_counter()
        items = _feedback_sample(data.feedback, FEEDBACK_BY_ADD)
        for row in items:
            kk(["feedback", "add"] + [arg for key, value in row.items() if value
                                      for arg in (f"--{key.replace('_', '-')}", value)], business.store, env)
        business.steps[f"feedback add × {len(items)}"] = time.perf_counter() - started
        business.notes.append(f"feedback: {len(items)} items added one by one with 'kundkit feedback add' "
                              "('kundkit feedback import' is not built)")
    else:
        business.notes.append("feedback items: not added ('kundkit feedback' is not built yet)")
    return business


FEEDBACK_BY_ADD = 12


def _feedback_sample(path: Path, count: int) -> list[dict[str, str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    for row in rows:
        # 'feedback add' takes the time as YYYY-MM-DD HH:MM in the business's zone.
        row["received_at"] = row["received_at"][:16].replace("T", " ")
    return rows[:count]
