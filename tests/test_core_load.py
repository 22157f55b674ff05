"""``kundkit db load``: a whole business from a folder, all or nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any


def _store_files(business: Path) -> dict[str, bytes]:
    return {str(p.relative_to(business / "data")): p.read_bytes()
            for p in sorted((business / "data").rglob("*.json"))}


def test_load_the_example_business(kk: Any, business: Path) -> None:
    result = kk("db", "load", "examples")
    assert "examples/staff.csv: 6 rows" in result.stderr
    customers = json.loads(kk("customer", "list", "--format", "json").stdout)
    assert len(customers) == 40 and customers[0]["id"] == "K1001"


def test_load_refuses_a_store_with_data_unless_replace(kk: Any, business: Path) -> None:
    kk("db", "load", "examples")
    before = _store_files(business)
    result = kk("db", "load", "examples", code=1)
    assert "already holds data; give --replace" in result.stderr
    assert _store_files(business) == before
    kk("db", "load", "examples", "--replace")
    assert len(list((business / "backups").glob("*.zip"))) == 1
    assert len(json.loads(kk("customer", "list", "--format", "json").stdout)) == 40


def test_a_bad_file_rolls_the_whole_load_back(kk: Any, business: Path, tmp_path: Path) -> None:
    kk("db", "load", "examples")
    before = _store_files(business)
    broken = tmp_path / "broken"
    shutil.copytree(business / "examples", broken)
    lines = (broken / "customers.csv").read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(lines[3].split(",")[2], "556036-0790", 1)  # a wrong check digit
    (broken / "customers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kk("db", "load", str(broken), "--replace", code=1)
    assert "customers.csv:4:" in result.stderr
    assert _store_files(business) == before


def test_unknown_files_are_refused_before_anything_changes(kk: Any, business: Path, tmp_path: Path) -> None:
    folder = tmp_path / "odd"
    folder.mkdir()
    shutil.copy(business / "examples" / "staff.csv", folder / "staff.csv")
    (folder / "kunder.csv").write_text("name\nX\n", encoding="utf-8")
    result = kk("db", "load", str(folder), code=1)
    assert "does not know what to load from kunder.csv" in result.stderr
    assert not (business / "data" / "staff.json").exists()


def test_plans_file_is_checked_row_by_row_and_loaded_whole(kk: Any, business: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(business / "examples" / "staff.csv", folder / "staff.csv")
    (folder / "plans.csv").write_text(
        "period,staff,target\n2026-13,,100\n2026-11,nobody,100\n2026-11,anna,-5\n"
        "2026-11,,500000\n2026-11,,400000\n", encoding="utf-8")
    result = kk("db", "load", str(folder), code=1)
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[1] for line in lines if "plans.csv" in line] == ["2", "3", "4", "6"]
    assert "first on line 5" in result.stderr
    assert not (business / "data" / "plans.json").exists()
    (folder / "plans.csv").write_text("period,staff,target\n2026-Q4,,1500000\n2026-11,,500000\n"
                                      "2026-11,anna,120000\n", encoding="utf-8")
    kk("db", "load", str(folder))
    shown = json.loads(kk("plan", "show", "--period", "2026-11", "--format", "json").stdout)
    text = json.dumps(shown)
    assert "500000.00" in text and "120000.00" in text
