"""Printable letters and brochures: one A4 PDF per send-out, one letter (a page or more) per
customer, the address placed for a window envelope.

Page layout (millimetres from the top-left corner of the A4 sheet, 210 × 297):

- sender: name and postal address at 25 left, 15 down (9–10 pt);
- recipient's address field: **25 mm from the left edge, first line 48 mm from the top edge,
  85 mm wide, at most 6 lines of 10 pt, 4.5 mm apart** (48–75 mm). It is meant for the
  left-hand window (the "V2" placement of the Swedish standard) of C5 envelopes (sheet folded
  once) and E65/DL envelopes (folded in three), whose windows open roughly 20–110 mm from the
  left and 45–70 mm from the top of the sheet. A five-line address fills 48–70 mm; a sixth
  line may hide under the edge of a DL window. Check the position once against the window
  drawing of the envelopes in use; ``address_left_mm`` and ``address_top_mm`` move the field;
- date and customer number: at 125 mm from the left, level with the address field;
- subject: bold, from 92 mm; the body follows in paragraphs, continuing on further pages from
  20 mm down; nothing is printed below 272 mm except the footer;
- footer: the sender's contact lines and "Page 1 of 2" (in the customer's language) at 282 mm;
  page numbers count within each letter, not through the whole PDF.

The PDF core fonts (Helvetica) cover Windows-1252, so Swedish and other Western European text
(å ä ö é ü €) comes out right without a font file. Characters beyond that are replaced by their
base letter (``ł`` → ``l``, ``ő`` → ``o``) or ``?`` and reported per letter; name a TrueType font
in ``font_file`` to print every character as it is.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from kundkit.errors import ConfigError, ValidationError
from kundkit.i18n import _, translator
from kundkit.messaging.files import safe_slug, unique_name, write_new_file
from kundkit.messaging.formatting import format_date
from kundkit.messaging.models import Message, Recipient
from kundkit.messaging.schemas import LETTER_SCHEMA

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
LEFT_MM = 25.0
RIGHT_MM = 20.0
SENDER_TOP_MM = 15.0
ADDRESS_LEFT_MM = 25.0
ADDRESS_TOP_MM = 48.0
ADDRESS_WIDTH_MM = 85.0
ADDRESS_LINE_MM = 4.5
ADDRESS_FONT_PT = 10.0
MAX_ADDRESS_LINES = 6
DATE_LEFT_MM = 125.0
SUBJECT_TOP_MM = 92.0
CONTINUATION_TOP_MM = 20.0
BODY_BOTTOM_MM = 272.0
FOOTER_TOP_MM = 280.0



@dataclass(frozen=True)
class LetterSettings:
    """The ``letter:`` section of ``kundkit.yaml`` (see :data:`LETTER_SCHEMA`)."""

    sender_name: str
    sender_address: tuple[str, ...] = ()
    sender_lines: tuple[str, ...] = ()
    font_size: float = 11.0
    font_file: str | None = None
    address_left_mm: float = ADDRESS_LEFT_MM
    address_top_mm: float = ADDRESS_TOP_MM
    duplex: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "sender_address", tuple(self.sender_address))
        object.__setattr__(self, "sender_lines", tuple(self.sender_lines))
        if not self.sender_name.strip():
            raise ConfigError(_("letter.sender_name (or business.name) is needed for letters"))

    @classmethod
    def from_config(cls, section: Mapping[str, Any], *, business: Mapping[str, Any] | None = None
                    ) -> LetterSettings:
        """From the ``letter:`` section, the sender taken from ``business:`` where not given."""
        business = business or {}
        known = set(LETTER_SCHEMA["properties"]) - {"folder"}
        values = {key: value for key, value in section.items() if key in known}
        values.setdefault("sender_name", business.get("name", ""))
        values.setdefault("sender_address", business.get("address", ()))
        return cls(**values)


@dataclass(frozen=True)
class LetterPlacement:
    """Where one customer's letter is in the PDF (pages counted from 1)."""

    customer_id: str
    first_page: int
    pages: int
    replaced: str = ""  # characters the font could not print, replaced


@dataclass(frozen=True)
class LetterBatch:
    """One send-out's PDF (``path`` is None until it is written)."""

    path: Path | None
    pages: int
    letters: tuple[LetterPlacement, ...]
    skipped: tuple[tuple[str, str], ...]  # (customer id, why)


def address_lines(recipient: Recipient) -> list[str]:
    """The lines in the address field: the name, then the postal address."""
    lines = [" ".join(line.split()) for line in (recipient.name, *recipient.address)]
    return [line for line in lines if line]


def address_problem(recipient: Recipient) -> str | None:
    """Why a letter cannot be addressed to ``recipient``, or None when it can."""
    if not any(line.strip() for line in recipient.address):
        return _("Customer {id} has no postal address").format(id=recipient.customer_id)
    if len(address_lines(recipient)) > MAX_ADDRESS_LINES:
        return _("Customer {id}: the address has more than {most} lines and would not fit the "
                 "envelope window").format(id=recipient.customer_id, most=MAX_ADDRESS_LINES)
    return None


