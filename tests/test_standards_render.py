"""Printing standards: Markdown for the handbook, self-contained HTML for the wall."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from kundkit.standards.documents import Library, StandardDocument, load_checked
from kundkit.standards.render import to_html, to_markdown

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def library() -> Library:
    return load_checked([REPO / "standards"])


def all_documents(library: Library) -> list[StandardDocument]:
    return sorted(library.documents, key=lambda d: (d.id, d.language))


class Page(HTMLParser):
    """Collects what a reader of the page sees, and what would make it not self-contained."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[str] = []
        self.headings: dict[str, list[str]] = {"h1": [], "h2": [], "h3": []}
        self.ids: list[str] = []
        self.links: list[str] = []
        self.external: list[str] = []
        self.html_lang: str | None = None
        self._open: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.html_lang = values.get("lang")
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
        for name in ("src", "href"):
            if values.get(name) and not str(values[name]).startswith("#"):
                self.external.append(str(values[name]))
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        self._in_style = tag == "style"
        self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self._in_style:
            return
        self.text.append(data)
        for level in self.headings:
            if self._open and self._open[-1] == level:
                self.headings[level].append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("doc_key", [("service-standard", "sv"), ("service-standard", "en"),
                                     ("sales-card-service-agreement", "sv"),
                                     ("code-of-conduct", "en"), ("workshop-intake", "sv")])
def test_html_is_a_self_contained_page_with_every_section_item_and_step(
        library: Library, doc_key: tuple[str, str]) -> None:
    document = library.find(*doc_key)
    page = parse(to_html(document))
    assert page.tags[0] == "html" and page.html_lang == document.language
    assert page.external == []
    assert page.headings["h1"] == [document.title]
    assert page.headings["h2"] == [section["title"] for section in document.sections.values()]
    assert page.headings["h3"] == [a.title for a in document.algorithms.values()]
    visible = page.visible
    for _section, item in document.items():
        assert flat(item["text"]) in visible
        if item.get("answer"):
            assert flat(item["answer"]) in visible
    for algorithm in document.algorithms.values():
        for step in algorithm.steps.values():
            assert flat(step.text) in visible
            assert f"{algorithm.name}-{step.id}" in page.ids
            for answer in step.answers:
                assert flat(answer.text) in visible
    # Every "go to step" link lands on a step of the page.
    assert bool(page.links) == bool(document.algorithms)
    assert all(link[1:] in page.ids for link in page.links)


def test_html_escapes_what_the_document_says(library: Library) -> None:
    document = library.find("code-of-conduct", "en")
    document.sections["principles"]["items"][0]["text"] = "<script>alert('x')</script> & more"
    html = to_html(document)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more" in html


def test_markdown_of_the_swedish_conflict_algorithm(library: Library) -> None:
    markdown = to_markdown(library.find("service-standard", "sv"))
    assert markdown.startswith("# Kundservicestandard\n\nVersion 2.1 · Ansvarig: Butikschef · "
                               "Gäller för: säljare, kassa, verkstadstekniker, kundtjänst\n")
    conflict = markdown.split("### Konfliktsituation\n\n")[1].split("\n## ")[0]
    lines = conflict.splitlines()
    assert lines[0] == ("1. Behåll lugnet. Tala lugnt och lågt, håll en öppen kroppshållning och "
                        "ta inte kritiken personligt.")
    assert lines[1:4] == ["2. **Står det andra kunder runt omkring?**", "    - Ja → 3",
                          "    - Nej → 4"]
    assert ("12. Erbjud byte, reparation eller pengarna tillbaka enligt reklamationsrutinen, och en "
            "lånemaskin om kunden behöver den i jobbet. → 16") in lines
    assert lines[-1] == "22. **Resultat:** Konflikten är löst på plats och lösningen är registrerad."


def test_markdown_has_every_section_and_item_in_the_documents_language(library: Library) -> None:
    for document in all_documents(library):
        markdown = to_markdown(document)
        headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
        assert headings == [section["title"] for section in document.sections.values()]
        for _section, item in document.items():
            assert f"- {item['text']}" in markdown
        owner = "Ansvarig" if document.language == "sv" else "Owner"
        assert f"{owner}: {document.owner}" in markdown


def test_markdown_of_a_sales_card_names_the_locomotive_product_and_replies(library: Library) -> None:
    markdown = to_markdown(library.find("sales-card-service-agreement", "en"))
    assert "Product: Professional service agreement (SERVICE-PRO) · locomotive product" in markdown
    assert ("- It is too expensive.\n  **Reply:** Work out with the customer what a day of "
            "downtime costs a tradesperson.") in markdown
    swedish = to_markdown(library.find("sales-card-service-agreement", "sv"))
    assert "Produkt: Serviceavtal Proffs (SERVICE-PRO) · lokomotivprodukt" in swedish
    assert "**Svar:** Räkna tillsammans med kunden" in swedish


def test_markdown_escapes_emphasis_characters(library: Library) -> None:
    document = library.find("code-of-conduct", "en")
    document.sections["principles"]["items"][0]["text"] = "Use *no* snake_case here"
    assert "- Use \\*no\\* snake\\_case here" in to_markdown(document)
