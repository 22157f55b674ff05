"""Reports as self-contained HTML pages: one file with its style sheet inside, charts as inline
SVG, no scripts, no fonts, images or links to fetch, so that it opens anywhere, offline, and prints
well (A4, tables that do not break inside a row).

Every figure of the terminal table is on the page, written the same way (:mod:`kundkit.reports.
format`), and in the business's language. Everything taken from the store is escaped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.analytics.charts import escape
from kundkit.i18n import _, get_language
from kundkit.reports import format as fmt

if TYPE_CHECKING:
    from kundkit.context import Context

STYLE = """
:root { --ink: #1f2328; --muted: #5c6670; --line: #d8dee4; --band: #f4f6f8; --accent: #2f6f9f;
        --good: #1a7f37; --bad: #b5473a; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color: var(--ink); background: #fff; font-size: 14px; line-height: 1.45; }
body { margin: 0 auto; padding: 28px 32px 48px; max-width: 1240px; }
header.page { border-bottom: 3px solid var(--accent); padding-bottom: 10px; margin-bottom: 22px; }
header.page .business { color: var(--muted); font-size: 13px; letter-spacing: .04em;
                        text-transform: uppercase; }
h1 { font-size: 26px; margin: 4px 0 4px; }
h2 { font-size: 18px; margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
h3 { font-size: 15px; margin: 20px 0 8px; }
.meta { color: var(--muted); font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0 8px; }
.card { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px;
        background: var(--band); }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums;
               white-space: nowrap; }
.card .sub { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 12px; }
th, td { padding: 5px 6px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { text-align: left; font-weight: 600; background: var(--band); border-bottom: 2px solid var(--line);
     white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tr.total td { font-weight: 600; border-top: 2px solid var(--ink); background: #fff; }
td.neg { color: var(--bad); }
td.chart { width: 1%; white-space: nowrap; }
td.date { white-space: nowrap; }
svg { max-width: 100%; height: auto; }
.wrap { overflow-x: auto; }
figure { margin: 10px 0 18px; }
figcaption { color: var(--muted); font-size: 12px; margin-top: 2px; }
.notes { color: var(--muted); font-size: 12.5px; margin: 10px 0; padding-left: 18px; }
.method { color: var(--muted); font-size: 12.5px; border-left: 3px solid var(--line);
          padding: 4px 10px; margin: 10px 0; }
.pill { display: inline-block; padding: 0 7px; border-radius: 9px; font-size: 11.5px;
        background: var(--band); border: 1px solid var(--line); white-space: nowrap; }
.pill.bad { color: var(--bad); border-color: var(--bad); }
.pill.good { color: var(--good); border-color: var(--good); }
.meter { display: inline-block; width: 90px; height: 10px; background: var(--band);
         border: 1px solid var(--line); vertical-align: middle; margin-left: 6px; position: relative; }
.meter span { display: block; height: 100%; background: var(--accent); }
.columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 8px 28px; }
section.report { margin-top: 34px; }
section.report > h2 { font-size: 21px; border-bottom: 2px solid var(--accent); }
section.report > .meta { margin: -6px 0 8px; }
nav.contents { font-size: 13px; margin: 4px 0 8px; }
nav.contents a { color: var(--accent); text-decoration: none; margin-right: 14px; }
.failure { color: var(--bad); }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line);
         padding-top: 8px; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { padding: 0; max-width: none; font-size: 12px; }
  .wrap { overflow: visible; }
  tr, figure, .card { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  section.report + section.report { break-before: page; }
  nav.contents { display: none; }
  tbody tr:nth-child(even) td { background: none; }
}
"""


@dataclass(frozen=True)
class Col:
    """A column of an HTML table: the row key, its header, whether it is a number, and how to
    show the value (the same function as the terminal table)."""

    key: str
    header: str
    numeric: bool = False
    show: Any = None
    raw: bool = False  # the shown value is already HTML (a chart)
    date: bool = False  # kept on one line


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Col], *,
          total: dict[str, Any] | None = None, empty: str = "") -> str:
    if not rows:
        return f'<p class="meta">{escape(empty or _("No data"))}</p>'
    head = "".join(f'<th class="num">{escape(c.header)}</th>' if c.numeric
                   else f"<th>{escape(c.header)}</th>" for c in columns)
    body = [_row(row, columns) for row in rows]
    if total is not None:
        body.append(_row(total, columns, css="total"))
    return (f'<div class="wrap"><table><thead><tr>{head}</tr></thead><tbody>'
            + "".join(body) + "</tbody></table></div>")


def _row(row: dict[str, Any], columns: Sequence[Col], css: str = "") -> str:
    cells = []
    for c in columns:
        value = row.get(c.key)
        shown = c.show(value) if c.show is not None and value is not None else \
            ("" if value is None else str(value))
        classes = []
        if c.numeric:
            classes.append("num")
            if isinstance(shown, str) and shown.startswith("-") and len(shown) > 1:
                classes.append("neg")
        if c.raw:
            classes.append("chart")
        if c.date:
            classes.append("date")
        attr = f' class="{" ".join(classes)}"' if classes else ""
        cells.append(f"<td{attr}>{shown if c.raw else escape(shown)}</td>")
    attr = f' class="{css}"' if css else ""
    return f"<tr{attr}>" + "".join(cells) + "</tr>"


def cards(items: Iterable[tuple[str, str, str]]) -> str:
    """Headline figures: (label, value, small text under it)."""
    out = ['<div class="cards">']
    for label, value, sub in items:
        out.append(f'<div class="card"><div class="label">{escape(label)}</div>'
                   f'<div class="value">{escape(value)}</div>'
                   + (f'<div class="sub">{escape(sub)}</div>' if sub else "") + "</div>")
    out.append("</div>")
    return "".join(out)


def meter(ratio: Decimal | None, maximum: Decimal = Decimal(1)) -> str:
    """A small bar for a share or attainment, drawn in CSS (it prints as a filled box)."""
    if ratio is None:
        return ""
    top = max(maximum, Decimal(1))
    width = max(Decimal(0), min(Decimal(100), Decimal(ratio) / top * 100))
    return (f'<span class="meter" role="img" aria-label="{escape(fmt.percent(ratio))}">'
            f'<span style="width:{width:.1f}%"></span></span>')


def notes(items: Sequence[str]) -> str:
    if not items:
        return ""
    return '<ul class="notes">' + "".join(f"<li>{escape(n)}</li>" for n in items) + "</ul>"


def figure(svg: str, caption: str = "") -> str:
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{svg}{cap}</figure>"


# Sections of a report are h2 on the report's own page and h3 inside the dashboard.
_LEVEL: ContextVar[int] = ContextVar("kundkit_report_heading_level", default=2)


def section(title: str, body: str, *, level: int | None = None) -> str:
    level = level or _LEVEL.get()
    return f"<h{level}>{escape(title)}</h{level}>\n{body}\n"


def document(ctx: Context, title: str, subtitle: str, body: str) -> str:
    """A whole page: head with the style sheet, the business's name, the body, a footer."""
    business = ctx.config.business_name
    made = ctx.now().strftime("%Y-%m-%d %H:%M")
    language = get_language()
    return (f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)} – {escape(business)}</title>\n<style>{STYLE}</style>\n"
            f"</head>\n<body>\n<header class=\"page\"><div class=\"business\">{escape(business)}</div>"
            f"<h1>{escape(title)}</h1><div class=\"meta\">{escape(subtitle)}</div></header>\n"
            f"{body}\n<footer>{escape(_('Made by kundkit on {moment}.').format(moment=made))}"
            f"</footer>\n</body>\n</html>\n")


