"""News by SMS through a real HTTP gateway (http.server) on loopback: only mobile numbers, the
token, the opt-out text, a gateway error, and ``news retry``."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from channels_support import interactions, populate, set_section, withdraw

TOKEN = {"KUNDKIT_SMS_TOKEN": "tok-123"}
OPT_OUT_SV = ("Vill du inte längre få nyheter från oss? Svara STOPP eller mejla "
              "kundtjanst@nordbygg.example.")


@dataclass
class Gateway:
    """Answers 200 with an id, or the status given for a number in ``fail``."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    fail: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    port: int = 0


@pytest.fixture
def gateway(business: Path) -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            body = json.loads(raw.decode("utf-8"))
            state.requests.append({"headers": dict(self.headers), "json": body})
            status, reply = state.fail.get(body["to"], (200, {"id": f"m{len(state.requests)}"}))
            data = json.dumps(reply).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    set_section(business, "sms", {
        "url": f"http://127.0.0.1:{state.port}/v1/sms", "token_env": "KUNDKIT_SMS_TOKEN",
        "sender": "Nordbygg", "max_attempts": 1, "backoff": 0, "timeout": 5})
    set_section(business, "channels", {"order": ["sms", "letter"], "templates": "templates"})
    populate(business)
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_sms_goes_to_mobiles_with_consent_and_carries_the_opt_out(kk, gateway: Gateway,
                                                                   business: Path) -> None:
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", env=TOKEN)
    # Åsa and Mohammed said yes to SMS; Karin has a mobile but no consent, Lars a fixed line.
    assert sorted(r["json"]["to"] for r in gateway.requests) == ["+46701740616", "+46701740621"]
    request = next(r for r in gateway.requests if r["json"]["to"] == "+46701740616")
    assert request["headers"]["Authorization"] == "Bearer tok-123"
    assert request["json"]["from"] == "Nordbygg"
    text = request["json"]["message"]
    assert text.startswith("Hej Åsa Öberg!")
    assert text.endswith(OPT_OUT_SV)
    assert "\u00a0" not in text  # kept in the GSM alphabet
    rows = {r["customer"]: r for r in interactions(business)}
    assert rows["K1002"]["channel"] == "sms" and rows["K1002"]["provider_id"] in ("m1", "m2")
    assert rows["K1003"]["channel"] == "letter"  # 08-... takes no SMS
    assert rows["K1004"]["channel"] == "letter"
    assert "sms             2         0              0" in result.stdout


def test_a_gateway_error_is_reported_and_news_retry_sends_it(kk, gateway: Gateway,
                                                            business: Path) -> None:
    gateway.fail["+46701740616"] = (400, {"error": {"message": "Mottagaren är spärrad"}})
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", env=TOKEN)
    assert "sms             1         1              0" in result.stdout
    assert "SMS gateway refused the message: HTTP 400: Mottagaren är spärrad" in result.stdout
    assert "kundkit news retry S1001" in result.stderr
    failed = {r["customer"]: r for r in interactions(business)}["K1002"]
    assert failed["status"] == "failed" and failed["attempts"] == 1

    # A plain re-run leaves the failed one to news retry, and sends nobody a second copy.
    kk("news", "send", "--template", "news/december", "--segment", "privat", env=TOKEN)
    assert len(gateway.requests) == 2

    del gateway.fail["+46701740616"]
    retried = kk("news", "retry", "S1001", env=TOKEN)
    assert len(gateway.requests) == 3
    assert gateway.requests[-1]["json"]["to"] == "+46701740616"
    assert "sms             1         0              0" in retried.stdout
    row = {r["customer"]: r for r in interactions(business)}["K1002"]
    assert row["id"] == failed["id"]  # the same delivery, now sent
    assert (row["status"], row["attempts"], row["provider_id"]) == ("sent", 2, "m3")
    kk("news", "retry", "S1001", env=TOKEN)
    assert len(gateway.requests) == 3  # nothing failed is left


def test_a_consent_withdrawn_after_the_failure_is_respected_by_retry(kk, gateway: Gateway,
                                                                      business: Path) -> None:
    gateway.fail["+46701740616"] = (503, {"message": "Tillfälligt fel"})
    kk("news", "send", "--template", "news/december", "--segment", "privat", env=TOKEN)
    withdraw(business, "K1002", "sms")
    del gateway.fail["+46701740616"]
    retried = kk("news", "retry", "S1001", env=TOKEN)
    assert [r["json"]["to"] for r in gateway.requests].count("+46701740616") == 1
    assert "withdrew consent to news by SMS on 2026-11-20" in retried.stdout
    row = {r["customer"]: r for r in interactions(business)}["K1002"]
    assert row["status"] == "skipped"


def test_the_token_must_be_in_the_environment(kk, gateway: Gateway, business: Path) -> None:
    result = kk("news", "send", "--template", "news/december", "--segment", "privat", code=1)
    assert result.stderr.strip() == ("Error: The environment variable KUNDKIT_SMS_TOKEN is not "
                                     "set; it must hold the SMS gateway token")
    assert gateway.requests == []
    # Stopped before anything was recorded: no send-out, nothing in anyone's history.
    assert kk("news", "list", "--format", "json").stdout.strip() == "[]"
    assert interactions(business) == []


def test_channel_test_sms_refuses_a_fixed_line(kk, gateway: Gateway) -> None:
    result = kk("channel", "test", "sms", "--to", "08-465 004 00", env=TOKEN, code=2)
    assert "is not a mobile number" in result.stderr
    ok = kk("channel", "test", "sms", "--to", "070-174 06 05", env=TOKEN)
    assert ok.stdout.strip() == "Sent through sms: +46701740605"
    # The business writes Swedish (language: sv), whatever language the staff's terminal speaks.
    assert gateway.requests[-1]["json"]["message"] == (
        "Det här är ett test av kanalen sms hos Nordbygg Verktyg AB. Du behöver inte svara.")
