"""Sending SMS through an HTTP gateway: one JSON POST per message, with bounded retries.

Gateways differ in the shape of their JSON, so the body is a template from ``kundkit.yaml``::

    sms:
      url: https://gateway.example/v1/messages
      token_env: KUNDKIT_SMS_TOKEN          # sent as "Authorization: Bearer <token>"
      sender: Firma
      body: '{"to": "{{ to }}", "from": "{{ sender }}", "message": "{{ text }}"}'
      id_field: id                         # where the gateway's reply holds the message id

In a text body every ``{{ ... }}`` is JSON-escaped, so a quote or a line break in a customer's
text cannot break the JSON; the body may also be a mapping, whose text values are rendered
as they are. The variables are ``to``, ``sender``, ``text``, ``subject``, ``customer_id``,
``name`` and ``reference``.

A 5xx, a 429, a timeout or a refused connection is tried again, at most ``max_attempts`` times
with doubling pauses; a 4xx is final and reported with the gateway's own message.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from kundkit import __version__
from kundkit.errors import ConfigError, DeliveryError
from kundkit.i18n import _
from kundkit.messaging.models import Message, Recipient, Unreachable, text_with_opt_out
from kundkit.messaging.schemas import MAX_SMS_ATTEMPTS as MAX_ATTEMPTS
from kundkit.messaging.schemas import MAX_SMS_PAUSE as MAX_PAUSE
from kundkit.messaging.schemas import SMS_SCHEMA
from kundkit.messaging.smtp import is_loopback, read_secret

DEFAULT_BODY = '{"to": "{{ to }}", "from": "{{ sender }}", "message": "{{ text }}"}'
BODY_VARIABLES = ("to", "sender", "text", "subject", "customer_id", "name", "reference")
_REPLY_LIMIT = 65536



@dataclass(frozen=True)
class SmsSettings:
    """The ``sms:`` section of ``kundkit.yaml`` (see :data:`SMS_SCHEMA`)."""

    url: str
    token_env: str | None = None
    sender: str = ""
    body: str | Mapping[str, Any] = DEFAULT_BODY
    id_field: str = "id"
    timeout: float = 10.0
    max_attempts: int = 3
    backoff: float = 1.0
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(_("sms.url {url!r} is not an http(s) address").format(url=self.url))
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            # Phone numbers, texts and the token would cross the network readable by anyone.
            raise ConfigError(_("sms.url must use https:// (only a gateway on this machine may "
                                "use http://)"))
        if not 1 <= self.max_attempts <= MAX_ATTEMPTS:
            raise ConfigError(_("sms.max_attempts must be between 1 and {most}")
                              .format(most=MAX_ATTEMPTS))
        object.__setattr__(self, "headers", MappingProxyType(dict(self.headers)))

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> SmsSettings:
        known = set(SMS_SCHEMA["properties"])
        return cls(**{key: value for key, value in section.items() if key in known})


@dataclass(frozen=True)
class SmsReceipt:
    """A message the gateway accepted."""

    provider_id: str | None
    attempts: int
    status: int
    reply: Any


def mobile_number(recipient: Recipient) -> str:
    """The recipient's number in E.164 form, if it can take an SMS; else :class:`Unreachable`."""
    import phonenumbers

    who = recipient.customer_id
    if not recipient.phone:
        raise Unreachable(_("Customer {id} has no phone number").format(id=who))
    if not recipient.mobile:
        raise Unreachable(_("Customer {id}: {phone} is not a mobile number")
                          .format(id=who, phone=recipient.phone))
    try:
        number = phonenumbers.parse(recipient.phone, None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise Unreachable(_("Customer {id}: {phone} is not a valid phone number in "
                            "international form (+46...)").format(id=who, phone=recipient.phone))
    kind = phonenumbers.number_type(number)
    if kind not in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise Unreachable(_("Customer {id}: {phone} is not a mobile number")
                          .format(id=who, phone=recipient.phone))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sms_text(message: Message) -> str:
    """The text of the SMS: the message text, with the opt-out text when it is marketing."""
    # A no-break space (from money amounts) is outside the GSM alphabet and would force the whole
    # message into UCS-2, halving the characters per SMS.
    return text_with_opt_out(message).replace("\u00a0", " ").strip()


def render_body(template: str | Mapping[str, Any], variables: Mapping[str, str]) -> bytes:
    """The JSON body for the gateway, from the configured template."""
    from jinja2 import StrictUndefined, TemplateError, UndefinedError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def escape(value: Any) -> str:
        return json.dumps(str(value), ensure_ascii=False)[1:-1]

    def render(text: str, env: Any) -> str:
        try:
            return env.from_string(text).render(variables)
        except UndefinedError as exc:
            raise ConfigError(_("sms.body: {reason}; the body may use {names}")
                              .format(reason=exc.message, names=", ".join(BODY_VARIABLES))
                              ) from None
        except TemplateError as exc:
            raise ConfigError(_("sms.body cannot be used: {reason}").format(reason=exc)) from None

    if isinstance(template, str):
        env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, finalize=escape,
                                            autoescape=False)
        text = render(template, env)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(_("sms.body is not JSON once filled in ({reason}); put each "
                                "placeholder inside quotes").format(reason=exc)) from None
    else:
        env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)

        def walk(node: Any) -> Any:
            if isinstance(node, str):
                return render(node, env)
            if isinstance(node, Mapping):
                return {str(key): walk(value) for key, value in node.items()}
            if isinstance(node, list):
                return [walk(value) for value in node]
            return node

        data = walk(template)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _field(data: Any, path: str) -> Any:
    """``data["messages"][0]["id"]`` for the path ``messages.0.id``; None when absent."""
    for part in path.split("."):
        if isinstance(data, Mapping) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def gateway_message(raw: bytes) -> str:
    """The gateway's explanation from an error reply: its JSON message, else its text."""
    text = raw.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:300] or _("(no explanation given)")
    for key in ("message", "error", "detail", "description", "errors", "error_description"):
        value = _field(data, key)
        while isinstance(value, (list, Mapping)) and value:
            value = value[0] if isinstance(value, list) else (
                value.get("message") or value.get("detail") or next(iter(value.values())))
        if value:
            return " ".join(str(value).split())[:300]
    return " ".join(text.split())[:300]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect with the Authorization header, and turn the POST into a GET.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class _Retry(Exception):
    def __init__(self, reason: str, pause: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pause = pause


def send_sms(message: Message, recipient: Recipient, settings: SmsSettings, *,
             reference: str = "", environ: Mapping[str, str] | None = None,
             sleep: Callable[[float], None] = time.sleep) -> SmsReceipt:
    """Send ``message`` as an SMS to ``recipient``'s mobile number.

    ``reference`` is offered to the body template (a send-out id, so that a gateway that
    deduplicates can do so). Raises :class:`Unreachable` for a customer without a mobile number
    and :class:`DeliveryError` when the gateway refuses or never answers.
    """
    to = mobile_number(recipient)
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
               "User-Agent": f"kundkit/{__version__}", **settings.headers}
    if settings.token_env:
        token = read_secret(settings.token_env, environ=environ, purpose=_("SMS gateway token"))
        headers["Authorization"] = f"Bearer {token}"
    body = render_body(settings.body, {
        "to": to, "sender": settings.sender, "text": sms_text(message),
        "subject": message.subject, "customer_id": recipient.customer_id, "name": recipient.name,
        "reference": reference})
    host = urllib.parse.urlsplit(settings.url).hostname or ""
    handlers: list[Any] = [_NoRedirect()]
    if is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)

    last = ""
    for attempt in range(1, settings.max_attempts + 1):
        try:
            status, raw = _post(opener, settings, body, headers)
        except _Retry as retry:
            last = retry.reason
            if attempt < settings.max_attempts:
                pause = settings.backoff * 2 ** (attempt - 1)
                sleep(min(retry.pause if retry.pause is not None else pause, MAX_PAUSE))
            continue
        try:
            reply: Any = json.loads(raw.decode("utf-8")) if raw.strip() else None
        except (ValueError, UnicodeDecodeError):
            reply = raw.decode("utf-8", "replace")
        found = _field(reply, settings.id_field)
        provider_id = str(found) if found is not None and not isinstance(found, (dict, list)) \
            else None
        return SmsReceipt(provider_id=provider_id, attempts=attempt, status=status, reply=reply)
    raise DeliveryError(_("SMS gateway {url} failed {count} times; last: {reason}")
                        .format(url=settings.url, count=settings.max_attempts, reason=last))


