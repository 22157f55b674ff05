"""Message templates: language pick, front matter, filters, strict variables, the sandbox."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from kundkit.errors import NotFound, ValidationError
from kundkit.messaging import Recipient
from kundkit.messaging.templates import TemplateError, TemplateLibrary

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
ASA = Recipient("C-0001", "Åsa Öberg", kind="person", email="asa@example.se", language="sv")
JOHN = Recipient("C-0002", "John Smith", kind="person", email="john@example.com", language="en")


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> TemplateLibrary:
    root = tmp_path / "templates"
    write(root, "news/december.sv.md",
          "---\nsubject: God jul, {{ customer.name }}!\nmarketing: yes\n---\n"
          "Hej {{ customer.name }}!\n\n"
          "Du har handlat för {{ total | money }} i år. Vi har öppet till "
          "{{ closes | date('weekday') }}.\n")
    write(root, "news/december.en.md",
          "---\nsubject: Season's greetings, {{ customer.name }}\nmarketing: yes\n---\n"
          "Dear {{ customer.name }},\n\nYou bought for {{ total | money }} this year. "
          "We are open until {{ closes | date('weekday') }}.\n")
    write(root, "news/december.en.html", "<p>Dear {{ customer.name }}</p>\n")
    write(root, "service/ack.sv.txt",
          "---\nsubject: Vi har fått ditt ärende\nmarketing: no\n---\nHej!\n")
    return TemplateLibrary(root, default_language="sv")


CONTEXT = {"total": Decimal("12345.5"), "closes": "2026-12-23"}


def test_picks_the_recipients_language(library: TemplateLibrary) -> None:
    sv = library.render("news/december", ASA, CONTEXT, now=NOW)
    en = library.render("news/december", JOHN, CONTEXT, now=NOW)

    assert (sv.language, sv.source) == ("sv", "news/december.sv.md")
    assert sv.subject == "God jul, Åsa Öberg!"
    assert sv.text == ("Hej Åsa Öberg!\n\nDu har handlat för 12 345,50 kr i år. "
                       "Vi har öppet till onsdag 23 december 2026.\n")
    assert sv.marketing is True
    assert sv.html is None

    assert en.language == "en"
    assert en.subject == "Season's greetings, John Smith"
    assert "You bought for SEK 12,345.50 this year." in en.text
    assert "Wednesday 23 December 2026" in en.text


def test_html_body_is_autoescaped_and_text_is_not(library: TemplateLibrary) -> None:
    tricky = Recipient("C-3", "Ann & <Bo>", language="en")
    rendered = library.render("news/december", tricky, CONTEXT, now=NOW)
    assert rendered.html == "<p>Dear Ann &amp; &lt;Bo&gt;</p>\n"
    assert rendered.text.startswith("Dear Ann & <Bo>,")


def test_falls_back_to_the_business_language(library: TemplateLibrary) -> None:
    english_reader = Recipient("C-4", "Jane", language="en")
    rendered = library.render("service/ack", english_reader, now=NOW)
    assert rendered.language == "sv"
    assert rendered.subject == "Vi har fått ditt ärende"
    assert rendered.marketing is False
    assert library.languages("news/december") == ["sv", "en"]


def test_unknown_template_is_not_found(library: TemplateLibrary) -> None:
    with pytest.raises(NotFound, match="news/june"):
        library.render("news/june", ASA, now=NOW)


@pytest.mark.parametrize("name", ["../secret", "/etc/passwd", "news/december.sv", "news//x", ""])
def test_template_names_cannot_leave_the_folder(library: TemplateLibrary, name: str) -> None:
    with pytest.raises(ValidationError, match="not a template name"):
        library.render(name, ASA, now=NOW)


def test_undefined_variable_names_template_line_and_variable(library: TemplateLibrary) -> None:
    with pytest.raises(TemplateError) as caught:
        library.render("news/december", ASA, {"total": Decimal(1)}, now=NOW)
    error = caught.value
    assert error.variable == "closes"
    assert (error.template, error.line) == ("news/december.sv.md", 7)
    assert str(error).startswith("news/december.sv.md:7: undefined variable 'closes'")


def test_undefined_attribute_of_the_customer(library: TemplateLibrary, tmp_path: Path) -> None:
    write(library.root, "x.sv.md", "---\nsubject: Hej {{ customer.nickname }}\n---\nText\n")
    with pytest.raises(TemplateError) as caught:
        library.render("x", ASA, now=NOW)
    assert caught.value.variable == "nickname"
    assert caught.value.line == 2


def test_undefined_variable_in_an_included_file(library: TemplateLibrary) -> None:
    write(library.root, "parts/footer.sv.txt", "Hälsningar\n{{ signature }}\n")
    write(library.root, "y.sv.md",
          "---\nsubject: Hej\n---\nText\n{% include 'parts/footer.sv.txt' %}\n")
    with pytest.raises(TemplateError) as caught:
        library.render("y", ASA, now=NOW)
    assert (caught.value.template, caught.value.line, caught.value.variable) == \
        ("parts/footer.sv.txt", 2, "signature")


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ customer.__class__.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ 'x' * 1000000000 }}",
    "{{ 9 ** 99999999 }}",
])
def test_sandbox_escape_is_refused(library: TemplateLibrary, expression: str) -> None:
    write(library.root, "evil.sv.md", f"---\nsubject: Hej\n---\n{expression}\n")
    with pytest.raises(TemplateError, match=r"^evil\.sv\.md:4: refused"):
        library.render("evil", ASA, now=NOW)


def test_template_cannot_mutate_the_context(library: TemplateLibrary) -> None:
    write(library.root, "mut.sv.md", "---\nsubject: Hej\n---\n{{ items.append(4) }}\n")
    items = [1, 2, 3]
    with pytest.raises(TemplateError, match="refused"):
        library.render("mut", ASA, {"items": items}, now=NOW)
    assert items == [1, 2, 3]


def test_include_outside_the_folder_is_not_found(library: TemplateLibrary, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("password", encoding="utf-8")
    write(library.root, "inc.sv.md", "---\nsubject: Hej\n---\n{% include '../secret.txt' %}\n")
    with pytest.raises(TemplateError, match="does not exist"):
        library.render("inc", ASA, now=NOW)


def test_front_matter_mistakes_are_located(library: TemplateLibrary) -> None:
    write(library.root, "a.sv.md", "---\nsubjekt: Hej\n---\nText\n")
    with pytest.raises(TemplateError, match=r"^a\.sv\.md:2: unknown key 'subjekt'"):
        library.render("a", ASA, now=NOW)
    write(library.root, "b.sv.md", "Just text without a subject\n")
    with pytest.raises(TemplateError, match=r"^b\.sv\.md:1: .*subject"):
        library.render("b", ASA, now=NOW)
    write(library.root, "c.sv.md", "---\nsubject: Hej\n")
    with pytest.raises(TemplateError, match="never closed"):
        library.render("c", ASA, now=NOW)
    write(library.root, "d.sv.md", "---\nsubject: Hej\n---\n{% if %}\n")
    with pytest.raises(TemplateError, match=r"^d\.sv\.md:4: syntax error"):
        library.render("d", ASA, now=NOW)


def test_reserved_names_cannot_be_overridden(library: TemplateLibrary) -> None:
    with pytest.raises(ValidationError, match="customer"):
        library.render("service/ack", ASA, {"customer": "someone else"}, now=NOW)


def test_filter_errors_are_located(library: TemplateLibrary) -> None:
    write(library.root, "m.sv.md", "---\nsubject: Hej\n---\n\n{{ 'mycket' | money }}\n")
    with pytest.raises(TemplateError, match=r"^m\.sv\.md:5: .*not an amount of money"):
        library.render("m", ASA, now=NOW)


def test_money_in_another_currency_and_today(library: TemplateLibrary) -> None:
    write(library.root, "e.sv.md",
          "---\nsubject: Hej\n---\n{{ price | money('EUR') }} {{ today | date }} "
          "{{ today | date('short') }}\n")
    rendered = library.render("e", ASA, {"price": 19.9}, now=NOW)
    assert rendered.text == "19,90 € 1 december 2026 2026-12-01\n"


def test_windows_line_endings_keep_the_line_numbers(library: TemplateLibrary) -> None:
    (library.root / "crlf.sv.md").write_bytes(
        "---\r\nsubject: Hej {{ customer.name }}\r\n---\r\nRad 1\r\n{{ nope }}\r\n".encode())
    with pytest.raises(TemplateError, match=r"^crlf\.sv\.md:5: undefined variable 'nope'"):
        library.render("crlf", ASA, now=NOW)
