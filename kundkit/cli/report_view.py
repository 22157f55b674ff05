"""How the reports read in a terminal: a heading, a table, bars and sparklines, and notes.

The pictures carry no colour (they read the same on paper and in a pipe) and fall back to ASCII
when the output cannot encode block characters. CSV gets the rows of the main table with the
keys of the JSON output.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import Any

from kundkit.cli.output import Column
from kundkit.cli.output import table_text as tabulated
from kundkit.i18n import _
from kundkit.reports import format as fmt
from kundkit.reports import labels
from kundkit.reports.labels import (
    key_header, kind_label, p_text, source_title, status_label,
)


def table_text(rows: list[dict[str, Any]], columns: list[Column], style: str) -> str:
    """A table as every listing draws it (the "simple" style without tabulate's cost)."""
    return tabulated(rows, columns, style)


def _ascii() -> bool:
    from kundkit.analytics.charts import can_draw_blocks

    return not can_draw_blocks(getattr(sys.stdout, "encoding", None))


def bar(value: Any, maximum: Any, width: int = 16) -> str:
    from kundkit.analytics.charts import bar as draw

    if value is None:
        return " " * width
    return draw(Decimal(str(value)), Decimal(str(maximum)), width, ascii=_ascii())


def spark(values: list[Any]) -> str:
    from kundkit.analytics.charts import sparkline

    return sparkline([None if v is None else Decimal(str(v)) for v in values], ascii=_ascii())


def heading(title: str, report: Any) -> str:
    parts = [title, report.window.label]
    if report.filters.active:
        parts.append(report.filters.describe())
    return " · ".join(parts)


def money(value: Any) -> str:
    if value is None or value == "":
        return ""
    return fmt.amount(value if isinstance(value, (str, Decimal)) else Decimal(str(value)))


def pct(value: Any) -> str:
    return fmt.percent(None if value in (None, "") else Decimal(str(value)))


def notes_text(notes: list[str]) -> str:
    return "".join(f"* {note}\n" for note in notes)


def tidy(text: str) -> str:
    """No spaces at the ends of lines (a bar pads itself to its width), one newline at the end."""
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n")) + "\n"


# -- customers ----------------------------------------------------------------------------------

def customers_columns() -> list[Column]:
    return [
        Column("customer", "Customer"),
        Column("name", "Name", show=lambda v: v if len(v) <= 26 else v[:25] + "…"),
        Column("segment", "Segment"),
        Column("first_purchase", "First"),
        Column("last_purchase", "Last"),
        Column("tenure_days", "Years", "right", show=fmt.years),
        Column("purchases", "Purchases", "right", show=fmt.whole),
        Column("revenue", "Revenue", "right", show=money),
        Column("revenue_per_year", "Per year", "right", show=money),
        Column("gross_margin", "Margin", "right", show=money),
        Column("discounts", "Discounts", "right", show=money),
        Column("serving_cost", "Serving", "right", show=money),
        Column("net_contribution", "Contribution", "right", show=money),
        Column("trend", "YoY", "right",
               show=lambda v: "" if v == "" else fmt.change(None if v is None else Decimal(v))),
        Column("rfm", "RFM"),
    ]


def customers_text(report: Any, style: str) -> str:
    # The table's cells straight from the rows (a big report has ten thousand): the same values
    # as the JSON, without writing them out and reading them back.
    rows: list[dict[str, Any]] = [{
        "customer": r.customer, "name": r.name, "segment": r.segment,
        "first_purchase": r.first_purchase, "last_purchase": r.last_purchase,
        "tenure_days": r.tenure_days, "purchases": r.purchases, "revenue": r.revenue,
        "revenue_per_year": r.revenue_per_year, "gross_margin": r.gross_margin,
        "discounts": r.discounts, "serving_cost": r.serving_cost,
        "net_contribution": r.net_contribution, "trend": r.trend, "rfm": r.rfm_code}
        for r in report.rows]
    totals = dict(report.totals)
    out = [heading(_("Customer economics"), report)]
    # The sort key named as its column is headed, so the sentence reads in the report's language.
    sort_headers = {"contribution": "Contribution", "revenue": "Revenue", "per-year": "Per year",
                    "margin": "Margin", "discounts": "Discounts", "serving": "Serving", "trend": "YoY",
                    "rfm": "RFM", "first": "First", "last": "Last", "tenure": "Years",
                    "customer": "Customer", "name": "Name"}
    sort_label = _(sort_headers[report.sort]) if report.sort in sort_headers else report.sort
    if not any(c.isupper() for c in sort_label[1:]):  # "Bidrag" → "bidrag", but "YoY" and "RFM" stay
        sort_label = sort_label.lower()
    out.append(_("Amounts in {currency}; sorted by {sort}; {shown} of {count} customers.").format(
        currency=report.currency, sort=sort_label, shown=len(report.rows), count=report.customers))
    out.append("")
    if rows:
        rows.append({"customer": _("Total"), "name": "", "purchases": totals["purchases"],
                     "revenue": totals["revenue"], "gross_margin": totals["gross_margin"],
                     "discounts": totals["discounts"], "serving_cost": totals["serving_cost"],
                     "net_contribution": totals["net_contribution"], "trend": "",
                     "tenure_days": None})
        out.append(table_text(rows, customers_columns(), style))
    else:
        out.append(_("No customers with purchases or costs in this period."))
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


CUSTOMER_CSV_KEYS = [
    "customer", "name", "segment", "manager", "first_purchase", "last_purchase", "tenure_days",
    "purchases", "revenue", "revenue_per_year", "costed_revenue", "cost_of_goods", "gross_margin",
    "margin_rate", "margin_coverage", "discounts", "interactions", "interaction_cost",
    "feedback_items", "feedback_cost", "compensations", "compensation_cost", "serving_cost",
    "net_contribution", "last_12_months", "previous_12_months", "trend", "rfm", "recency",
    "frequency", "monetary"]


def customers_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return [row.as_dict() for row in report.rows], CUSTOMER_CSV_KEYS


# -- plan ---------------------------------------------------------------------------------------

def plan_rows(report: Any) -> list[dict[str, Any]]:
    data = report.as_dict()
    return data["staff"]


def plan_text(report: Any, style: str) -> str:
    data = report.as_dict()
    org = data["organisation"]
    staff = data["staff"]
    top_attainment = max([Decimal(r["attainment"]) for r in staff if r["attainment"]] + [Decimal(1)])
    rows = []
    for row in staff:
        rows.append({**row, "name": row["name"] or row["staff"],
                     "attainment_bar": bar(row["attainment"], top_attainment) if row["attainment"]
                     else "",
                     "share_bar": bar(row["share"], 1, 10) if row["share"] else ""})
    out = [heading(_("Sales against the plan"), report),
           _("Amounts in {currency}; weighted sales = line net × product weight.").format(
               currency=report.currency), ""]
    summary = [
        (_("Net sales"), money(org["net"])),
        (_("Weighted sales"), money(org["weighted"])),
        (_("Target"), money(org["target"]) if org["target"] else "–"),
        (_("Attainment"), (pct(org["attainment"]) + "  " + bar(org["attainment"],
                                                            max(Decimal(1), Decimal(org["attainment"]))))
         if org["attainment"] else "–"),
        (_("Key products' share"), (pct(org["locomotive_share"]) + "  " +
                                    bar(org["locomotive_share"], 1)) if org["locomotive_share"] else "–"),
        (_("Without a seller"), money(org["unattributed_net"])),
    ]
    width = max(len(label) for label, _value in summary)
    out.extend(f"{label.ljust(width)}  {value}" for label, value in summary)
    out.append("")
    columns = [
        Column("staff", "Staff"), Column("name", "Name"),
        Column("lines", "Lines", "right", show=fmt.whole),
        Column("net", "Net sales", "right", show=money),
        Column("weighted", "Weighted", "right", show=money),
        Column("share", "Share", "right", show=pct), Column("share_bar", " "),
        Column("locomotive_share", "Key products", "right", show=pct),
        Column("target", "Target", "right", show=money),
        Column("contribution", "Of plan", "right", show=pct),
        Column("attainment", "Attainment", "right", show=pct), Column("attainment_bar", " "),
    ]
    out.append(table_text(rows, columns, style))
    if data["key_products"]:
        out.append("")
        out.append(_("Key products"))
        out.append(table_text(
            [{**p, "bar": bar(p["share"], 1, 10) if p["share"] else ""} for p in data["key_products"]],
            [Column("sku", "SKU"), Column("name", "Name"),
             Column("quantity", "Quantity", "right", show=fmt.whole),
             Column("net", "Net sales", "right", show=money),
             Column("weighted", "Weighted", "right", show=money),
             Column("share", "Share", "right", show=pct), Column("bar", " ")], style))
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


PLAN_CSV_KEYS = ["staff", "name", "active", "lines", "net", "weighted", "locomotive_weighted",
                 "locomotive_share", "share", "contribution", "target", "target_source",
                 "attainment"]


def plan_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return plan_rows(report), PLAN_CSV_KEYS


# -- forecast -----------------------------------------------------------------------------------

def forecast_text(report: Any, style: str) -> str:
    data = report.as_dict()
    params = data["parameters"]
    errors = data["standard_errors"] or {}
    out = [heading(_("Forecast of purchases"), report),
           _("BG/NBD fitted to {customers} customers ({repeat} bought more than once), time in "
             "units of {unit} days; the next {days} days.").format(
               customers=fmt.whole(data["fitted_customers"]),
               repeat=fmt.whole(data["fitted_repeat_customers"]),
               unit=data["unit_days"], days=data["horizon_days"]), ""]
    fitted = [{"name": name, "value": params[name], "error": errors.get(name)}
              for name in ("r", "alpha", "a", "b")]
    out.append(table_text(fitted, [
        Column("name", "Parameter"),
        Column("value", "Estimate", "right", show=fmt.general),
        Column("error", "Std. error", "right", show=lambda v: fmt.general(v, 3))],
        style))
    out.append(_("Log-likelihood {value}; {state}.").format(
        value=fmt.number(data["log_likelihood"], 2),
        state=_("converged") if data["converged"] else _("did not converge cleanly")))
    out.append(_("Expected purchases in the next {days} days: {total}; slipping away (P(active) "
                 "below {limit}): {slipping} of {count} customers.").format(
        days=data["horizon_days"], total=fmt.expected(data["expected_purchases_total"]),
        limit=fmt.probability(data["slipping_below"]), slipping=data["slipping"],
        count=data["customers"]))
    out.append("")
    rows = [{**row, "alive_bar": bar(row["p_alive"], 1, 10)} for row in data["rows"]]
    columns = [
        Column("customer", "Customer"),
        Column("name", "Name", show=lambda v: v if len(v) <= 26 else v[:25] + "…"),
        Column("manager", "Manager"),
        Column("purchases", "Purchases", "right", show=fmt.whole),
        Column("last_purchase", "Last"),
        Column("days_since_last", "Days since", "right", show=fmt.whole),
        Column("p_alive", "P(active)", "right", show=fmt.probability),
        Column("alive_bar", " "),
        Column("expected_purchases", "Expected", "right", show=fmt.expected),
        Column("last_12_months", "Last 12 months", "right", show=money),
        Column("slipping", "Slipping", show=lambda v: _("yes") if v else ""),
    ]
    out.append(table_text(rows, columns, style))
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


FORECAST_CSV_KEYS = ["customer", "name", "segment", "manager", "purchases", "repeat_purchases",
                     "first_purchase", "last_purchase", "days_since_last", "p_alive",
                     "expected_purchases", "last_12_months", "slipping"]


def forecast_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return [row.as_dict() for row in report.rows], FORECAST_CSV_KEYS


# -- followups ----------------------------------------------------------------------------------

def outcome_text(value: str) -> str:
    return {"in_time": _("in time"), "late": _("late"), "not_done": _("not done"),
            "pending": _("pending")}.get(value, value)


def followups_columns() -> list[Column]:
    return [
        Column("manager", "Manager", show=lambda v: v or _("(none)")), Column("name", "Name"),
        Column("sales", "Key-product sales", "right", show=fmt.whole),
        Column("in_time", "In time", "right", show=fmt.whole),
        Column("late", "Late", "right", show=fmt.whole),
        Column("not_done", "Not done", "right", show=fmt.whole),
        Column("pending", "Pending", "right", show=fmt.whole),
        Column("not_asked", "Not asked", "right", show=fmt.whole),
        Column("in_time_share", "Share in time", "right", show=pct),
        Column("bar", " "),
    ]


def followups_text(report: Any, style: str) -> str:
    from kundkit.reports.followups import MISSED_SHOWN

    data = report.as_dict()
    rows = [{**row, "bar": bar(row["in_time_share"], 1, 12) if row["in_time_share"] else ""}
            for row in data["managers"]]
    out = [heading(_("Key-product follow-up"), report),
           _("A consultation is due {days} days after the sale.").format(days=data["due_days"]), ""]
    if not rows:
        out.append(_("No key-product sales in this period."))
    else:
        total = {**data["total"], "manager": _("Total"), "name": "",
                 "bar": bar(data["total"]["in_time_share"], 1, 12)
                 if data["total"]["in_time_share"] else ""}
        out.append(table_text(rows + [total], followups_columns(), style))
    if data["missed"]:
        out += ["", _("Late or not done, latest first")]
        out.append(table_text(data["missed"][:MISSED_SHOWN], missed_columns(), style))
        if len(data["missed"]) > MISSED_SHOWN:
            out.append(_("… and {count} more (--format json lists them all).").format(
                count=fmt.whole(len(data["missed"]) - MISSED_SHOWN)))
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


def missed_columns() -> list[Column]:
    return [Column("purchase", "Purchase"), Column("date", "Date"), Column("customer", "Customer"),
            Column("customer_name", "Name", show=lambda v: v if len(v) <= 26 else v[:25] + "…"),
            Column("sku", "SKU"), Column("manager", "Manager", show=lambda v: v or ""),
            Column("task", "Task", show=lambda v: v or ""), Column("due", "Due", show=lambda v: v or ""),
            Column("done_at", "Done", show=lambda v: (v or "")[:10]),
            Column("outcome", "Outcome", show=outcome_text)]


FOLLOWUP_CSV_KEYS = ["manager", "name", "sales", "in_time", "late", "not_done", "pending",
                     "not_asked", "in_time_share"]


def followups_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    return [m.as_dict() for m in report.managers], FOLLOWUP_CSV_KEYS


# -- feedback -----------------------------------------------------------------------------------

def seconds_text(value: Any) -> str:
    from datetime import timedelta

    return "" if value is None else fmt.duration(timedelta(seconds=value))


def clock_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"clock": _("First response"), **data["first_response"]},
            {"clock": _("Resolution"), **data["resolution"]}]