def _post(opener: urllib.request.OpenerDirector, settings: SmsSettings, body: bytes,
          headers: Mapping[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(settings.url, data=body, headers=dict(headers),
                                     method="POST")
    try:
        with opener.open(request, timeout=settings.timeout) as response:
            return response.status, response.read(_REPLY_LIMIT)
    except urllib.error.HTTPError as exc:
        raw = exc.read(_REPLY_LIMIT) if exc.fp is not None else b""
        reason = f"HTTP {exc.code}: {gateway_message(raw)}"
        if exc.code >= 500 or exc.code in (408, 429):
            raise _Retry(reason, _retry_after(exc.headers.get("Retry-After"))) from None
        if 300 <= exc.code < 400:
            raise DeliveryError(
                _("SMS gateway {url} redirected to {target}; put that address in sms.url")
                .format(url=settings.url, target=exc.headers.get("Location", "?"))) from None
        raise DeliveryError(_("SMS gateway refused the message: {reason}")
                            .format(reason=reason)) from None
    except (urllib.error.URLError, http.client.HTTPException, TimeoutError,
            ConnectionError) as exc:
        reason = getattr(exc, "reason", None) or exc
        if isinstance(reason, TimeoutError):
            raise _Retry(_("no answer within {seconds} s").format(seconds=settings.timeout)) \
                from None
        raise _Retry(str(reason)) from None


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None
