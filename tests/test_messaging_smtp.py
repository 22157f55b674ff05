"""E-mail through a real SMTP server (aiosmtpd) on loopback: login, TLS, encoding, errors."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from kundkit.errors import ConfigError, DeliveryError
from kundkit.messaging import Message, Recipient
from kundkit.messaging.eml import build_email
from kundkit.messaging.smtp import SmtpMailer, SmtpSettings, send_email
from smtp_support import Capture, authenticator, free_port

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
ASA = Recipient("C-0001", "Åsa Öberg", email="asa@example.se")
SENDER = "Blomsterhandeln i Växjö AB <info@blomster.example>"
OPT_OUT = "Vill du inte få fler utskick? Svara NEJ på det här brevet."
ENV = {"KUNDKIT_SMTP_PASSWORD": "hemligt-123"}
AUTH = authenticator(b"butik", b"hemligt-123")


@pytest.fixture
def server() -> Iterator[tuple[Capture, int]]:
    handler = Capture()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            authenticator=AUTH, auth_require_tls=False)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def news(marketing: bool = True) -> Message:
    return Message(subject="Julerbjudande: 20 % på allt – även på tårtor!",
                   text="Hej Åsa!\n\nVälkommen in på glögg och pepparkakor i butiken.\n",
                   marketing=marketing, opt_out=OPT_OUT if marketing else "", sender=SENDER)


def plain(port: int, **changes: Any) -> SmtpSettings:
    values: dict[str, Any] = dict(host="127.0.0.1", port=port, security="none", user="butik",
                                  password_env="KUNDKIT_SMTP_PASSWORD", timeout=5)
    values.update(changes)
    return SmtpSettings(**values)


def body_of(message: Any) -> str:
    return message.get_content().replace("\r\n", "\n")


def test_marketing_mail_arrives_with_login_swedish_text_and_opt_out(server: Any) -> None:
    handler, port = server
    email = build_email(news(), ASA, now=NOW)
    message_id = send_email(email, plain(port), environ=ENV)

    [got] = handler.messages
    received = got["message"]
    assert got["login"] == b"butik"
    assert got["from"] == "info@blomster.example"
    assert got["to"] == ["asa@example.se"]
    assert received["Message-ID"] == message_id == email["Message-ID"]
    assert received["Subject"] == "Julerbjudande: 20 % på allt – även på tårtor!"
    assert received["From"].addresses[0].display_name == "Blomsterhandeln i Växjö AB"
    assert received["To"].addresses[0].display_name == "Åsa Öberg"
    assert received["List-Unsubscribe"] == "<mailto:info@blomster.example?subject=unsubscribe>"
    assert body_of(received) == ("Hej Åsa!\n\nVälkommen in på glögg och pepparkakor i butiken."
                                 f"\n\n{OPT_OUT}\n")


def test_service_mail_has_neither_opt_out_nor_list_unsubscribe(server: Any) -> None:
    handler, port = server
    send_email(build_email(news(marketing=False), ASA, now=NOW), plain(port), environ=ENV)
    [got] = handler.messages
    assert got["message"]["List-Unsubscribe"] is None
    assert OPT_OUT not in body_of(got["message"])


def test_without_user_no_login_is_attempted(server: Any) -> None:
    handler, port = server
    send_email(build_email(news(), ASA, now=NOW), plain(port, user=None, password_env=None))
    assert handler.messages[0]["login"] is None


def test_one_connection_serves_a_whole_send_out(server: Any) -> None:
    handler, port = server
    with SmtpMailer(plain(port), environ=ENV) as mailer:
        for number in range(3):
            who = Recipient(f"C-{number}", f"Kund {number}", email=f"kund{number}@example.se")
            mailer.send(build_email(news(), who, now=NOW))
    assert [got["to"] for got in handler.messages] == [
        ["kund0@example.se"], ["kund1@example.se"], ["kund2@example.se"]]
    assert len({got["peer"] for got in handler.messages}) == 1


def test_wrong_password_reports_the_servers_reply(server: Any) -> None:
    _handler, port = server
    with pytest.raises(DeliveryError, match=r"refused the login of butik: 535 .*"):
        send_email(build_email(news(), ASA, now=NOW), plain(port),
                   environ={"KUNDKIT_SMTP_PASSWORD": "fel"})


def test_missing_password_variable_is_named(server: Any) -> None:
    _handler, port = server
    with pytest.raises(ConfigError, match="KUNDKIT_SMTP_PASSWORD is not set"):
        send_email(build_email(news(), ASA, now=NOW), plain(port), environ={})


def test_refused_recipient_reports_the_servers_reply(server: Any) -> None:
    handler, port = server
    handler.refuse.add("asa@example.se")
    with pytest.raises(DeliveryError, match="550 5.1.1 Mailbox does not exist"):
        send_email(build_email(news(), ASA, now=NOW), plain(port), environ=ENV)
    assert handler.messages == []


def test_starttls_required_but_not_offered(server: Any) -> None:
    _handler, port = server
    with pytest.raises(DeliveryError, match="does not offer STARTTLS"):
        send_email(build_email(news(), ASA, now=NOW), plain(port, security="starttls"),
                   environ=ENV)


def test_nobody_listening() -> None:
    with pytest.raises(DeliveryError, match=r"Cannot connect to SMTP server 127\.0\.0\.1:\d+"):
        send_email(build_email(news(), ASA, now=NOW), plain(free_port()), environ=ENV)


def test_silent_server_times_out() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        with pytest.raises(DeliveryError, match=r"no answer within 0.3 s"):
            send_email(build_email(news(), ASA, now=NOW), plain(port, timeout=0.3), environ=ENV)


def test_password_is_never_sent_in_clear_to_another_host() -> None:
    with pytest.raises(ConfigError, match="unencrypted"):
        SmtpSettings(host="smtp.example.com", security="none", user="butik",
                     password_env="KUNDKIT_SMTP_PASSWORD")
    with pytest.raises(ConfigError, match="password_env"):
        SmtpSettings(host="smtp.example.com", user="butik")
    assert SmtpSettings(host="smtp.example.com").port == 587
    assert SmtpSettings(host="smtp.example.com", security="ssl").port == 465
    assert SmtpSettings.from_config({"host": "h", "security": "ssl", "timeout": 3}).timeout == 3


# --- TLS, with a certificate made for the test --------------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    x509 = pytest.importorskip("cryptography.x509")
    from ipaddress import IPv4Address

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1)
            .not_valid_before(start).not_valid_after(start + timedelta(days=365 * 30))
            .add_extension(x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(IPv4Address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(certificate: tuple[Path, Path], security: Any) -> None:
    handler = Capture()
    port = free_port()
    context = _server_context(certificate)
    # With implicit TLS aiosmtpd does not see the session as encrypted, so it would not offer
    # AUTH unless told that TLS is not required for it; the connection is encrypted all the same.
    tls = {"tls_context": context, "require_starttls": True} if security == "starttls" \
        else {"ssl_context": context, "auth_require_tls": False}
    controller = Controller(handler, hostname="127.0.0.1", port=port,
                            authenticator=AUTH, **tls)
    controller.start()
    try:
        settings = SmtpSettings(host="127.0.0.1", port=port, security=security,
                                user="butik", password_env="KUNDKIT_SMTP_PASSWORD",
                                ca_file=str(certificate[0]), timeout=5)
        send_email(build_email(news(), ASA, now=NOW), settings, environ=ENV)
        # Without the business's CA the server's certificate is not trusted: no silent fallback.
        untrusted = SmtpSettings(host="127.0.0.1", port=port, security=security,
                                 timeout=5)
        with pytest.raises(DeliveryError, match="TLS failed|certificate"):
            send_email(build_email(news(), ASA, now=NOW), untrusted)
    finally:
        controller.stop()
    [got] = handler.messages
    assert got["login"] == b"butik"
    assert got["message"]["Subject"] == "Julerbjudande: 20 % på allt – även på tårtor!"
    if security == "starttls":
        assert got["tls"]


def test_threads_are_not_left_behind() -> None:
    # aiosmtpd runs its loop in a thread; a stopped controller must not leave it running.
    assert not [t for t in threading.enumerate() if "aiosmtpd" in t.name.lower()]