def clock_columns() -> list[Column]:
    return [Column("clock", " "),
            Column("met", "In time", "right", show=fmt.whole),
            Column("late", "Late", "right", show=fmt.whole),
            Column("overdue", "Overdue", "right", show=fmt.whole),
            Column("running", "Running", "right", show=fmt.whole),
            Column("share_in_time", "Share in time", "right", show=pct),
            Column("median_seconds", "Median", "right", show=seconds_text),
            Column("p90_seconds", "90th percentile", "right", show=seconds_text),
            Column("measured", "Measured", "right", show=fmt.whole)]


def count_table(title: str, rows: list[dict[str, Any]], label: Any, style: str) -> str:
    top = max([r["count"] for r in rows] + [1])
    shown = [{**r, "label": label(r["key"]), "bar": bar(r["count"], top, 16)} for r in rows]
    return table_text(shown, [Column("label", title), Column("count", "Count", "right",
                                                             show=fmt.whole),
                              Column("share", "Share", "right", show=pct), Column("bar", " ")],
                      style)


def satisfaction_line(data: dict[str, Any]) -> str:
    sat = data["satisfaction"]
    if not sat["rated"]:
        return _("Satisfaction: no item has been rated.")
    spread = "  ".join(f"{score}: {sat['scores'][str(score)]}" for score in range(1, 6))
    return _("Satisfaction: {rated} rated, mean {mean} of 5, {share} satisfied (4–5); {spread}").format(
        rated=fmt.whole(sat["rated"]), mean=fmt.number(Decimal(sat["mean"]), 2),
        share=pct(sat["satisfied_share"]), spread=spread)