def subtitle(report: Any) -> str:
    parts = [report.window.label]
    if report.filters.active:
        parts.append(report.filters.describe())
    parts.append(_("amounts in {currency}").format(currency=report.currency))
    return " · ".join(parts)


def write_page(path: Path, text: str) -> None:
    """Write the page atomically (a half-written report never replaces a good one)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _money(value: Any) -> str:
    return fmt.amount(None if value in (None, "") else Decimal(str(value)))


def _pct(value: Any) -> str:
    return fmt.percent(None if value in (None, "") else Decimal(str(value)))


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


# -- customers ----------------------------------------------------------------------------------

def customers_body(report: Any) -> str:
    from kundkit.analytics.charts import svg_bar_chart, svg_sparkline

    totals = report.totals
    body = [cards([
        (_("Customers"), fmt.whole(report.customers), _("with purchases or costs")),
        (_("Revenue"), fmt.amount(totals["revenue"]), _("net of discounts and credits")),
        (_("Gross margin"), fmt.amount(totals["gross_margin"]),
         _("on products with a unit cost")),
        (_("Cost of serving"), fmt.amount(totals["serving_cost"]), ""),
        (_("Net contribution"), fmt.amount(totals["net_contribution"]), ""),
    ])]
    top = report.rows[:15]
    if top:
        items = [(f"{r.customer} {r.name}", r.net_contribution) for r in top]
        body.append(figure(svg_bar_chart(items, title=_("Net contribution"),
                                         format_value=lambda v: fmt.amount(Decimal(str(v))),
                                         width=900),
                           _("The first {n} customers of the table.").format(n=len(top))))
    years = sorted({y for r in report.rows for y in r.revenue_by_year})
    span = [str(y) for y in range(int(years[0]), int(years[-1]) + 1)] if years else []
    rows = []
    for row in report.rows:
        data = row.as_dict()
        data["chart"] = svg_sparkline([row.revenue_by_year.get(y, Decimal(0)) for y in span],
                                      width=64, height=18, title=_("Revenue by year"),
                                      format_value=lambda v: fmt.amount(Decimal(str(v)))) \
            if len(span) > 1 else ""
        rows.append(data)
    columns = [
        Col("customer", _("Customer")), Col("name", _("Name")), Col("segment", _("Segment")),
        Col("first_purchase", _("First"), date=True), Col("last_purchase", _("Last"), date=True),
        Col("tenure_days", _("Years"), True, fmt.years),
        Col("purchases", _("Purchases"), True, fmt.whole),
        Col("revenue", _("Revenue"), True, _money),
        Col("revenue_per_year", _("Per year"), True, _money),
        Col("gross_margin", _("Margin"), True, _money),
        Col("serving_cost", _("Serving"), True, _money),
        Col("net_contribution", _("Contribution"), True, _money),
        Col("trend", _("YoY"), True, lambda v: fmt.change(_dec(v))),
        Col("chart", _("Trend"), raw=True),
        Col("rfm", _("RFM")),
    ]
    total = {"customer": _("Total"), **{k: (f"{v:f}" if isinstance(v, Decimal) else v)
                                         for k, v in totals.items()}}
    body.append(section(_("Customers"), table(rows, columns, total=total, empty=_(
        "No customers with purchases or costs in this period."))))
    if not rows:
        body.append(notes(report.notes))
        return "\n".join(body)
    serving_cols = [
        Col("customer", _("Customer")), Col("name", _("Name")), Col("manager", _("Manager")),
        Col("interactions", _("Contacts"), True, fmt.whole),
        Col("interaction_cost", _("Contact cost"), True, _money),
        Col("feedback_items", _("Feedback"), True, fmt.whole),
        Col("feedback_cost", _("Feedback cost"), True, _money),
        Col("compensations", _("Compensations"), True, fmt.whole),
        Col("compensation_cost", _("Compensation cost"), True, _money),
        Col("serving_cost", _("Serving"), True, _money),
    ]
    body.append(section(_("Cost of serving"), table(rows, serving_cols, total=total)))
    margin_cols = [
        Col("customer", _("Customer")), Col("name", _("Name")),
        Col("discounts", _("Discounts"), True, _money),
        Col("costed_revenue", _("Costed revenue"), True, _money),
        Col("cost_of_goods", _("Cost of goods"), True, _money),
        Col("gross_margin", _("Margin"), True, _money),
        Col("margin_rate", _("Margin %"), True, _pct),
        Col("margin_coverage", _("Coverage"), True, _pct),
        Col("last_12_months", _("Last 12 months"), True, _money),
        Col("previous_12_months", _("12 months before"), True, _money),
    ]
    body.append(section(_("Margin and trend"), table(rows, margin_cols, total=total)))
    body.append(notes(report.notes))
    return "\n".join(body)


def customers_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Customer economics"), subtitle(report), customers_body(report))


# -- plan ---------------------------------------------------------------------------------------

def plan_body(report: Any) -> str:
    from kundkit.analytics.charts import svg_bar_chart

    data = report.as_dict()
    org = data["organisation"]
    body = [cards([
        (_("Net sales"), _money(org["net"]), ""),
        (_("Weighted sales"), _money(org["weighted"]), ""),
        (_("Target"), _money(org["target"]) if org["target"] else "–", ""),
        (_("Attainment"), _pct(org["attainment"]) if org["attainment"] else "–", ""),
        (_("Key products' share"), _pct(org["locomotive_share"]) if org["locomotive_share"] else "–",
         _("of the weighted sales")),
        (_("Without a seller"), _money(org["unattributed_net"]), ""),
    ])]
    staff = data["staff"]
    attained = [(r["name"] or r["staff"], Decimal(r["attainment"]) * 100) for r in staff
                if r["attainment"] is not None]
    if attained:
        body.append(figure(svg_bar_chart(attained, title=_("Attainment of the personal target"),
                                         format_value=lambda v: fmt.percent(Decimal(str(v)) / 100),
                                         width=760)))
    shares = [(r["name"] or r["staff"], Decimal(r["weighted"])) for r in staff
              if Decimal(r["weighted"]) != 0]
    if shares:
        body.append(figure(svg_bar_chart(shares, title=_("Weighted sales"),
                                         format_value=lambda v: fmt.amount(Decimal(str(v))),
                                         width=760)))
    top = max([Decimal(r["attainment"]) for r in staff if r["attainment"]] + [Decimal(1)])
    rows = [{**r, "name": r["name"] or r["staff"],
             "share_meter": meter(_dec(r["share"])),
             "attainment_meter": meter(_dec(r["attainment"]), top)} for r in staff]
    columns = [
        Col("staff", _("Staff")), Col("name", _("Name")),
        Col("lines", _("Lines"), True, fmt.whole),
        Col("net", _("Net sales"), True, _money), Col("weighted", _("Weighted"), True, _money),
        Col("share", _("Share"), True, _pct), Col("share_meter", "", raw=True),
        Col("locomotive_share", _("Key products"), True, _pct),
        Col("target", _("Target"), True, _money),
        Col("contribution", _("Of plan"), True, _pct),
        Col("attainment", _("Attainment"), True, _pct), Col("attainment_meter", "", raw=True),
    ]
    total = {"staff": _("Total"), "net": org["net"], "weighted": org["weighted"],
             "lines": data["lines"], "target": org["target"], "attainment": org["attainment"],
             "locomotive_share": org["locomotive_share"]}
    body.append(section(_("Sellers"), table(rows, columns, total=total)))
    if data["key_products"]:
        body.append(section(_("Key products"), table(
            [{**p, "meter": meter(_dec(p["share"]))} for p in data["key_products"]],
            [Col("sku", _("SKU")), Col("name", _("Name")),
             Col("quantity", _("Quantity"), True, fmt.whole),
             Col("net", _("Net sales"), True, _money), Col("weighted", _("Weighted"), True, _money),
             Col("share", _("Share"), True, _pct), Col("meter", "", raw=True)])))
    body.append(notes(report.notes))
    return "\n".join(body)


def plan_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Sales against the plan"), subtitle(report), plan_body(report))


# -- forecast -----------------------------------------------------------------------------------

def forecast_body(report: Any) -> str:
    from kundkit.analytics.charts import svg_bar_chart

    data = report.as_dict()
    body = [cards([
        (_("Customers"), fmt.whole(data["customers"]),
         _("{repeat} of {fitted} fitted bought more than once").format(
             repeat=fmt.whole(data["fitted_repeat_customers"]),
             fitted=fmt.whole(data["fitted_customers"]))),
        (_("Expected purchases"), fmt.expected(data["expected_purchases_total"]),
         _("in the next {days} days").format(days=data["horizon_days"])),
        (_("Slipping away"), fmt.whole(data["slipping"]),
         _("P(active) below {limit}").format(limit=fmt.probability(data["slipping_below"]))),
        (_("One-time buyers"), fmt.whole(data["one_time_buyers"]), _("not forecast")),
    ])]
    urgent = [row for row in data["rows"] if row["slipping"]][:15]
    if urgent:
        body.append(figure(svg_bar_chart(
            [(f"{r['customer']} {r['name']}", Decimal(str(r["p_alive"])) * 100) for r in urgent],
            title=_("Slipping away: P(active)"),
            format_value=lambda v: fmt.percent(Decimal(str(v)) / 100, 0), width=820)))
    errors = data["standard_errors"] or {}
    params = [{"name": name, "value": fmt.general(data["parameters"][name]),
               "error": fmt.general(errors.get(name), 3)} for name in ("r", "alpha", "a", "b")]
    method = _("The BG/NBD model (Fader, Hardie & Lee 2005) fitted by maximum likelihood to "
               "{customers} customers' purchase days, time in units of {unit} days. Log-likelihood "
               "{value}; {state}.").format(
        customers=fmt.whole(data["fitted_customers"]), unit=data["unit_days"],
        value=fmt.number(data["log_likelihood"], 2),
        state=_("converged") if data["converged"] else _("did not converge cleanly"))
    body.append(section(_("The fitted model"), table(params, [
        Col("name", _("Parameter")), Col("value", _("Estimate"), True),
        Col("error", _("Std. error"), True)]) + f'<p class="method">{escape(method)}</p>'))
    rows = [{**row, "meter": meter(Decimal(str(row["p_alive"]))),
             "flag": _("yes") if row["slipping"] else ""} for row in data["rows"]]
    body.append(section(_("Customers, slipping away first"), table(rows, [
        Col("customer", _("Customer")), Col("name", _("Name")), Col("manager", _("Manager")),
        Col("purchases", _("Purchases"), True, fmt.whole),
        Col("last_purchase", _("Last"), date=True),
        Col("days_since_last", _("Days since"), True, fmt.whole),
        Col("p_alive", _("P(active)"), True, fmt.probability), Col("meter", "", raw=True),
        Col("expected_purchases", _("Expected"), True, fmt.expected),
        Col("last_12_months", _("Last 12 months"), True, _money),
        Col("flag", _("Slipping")),
    ])))
    body.append(notes(report.notes))
    return "\n".join(body)


def forecast_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Forecast of purchases"), subtitle(report), forecast_body(report))


# -- followups ----------------------------------------------------------------------------------

def followups_body(report: Any) -> str:
    from kundkit.analytics.charts import svg_bar_chart

    data = report.as_dict()
    total = data["total"]
    body = [cards([
        (_("Key-product sales"), fmt.whole(total["sales"]), ""),
        (_("In time"), fmt.whole(total["in_time"]), _pct(total["in_time_share"])),
        (_("Late"), fmt.whole(total["late"]), ""),
        (_("Not done"), fmt.whole(total["not_done"]), ""),
        (_("Pending"), fmt.whole(total["pending"]), _("open, not yet due")),
        (_("Not asked"), fmt.whole(total["not_asked"]), _("history, or follow-up off")),
    ])]
    shares = [(m["name"] or m["manager"] or _("(none)"), Decimal(m["in_time_share"]) * 100)
              for m in data["managers"] if m["in_time_share"] is not None]
    if shares:
        body.append(figure(svg_bar_chart(
            shares, title=_("Consultations in time"),
            format_value=lambda v: fmt.percent(Decimal(str(v)) / 100), width=720)))
    rows = [{**m, "manager": m["manager"] or _("(none)"), "meter": meter(_dec(m["in_time_share"]))}
            for m in data["managers"]]
    columns = [Col("manager", _("Manager")), Col("name", _("Name")),
               Col("sales", _("Key-product sales"), True, fmt.whole),
               Col("in_time", _("In time"), True, fmt.whole), Col("late", _("Late"), True, fmt.whole),
               Col("not_done", _("Not done"), True, fmt.whole),
               Col("pending", _("Pending"), True, fmt.whole),
               Col("not_asked", _("Not asked"), True, fmt.whole),
               Col("in_time_share", _("Share in time"), True, _pct), Col("meter", "", raw=True)]
    body.append(section(_("Per manager"), table(rows, columns, total={
        **total, "manager": _("Total"), "name": ""}, empty=_("No key-product sales in this period."))
        + f'<p class="method">{escape(_("A consultation is due {days} days after the sale.").format(days=data["due_days"]))}</p>'))
    if data["missed"]:
        from kundkit.reports.followups import MISSED_SHOWN

        outcome = {"late": _("late"), "not_done": _("not done")}
        more = len(data["missed"]) - MISSED_SHOWN
        tail = f'<p class="meta">{escape(_("… and {count} more (--format json lists them all).").format(count=fmt.whole(more)))}</p>' if more > 0 else ""
        body.append(section(_("Late or not done, latest first"), table(
            [{**m, "outcome": outcome.get(m["outcome"], m["outcome"]),
              "done_at": (m["done_at"] or "")[:10]} for m in data["missed"][:MISSED_SHOWN]],
            [Col("purchase", _("Purchase")), Col("date", _("Date"), date=True),
             Col("customer", _("Customer")), Col("customer_name", _("Name")), Col("sku", _("SKU")),
             Col("manager", _("Manager")), Col("task", _("Task")), Col("due", _("Due"), date=True),
             Col("done_at", _("Done"), date=True), Col("outcome", _("Outcome"))]) + tail))
    body.append(notes(report.notes))
    return "\n".join(body)


def followups_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Key-product follow-up"), subtitle(report), followups_body(report))


# -- feedback -----------------------------------------------------------------------------------

def feedback_body(report: Any) -> str:
    from datetime import timedelta

    from kundkit.analytics.charts import svg_bar_chart
    from kundkit.reports.labels import kind_label, status_label

    data = report.as_dict()

    def seconds(value: Any) -> str:
        return "" if value is None else fmt.duration(timedelta(seconds=value))

    first, resolution, sat = data["first_response"], data["resolution"], data["satisfaction"]
    body = [cards([
        (_("Received"), fmt.whole(data["items"]), _("items of feedback")),
        (_("Open items"), fmt.whole(data["open"]),
         _("{overdue} overdue").format(overdue=fmt.whole(len(data["overdue"])))),
        (_("Answered in time"), _pct(first["share_in_time"]) or "–",
         _("median {time}").format(time=seconds(first["median_seconds"]) or "–")),
        (_("Resolved in time"), _pct(resolution["share_in_time"]) or "–",
         _("median {time}").format(time=seconds(resolution["median_seconds"]) or "–")),
        (_("Satisfaction"), fmt.number(_dec(sat["mean"]), 2) if sat["mean"] else "–",
         _("{rated} rated, {share} satisfied").format(rated=fmt.whole(sat["rated"]),
                                                      share=_pct(sat["satisfied_share"]) or "–")),
    ])]
    clocks = [{"clock": _("First response"), **first}, {"clock": _("Resolution"), **resolution}]
    body.append(section(_("Deadlines and times"), table(clocks, [
        Col("clock", ""), Col("met", _("In time"), True, fmt.whole),
        Col("late", _("Late"), True, fmt.whole), Col("overdue", _("Overdue"), True, fmt.whole),
        Col("running", _("Running"), True, fmt.whole),
        Col("share_in_time", _("Share in time"), True, _pct),
        Col("median_seconds", _("Median"), True, seconds),
        Col("p90_seconds", _("90th percentile"), True, seconds),
        Col("measured", _("Measured"), True, fmt.whole)])
        + f'<p class="method">{escape(_("Times are open hours of the feedback calendar; waiting for the customer does not count. The share in time is of the items whose deadline has been decided: met, missed, or overdue."))}</p>'))

    def counts(title: str, rows: list[dict[str, Any]], label: Any) -> str:
        top = max([Decimal(r["count"]) for r in rows] + [Decimal(1)])
        shown = [{**r, "label": label(r["key"]), "meter": meter(Decimal(r["count"]), top)}
                 for r in rows]
        return "<div>" + table(shown, [
            Col("label", title), Col("count", _("Count"), True, fmt.whole),
            Col("share", _("Share"), True, _pct), Col("meter", "", raw=True)]) + "</div>"

    body.append(section(_("What came in"), '<div class="columns">'
                        + counts(_("Kind"), data["by_kind"], kind_label)
                        + counts(_("Category"), data["by_category"],
                                 lambda v: v if v else _("(none)"))
                        + counts(_("Segment"), data["by_segment"],
                                 lambda v: v if v else _("(none)"))
                        + counts(_("Status"), data["by_status"], status_label) + "</div>"))
    if sat["rated"]:
        body.append(figure(svg_bar_chart(
            [(str(score), sat["scores"][str(score)]) for score in range(5, 0, -1)],
            title=_("Satisfaction (5 best)"), format_value=lambda v: fmt.whole(int(v)),
            width=520)))
    body.append(f'<p>{escape(_("Compensation granted: {count}, in money {amount} {currency}.").format(count=fmt.whole(data["compensations"]["count"]), amount=_money(data["compensations"]["amount"]), currency=report.currency))}</p>')
    if data["overdue"]:
        names = {"first_response": _("first response"), "resolution": _("resolution")}
        rows = [{**item, "kind": kind_label(item["kind"]), "status": status_label(item["status"]),
                 "received_at": item["received_at"][:16].replace("T", " "),
                 "due": item["due"][:16].replace("T", " "),
                 "late": ", ".join(names.get(x, x) for x in item["late"])}
                for item in data["overdue"]]
        body.append(section(_("Overdue"), table(rows, [
            Col("id", _("ID")), Col("customer", _("Customer")), Col("customer_name", _("Name")),
            Col("kind", _("Kind")), Col("category", _("Category")), Col("status", _("Status")),
            Col("assignee", _("Assignee")), Col("received_at", _("Received"), date=True),
            Col("late", _("Late")), Col("due", _("Due"), date=True)])))
    body.append(notes(report.notes))
    return "\n".join(body)


def feedback_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Feedback"), subtitle(report), feedback_body(report))


# -- trends -------------------------------------------------------------------------------------

def trends_body(report: Any) -> str:
    from kundkit.analytics.charts import svg_line_chart, svg_sparkline
    from kundkit.reports.labels import key_header, p_text, source_title, trend_rows

    labels = report.labels
    body = [cards([
        ({"feedback": _("Feedback categories"), "products": _("Product categories"),
          "words": _("Words and phrases")}[s.source],
         fmt.whole(len(s.flagged)), _("rising of {tested} tested").format(tested=fmt.whole(s.tested)))
        for s in report.sources])]
    for source in ("feedback", "products", "words"):
        rows = trend_rows(report, source)
        for row in rows:
            row["chart"] = svg_sparkline(list(row["counts"].values()), width=120, height=22,
                                         title=row["label"])
        if rows and source != "words":
            series = {f"{r['segment_label']}: {r['label']}": list(r["counts"].values())
                      for r in rows[:4]}
            chart = figure(svg_line_chart(series, x_labels=labels, width=900, height=240),
                           _("The strongest rises, counts per month."))
        else:
            chart = ""
        found = report.source(source)
        table_html = table(rows, [
            Col("segment_label", _("Segment")), Col("label", _(key_header(source))),
            Col("latest", _("Latest"), True, fmt.whole),
            Col("expected", _("Expected"), True, lambda v: fmt.number(Decimal(str(v)), 1)),
            Col("rise", _("Rise"), True),
            Col("adjusted_p", _("p (adjusted)"), True, p_text),
            Col("chart", _("Months"), raw=True), Col("evidence", _("Counts per month"))],
            empty=_("Nothing rises above its own history ({tested} tested).").format(
                tested=fmt.whole(found.tested)))
        body.append(section(source_title(source, labels[-1]), chart + table_html))
    body.append(f'<p class="method">{escape(_("The test: {method}").format(method=report.method))}<br>'
                f'{escape(_("Months: {labels}.").format(labels=", ".join(labels)))}</p>')
    body.append(notes(report.notes))
    return "\n".join(body)


def trends_page(ctx: Context, report: Any) -> str:
    return document(ctx, _("Trends"), subtitle(report), trends_body(report))


# -- the dashboard ------------------------------------------------------------------------------

def dashboard_page(ctx: Context, board: Any) -> str:
    """Every report of the dashboard, each in its own section (a page of its own in print)."""
    titles = {"plan": _("Sales against the plan"), "customers": _("Customer economics"),
              "forecast": _("Forecast of purchases"), "followups": _("Key-product follow-up"),
              "feedback": _("Feedback"), "trends": _("Trends")}
    bodies = {"plan": plan_body, "customers": customers_body, "forecast": forecast_body,
              "followups": followups_body, "feedback": feedback_body, "trends": trends_body}
    reports = board.reports
    headline = []
    if "plan" in reports:
        org = reports["plan"].as_dict()["organisation"]
        headline.append((_("Attainment"), _pct(org["attainment"]) or "–",
                         _("{period}, weighted sales {amount}").format(
                             period=reports["plan"].window.label, amount=_money(org["weighted"]))))
    if "customers" in reports:
        totals = reports["customers"].totals
        headline.append((_("Net contribution"), fmt.amount(totals["net_contribution"]),
                         _("revenue {amount}").format(amount=fmt.amount(totals["revenue"]))))
    if "forecast" in reports:
        forecast = reports["forecast"]
        headline.append((_("Slipping away"), fmt.whole(forecast.slipping),
                         _("of {count} customers").format(count=fmt.whole(forecast.customers))))
    if "feedback" in reports:
        first = reports["feedback"].first_response
        headline.append((_("Answered in time"), fmt.percent(first.share_in_time) or "–",
                         _("{open} open feedback items").format(
                             open=fmt.whole(reports["feedback"].open_items))))
    if "trends" in reports:
        rising = sum(len(s.flagged) for s in reports["trends"].sources)
        headline.append((_("Rising trends"), fmt.whole(rising), _("in the latest month")))
    links = "".join(f'<a href="#{name}">{escape(titles[name])}</a>' for name in bodies)
    parts = [cards(headline), f'<nav class="contents">{links}</nav>']
    token = _LEVEL.set(3)
    try:
        for name, body in bodies.items():
            if name in reports:
                inner = f'<div class="meta">{escape(subtitle(reports[name]))}</div>' + body(reports[name])
            else:
                inner = f'<p class="failure">{escape(board.failures.get(name, ""))}</p>'
            parts.append(f'<section class="report" id="{name}"><h2>{escape(titles[name])}</h2>'
                         f"{inner}</section>")
    finally:
        _LEVEL.reset(token)
    scope = board.filters.describe() if board.filters.active else _("all customers")
    return document(ctx, _("Dashboard"), scope, "\n".join(parts))
