"""The reports in a terminal: the fast table drawing is tabulate's "simple" to the character, the
pictures fall back to ASCII where blocks cannot be printed, other table styles work, and the
reports speak Swedish."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import reports_support
from reports_support import run

REPORTS = ("plan", "customers", "followups", "feedback", "trends")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = reports_support.new_shop(tmp_path_factory, "terminal")
    reports_support.build(folder)
    return folder


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def process(shop: Path, *args: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "kundkit", *args], cwd=shop,
                          env={**os.environ, **env}, capture_output=True, timeout=120, check=True)


@pytest.mark.parametrize("name", REPORTS)
def test_the_default_table_is_tabulates_simple_style(shop: Path, name: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from kundkit.cli import report_view

    fast = run("report", name, "--period", "2026").stdout
    monkeypatch.setattr(report_view, "table_text", report_view.tabulated)
    assert run("report", name, "--period", "2026").stdout == fast


def test_other_table_styles_go_through_tabulate(shop: Path) -> None:
    text = run("report", "customers", "--fmt", "github").stdout
    assert "| Customer   |" in text and "| K1001      |" in text


def test_pictures_fall_back_to_ascii_where_blocks_cannot_be_printed(shop: Path) -> None:
    unicode = process(shop, "report", "plan", "--period", "2026-11",
                      PYTHONIOENCODING="utf-8").stdout.decode("utf-8")
    assert "█" in unicode
    legacy = process(shop, "report", "plan", "--period", "2026-11",
                     PYTHONIOENCODING="cp1252").stdout.decode("cp1252")
    assert "█" not in legacy and "#" in legacy
    # The same figures either way: only the bars differ.
    strip = str.maketrans("", "", "#+ ▏▎▍▌▋▊▉█")
    assert [line.translate(strip) for line in legacy.splitlines()] == \
        [line.translate(strip) for line in unicode.splitlines()]


def test_the_reports_speak_swedish(shop: Path) -> None:
    text = process(shop, "report", "customers", KUNDKIT_LANG="sv").stdout.decode("utf-8")
    assert "Kundlönsamhet · till och med 2026-11-20" in text
    assert "Belopp i SEK; sorterat efter bidrag; 3 av 3 kunder." in text
    for figure in ("4 230,00", "2 171,52", "1 150,00", "-73 %", "Summa", "6 830,00"):
        assert figure in text
    plan = process(shop, "report", "plan", "--period", "2026-11", KUNDKIT_LANG="sv").stdout.decode()
    assert "Försäljning mot plan · 2026-11" in plan and "Måluppfyllelse" in plan
    help_text = process(shop, "report", "--help", KUNDKIT_LANG="sv").stdout.decode()
    assert "Rapporter: måluppfyllelse, kundlönsamhet" in help_text
