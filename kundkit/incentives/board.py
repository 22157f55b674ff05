"""The leaderboard for the staff room: each person's attainment as a bar, read at a glance.

Plain text, no colour: bars of block characters (``#`` in ASCII), a ``|`` where 100 % of the
target is, the figures written out beside each bar, and the titles people earned. The lines are
returned, not printed, so the command line decides where they go.
"""

from __future__ import annotations

from decimal import Decimal

from kundkit.contribution import PeriodResults, StaffResult
from kundkit.i18n import _
from kundkit.incentives.text import show_money, show_ratio

MAX_SCALE = Decimal(2)  # bars stop at 200 % so that one record month does not flatten the others


def _bar(value: Decimal, scale: Decimal, width: int, ascii: bool) -> str:
    from kundkit.analytics.charts import bar

    drawn = bar(max(value, Decimal(0)), scale, width, ascii=ascii)
    # The 100 % line is drawn through the bars too, so that who passed it shows down the column.
    mark = int(width / scale) if scale > 0 else width
    if 0 <= mark < width:
        drawn = drawn[:mark] + "|" + drawn[mark + 1:]
    return drawn


def board_lines(results: PeriodResults, *, titles: dict[str, list[str]] | None = None,
                heading: str = "", width: int = 30, ascii: bool = False) -> list[str]:
    """The leaderboard of ``results`` (best weighted sales first) as lines of text."""
    titles = titles or {}
    currency = results.currency
    people: list[StaffResult] = [r for r in results.staff if r.active or r.weighted]
    lines = []
    title = _("Leaderboard {period}").format(period=results.period)
    lines.append(f"{heading} — {title}" if heading else title)
    lines.append("")
    scale = max([Decimal(1)] + [r.attainment for r in people if r.attainment is not None])
    scale = min(scale, MAX_SCALE)
    if results.target:
        org = results.weighted / results.target
        lines.append(_("Organisation: {weighted} weighted of the target {target}").format(
            weighted=show_money(results.weighted, currency), target=show_money(results.target, currency)))
        lines.append(f"  {_bar(org, scale, width, ascii)}  {show_ratio(org, fixed=True):>8}")
        lines.append("")
    if not people:
        lines.append(_("No staff yet."))
        return lines
    name_width = max(len(r.name or r.staff) for r in people)
    money_width = max(len(show_money(r.weighted, currency)) for r in people)
    rank = 0
    previous: Decimal | None = None
    for position, result in enumerate(people, start=1):
        if previous is None or result.weighted != previous:
            rank = position  # equal weighted sales share a rank
        previous = result.weighted
        label = (result.name or result.staff).ljust(name_width)
        money = show_money(result.weighted, currency).rjust(money_width)
        if result.attainment is None:
            picture = _("(no personal target)").ljust(width)
            percent = ""
        else:
            picture = _bar(result.attainment, scale, width, ascii)
            percent = show_ratio(result.attainment, fixed=True)
        line = f"{rank:>2}. {label}  {picture}  {percent:>8}  {money}"
        for earned in titles.get(result.staff, []):
            line += f"  {'*' if ascii else '★'} {earned}"
        lines.append(line.rstrip())
    lines.append("")
    lines.append(_("Bars: attainment of each personal target; '|' marks 100 %. Figures: weighted sales."))
    return lines
