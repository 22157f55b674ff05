"""Letters: one PDF per send-out, read back: a page per customer, the address on page 1 with its
Swedish letters, the opt-out text of a marketing letter, and nothing printed twice."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from channels_support import interactions, populate, set_section


def pdfs(business: Path) -> list[Path]:
    return sorted((business / "letters").glob("letters-*.pdf"))


def page_text(path: Path, index: int) -> str:
    return PdfReader(str(path)).pages[index].extract_text()


def test_a_send_out_by_letter_is_one_pdf_with_the_address_on_page_one(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", {"order": ["letter"], "templates": "templates"})
    result = kk("news", "send", "--template", "news/december", "--segment", "privat")
    (pdf,) = pdfs(business)
    assert pdf.name.startswith("letters-20261120T090000Z-S1001-")
    assert f"Letters to print: letters/{pdf.name}" in result.stderr
    reader = PdfReader(str(pdf))
    # Åsa, Lars, Karin and Mohammed have postal addresses, one page each.
    assert len(reader.pages) == 4
    first = page_text(pdf, 0)
    for line in ("Nordbygg Verktyg AB", "Verkstadsgatan 12", "722 33 Västerås",
                 "Åsa Öberg", "Skallbergsgatan 8", "724 63 Västerås", "20 november 2026",
                 "Kundnummer K1002", "Nyheter från Nordbygg Verktyg AB inför jul", "Sida 1 av 1"):
        assert line in first, line
    assert "Svara STOPP" in first  # a marketing letter ends with the opt-out text too
    rows = {r["customer"]: r for r in interactions(business)}
    assert rows["K1003"]["detail"] == f"letters/{pdf.name}, page 2"
    assert rows["K1003"]["provider_id"] == f"letters/{pdf.name}#page=2"

    kk("news", "send", "--template", "news/december", "--segment", "privat")
    assert pdfs(business) == [pdf]  # nobody gets a second letter


def test_a_company_letter_goes_to_the_contact_person(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", {"order": ["letter"], "templates": "templates"})
    result = kk("news", "send", "--template", "news/december", "--segment", "bygg")
    (pdf,) = pdfs(business)
    assert len(PdfReader(str(pdf)).pages) == 1
    text = page_text(pdf, 0)
    assert "Mälardalens Bygg AB\nAtt: Per Lindqvist\nStenbygatan 4\n721 30 Västerås" in text
    assert "Hej Per Lindqvist!" in text
    # Köpings Rör has no postal address: not reached, and said why.
    assert "K1005" in result.stdout and "has no postal address" in result.stdout
