"""The HTML pages: the dashboard parses, holds every figure of every report's table, and needs
nothing from the network; each report's own page likewise; Swedish when the business speaks it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import reports_support
from reports_support import run

REPORTS = ("plan", "customers", "forecast", "followups", "feedback", "trends")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "circle", "rect", "line", "polyline", "path", "stop"}


class Page(HTMLParser):
    """Collects the text, the attributes that could fetch something, and checks that every
    element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.stack: list[str] = []
        self.links: list[tuple[str, str, str]] = []
        self.errors: list[str] = []
        self.tags: set[str] = set()
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "action", "poster", "data") and value:
                self.links.append((tag, name, value))
            if name == "style" and value:
                self.styles.append(value)
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href") and value:
                self.links.append((tag, name, value))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def assert_self_contained(page: Page) -> None:
    assert not page.errors and not page.stack, (page.errors, page.stack)
    for tag, name, value in page.links:
        assert value.startswith("#"), f"<{tag} {name}={value!r}> points outside the page"
    assert not ({"script", "img", "iframe", "link", "object", "embed"} & page.tags)
    for css in page.styles:
        assert "@import" not in css and "url(" not in css


FIGURE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?: %)?|[KPFT]\d{4}|\d{4}-\d{2}(?:-\d{2})?")


def figures(text: str) -> set[str]:
    """Every figure of a terminal report: amounts, counts, percentages, dates, ids."""
    return set(FIGURE.findall(text))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = reports_support.new_shop(tmp_path_factory, "html", folders=True)
    reports_support.build(folder)
    return folder


@pytest.fixture
def shop(built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return reports_support.copy_shop(built, tmp_path, monkeypatch)


def test_the_dashboard_has_every_figure_of_every_table_and_needs_no_network(shop: Path) -> None:
    run("report", "dashboard", "--html", "board.html")
    page = parse(shop / "board.html")
    assert_self_contained(page)
    text = " ".join(" ".join(page.text).split())
    assert "Dashboard" in text and "Nordbygg Verktyg AB" in text
    for name in REPORTS:
        table = run("report", name).stdout
        missing = sorted(f for f in figures(table) if f not in text)
        assert not missing, f"report {name}: {missing} are not on the dashboard"
    # The hand-computed figures, for good measure.
    for figure in ("4,230.00", "2,171.52", "1,150.00", "-90.00", "1,365.00", "345", "543", "111"):
        assert figure in text
    assert (shop / "board.html").read_text(encoding="utf-8").count("<svg") >= 5


# The forecast's own page is the dashboard's section (its fit is the slow part, done there once).
@pytest.mark.parametrize("name", [r for r in REPORTS if r != "forecast"])
def test_each_reports_page_has_its_tables_figures(shop: Path, name: str) -> None:
    run("report", name, "--html", f"{name}.html")
    page = parse(shop / f"{name}.html")
    assert_self_contained(page)
    text = " ".join(" ".join(page.text).split())
    missing = sorted(f for f in figures(run("report", name).stdout) if f not in text)
    assert not missing, missing


def test_the_page_is_in_the_business_language(shop: Path) -> None:
    import os
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "kundkit", "report", "customers", "--html", "kunder.html"],
                   cwd=shop, env={**os.environ, "KUNDKIT_LANG": "sv"}, check=True, timeout=120,
                   capture_output=True)
    raw = (shop / "kunder.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in raw and "Kundlönsamhet" in raw
    assert "4 230,00" in raw and "2 171,52" in raw and "Nettobidrag" in raw


def test_labels_from_the_store_are_escaped(shop: Path) -> None:
    from kundkit.customers import edit_customer

    ctx = reports_support.at(shop, "2026-11-19T12:00:00")
    with ctx.store.transaction() as tx:
        edit_customer(ctx, tx, "K1001", {"name": "Alfa <script>alert(1)</script> & Co"})
    run("report", "customers", "--html", "c.html")
    raw = (shop / "c.html").read_text(encoding="utf-8")
    assert "<script>" not in raw and "Alfa &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in raw
    assert_self_contained(parse(shop / "c.html"))


def test_the_dashboard_needs_a_file_and_survives_a_missing_report(shop: Path,
                                                                  monkeypatch: Any) -> None:
    import sys

    assert "--html" in run("report", "dashboard", code=2).stderr
    for module in ("numpy", "scipy", "scipy.optimize", "scipy.special", "scipy.integrate"):
        monkeypatch.setitem(sys.modules, module, None)
    result = run("report", "dashboard", "--html", "b.html")
    assert "forecast: The forecast needs numpy and scipy" in result.stderr
    text = " ".join(parse(shop / "b.html").text)
    assert "pip install 'kundkit[forecast]'" in text and "4,230.00" in text