def feedback_text(report: Any, style: str) -> str:
    data = report.as_dict()
    out = [heading(_("Feedback"), report),
           _("{items} items received; {open} open, {overdue} overdue; as of {moment}.").format(
               items=fmt.whole(data["items"]), open=fmt.whole(data["open"]),
               overdue=fmt.whole(len(data["overdue"])),
               moment=report.as_of.strftime("%Y-%m-%d %H:%M")), ""]
    out.append(table_text(clock_rows(data), clock_columns(), style))
    out.append(_("Times are open hours of the feedback calendar; waiting for the customer does "
                 "not count."))
    out.append("")
    out.append(count_table(_("Kind"), data["by_kind"], kind_label, style))
    out.append("")
    out.append(count_table(_("Category"), data["by_category"],
                           lambda v: v if v else _("(none)"), style))
    out.append("")
    out.append(count_table(_("Segment"), data["by_segment"], lambda v: v if v else _("(none)"),
                           style))
    out.append("")
    out.append(count_table(_("Status"), data["by_status"], status_label, style))
    out.append("")
    out.append(satisfaction_line(data))
    out.append(_("Compensation granted: {count}, in money {amount} {currency}.").format(
        count=fmt.whole(data["compensations"]["count"]),
        amount=money(data["compensations"]["amount"]), currency=report.currency))
    if data["overdue"]:
        out += ["", _("Overdue"), table_text(data["overdue"], overdue_columns(), style)]
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


