"""Print a standards document: Markdown for the handbook, HTML for the staff-room wall.

The words kundkit adds (``Version``, ``Owner``, ``Outcome``, ...) are in the document's own
language, not in the language of whoever prints it: a Swedish standard printed from an English
terminal is still all Swedish. The HTML is one self-contained file (styles inline, no scripts, no
external fonts) that prints cleanly on A4.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from kundkit.i18n import translator
from kundkit.standards.documents import StandardDocument
from kundkit.standards.graph import ACTION, OUTCOME, QUESTION, Algorithm, Step


def _n_(message: str) -> str:
    """Mark a message for the catalog; it is translated later, into the document's language."""
    return message


LABELS = {
    "version": _n_("Version"),
    "owner": _n_("Owner"),
    "roles": _n_("Applies to"),
    "product": _n_("Product"),
    "locomotive": _n_("locomotive product"),
    "outcome": _n_("Outcome"),
    "reply": _n_("Reply"),
}


def _labels(document: StandardDocument) -> Callable[[str], str]:
    catalog = translator(document.language)
    return lambda key: catalog.gettext(LABELS[key])


def _meta(document: StandardDocument, label: Callable[[str], str]) -> list[str]:
    return [f"{label('version')} {document.version}", f"{label('owner')}: {document.owner}",
            f"{label('roles')}: {', '.join(document.roles)}"]


def _product(document: StandardDocument, label: Callable[[str], str]) -> str:
    product = document.product or {}
    if not product:
        return ""
    text = f"{label('product')}: {product['name']} ({product['sku']})"
    if product.get("locomotive"):
        text += f" · {label('locomotive')}"
    return text


def _jumps(algorithm: Algorithm, step: Step) -> str | None:
    """The step an action goes to, when it is not simply the one printed after it."""
    if step.kind != ACTION or step.next is None:
        return None
    order = list(algorithm.steps)
    position = order.index(step.id)
    following = order[position + 1] if position + 1 < len(order) else None
    return None if step.next == following else step.next


# --- Markdown -----------------------------------------------------------------------------------

def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").strip()


def _md_algorithm(algorithm: Algorithm, label: Callable[[str], str]) -> list[str]:
    lines = [f"### {_md_escape(algorithm.title)}", ""]
    for step in algorithm.steps.values():
        number = algorithm.number(step.id)
        if step.kind == OUTCOME:
            lines.append(f"{number}. **{label('outcome')}:** {_md_escape(step.text)}")
        elif step.kind == QUESTION:
            lines.append(f"{number}. **{_md_escape(step.text)}**")
            for answer in step.answers:
                target = algorithm.number(answer.next)
                lines.append(f"    - {_md_escape(answer.text)} → {target}")
        else:
            line = f"{number}. {_md_escape(step.text)}"
            jump = _jumps(algorithm, step)
            if jump is not None:
                line += f" → {algorithm.number(jump)}"
            lines.append(line)
        if step.detail:
            lines.append(f"    *{_md_escape(step.detail)}*")
    lines.append("")
    return lines


def to_markdown(document: StandardDocument) -> str:
    """The document as Markdown (CommonMark), in the document's language."""
    label = _labels(document)
    lines = [f"# {_md_escape(document.title)}", "", " · ".join(_meta(document, label)), ""]
    product = _product(document, label)
    if product:
        lines += [product, ""]
    if document.summary:
        lines += [_md_escape(document.summary), ""]
    for name, section in document.sections.items():
        lines += [f"## {_md_escape(section['title'])}", ""]
        if section.get("intro"):
            lines += [_md_escape(section["intro"]), ""]
        for item in section.get("items", []):
            lines.append(f"- {_md_escape(item['text'])}")
            if item.get("answer"):
                lines.append(f"  **{label('reply')}:** {_md_escape(item['answer'])}")
            if item.get("detail"):
                lines.append(f"  *{_md_escape(item['detail'])}*")
        if section.get("items"):
            lines.append("")
        for algorithm_name in section.get("algorithms", {}):
            lines += _md_algorithm(document.algorithms[str(algorithm_name)], label)
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ---------------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Helvetica Neue", Arial, sans-serif; color: #1b1b1b; max-width: 46em;
       margin: 2em auto; padding: 0 1em; line-height: 1.45; }
