"""Letters: one PDF per send-out, read back with pypdf — pages, address placement, Swedish text."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from kundkit.errors import ConfigError, ValidationError
from kundkit.messaging import Message, Recipient
from kundkit.messaging.letter import (
    ADDRESS_LEFT_MM,
    ADDRESS_TOP_MM,
    LetterSettings,
    render_letters,
    write_letters,
)

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
MM = 72 / 25.4  # PDF points per millimetre
SETTINGS = LetterSettings(
    sender_name="Blomsterhandeln i Växjö AB",
    sender_address=("Storgatan 1", "352 31 Växjö"),
    sender_lines=("Tel 0470-12 34 56", "info@blomster.example", "Org.nr 556000-0000"))
ASA = Recipient("C-0001", "Åsa Öberg", address=("Ängsvägen 5 lgh 1102", "831 30 Östersund"))
JOHN = Recipient("C-0002", "John Smith", address=("12 Baker Street", "London NW1 6XE",
                                                   "UNITED KINGDOM"), language="en")
LONG_TEXT = "\n\n".join(
    f"Stycke {n}: " + "Här är vår julhälsning med glögg, pepparkakor och 20 % på allt — "
    "även på våra populära tårtor och kransar. " * 3 for n in range(1, 16))


def read(data_or_path: Any) -> PdfReader:
    from io import BytesIO

    return PdfReader(data_or_path if isinstance(data_or_path, Path) else BytesIO(data_or_path))


def text_positions(page: Any) -> list[tuple[str, float, float]]:
    """(text, x mm from the left edge, y mm from the top edge) of each piece of text."""
    found: list[tuple[str, float, float]] = []
    height = float(page.mediabox.height)

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return found


def test_one_pdf_with_a_letter_per_customer_and_page_numbers_per_letter(tmp_path: Path) -> None:
    letters = [(ASA, Message("God jul från oss på Blomsterhandeln!", LONG_TEXT)),
               (JOHN, Message("Season's greetings", "Dear John,\n\nThank you for this year."))]
    batch = write_letters(letters, SETTINGS, tmp_path / "letters", batch_id="SO-2026-12",
                          now=NOW, title="Jul 2026")
    assert batch.path is not None
    pdf = read(batch.path)

    assert len(pdf.pages) == batch.pages == 3
    assert [(p.customer_id, p.first_page, p.pages) for p in batch.letters] == [
        ("C-0001", 1, 2), ("C-0002", 3, 1)]
    first, second, third = (page.extract_text() for page in pdf.pages)
    assert "Åsa Öberg\nÄngsvägen 5 lgh 1102\n831 30 Östersund" in first
    assert "God jul från oss på Blomsterhandeln!" in first
    assert "1 december 2026" in first and "Kundnummer C-0001" in first
    assert "Sida 1 av 2" in first and "Sida 2 av 2" in second
    assert "Stycke 15: Här är vår julhälsning med glögg" in second
    assert "Stycke 1: Här är vår julhälsning" in first
    assert "John Smith\n12 Baker Street\nLondon NW1 6XE\nUNITED KINGDOM" in third
    assert "1 December 2026" in third and "Page 1 of 1" in third and "Customer no. C-0002" in third
    assert "Blomsterhandeln i Växjö AB" in third and "Org.nr 556000-0000" in third
    assert pdf.metadata.title == "Jul 2026"
    assert pdf.metadata.creation_date == NOW


def test_every_paragraph_is_printed_once_in_order(tmp_path: Path) -> None:
    data, _batch = render_letters([(ASA, Message("Jul", LONG_TEXT))], SETTINGS, now=NOW)
    text = " ".join(page.extract_text() for page in read(data).pages)
    numbers = [int(n) for n in re.findall(r"Stycke (\d+):", text)]
    assert numbers == list(range(1, 16))


def test_address_sits_in_the_envelope_window() -> None:
    data, _batch = render_letters([(ASA, Message("Jul", "Hej!"))], SETTINGS, now=NOW)
    positions = {text: (x, y) for text, x, y in text_positions(read(data).pages[0])}
    x, y = positions["Åsa Öberg"]
    assert x == pytest.approx(ADDRESS_LEFT_MM, abs=0.5)
    # The first baseline lies inside the first 4.5 mm line of the field that starts 48 mm down.
    assert ADDRESS_TOP_MM < y < ADDRESS_TOP_MM + 4.5
    last_x, last_y = positions["831 30 Östersund"]
    assert last_x == pytest.approx(ADDRESS_LEFT_MM, abs=0.5)
    assert last_y < 70  # the bottom of the window of an E65/DL envelope


def test_address_can_be_moved_for_other_envelopes() -> None:
    moved = LetterSettings(sender_name="Firma", address_left_mm=110, address_top_mm=50)
    data, _batch = render_letters([(ASA, Message("Jul", "Hej!"))], moved, now=NOW)
    positions = {text: (x, y) for text, x, y in text_positions(read(data).pages[0])}
    assert positions["Åsa Öberg"][0] == pytest.approx(110, abs=0.5)


def test_characters_beyond_the_core_font_are_replaced_and_reported() -> None:
    polish = Recipient("C-0003", "Łukasz Wąż", address=("ul. Długa 5", "00-001 Warszawa"))
    data, batch = render_letters([(polish, Message("Witaj €", "Cześć!"))], SETTINGS, now=NOW)
    text = read(data).pages[0].extract_text()
    assert "Lukasz Waz" in text and "ul. Dluga 5" in text and "Witaj €" in text
    assert batch.letters[0].replaced == "ąćŁłśż"


def test_a_unicode_font_prints_every_character(tmp_path: Path) -> None:
    font = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not font.is_file():
        pytest.skip("DejaVuSans.ttf is not installed here")
    polish = Recipient("C-0003", "Łukasz Wąż", address=("ul. Długa 5", "00-001 Warszawa"))
    settings = LetterSettings(sender_name="Firma", font_file=str(font))
    data, batch = render_letters([(polish, Message("Witaj", "Cześć!"))], settings, now=NOW)
    assert "Łukasz Wąż" in read(data).pages[0].extract_text()
    assert batch.letters[0].replaced == ""


def test_customers_without_a_usable_address_are_skipped() -> None:
    nowhere = Recipient("C-0004", "Bo Ek")
    sprawling = Recipient("C-0005", "Ek AB", address=tuple(f"Rad {n}" for n in range(1, 7)))
    data, batch = render_letters([(nowhere, Message("a", "b")), (ASA, Message("Jul", "Hej!")),
                                  (sprawling, Message("a", "b"))], SETTINGS, now=NOW)
    assert len(read(data).pages) == 1
    assert [p.customer_id for p in batch.letters] == ["C-0001"]
    assert batch.skipped == (
        ("C-0004", "Customer C-0004 has no postal address"),
        ("C-0005", "Customer C-0005: the address has more than 6 lines and would not fit the "
                   "envelope window"))
    with pytest.raises(ValidationError, match="None of the letters"):
        render_letters([(nowhere, Message("a", "b"))], SETTINGS, now=NOW)


def test_duplex_starts_every_letter_on_a_front_side() -> None:
    duplex = LetterSettings(sender_name="Firma", duplex=True)
    data, batch = render_letters([(JOHN, Message("a", "Short.")), (ASA, Message("b", "Kort."))],
                                 duplex, now=NOW)
    assert len(read(data).pages) == batch.pages == 4
    assert [p.first_page for p in batch.letters] == [1, 3]


def test_file_is_new_each_time_with_a_safe_name(tmp_path: Path) -> None:
    folder = tmp_path / "letters"
    one = write_letters([(ASA, Message("a", "b"))], SETTINGS, folder, batch_id="../../x y", now=NOW)
    two = write_letters([(ASA, Message("a", "b"))], SETTINGS, folder, batch_id="../../x y", now=NOW)
    assert one.path != two.path
    assert one.path is not None and one.path.parent == folder
    assert re.fullmatch(r"letters-20261201T083000Z-x-y-[0-9a-f]{12}\.pdf", one.path.name)
    assert sorted(p.name for p in folder.iterdir()) == sorted([one.path.name, two.path.name])


def test_settings_from_config_take_the_business_as_sender() -> None:
    settings = LetterSettings.from_config(
        {"folder": "letters", "duplex": True},
        business={"name": "Blomsterhandeln", "address": ["Storgatan 1", "352 31 Växjö"]})
    assert (settings.sender_name, settings.sender_address, settings.duplex) == (
        "Blomsterhandeln", ("Storgatan 1", "352 31 Växjö"), True)
    with pytest.raises(ConfigError, match="sender_name"):
        LetterSettings.from_config({})
    with pytest.raises(ConfigError, match="font_file"):
        render_letters([(ASA, Message("a", "b"))],
                       LetterSettings(sender_name="F", font_file="/nonexistent.ttf"), now=NOW)


def test_a_word_longer_than_the_line_is_cut_not_lost() -> None:
    word = "https://blomster.example/" + "jul" * 80
    data, _batch = render_letters([(ASA, Message("Länk", f"Läs mer: {word} i dag."))], SETTINGS,
                                  now=NOW)
    pieces = [text for text, x, y in text_positions(read(data).pages[0]) if y > 100 and y < 270]
    assert len(pieces) >= 3
    assert "".join(pieces).replace(" ", "") == f"Läsmer:{word}idag."
