"""E-mail messages and .eml files: headers, Swedish text, opt-out, safe atomic files; the records."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from kundkit.errors import DeliveryError, ValidationError
from kundkit.messaging import Delivery, Message, Recipient, Unreachable, attempt
from kundkit.messaging.eml import build_email, email_bytes, write_eml

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
ASA = Recipient("C-0001", "Åsa Öberg", kind="person", email="asa@example.se")
SENDER = "Blomsterhandeln i Växjö AB <info@blomster.example>"
OPT_OUT = "Vill du inte få fler utskick? Svara NEJ eller skriv till info@blomster.example."


def news(**changes: object) -> Message:
    values: dict[str, object] = dict(
        subject="Julerbjudande: 20 % på allt – även på tårtor!",
        text="Hej Åsa!\n\nVälkommen in i butiken på Storgatan, vi har öppet till kl 18.\n",
        marketing=True, opt_out=OPT_OUT, sender=SENDER)
    values.update(changes)
    return Message(**values)  # type: ignore[arg-type]


def parse(data: bytes):  # type: ignore[no-untyped-def]
    return BytesParser(policy=policy.default).parsebytes(data)


def text_of(part) -> str:  # type: ignore[no-untyped-def]
    # On the wire lines end in CRLF; a mail program shows them as plain line breaks.
    return part.get_content().replace("\r\n", "\n")


def test_marketing_email_round_trip() -> None:
    raw = email_bytes(build_email(news(), ASA, now=NOW))
    raw.decode("ascii")  # everything non-ASCII is encoded, for servers without 8BITMIME
    parsed = parse(raw)

    assert parsed["Subject"] == "Julerbjudande: 20 % på allt – även på tårtor!"
    assert parsed["From"].addresses[0].display_name == "Blomsterhandeln i Växjö AB"
    assert parsed["From"].addresses[0].addr_spec == "info@blomster.example"
    assert parsed["To"].addresses[0].display_name == "Åsa Öberg"
    assert parsed["To"].addresses[0].addr_spec == "asa@example.se"
    assert parsed["Date"].datetime == NOW
    assert re.fullmatch(r"<[^@<>]+@blomster\.example>", parsed["Message-ID"])
    assert parsed["List-Unsubscribe"] == "<mailto:info@blomster.example?subject=unsubscribe>"
    assert parsed.get_content_type() == "text/plain"
    assert parsed.get_content_charset() == "utf-8"
    assert text_of(parsed) == (
        "Hej Åsa!\n\nVälkommen in i butiken på Storgatan, vi har öppet till kl 18.\n\n"
        f"{OPT_OUT}\n")


def test_service_email_has_no_opt_out_and_no_unsubscribe() -> None:
    parsed = parse(email_bytes(build_email(news(marketing=False, opt_out=""), ASA, now=NOW)))
    assert parsed["List-Unsubscribe"] is None
    assert OPT_OUT not in text_of(parsed)
    assert text_of(parsed).endswith("kl 18.\n")


def test_https_unsubscribe_offers_one_click() -> None:
    message = news(unsubscribe="https://blomster.example/avregistrera?id=C-0001")
    parsed = parse(email_bytes(build_email(message, ASA, now=NOW)))
    assert parsed["List-Unsubscribe"] == "<https://blomster.example/avregistrera?id=C-0001>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_html_alternative_carries_the_opt_out_escaped() -> None:
    message = news(html="<html><body><p>Hej Åsa!</p></body></html>", opt_out="Svara <NEJ> & klart")
    parsed = parse(email_bytes(build_email(message, ASA, now=NOW)))
    assert parsed.get_content_type() == "multipart/alternative"
    html = parsed.get_body(("html",)).get_content()
    assert '<p class="opt-out">Svara &lt;NEJ&gt; &amp; klart</p>' in html
    assert html.index("opt-out") < html.index("</body>")
    assert text_of(parsed.get_body(("plain",))).endswith("Svara <NEJ> & klart\n")


def test_marketing_without_opt_out_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="opt-out") as caught:
        build_email(news(opt_out="  "), ASA, now=NOW)
    assert caught.value.field == "opt_out"


def test_header_injection_is_impossible() -> None:
    parsed = parse(email_bytes(build_email(
        news(subject="Hej\r\nBcc: evil@example.com"), ASA, now=NOW)))
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hej Bcc: evil@example.com"
    with pytest.raises(ValidationError, match="Bcc"):
        build_email(news(headers={"Bcc": "evil@example.com"}), ASA, now=NOW)
    extra = parse(email_bytes(build_email(news(headers={"X-Campaign": "jul\n2026"}), ASA,
                                          now=NOW)))
    assert extra["X-Campaign"] == "jul 2026"


def test_customer_without_email_is_unreachable() -> None:
    with pytest.raises(Unreachable, match="C-0009 has no e-mail address"):
        build_email(news(), Recipient("C-0009", "Bo"), now=NOW)
    with pytest.raises(Unreachable, match="not a valid e-mail address"):
        build_email(news(), Recipient("C-0010", "Bo", email="bo at example"), now=NOW)


def test_bad_sender_and_naive_time_are_refused() -> None:
    with pytest.raises(ValidationError, match="sender"):
        build_email(news(sender="Blomsterhandeln"), ASA, now=NOW)
    with pytest.raises(ValidationError, match="time zone"):
        build_email(news(), ASA, now=datetime(2026, 12, 1, 9, 30))


def test_eml_file_is_written_whole_with_a_safe_unique_name(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    email = build_email(news(), ASA, now=NOW)
    tricky_id = "../../etc/Åsa passwd"
    first = write_eml(email, outbox, customer_id=tricky_id, now=NOW)
    second = write_eml(email, outbox, customer_id=tricky_id, now=NOW)

    assert first != second
    assert first.parent == outbox and second.parent == outbox
    assert re.fullmatch(r"20261201T083000Z-etc-Asa-passwd-[0-9a-f]{12}\.eml", first.name)
    assert sorted(p.name for p in outbox.iterdir()) == sorted([first.name, second.name])
    parsed = parse(first.read_bytes())
    assert parsed["Subject"] == "Julerbjudande: 20 % på allt – även på tårtor!"
    assert text_of(parsed).endswith(f"{OPT_OUT}\n")
    assert b"\r\n" in first.read_bytes()


def test_eml_into_an_unwritable_place_is_a_delivery_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(DeliveryError, match="Cannot write"):
        write_eml(build_email(news(), ASA, now=NOW), blocker / "outbox", customer_id="C-1",
                  now=NOW)


def test_delivery_records() -> None:
    sent = attempt("email", lambda: "<id@x>", now=NOW)
    assert (sent.status, sent.provider_id, sent.at) == ("sent", "<id@x>", NOW)

    def unreachable() -> str:
        raise Unreachable("Customer C-1 has no e-mail address")

    def broken() -> str:
        raise DeliveryError("SMTP server x:25 refused the recipient: 550 no such user")

    skipped = attempt("email", unreachable, now=NOW)
    failed = attempt("email", broken, now=NOW)
    assert (skipped.status, skipped.detail) == ("skipped", "Customer C-1 has no e-mail address")
    assert failed.status == "failed" and "550 no such user" in failed.detail
    assert Delivery.from_dict(failed.as_dict()) == failed
    with pytest.raises(ValidationError):
        Delivery("lost", "email", NOW)
    with pytest.raises(ValidationError):
        Delivery("sent", "email", datetime(2026, 1, 1))
    with pytest.raises(ValidationError):
        Recipient("C-1", "X", kind="robot")  # type: ignore[arg-type]
