"""Words and rows shared by the terminal tables and the HTML pages, so that both say the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kundkit.i18n import _
from kundkit.reports import format as fmt


def kind_label(value: Any) -> str:
    """A kind of feedback, as the feedback register words it."""
    from kundkit.feedback import kind_label as label

    return label(value) if value else _("(none)")


def status_label(value: Any) -> str:
    """A status of feedback, as the feedback register words it."""
    from kundkit.feedback import status_label as label

    return label(value) if value else _("(none)")


def source_title(source: str, latest: str) -> str:
    titles = {"feedback": _("Feedback categories rising in {month}"),
              "products": _("Product categories rising in {month}"),
              "words": _("Words and phrases of feedback rising in {month}")}
    return titles[source].format(month=latest)


def key_label(source: str, key: str) -> str:
    if source == "words":
        return f"“{key}”"
    return key or _("(none)")


def key_header(source: str) -> str:
    """The msgid of the column of what rises (translated where the column is drawn)."""
    return "Word or phrase" if source == "words" else "Category"


def rise_text(value: Any) -> str:
    return _("new") if value is None else fmt.number(Decimal(str(value)), 1) + "×"


def p_text(value: Any) -> str:
    return fmt.significant(value)


def trend_rows(report: Any, source: str) -> list[dict[str, Any]]:
    """The flagged trends of one source as table rows: labels, the rise, and the evidence."""
    rows = []
    for trend in report.source(source).as_dict()["flagged"]:
        counts = list(trend["counts"].values())
        rows.append({**trend, "source": source, "label": key_label(source, trend["key"]),
                     "segment_label": trend["segment"] or _("(none)"),
                     "rise": rise_text(trend["rate_ratio"]), "counts_list": counts,
                     "evidence": " ".join(str(c) for c in counts)})
    return rows
