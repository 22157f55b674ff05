"""News by e-mail through a real SMTP server (aiosmtpd) on loopback, driven by ``news send``:
login, headers, Swedish text, the opt-out line, and the outbox's .eml files."""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from channels_support import interactions, populate, set_section
from smtp_support import Capture, authenticator, free_port

PASSWORD = {"KUNDKIT_SMTP_PASSWORD": "hemligt-123"}
OPT_OUT_SV = ("Vill du inte längre få nyheter från oss? Svara STOPP eller mejla "
              "kundtjanst@nordbygg.example.")


@pytest.fixture
def smtp(business: Path) -> Iterator[Capture]:
    handler = Capture()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            authenticator=authenticator(b"kundtjanst", b"hemligt-123"), auth_require_tls=False)
    controller.start()
    set_section(business, "email", {
        "host": "127.0.0.1", "port": port, "security": "none", "user": "kundtjanst",
        "password_env": "KUNDKIT_SMTP_PASSWORD", "timeout": 5,
        "sender": "Nordbygg Verktyg AB <kundtjanst@nordbygg.example>"})
    set_section(business, "channels", {"order": ["email", "letter"], "templates": "templates"})
    populate(business)
    try:
        yield handler
    finally:
        controller.stop()


def test_news_by_email_logs_in_and_carries_swedish_text_and_the_opt_out(
        kk, smtp: Capture, business: Path) -> None:
    result = kk("news", "send", "--template", "news/december", "--segment", "privat",
                env=PASSWORD)
    assert "Send-out S1001: news/december to segment privat" in result.stdout
    # Åsa (consent given) and Mohammed (consent, prefers phone: phone is not in channels.order)
    # by e-mail; Karin (no consent) and Lars (no e-mail) by letter.
    assert sorted(m["to"][0] for m in smtp.messages) == ["asa.oberg@post.example",
                                                         "m.ali@post.example"]
    assert {m["login"] for m in smtp.messages} == {b"kundtjanst"}
    email = next(m["message"] for m in smtp.messages if m["to"] == ["asa.oberg@post.example"])
    assert email["From"] == "Nordbygg Verktyg AB <kundtjanst@nordbygg.example>"
    assert email["To"] == "Åsa Öberg <asa.oberg@post.example>"
    assert email["Subject"] == "Nyheter från Nordbygg Verktyg AB inför jul"
    assert email["Date"] == "Fri, 20 Nov 2026 10:00:00 +0100"
    assert email["List-Unsubscribe"] == "<mailto:kundtjanst@nordbygg.example?subject=unsubscribe>"
    assert email.get_content_type() == "text/plain"
    assert email.get_content_charset() == "utf-8"
    assert email["Content-Transfer-Encoding"] == "quoted-printable"
    raw = next(m["raw"] for m in smtp.messages if m["to"] == ["asa.oberg@post.example"])
    assert raw.isascii()  # survives servers without 8BITMIME
    body = email.get_content().replace("\r\n", "\n")
    assert body.startswith("Hej Åsa Öberg!\n")
    assert "service för 695,00 kr." in body
    assert "din kontaktperson Olle Björk, olle.bjork@nordbygg.example" in body
    assert body.rstrip().endswith(OPT_OUT_SV)

    rows = {r["customer"]: r for r in interactions(business)}
    assert rows["K1002"]["channel"] == "email" and rows["K1002"]["status"] == "sent"
    assert rows["K1002"]["provider_id"] == email["Message-ID"]
    assert rows["K1004"]["channel"] == "letter"


def test_running_the_send_out_again_sends_nobody_a_second_copy(kk, smtp: Capture) -> None:
    kk("news", "send", "--template", "news/december", "--segment", "privat", env=PASSWORD)
    first = len(smtp.messages)
    again = kk("news", "send", "--template", "news/december", "--segment", "privat",
               env=PASSWORD)
    assert len(smtp.messages) == first == 2
    assert "Send-out S1001 has reached everyone it can: 4 sent" in again.stderr
    listing = kk("news", "list", "--format", "json")
    assert '"id": "S1001"' in listing.stdout and '"S1002"' not in listing.stdout
    kk("news", "send", "--template", "news/december", "--segment", "privat", "--again",
       env=PASSWORD)
    assert len(smtp.messages) == 4  # --again is a new send-out, S1002


def test_a_wrong_password_fails_each_message_and_retry_sends_them(kk, smtp: Capture) -> None:
    result = kk("news", "send", "--template", "news/december", "--segment", "privat",
                env={"KUNDKIT_SMTP_PASSWORD": "fel"})
    assert smtp.messages == []
    assert "refused the login of kundtjanst" in result.stdout
    assert "kundkit news retry S1001" in result.stderr
    retried = kk("news", "retry", "S1001", env=PASSWORD)
    assert len(smtp.messages) == 2
    assert "email           2         0              0" in retried.stdout


def test_a_missing_password_stops_before_anything_is_sent(kk, smtp: Capture) -> None:
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", code=1)
    assert "KUNDKIT_SMTP_PASSWORD is not set" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert smtp.messages == []
    assert not list(Path("letters").glob("*.pdf"))


def test_channel_test_sends_a_service_message_without_opt_out(kk, smtp: Capture) -> None:
    result = kk("channel", "test", "email", "--to", "anna.lind@nordbygg.example", env=PASSWORD)
    assert result.stdout.startswith("Sent through email:")
    (received,) = smtp.messages
    assert received["to"] == ["anna.lind@nordbygg.example"]
    assert "List-Unsubscribe" not in received["message"]
    assert "STOPP" not in received["message"].get_content()


def test_the_outbox_writes_the_same_message_as_an_eml_file(kk, business: Path) -> None:
    populate(business)
    set_section(business, "channels", {"order": ["outbox"], "templates": "templates"})
    kk("news", "send", "--template", "news/december", "--customer", "K1002")
    (path,) = (business / "outbox").glob("*.eml")
    assert path.name.startswith("20261120T090000Z-K1002-")
    email = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert email["To"] == "Åsa Öberg <asa.oberg@post.example>"
    assert email.get_content().rstrip().endswith(OPT_OUT_SV)
    (row,) = interactions(business)
    assert row["detail"] == f"outbox/{path.name}"