def overdue_columns() -> list[Column]:
    clocks = {"first_response": _("first response"), "resolution": _("resolution")}
    return [Column("id", "ID"), Column("customer", "Customer"),
            Column("customer_name", "Name", show=lambda v: v if len(v) <= 24 else v[:23] + "…"),
            Column("kind", "Kind", show=kind_label), Column("category", "Category",
                                                            show=lambda v: v or ""),
            Column("status", "Status", show=status_label),
            Column("assignee", "Assignee", show=lambda v: v or ""),
            Column("received_at", "Received", show=lambda v: v[:16].replace("T", " ")),
            Column("late", "Late", show=lambda v: ", ".join(clocks.get(x, x) for x in v)),
            Column("due", "Due", show=lambda v: v[:16].replace("T", " "))]


FEEDBACK_CSV_KEYS = ["group", "key", "count", "share"]


def feedback_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    data = report.as_dict()
    rows = []
    for group in ("by_kind", "by_category", "by_segment", "by_status"):
        rows.extend({"group": group[3:], **row} for row in data[group])
    return rows, FEEDBACK_CSV_KEYS


# -- trends -------------------------------------------------------------------------------------

def trend_rows(report: Any, source: str) -> list[dict[str, Any]]:
    return [{**row, "spark": spark(row["counts_list"])} for row in labels.trend_rows(report, source)]


