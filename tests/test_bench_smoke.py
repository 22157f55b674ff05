"""The benchmark cannot rot: its generator writes files that kundkit imports cleanly, and a tiny run
of the whole harness builds its business with kundkit's imports and yields every target with its
figure, reference and goal. No timing is
asserted here: speed is judged by the benchmark itself (python bench/run.py), not by tests."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

from generate import (HISTORY_END, HISTORY_START, Spec, counter_customers,  # noqa: E402
                      extra_purchases, generate)

from kundkit.identity import name_similarity, parse_orgnr, parse_personnummer  # noqa: E402

SPEC = Spec(customers=60, lines=400, products=25, staff=6, feedback=5, seed=7)


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_generator_is_reproducible_and_writes_valid_numbers(tmp_path: Path) -> None:
    first = generate(SPEC, tmp_path / "a")
    second = generate(SPEC, tmp_path / "b")
    for name in ("staff.csv", "products.csv", "customers.csv", "purchases.csv", "feedback.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    customers = _rows(first.customers)
    assert len(customers) == 60
    today = date(2026, 11, 20)
    for row in customers:
        if row["kind"] == "company":
            assert parse_orgnr(row["orgnr"]) == row["orgnr"]
        else:
            assert parse_personnummer(row["personnummer"], today=today) == row["personnummer"]
    for key in ("orgnr", "personnummer", "email", "phone"):
        values = [r[key] for r in customers if r[key]]
        assert len(values) == len(set(values)), key
    lines = _rows(first.purchases)
    assert len(lines) == 400
    days = [r["date"] for r in lines]
    assert days == sorted(days)
    assert HISTORY_START.isoformat() <= days[0] and days[-1] <= HISTORY_END.isoformat()
    products = _rows(first.products)
    assert len(products) == 25 and any(p["locomotive"] == "yes" for p in products)
    assert len(_rows(first.staff)) == 6
    more = _rows(extra_purchases(SPEC, first, 900, "more.csv"))
    assert len(more) == 900 and not {r["order"] for r in more} & {r["order"] for r in lines}


def test_counter_customers_do_not_look_like_each_other() -> None:
    people = counter_customers(7, 60)
    names = [p["name"] for p in people]
    assert len({p["phone"] for p in people}) == 60 and len({p["email"] for p in people}) == 60
    worst = max(name_similarity(a, b) for i, a in enumerate(names) for b in names[i + 1:])
    assert worst < 0.85


def _kundkit(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "kundkit", *map(str, args)], cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"kundkit {' '.join(map(str, args))}:\n{result.stderr}"
    return result


def test_tiny_run_reports_every_target(tmp_path: Path) -> None:
    out = tmp_path / "results"
    result = subprocess.run([sys.executable, str(BENCH / "run.py"), "--tiny", "--work",
                             str(tmp_path / "work"), "--out", str(out)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads((out / "latest-tiny.json").read_text(encoding="utf-8"))
    assert {p.name for p in out.iterdir()} >= {"latest-tiny.json"} and len(list(out.iterdir())) == 2
    checks = data["targets"]
    assert {c["target"][0] for c in checks} == set("1234567")
    for check in checks:
        assert {"figure", "reference", "goal", "status", "ratio", "paired_ratio", "cpu_ratio"} <= set(check), check["target"]
        assert check["goal"]["text"] and check["goal"]["limit"] is not None
        assert check["status"] in ("PASS", "MISS", "NOT BUILT"), (check["target"], check["note"])
        if check["status"] == "NOT BUILT":
            assert check["figure"] is None and "not built" in check["note"]
            continue
        assert check["figure"]["value"] is not None and check["figure"]["command"], check["target"]
        assert check["reference"]["value"] is not None, check["target"]
        if check["goal"]["kind"] == "ratio":
            assert check["ratio"] == pytest.approx(check["figure"]["value"] / check["reference"]["value"],
                                                   abs=0.01)
    # The business was built with kundkit's own imports, from the generated files, completely.
    store = tmp_path / "work" / "store"
    history = json.loads(_kundkit("purchase", "list", "--to", HISTORY_END.isoformat(), "--format", "json",
                                  cwd=store).stdout)
    assert sum(len(p["lines"]) for p in history) == data["size"]["purchase_lines"]
    base = tmp_path / "work" / "base"
    registered = json.loads(_kundkit("customer", "list", "--format", "json", cwd=base).stdout)
    assert len(registered) == data["size"]["customers"]
    lost = next(c for c in checks if c["target"] == "7a")
    assert lost["figure"]["value"] == 0, lost["note"]
    # The printed table names each target and its verdict.
    for check in checks:
        assert check["target"] in result.stdout
    assert "kundkit --help" in result.stdout and "goal" in result.stdout
