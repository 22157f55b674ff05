"""``report plan``: sales, weighted sales, attainment, contribution and the key products' share of
the hand-computed business (tests/reports_support.py), figure by figure.

Lines (net, weight → weighted; VERK is the key product, weight 2; SKRUV 1; HYRA 1.5):

    P1001 2024-12-10 anna  VERK 1800.00 → 3600   SKRUV 450.00 → 450
    P1002 2025-06-15 anna  HYRA 1080.00 → 1620
    P1005 2025-01-20 erik  VERK 1000.00 → 2000
    P1008 2025-05-05 anna  SKRUV 100.00 → 100
    P1006 2025-11-25 —     HYRA  400.00 → 600 (no seller)
    P1003 2026-03-02 erik  VERK  900.00 → 1800   SKRUV 180.00 → 180
    P1009 2026-04-01 erik  the credit note of P1003: −1800, −180 (a void counts when it is made)
    P1004 2026-10-05 anna  SKRUV 900.00 → 900
    P1007 2026-11-02 erik  VERK 1000.00 → 2000   SKRUV 100.00 → 100

Targets for 2026-11: the organisation 2000.00, anna 500.00, erik 1000.00.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import reports_support
from reports_support import run



@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = reports_support.new_shop(tmp_path_factory, "plan")
    reports_support.build(folder)
    return folder


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def plan(*args: str) -> dict[str, Any]:
    return json.loads(run("report", "plan", "--format", "json", *args).stdout)


def test_a_month_with_targets(shop: Path) -> None:
    data = plan("--period", "2026-11")
    assert data["window"] == {"label": "2026-11", "since": "2026-11-01", "until": "2026-11-20",
                              "period": "2026-11"}
    assert data["lines"] == 2
    assert data["organisation"] == {
        "net": "1100.00", "weighted": "2100.00", "target": "2000.00", "target_source": "set",
        "attainment": "1.0500", "unattributed_net": "0.00", "unattributed_weighted": "0.00",
        "locomotive_net": "1000.00", "locomotive_weighted": "2000.00",
        "locomotive_share": "0.9524"}                       # 2000 / 2100
    assert data["staff"] == [
        {"staff": "erik", "name": "Erik Ek", "active": True, "lines": 2, "net": "1100.00",
         "weighted": "2100.00", "locomotive_weighted": "2000.00", "locomotive_share": "0.9524",
         "share": "1.0000", "contribution": "1.0500",        # 2100 of the organisation's 2000
         "target": "1000.00", "target_source": "set", "attainment": "2.1000"},
        {"staff": "anna", "name": "Anna Lind", "active": True, "lines": 0, "net": "0.00",
         "weighted": "0.00", "locomotive_weighted": "0.00", "locomotive_share": None,
         "share": "0.0000", "contribution": "0.0000", "target": "500.00", "target_source": "set",
         "attainment": "0.0000"},
    ]
    assert data["key_products"] == [{"sku": "VERK", "name": "Verktygslåda", "quantity": 1,
                                     "net": "1000.00", "weighted": "2000.00", "share": "0.9524"}]
    assert data["notes"] == []


def test_a_year_without_targets_counts_the_void_when_it_was_made(shop: Path) -> None:
    data = plan("--period", "2026")
    org = data["organisation"]
    assert (org["net"], org["weighted"], org["target"], org["attainment"]) == \
        ("2000.00", "3000.00", None, None)
    assert (org["locomotive_net"], org["locomotive_weighted"], org["locomotive_share"]) == \
        ("1000.00", "2000.00", "0.6667")
    assert [(s["staff"], s["lines"], s["net"], s["weighted"], s["share"]) for s in data["staff"]] == [
        ("erik", 6, "1100.00", "2100.00", "0.7000"), ("anna", 1, "900.00", "900.00", "0.3000")]
    assert data["key_products"][0]["quantity"] == 1   # sold twice, once given back
    assert "No target is set for 2026 ('kundkit plan set')." in data["notes"]


def test_the_whole_history_by_since(shop: Path) -> None:
    data = plan("--since", "2024-01-01")
    org = data["organisation"]
    assert data["window"]["period"] is None and data["lines"] == 13
    assert (org["net"], org["weighted"]) == ("6830.00", "11370.00")  # the customers' revenue, too
    assert (org["unattributed_net"], org["unattributed_weighted"]) == ("400.00", "600.00")
    assert (org["locomotive_net"], org["locomotive_weighted"], org["locomotive_share"]) == \
        ("3800.00", "7600.00", "0.6684")
    assert [(s["staff"], s["lines"], s["net"], s["weighted"], s["share"], s["locomotive_share"])
            for s in data["staff"]] == [
        ("anna", 5, "4330.00", "6670.00", "0.5866", "0.5397"),
        ("erik", 7, "2100.00", "4100.00", "0.3606", "0.9756")]
    assert any("give --period" in note for note in data["notes"])
    assert any("without a seller" in note for note in data["notes"])


def test_a_segment_keeps_the_whole_target(shop: Path) -> None:
    data = plan("--period", "2026", "--segment", "bygg")           # K1001 only
    assert [(s["staff"], s["lines"], s["net"]) for s in data["staff"]] == [
        ("anna", 1, "900.00"), ("erik", 4, "0.00")]
    assert data["organisation"]["net"] == "900.00"
    november = plan("--period", "2026-11", "--manager", "anna")   # K1001 and K1003: no sales
    assert november["organisation"]["attainment"] == "0.0000"
    assert any("the targets are for all sales" in note for note in november["notes"])


def test_the_table_and_csv(shop: Path) -> None:
    text = run("report", "plan", "--period", "2026-11").stdout
    assert "Sales against the plan · 2026-11" in text
    for figure in ("1,100.00", "2,100.00", "2,000.00", "105.0 %", "210.0 %", "95.2 %", "0.0 %"):
        assert figure in text, figure
    lines = run("report", "plan", "--period", "2026-11", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("staff,name,active,lines,net,weighted")
    assert lines[1] == "erik,Erik Ek,true,2,1100.00,2100.00,2000.00,0.9524,1.0000,1.0500,1000.00,set,2.1000"