def trend_columns(source: str) -> list[Column]:
    return [Column("segment_label", "Segment"), Column("label", key_header(source)),
            Column("latest", "Latest", "right", show=fmt.whole),
            Column("expected", "Expected", "right", show=lambda v: fmt.number(Decimal(str(v)), 1)),
            Column("rise", "Rise", "right"),
            Column("adjusted_p", "p (adjusted)", "right", show=p_text),
            Column("spark", "Months"), Column("evidence", "Counts per month")]


def trends_text(report: Any, style: str) -> str:
    labels = report.labels
    out = [heading(_("Trends"), report),
           _("{count} months, {first} … {last}; the latest month is tested against the ones "
             "before it.").format(count=len(labels), first=labels[0], last=labels[-1]), ""]
    for source in ("feedback", "products", "words"):
        found = report.source(source)
        out.append(source_title(source, labels[-1]))
        rows = trend_rows(report, source)
        if rows:
            out.append(table_text(rows, trend_columns(source), style))
        else:
            out.append(_("Nothing rises above its own history ({tested} tested).").format(
                tested=fmt.whole(found.tested)))
        out.append("")
    out.append(_("The test: {method}").format(method=report.method))
    text = "\n".join(out) + "\n"
    if report.notes:
        text += "\n" + notes_text(report.notes)
    return tidy(text)


TRENDS_CSV_KEYS = ["source", "segment", "key", "latest", "expected", "rate_ratio", "new",
                   "p_value", "adjusted_p", "evidence"]


def trends_csv(report: Any) -> tuple[list[dict[str, Any]], list[str]]:
    rows = []
    for source in ("feedback", "products", "words"):
        for row in trend_rows(report, source):
            row["evidence"] = ";".join(f"{k}:{v}" for k, v in row["counts"].items())
            rows.append(row)
    return rows, TRENDS_CSV_KEYS
