"""SMS through a real HTTP gateway (http.server) on loopback: body, token, retries, refusals."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from kundkit.errors import ConfigError, DeliveryError, ValidationError
from kundkit.messaging import Message, Recipient, Unreachable
from kundkit.messaging.sms import SmsSettings, send_sms

TOKEN = {"KUNDKIT_SMS_TOKEN": "tok-123"}
# Numbers the Swedish telecom regulator keeps for fiction: never anyone's real phone.
ASA = Recipient("C-0001", "Åsa Öberg", phone="+46701740605", mobile=True)
OPT_OUT = "Svara STOPP för att slippa fler sms."


@dataclass
class Gateway:
    """What the fake gateway answers, in turn (the last answer repeats), and what it received."""

    answers: list[tuple[int, Any, dict[str, str], float]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0

    def answer(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
               delay: float = 0.0) -> None:
        self.answers.append((status, body, headers or {}, delay))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1/sms"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (the http.server API)
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            state.requests.append({"path": self.path, "headers": dict(self.headers),
                                   "json": json.loads(raw.decode("utf-8"))})
            index = min(len(state.requests), len(state.answers)) - 1
            status, body, headers, delay = state.answers[index]
            if delay:
                time.sleep(delay)
            data = json.dumps(body).encode("utf-8") if body is not None else b""
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def settings(gateway: Gateway, **changes: Any) -> SmsSettings:
    values: dict[str, Any] = dict(url=gateway.url, token_env="KUNDKIT_SMS_TOKEN", sender="Blomster",
                                  id_field="data.id", timeout=5, max_attempts=3, backoff=1.0)
    values.update(changes)
    return SmsSettings(**values)


def news(text: str = "Julerbjudande: 20 % på allt i butiken i Växjö!") -> Message:
    return Message(subject="Jul", text=text, marketing=True, opt_out=OPT_OUT)


class Sleeps(list):  # type: ignore[type-arg]
    """Stands in for time.sleep and remembers the pauses asked for."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def test_posts_json_with_bearer_token_and_returns_the_provider_id(gateway: Gateway) -> None:
    gateway.answer(201, {"data": {"id": "sms-4711", "status": "queued"}})
    receipt = send_sms(news(), ASA, settings(gateway), environ=TOKEN, sleep=Sleeps())

    assert (receipt.provider_id, receipt.attempts, receipt.status) == ("sms-4711", 1, 201)
    [request] = gateway.requests
    assert request["path"] == "/v1/sms"
    assert request["headers"]["Authorization"] == "Bearer tok-123"
    assert request["headers"]["Content-Type"] == "application/json; charset=utf-8"
    assert request["json"] == {
        "to": "+46701740605", "from": "Blomster",
        "message": f"Julerbjudande: 20 % på allt i butiken i Växjö!\n\n{OPT_OUT}"}


def test_text_is_json_escaped_whatever_it_contains(gateway: Gateway) -> None:
    gateway.answer(200, {"data": {"id": 1}})
    nasty = 'Hej "Åsa"\\ här är en rad\n och en till, }{ {{ to }} ", "to": "+4699"'
    message = Message(subject="x", text=nasty)
    receipt = send_sms(message, ASA, settings(gateway), environ=TOKEN, sleep=Sleeps())
    assert receipt.provider_id == "1"
    assert gateway.requests[0]["json"]["message"] == nasty.strip()
    assert gateway.requests[0]["json"]["to"] == "+46701740605"


def test_body_may_be_a_mapping_with_a_reference(gateway: Gateway) -> None:
    gateway.answer(200, {"messages": [{"id": "abc"}]})
    body = {"recipients": ["{{ to }}"], "text": "{{ text }}", "meta": {"ref": "{{ reference }}",
                                                                      "priority": 1}}
    receipt = send_sms(news(), ASA, settings(gateway, body=body, id_field="messages.0.id"),
                       reference="SO-12/C-0001", environ=TOKEN, sleep=Sleeps())
    assert receipt.provider_id == "abc"
    assert gateway.requests[0]["json"]["recipients"] == ["+46701740605"]
    assert gateway.requests[0]["json"]["meta"] == {"ref": "SO-12/C-0001", "priority": 1}


def test_server_error_then_success_is_retried_after_a_pause(gateway: Gateway) -> None:
    gateway.answer(503, {"message": "busy"})
    gateway.answer(200, {"data": {"id": "sms-2"}})
    sleeps = Sleeps()
    receipt = send_sms(news(), ASA, settings(gateway), environ=TOKEN, sleep=sleeps)
    assert (receipt.provider_id, receipt.attempts) == ("sms-2", 2)
    assert len(gateway.requests) == 2
    assert gateway.requests[0]["json"] == gateway.requests[1]["json"]
    assert sleeps == [1.0]


