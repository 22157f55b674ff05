"""Terminal bars and sparklines; SVG charts that parse, carry their labels and values, escape what
they are given and reach for nothing outside the page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kundkit.analytics.charts import (bar, can_draw_blocks, escape, nice_ticks, sparkline,
                                      svg_bar_chart, svg_line_chart, svg_sparkline)
from kundkit.i18n import set_language

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Kund & <Söner> "AB" \'s\x01'


def texts(svg: str) -> list[str]:
    return ["".join(e.itertext()) for e in ET.fromstring(svg).iter() if e.tag in (SVG + "text",)]


def titles(svg: str) -> list[str]:
    return [e.text or "" for e in ET.fromstring(svg).iter(SVG + "title")]


def assert_self_contained(svg: str) -> None:
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("role") == "img"
    for element in root.iter():
        for name, value in element.attrib.items():
            assert "href" not in name and "url(" not in value, (name, value)
        assert element.tag not in (SVG + "script", SVG + "image", SVG + "foreignObject")
        assert element.get("id") is None  # many charts share one page
    assert re.findall(r"https?://[^\"\s]*", svg) == ["http://www.w3.org/2000/svg"]


def test_bar_in_eighths_padded_to_its_width():
    assert bar(5, 10, 10) == "█████     "
    assert bar(Decimal("3.3"), 10, 10) == "███▎      "  # 26.4 eighths round to 26
    assert bar(10, 10, 4) == "████"
    assert bar(0, 10, 5) == "     "


def test_bar_edges_clamp_and_never_hide_a_small_value():
    assert bar(25, 10, 5) == "█████"          # beyond the maximum: full
    assert bar(-3, 10, 5) == "     "          # below zero: nothing
    assert bar(0.001, 10, 5) == "▏    "       # tiny but not zero
    assert bar(5, 0, 5) == "     "            # no scale
    assert bar(1, 3, 0) == ""
    for value in range(0, 101, 7):
        assert len(bar(value, 100, 13)) == 13 and len(bar(value, 100, 13, ascii=True)) == 13


def test_bar_ascii_fallback():
    assert bar(7.5, 10, 10, ascii=True) == "#######+  "
    assert bar(0.01, 10, 4, ascii=True) == "+   "
    assert bar(10, 10, 4, ascii=True).encode("ascii") == b"####"


def test_sparkline():
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([1, None, 7]) == "▂ █"
    assert sparkline([3, 3, 3]) == "███"
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([10, 11, 12], zero_based=False) == "▁▅█"
    assert sparkline([0, 7, Decimal("3.5")], ascii=True) == "_#="  # level 3.5 rounds to 4
    assert sparkline([]) == "" and sparkline([None, None]) == "  "


def test_can_draw_blocks():
    assert can_draw_blocks("utf-8") and can_draw_blocks("UTF-16")
    assert not can_draw_blocks("ascii") and not can_draw_blocks("cp1252")
    assert not can_draw_blocks(None) and not can_draw_blocks("no-such-codec")


def test_escape():
    assert escape(NASTY) == "Kund &amp; &lt;Söner&gt; &quot;AB&quot; &#39;s"


def test_bar_chart_parses_and_shows_labels_and_values():
    items = [(NASTY, Decimal("1234.50")), ("Bo", 800), ("Cilla", Decimal("-120.25"))]
    svg = svg_bar_chart(items, title="Nettobidrag <kr>",
                        format_value=lambda v: f"{v} kr")
    assert_self_contained(svg)
    shown = texts(svg)
    assert "Nettobidrag <kr>" in shown
    assert 'Kund & <Söner> "AB" \'s' in shown  # the control character is dropped
    assert {"1234.50 kr", "800 kr", "-120.25 kr", "Bo", "Cilla"} <= set(shown)
    assert "Bo: 800 kr" in titles(svg)
    assert ET.fromstring(svg).get("aria-label") == "Nettobidrag <kr>"


def test_bar_chart_geometry_follows_the_values():
    svg = svg_bar_chart([("a", 100), ("b", 50), ("c", -50)])
    rects = [e for e in ET.fromstring(svg).iter(SVG + "rect")]
    widths = [float(r.get("width")) for r in rects]
    assert widths[0] == pytest.approx(2 * widths[1], rel=0.01)
    assert widths[2] == pytest.approx(widths[1], rel=0.01)
    zero = float(next(ET.fromstring(svg).iter(SVG + "line")).get("x1"))
    assert float(rects[0].get("x")) == pytest.approx(zero)       # positive: right of zero
    assert float(rects[2].get("x")) + widths[2] == pytest.approx(zero, abs=0.11)  # negative: left
    assert rects[0].get("fill") != rects[2].get("fill")


def test_a_long_label_is_shortened_but_kept_whole_in_the_tooltip():
    name = "Ett mycket långt företagsnamn som aldrig tar slut Aktiebolag"
    svg = svg_bar_chart([(name, 5)], width=300)
    assert name not in texts(svg)
    assert any(t.endswith("…") and name.startswith(t[:-1]) for t in texts(svg))
    assert f"{name}: 5" in titles(svg)


def test_line_chart_with_two_series_gaps_and_labels():
    series = {"Klagomål": [3, 5, None, 8], "Förslag & idéer": [1, 1, 2, 2]}
    svg = svg_line_chart(series, x_labels=["jan", "feb", "mar", "apr"], title="Per månad")
    assert_self_contained(svg)
    root = ET.fromstring(svg)
    shown = texts(svg)
    assert {"Per månad", "Klagomål", "Förslag & idéer", "jan", "apr"} <= set(shown)
    tips = titles(svg)
    assert "apr: Klagomål: 8" in tips and "mar: Förslag & idéer: 2" in tips
    assert not any(t.startswith("mar: Klagomål") for t in tips)  # no point where there is no data
    lines = list(root.iter(SVG + "polyline"))
    assert len(lines) == 2  # the gap leaves a single point of "Klagomål" after it
    dashes = {e.get("stroke-dasharray") for e in root.iter(SVG + "line") if e.get("stroke-width") == "2"}
    assert len(dashes) == 2  # series differ by dash pattern, not colour alone


def test_line_chart_y_axis_covers_the_data_from_zero():
    svg = svg_line_chart([12, 37, 21])
    ticks = [float(t) for t in texts(svg)]
    assert ticks[0] == 0 and ticks[-1] >= 37
    circles = list(ET.fromstring(svg).iter(SVG + "circle"))
    assert [c.find(SVG + "title").text for c in circles] == ["1: 12", "2: 37", "3: 21"]


def test_nice_ticks():
    assert nice_ticks(0, 37) == [0, 10, 20, 30, 40]
    assert nice_ticks(-12.5, 80) == [-50, 0, 50, 100]
    assert nice_ticks(0, 1) == [0.0, 0.5, 1.0]
    ticks = nice_ticks(5, 5)
    assert ticks[0] <= 5 <= ticks[-1] and len(ticks) >= 2


def test_sparkline_svg_lists_its_values():
    svg = svg_sparkline([1, 2, None, Decimal("4.5")], title="Ärenden")
    assert_self_contained(svg)
    assert titles(svg) == ["Ärenden: 1, 2, –, 4.5"]
    assert len(list(ET.fromstring(svg).iter(SVG + "polyline"))) == 1


def test_empty_charts_say_so_in_the_active_language():
    try:
        set_language("sv")
        swedish = texts(svg_bar_chart([]))
    finally:
        set_language("en")
    assert texts(svg_bar_chart([])) == ["No data"]
    assert swedish == ["Inga uppgifter"]
    assert "No data" in texts(svg_line_chart({"a": [None, None]}))
    assert_self_contained(svg_sparkline([]))


def test_many_charts_embed_in_one_html_page():
    page = ("<!DOCTYPE html><html><body>" + svg_bar_chart([("a", 1)]) + svg_line_chart([1, 2])
            + svg_sparkline([1, 2]) + "</body></html>")
    body = page.split("<body>")[1].split("</body>")[0]
    ET.fromstring(f"<div>{body}</div>")