class _Text:
    """Makes text printable in the chosen font, remembering what had to be replaced."""

    def __init__(self, unicode_font: bool) -> None:
        self.unicode_font = unicode_font
        self.replaced: set[str] = set()

    def __call__(self, text: str) -> str:
        text = "".join(" " if ch == "\t" else ch for ch in text
                       if ch in "\t\n" or unicodedata.category(ch)[0] != "C")
        if self.unicode_font:
            return text
        out = []
        for ch in text:
            try:
                ch.encode("cp1252")
                out.append(ch)
                continue
            except UnicodeEncodeError:
                pass
            self.replaced.add(ch)
            base = unicodedata.normalize("NFKD", ch)
            base = "".join(c for c in base if not unicodedata.combining(c))
            try:
                base.encode("cp1252")
                out.append(base or "?")
            except UnicodeEncodeError:
                out.append(_FALLBACKS.get(ch, "?"))
        return "".join(out)


# Letters that do not decompose into a base letter and an accent.
_FALLBACKS = {"ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "ı": "i"}


def _new_pdf(settings: LetterSettings, now: datetime, title: str) -> tuple[Any, str]:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    # Windows-1252 rather than fpdf's default Latin-1 adds €, – and “ ” to what prints.
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0  # text starts exactly at the stated coordinates, not a millimetre in
    pdf.set_margins(LEFT_MM, CONTINUATION_TOP_MM, RIGHT_MM)
    pdf.set_creation_date(now)
    pdf.set_title(title)
    pdf.set_author(settings.sender_name)
    pdf.set_creator("kundkit")
    family = "helvetica"
    if settings.font_file:
        path = Path(settings.font_file)
        if not path.is_file():
            raise ConfigError(_("letter.font_file {path} does not exist").format(path=path))
        try:
            pdf.add_font("letter", "", str(path))
            pdf.add_font("letter", "B", str(path))
        except Exception as exc:  # fpdf raises assorted errors for a file that is not a font
            raise ConfigError(_("letter.font_file {path} cannot be used: {reason}")
                              .format(path=path, reason=exc)) from exc
        family = "letter"
    return pdf, family


def _paragraphs(text: str) -> list[str]:
    blocks, current = [], []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


class _Wrapper:
    """Greedy word wrap measured with the PDF's font metrics.

    fpdf's own ``multi_cell`` re-measures the whole line for every character, which made a
    two-page letter cost 80 ms; measuring each distinct word once makes a send-out of a thousand
    letters a matter of seconds.
    """

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.widths: dict[tuple[str, str, float, str], float] = {}

    def width(self, text: str) -> float:
        key = (self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt, text)
        found = self.widths.get(key)
        if found is None:
            found = self.widths[key] = self.pdf.get_string_width(text)
        return found

    def lines(self, text: str, width: float) -> list[str]:
        out: list[str] = []
        space = self.width(" ")
        for raw in text.split("\n"):
            current, used = "", 0.0
            for word in raw.split():
                size = self.width(word)
                if current and used + space + size <= width:
                    current, used = f"{current} {word}", used + space + size
                    continue
                if current:
                    out.append(current)
                while size > width:  # a word longer than the line is cut where it must be
                    cut = max(1, max(n for n in range(1, len(word) + 1)
                                     if self.width(word[:n]) <= width or n == 1))
                    out.append(word[:cut])
                    word = word[cut:]
                    size = self.width(word)
                current, used = word, size
            out.append(current)
        return out


def _draw_letter(pdf: Any, family: str, settings: LetterSettings, recipient: Recipient,
                 message: Message, now: datetime, words: Any, wrapper: _Wrapper
                 ) -> LetterPlacement:
    clean = _Text(unicode_font=family != "helvetica")
    wrap = wrapper.lines
    width = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
    size = settings.font_size
    line_mm = size * 0.45
    first_page = pdf.page + 1
    pdf.add_page()

    pdf.set_font(family, "B", 10)
    pdf.set_xy(LEFT_MM, SENDER_TOP_MM)
    pdf.cell(width / 2, 4.5, clean(settings.sender_name))
    pdf.set_font(family, "", 9)
    for index, line in enumerate(settings.sender_address):
        pdf.set_xy(LEFT_MM, SENDER_TOP_MM + 4.5 + index * 4)
        pdf.cell(width / 2, 4, clean(line))

    pdf.set_font(family, "", ADDRESS_FONT_PT)
    for index, line in enumerate(address_lines(recipient)):
        pdf.set_xy(settings.address_left_mm, settings.address_top_mm + index * ADDRESS_LINE_MM)
        pdf.cell(ADDRESS_WIDTH_MM, ADDRESS_LINE_MM, clean(line))

    pdf.set_font(family, "", 10)
    pdf.set_xy(DATE_LEFT_MM, settings.address_top_mm)
    pdf.cell(PAGE_WIDTH_MM - RIGHT_MM - DATE_LEFT_MM, 4.5,
             clean(format_date(now, recipient.language, "long")))
    pdf.set_xy(DATE_LEFT_MM, settings.address_top_mm + 4.5)
    pdf.cell(PAGE_WIDTH_MM - RIGHT_MM - DATE_LEFT_MM, 4.5,
             clean(words.gettext("Customer no. {id}").format(id=recipient.customer_id)))

    # Lay the text out first, so that the number of pages is known before page 1 is numbered.
    pdf.set_font(family, "B", size + 1)
    subject = wrap(clean(" ".join(message.subject.split())), width)
    pdf.set_font(family, "", size)
    body: list[str | None] = []  # None: the space between two paragraphs
    for paragraph in _paragraphs(message.text):
        if body:
            body.append(None)
        body.extend(wrap(clean(paragraph), width))
    pages: list[list[tuple[float, str]]] = [[]]
    y = SUBJECT_TOP_MM + len(subject) * (line_mm + 0.5) + line_mm
    for line in body:
        step = line_mm / 2 if line is None else line_mm
        if y + step > BODY_BOTTOM_MM:
            pages.append([])
            y = CONTINUATION_TOP_MM
            if line is None:
                continue
        if line is not None:
            pages[-1].append((y, line))
        y += step

    for number, page in enumerate(pages, start=1):
        if number > 1:
            pdf.add_page()
        else:
            pdf.set_font(family, "B", size + 1)
            for index, line in enumerate(subject):
                pdf.set_xy(LEFT_MM, SUBJECT_TOP_MM + index * (line_mm + 0.5))
                pdf.cell(width, line_mm + 0.5, line)
        pdf.set_font(family, "", size)
        for y, line in page:
            pdf.set_xy(LEFT_MM, y)
            pdf.cell(width, line_mm, line)
        _footer(pdf, family, settings, clean,
                words.gettext("Page {page} of {pages}").format(page=number, pages=len(pages)))
    if settings.duplex and len(pages) % 2:
        pdf.add_page()  # the back of the last sheet stays blank
    return LetterPlacement(recipient.customer_id, first_page, len(pages),
                           "".join(sorted(clean.replaced)))


def _footer(pdf: Any, family: str, settings: LetterSettings, clean: _Text, label: str) -> None:
    width = PAGE_WIDTH_MM - LEFT_MM - RIGHT_MM
    pdf.set_font(family, "", 8)
    if settings.sender_lines:
        pdf.set_xy(LEFT_MM, FOOTER_TOP_MM)
        pdf.cell(width, 4, clean("  ·  ".join(settings.sender_lines)), align="C")
    pdf.set_xy(LEFT_MM, FOOTER_TOP_MM + 5)
    pdf.cell(width, 4, clean(label), align="C")


def render_letters(letters: Iterable[tuple[Recipient, Message]], settings: LetterSettings, *,
                   now: datetime, title: str = "") -> tuple[bytes, LetterBatch]:
    """The PDF bytes of all ``letters``, and where each letter is in it and who was skipped and
    why (no postal address, or one too long for the window)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValidationError(_("The time of a letter must carry a time zone"), field="now")
    pdf, family = _new_pdf(settings, now, title or settings.sender_name)
    placed: list[LetterPlacement] = []
    skipped: list[tuple[str, str]] = []
    catalogs: dict[str, Any] = {}  # one catalog per language, not one per letter
    wrapper = _Wrapper(pdf)
    for recipient, message in letters:
        problem = address_problem(recipient)
        if problem:
            skipped.append((recipient.customer_id, problem))
            continue
        if recipient.language not in catalogs:
            catalogs[recipient.language] = translator(recipient.language)
        placed.append(_draw_letter(pdf, family, settings, recipient, message, now,
                                   catalogs[recipient.language], wrapper))
    if not placed:
        raise ValidationError(_("None of the letters could be addressed; no PDF was made"),
                              field="letters")
    batch = LetterBatch(path=None, pages=pdf.page, letters=tuple(placed), skipped=tuple(skipped))
    return bytes(pdf.output()), batch


def write_letters(letters: Iterable[tuple[Recipient, Message]], settings: LetterSettings,
                  folder: Path, *, batch_id: str, now: datetime, title: str = "") -> LetterBatch:
    """Render ``letters`` and write them as one new PDF in ``folder``.

    The file is ``letters-<UTC time>-<batch id, letters and digits only>-<random>.pdf``, written
    whole or not at all, never replacing another file.
    """
    data, batch = render_letters(letters, settings, now=now, title=title)
    stamp = now.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    stem = f"letters-{stamp}-{safe_slug(batch_id)}"
    path = write_new_file(Path(folder), lambda: unique_name(stem, ".pdf"), data)
    return replace(batch, path=path)