h1 { font-size: 1.8em; margin-bottom: .2em; border-bottom: 3px solid #1d5a8c; }
h2 { font-size: 1.3em; color: #1d5a8c; margin-top: 1.6em; }
h3 { font-size: 1.1em; margin-bottom: .4em; }
.meta, .product { color: #555; margin: .2em 0; }
.detail { color: #555; font-style: italic; }
ol.algorithm > li { margin: .35em 0; }
ol.algorithm li.question > span.text { font-weight: bold; }
ol.algorithm li.outcome { list-style-type: none; margin-left: -1.2em; }
ol.algorithm li.outcome::before { content: "\\2714\\00a0"; color: #2b7a2b; }
ul.answers { margin: .2em 0; }
.step-no { color: #1d5a8c; font-weight: bold; }
a { color: inherit; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  section.algorithm, li { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { text-decoration: none; }
}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _anchor(algorithm: Algorithm, step_id: str) -> str:
    return f"{algorithm.name}-{step_id}"


def _html_link(algorithm: Algorithm, step_id: str) -> str:
    return (f'<a href="#{_e(_anchor(algorithm, step_id))}" class="step-no">'
            f"{algorithm.number(step_id)}</a>")


def _html_algorithm(algorithm: Algorithm, label: Callable[[str], str]) -> list[str]:
    out = [f'<section class="algorithm" id="{_e(algorithm.name)}">',
           f"<h3>{_e(algorithm.title)}</h3>", '<ol class="algorithm">']
    for step in algorithm.steps.values():
        anchor = _e(_anchor(algorithm, step.id))
        number = algorithm.number(step.id)
        if step.kind == OUTCOME:
            body = f"<strong>{_e(label('outcome'))}:</strong> {_e(step.text)}"
        elif step.kind == QUESTION:
            answers = "".join(f"<li>{_e(a.text)} → {_html_link(algorithm, a.next)}</li>"
                              for a in step.answers)
            body = f'<span class="text">{_e(step.text)}</span><ul class="answers">{answers}</ul>'
        else:
            body = _e(step.text)
            jump = _jumps(algorithm, step)
            if jump is not None:
                body += f" → {_html_link(algorithm, jump)}"
        if step.detail:
            body += f'<div class="detail">{_e(step.detail)}</div>'
        out.append(f'<li class="{step.kind}" id="{anchor}" value="{number}">{body}</li>')
    out += ["</ol>", "</section>"]
    return out


def to_html(document: StandardDocument) -> str:
    """The document as one self-contained, printable HTML page, in the document's language."""
    label = _labels(document)
    out = ["<!DOCTYPE html>", f'<html lang="{_e(document.language)}">', "<head>",
           '<meta charset="utf-8">', f"<title>{_e(document.title)}</title>",
           '<meta name="generator" content="kundkit">', f"<style>{_STYLE}</style>", "</head>",
           "<body>", f'<article class="{_e(document.kind)}" id="{_e(document.id)}">',
           f"<h1>{_e(document.title)}</h1>",
           f'<p class="meta">{" · ".join(_e(part) for part in _meta(document, label))}</p>']
    product = _product(document, label)
    if product:
        out.append(f'<p class="product">{_e(product)}</p>')
    if document.summary:
        out.append(f'<p class="summary">{_e(document.summary)}</p>')
    for name, section in document.sections.items():
        out += [f'<section class="section" id="section-{_e(name)}">',
                f"<h2>{_e(section['title'])}</h2>"]
        if section.get("intro"):
            out.append(f'<p class="intro">{_e(section["intro"])}</p>')
        if section.get("items"):
            out.append("<ul class=\"items\">")
            for item in section["items"]:
                body = _e(item["text"])
                if item.get("answer"):
                    body += f"<br><strong>{_e(label('reply'))}:</strong> {_e(item['answer'])}"
                if item.get("detail"):
                    body += f'<div class="detail">{_e(item["detail"])}</div>'
                out.append(f'<li id="item-{_e(item["id"])}">{body}</li>')
            out.append("</ul>")
        for algorithm_name in section.get("algorithms", {}):
            out += _html_algorithm(document.algorithms[str(algorithm_name)], label)
        out.append("</section>")
    out += ["</article>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
