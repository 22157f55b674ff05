"""Pictures for reports: bars and sparklines for the terminal, inline SVG for HTML pages.

Terminal pictures use Unicode block characters, with an ASCII fallback (``ascii=True``) for
terminals and files that cannot encode them (:func:`can_draw_blocks` tells which). They carry no
colour, so they read the same on paper, in a pipe and on a monochrome screen.

SVG charts are complete ``<svg>`` elements to paste into a self-contained HTML page: no scripts,
no external fonts, links or images, no element ids (so that many charts can share one page).
Every label is escaped. Each chart has a ``<title>`` and ``aria-label`` for screen readers, every
bar and point a ``<title>`` tooltip with its label and value, and line series differ by dash
pattern as well as by colour, so that a black-and-white print stays readable. Coordinates are
floats, but the text shown for a value is ``format_value(value)`` of the value as given (a
``Decimal`` stays exact in the text).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Union

from kundkit.i18n import _

Number = Union[int, float, Decimal, Fraction]

_BLOCKS = "▏▎▍▌▋▊▉█"  # one to eight eighths of a character cell
_SPARKS = "▁▂▃▄▅▆▇█"
_ASCII_SPARKS = "_.,-=+*#"

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
TEXT_COLOUR = "#222222"
AXIS_COLOUR = "#888888"
GRID_COLOUR = "#dddddd"
BAR_COLOUR = "#2f6f9f"
NEGATIVE_COLOUR = "#b5473a"
# Okabe & Ito's palette: told apart by people with the common colour-vision deficiencies.
SERIES_COLOURS = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000")
SERIES_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4", "4 4")
_FONT_SIZE = 12
_CHAR_WIDTH = 0.6 * _FONT_SIZE  # a generous average advance for a proportional sans-serif


# -- terminal ---------------------------------------------------------------------------------

def can_draw_blocks(encoding: str | None) -> bool:
    """Whether text in ``encoding`` (e.g. ``sys.stdout.encoding``) can carry the block characters."""
    if not encoding:
        return False
    try:
        (_BLOCKS + _SPARKS).encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return False
    return True


def bar(value: Number, maximum: Number, width: int = 20, *, ascii: bool = False) -> str:
    """A horizontal bar ``width`` characters wide (padded with spaces) for ``value`` of ``maximum``.

    Unicode bars have a resolution of an eighth of a character; ASCII bars draw ``#`` for a full
    cell and ``+`` for a half. Values below zero draw nothing and values above ``maximum`` fill the
    width; any value above zero draws at least the smallest mark, so that it never looks like zero.
    """
    if width < 1:
        return ""
    share = _share(value, maximum)
    steps = 8 if not ascii else 2
    filled = round(share * width * steps)
    if filled == 0 and share > 0:
        filled = 1
    full, part = divmod(filled, steps)
    if ascii:
        drawn = "#" * full + ("+" if part else "")
    else:
        drawn = "█" * full + (_BLOCKS[part - 1] if part else "")
    return drawn.ljust(width)


def sparkline(values: Sequence[Number | None], *, ascii: bool = False, zero_based: bool = True) -> str:
    """One character per value, eight heights; ``None`` (no data) is a space.

    With ``zero_based`` (the default, right for counts and amounts) the lowest mark means zero and
    heights are proportional to the values; otherwise the scale runs from the smallest to the
    largest value. A series that does not vary draws the lowest mark throughout when it is zero
    (or ``zero_based`` is off), and the highest otherwise.
    """
    marks = _ASCII_SPARKS if ascii else _SPARKS
    present = [_fraction(v) for v in values if v is not None]
    if not present:
        return " " * len(values)
    top = max(present)
    low = min(present)
    if zero_based:
        low = min(low, Fraction(0))
    span = top - low
    out = []
    for value in values:
        if value is None:
            out.append(" ")
        elif span == 0:
            out.append(marks[-1] if zero_based and top > 0 else marks[0])
        else:
            level = round((_fraction(value) - low) / span * (len(marks) - 1))
            out.append(marks[level])
    return "".join(out)


def _share(value: Number, maximum: Number) -> Fraction:
    top = _fraction(maximum)
    if top <= 0:
        return Fraction(0)
    return min(Fraction(1), max(Fraction(0), _fraction(value) / top))


def _fraction(value: Number) -> Fraction:
    if isinstance(value, float) and not math.isfinite(value):
        return Fraction(0)
    if isinstance(value, Decimal) and not value.is_finite():
        return Fraction(0)
    return Fraction(value)


# -- SVG --------------------------------------------------------------------------------------

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text made safe for XML/HTML text and double-quoted attributes (characters XML forbids are
    dropped)."""
    text = _XML_UNSAFE.sub("", str(text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def plain_number(value: Number) -> str:
    """The default text for a value: integers as they are, ``Decimal`` as written, floats to six
    significant digits."""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, Fraction):
        return f"{float(value):.6g}"
    return str(value)


def svg_bar_chart(items: Sequence[tuple[str, Number]], *, title: str = "",
                  format_value: Callable[[Number], str] = plain_number, width: int = 640,
                  row_height: int = 24, colour: str = BAR_COLOUR,
                  negative_colour: str = NEGATIVE_COLOUR) -> str:
    """A horizontal bar chart: one row per ``(label, value)``, the label on the left, the bar, and
    the value's text on the right. Negative values (a net loss) grow leftwards from a zero line,
    in ``negative_colour``. Labels too long for the label column are shortened with "…"; the full
    label stays in the row's tooltip."""
    pad = 8
    top = pad + (22 if title else 0)
    height = top + max(1, len(items)) * row_height + pad
    parts = [_svg_open(width, height, title)]
    if title:
        parts.append(_text(pad, pad + 14, title, weight="bold", size=14))
    if not items:
        parts.append(_text(width / 2, top + row_height * 0.7, _("No data"), anchor="middle",
                           fill=AXIS_COLOUR))
        parts.append("</svg>")
        return "\n".join(parts)
    texts = [format_value(value) for _label, value in items]
    max_label_chars = max(1, min(max(len(str(label)) for label, _value in items),
                                 int(width * 0.35 // _CHAR_WIDTH)))
    label_width = max_label_chars * _CHAR_WIDTH
    value_width = max(len(t) for t in texts) * _CHAR_WIDTH
    plot_left = pad + label_width + pad
    plot_right = width - pad - value_width - pad
    plot_width = max(10.0, plot_right - plot_left)
    numbers = [_float(value) for _label, value in items]
    low = min(0.0, min(numbers))
    high = max(0.0, max(numbers))
    span = (high - low) or 1.0
    zero_x = plot_left + (0.0 - low) / span * plot_width
    for row, ((label, value), number, text) in enumerate(zip(items, numbers, texts)):
        y = top + row * row_height
        middle = y + row_height / 2 + _FONT_SIZE * 0.35
        full_label = str(label)
        parts.append("<g>")
        parts.append(f"<title>{escape(full_label)}: {escape(text)}</title>")
        parts.append(_text(pad + label_width, middle, _shorten(full_label, max_label_chars),
                           anchor="end"))
        length = abs(number) / span * plot_width
        x = zero_x if number >= 0 else zero_x - length
        fill = colour if number >= 0 else negative_colour
        parts.append(f'<rect x="{x:.1f}" y="{y + row_height * 0.15:.1f}" width="{length:.1f}" '
                     f'height="{row_height * 0.7:.1f}" fill="{escape(fill)}"/>')
        parts.append(_text(plot_right + pad, middle, text))
        parts.append("</g>")
    parts.append(f'<line x1="{zero_x:.1f}" y1="{top:.1f}" x2="{zero_x:.1f}" '
                 f'y2="{top + len(items) * row_height:.1f}" stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def svg_line_chart(series: Mapping[str, Sequence[Number | None]] | Sequence[Number | None], *,
                   x_labels: Sequence[str] = (), title: str = "",
                   format_value: Callable[[Number], str] = plain_number, width: int = 640,
                   height: int = 260, zero_based: bool = True) -> str:
    """A line chart of one series (a plain sequence) or several (a mapping name → values, with a
    legend). ``None`` is a gap in the line. ``x_labels`` name the periods (thinned out when they
    would overlap); the y axis has round ticks. Every point has a tooltip with the period, the
    series and the value's text."""
    named = dict(series) if isinstance(series, Mapping) else {"": list(series)}
    points = max((len(values) for values in named.values()), default=0)
    pad = 8
    legend = [name for name in named if name]
    top = pad + (22 if title else 0) + (22 if legend else 0) + 8
    bottom = height - pad - (22 if x_labels else 0)
    parts = [_svg_open(width, height, title)]
    if title:
        parts.append(_text(pad, pad + 14, title, weight="bold", size=14))
    present = [_float(v) for values in named.values() for v in values if v is not None]
    if not present or points == 0:
        parts.append(_text(width / 2, (top + bottom) / 2, _("No data"), anchor="middle",
                           fill=AXIS_COLOUR))
        parts.append("</svg>")
        return "\n".join(parts)
    low, high = min(present), max(present)
    if zero_based:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    low, high = min(low, ticks[0]), max(high, ticks[-1])
    span = (high - low) or 1.0
    tick_texts = [plain_number(int(t)) if float(t).is_integer() else plain_number(t) for t in ticks]
    # Half of an x label can stick out beyond the first and the last point.
    half_label = min(14, max((len(str(t)) for t in x_labels), default=0)) * _CHAR_WIDTH / 2
    left = max(pad + max(len(t) for t in tick_texts) * _CHAR_WIDTH + 6, pad + half_label)
    right = width - pad - max(4.0, half_label)

    def x_at(index: int) -> float:
        return left + (index / (points - 1) if points > 1 else 0.5) * (right - left)

    def y_at(value: float) -> float:
        return bottom - (value - low) / span * (bottom - top)

    for tick, text in zip(ticks, tick_texts):
        y = y_at(tick)
        parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID_COLOUR}" stroke-width="1"/>')
        parts.append(_text(left - 6, y + _FONT_SIZE * 0.35, text, anchor="end", fill=AXIS_COLOUR))
    parts.append(f'<line x1="{left:.1f}" y1="{bottom:.1f}" x2="{right:.1f}" y2="{bottom:.1f}" '
                 f'stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    if x_labels:
        every = max(1, math.ceil(max(len(str(t)) for t in x_labels) * _CHAR_WIDTH * 1.3
                                 / max(1.0, (right - left) / max(1, points - 1))))
        for index, label in enumerate(x_labels[:points]):
            if index % every == 0:
                parts.append(_text(x_at(index), height - pad - 2, _shorten(str(label), 14),
                                   anchor="middle", fill=AXIS_COLOUR))
    legend_x = pad
    for number, (name, values) in enumerate(named.items()):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[number % len(SERIES_DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append("<g>")
        if name:
            parts.append(f"<title>{escape(name)}</title>")
            legend_y = pad + (22 if title else 0) + 10
            parts.append(f'<line x1="{legend_x:.1f}" y1="{legend_y:.1f}" x2="{legend_x + 24:.1f}" '
                         f'y2="{legend_y:.1f}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
            parts.append(_text(legend_x + 30, legend_y + 4, name))
            legend_x += 30 + len(name) * _CHAR_WIDTH + 16
        for run in _runs(values):
            coords = " ".join(f"{x_at(i):.1f},{y_at(_float(v)):.1f}" for i, v in run)
            if len(run) > 1:
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                             f'stroke-width="2"{dash_attr}/>')
        for index, value in enumerate(values):
            if value is None:
                continue
            period = str(x_labels[index]) if index < len(x_labels) else str(index + 1)
            tip = ": ".join(p for p in (period, name, format_value(value)) if p)
            parts.append(f'<circle cx="{x_at(index):.1f}" cy="{y_at(_float(value)):.1f}" r="3" '
                         f'fill="{colour}"><title>{escape(tip)}</title></circle>')
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def svg_sparkline(values: Sequence[Number | None], *, width: int = 120, height: int = 24,
                  title: str = "", format_value: Callable[[Number], str] = plain_number,
                  zero_based: bool = True, colour: str = BAR_COLOUR) -> str:
    """A small inline line for a table cell: no axes, the last point marked, gaps for ``None``.
    The ``<title>`` lists the values, so the figures are there for a reader who hovers or cannot
    see the line."""
    present = [_float(v) for v in values if v is not None]
    listing = ", ".join("–" if v is None else format_value(v) for v in values)
    label = f"{title}: {listing}" if title else listing
    parts = [_svg_open(width, height, label, inline=True)]
    if present:
        low, high = min(present), max(present)
        if zero_based:
            low, high = min(low, 0.0), max(high, 0.0)
        span = (high - low) or 1.0
        n = len(values)

        def x_at(index: int) -> float:
            return 2 + (index / (n - 1) if n > 1 else 0.5) * (width - 4)

        def y_at(value: float) -> float:
            return height - 2 - (value - low) / span * (height - 4)

        for run in _runs(values):
            coords = " ".join(f"{x_at(i):.1f},{y_at(_float(v)):.1f}" for i, v in run)
            if len(run) > 1:
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                             f'stroke-width="1.5"/>')
        last = max(i for i, v in enumerate(values) if v is not None)
        parts.append(f'<circle cx="{x_at(last):.1f}" cy="{y_at(_float(values[last])):.1f}" r="2" '
                     f'fill="{colour}"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten apart) from at or below ``low`` to at or
    above ``high``, about ``count`` of them."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high < low:
        low, high = high, low
    if high == low:
        margin = abs(high) * 0.1 or 1.0
        low, high = low - margin, high + margin
    raw = (high - low) / max(1, count - 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


def _runs(values: Sequence[Number | None]) -> list[list[tuple[int, Number]]]:
    runs: list[list[tuple[int, Number]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _svg_open(width: int, height: float, label: str, *, inline: bool = False) -> str:
    style = ' style="vertical-align: middle"' if inline else ""
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height:.0f}" '
            f'width="{width}" height="{height:.0f}" role="img" aria-label="{escape(label)}" '
            f'font-family="{escape(FONT)}" font-size="{_FONT_SIZE}"{style}>')
    return head + (f"\n<title>{escape(label)}</title>" if label else "")


def _text(x: float, y: float, text: str, *, anchor: str = "start", weight: str = "normal",
          size: int = _FONT_SIZE, fill: str = TEXT_COLOUR) -> str:
    attrs = f'x="{x:.1f}" y="{y:.1f}" fill="{fill}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if weight != "normal":
        attrs += f' font-weight="{weight}"'
    if size != _FONT_SIZE:
        attrs += f' font-size="{size}"'
    return f"<text {attrs}>{escape(text)}</text>"


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def _float(value: Number) -> float:
    number = float(value)
    return number if math.isfinite(number) else 0.0