def test_retries_are_bounded_and_back_off(gateway: Gateway) -> None:
    gateway.answer(500, {"error": "internal"})
    sleeps = Sleeps()
    with pytest.raises(DeliveryError, match=r"failed 3 times; last: HTTP 500: internal"):
        send_sms(news(), ASA, settings(gateway, backoff=2.0), environ=TOKEN, sleep=sleeps)
    assert len(gateway.requests) == 3
    assert sleeps == [2.0, 4.0]


def test_too_many_requests_honours_retry_after(gateway: Gateway) -> None:
    gateway.answer(429, {"message": "slow down"}, {"Retry-After": "7"})
    gateway.answer(200, {"data": {"id": "ok"}})
    sleeps = Sleeps()
    send_sms(news(), ASA, settings(gateway), environ=TOKEN, sleep=sleeps)
    assert sleeps == [7.0]


def test_client_error_fails_at_once_with_the_gateways_message(gateway: Gateway) -> None:
    gateway.answer(400, {"error": {"code": 21211, "message": "The 'To' number is not valid"}})
    sleeps = Sleeps()
    with pytest.raises(DeliveryError, match=r"refused the message: HTTP 400: The 'To' number is "
                                            r"not valid"):
        send_sms(news(), ASA, settings(gateway), environ=TOKEN, sleep=sleeps)
    assert len(gateway.requests) == 1
    assert sleeps == []


def test_a_slow_gateway_times_out_and_is_tried_again(gateway: Gateway) -> None:
    gateway.answer(200, {"data": {"id": "late"}}, delay=1.0)
    gateway.answer(200, {"data": {"id": "quick"}})
    receipt = send_sms(news(), ASA, settings(gateway, timeout=0.3), environ=TOKEN,
                       sleep=Sleeps())
    assert (receipt.provider_id, receipt.attempts) == ("quick", 2)


def test_redirects_are_not_followed(gateway: Gateway) -> None:
    gateway.answer(302, None, {"Location": "http://127.0.0.1:1/elsewhere"})
    with pytest.raises(DeliveryError, match="redirected to http://127.0.0.1:1/elsewhere"):
        send_sms(news(), ASA, settings(gateway), environ=TOKEN, sleep=Sleeps())
    assert len(gateway.requests) == 1


@pytest.mark.parametrize("recipient, reason", [
    (Recipient("C-2", "Kontoret", phone="+46313900600", mobile=True), "not a mobile number"),
    (Recipient("C-3", "Bo", phone="+46701740605", mobile=False), "not a mobile number"),
    (Recipient("C-4", "Cia"), "has no phone number"),
    (Recipient("C-5", "Dan", phone="0701740605", mobile=True), "international form"),
])
def test_only_mobile_numbers_are_sent_to(gateway: Gateway, recipient: Recipient,
                                         reason: str) -> None:
    gateway.answer(200, {"data": {"id": "x"}})
    with pytest.raises(Unreachable, match=reason):
        send_sms(news(), recipient, settings(gateway), environ=TOKEN, sleep=Sleeps())
    assert gateway.requests == []


def test_missing_token_variable_is_named(gateway: Gateway) -> None:
    with pytest.raises(ConfigError, match="KUNDKIT_SMS_TOKEN is not set"):
        send_sms(news(), ASA, settings(gateway), environ={}, sleep=Sleeps())


def test_bad_body_templates_are_config_errors(gateway: Gateway) -> None:
    with pytest.raises(ConfigError, match="not JSON"):
        send_sms(news(), ASA, settings(gateway, body='{"to": {{ to }}}'), environ=TOKEN)
    with pytest.raises(ConfigError, match="'phone' is undefined; the body may use to, sender"):
        send_sms(news(), ASA, settings(gateway, body='{"to": "{{ phone }}"}'), environ=TOKEN)
    assert gateway.requests == []


def test_marketing_sms_without_opt_out_is_refused(gateway: Gateway) -> None:
    with pytest.raises(ValidationError, match="opt-out"):
        send_sms(Message(subject="x", text="Rea!", marketing=True), ASA, settings(gateway),
                 environ=TOKEN)
    assert gateway.requests == []


def test_unencrypted_gateway_elsewhere_is_refused() -> None:
    with pytest.raises(ConfigError, match="https"):
        SmsSettings(url="http://sms.example.com/send")
    with pytest.raises(ConfigError, match="max_attempts"):
        SmsSettings(url="https://sms.example.com/send", max_attempts=50)
    assert SmsSettings.from_config({"url": "https://sms.example.com/send"}).max_attempts == 3
