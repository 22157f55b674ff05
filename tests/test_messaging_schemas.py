"""The transports' config schemas: valid JSON Schemas that match the settings classes."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from kundkit.messaging.eml import OutboxSettings
from kundkit.messaging.letter import LetterSettings
from kundkit.messaging.schemas import LETTER_SCHEMA, OUTBOX_SCHEMA, SMS_SCHEMA, SMTP_SCHEMA
from kundkit.messaging.sms import SmsSettings
from kundkit.messaging.smtp import SmtpSettings

FULL: list[tuple[dict[str, Any], Any, dict[str, Any]]] = [
    (OUTBOX_SCHEMA, OutboxSettings, {
        "folder": "outbox", "sender": "Firma AB <info@firma.se>", "message_id_domain": "firma.se"}),
    (SMTP_SCHEMA, SmtpSettings, {
        "host": "smtp.firma.se", "port": 587, "security": "starttls", "user": "info@firma.se",
        "password_env": "KUNDKIT_SMTP_PASSWORD", "sender": "Firma AB <info@firma.se>",
        "timeout": 20, "ca_file": "ca.pem", "local_hostname": "kassan.firma.se",
        "message_id_domain": "firma.se"}),
    (SMS_SCHEMA, SmsSettings, {
        "url": "https://sms.example/v1/messages", "token_env": "KUNDKIT_SMS_TOKEN",
        "sender": "Firma", "body": {"to": "{{ to }}", "text": "{{ text }}"}, "id_field": "data.id",
        "timeout": 10, "max_attempts": 4, "backoff": 2, "headers": {"X-Account": "42"}}),
    (LETTER_SCHEMA, LetterSettings, {
        "folder": "letters", "sender_name": "Firma AB", "sender_address": ["Gatan 1", "123 45 Ort"],
        "sender_lines": ["Tel 08-12 34 56"], "font_size": 10, "font_file": "font.ttf",
        "address_left_mm": 25, "address_top_mm": 48, "duplex": True}),
]


@pytest.mark.parametrize("schema, settings_class, section", FULL)
def test_every_setting_is_valid_and_understood(schema: dict[str, Any], settings_class: Any,
                                               section: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema)
    assert set(section) == set(schema["properties"])  # the example uses every key
    jsonschema.Draft202012Validator(schema).validate(section)
    settings = settings_class.from_config(section)
    for key, value in section.items():
        if key != "folder" or hasattr(settings, "folder"):
            got = getattr(settings, key)
            assert (tuple(got) if isinstance(got, tuple) else got) == \
                (tuple(value) if isinstance(value, list) else value), key


@pytest.mark.parametrize("schema, bad", [
    (SMTP_SCHEMA, {"host": "smtp.firma.se", "password": "hemligt"}),
    (SMTP_SCHEMA, {"host": "smtp.firma.se", "security": "tls"}),
    (SMS_SCHEMA, {"url": "ftp://sms.example"}),
    (SMS_SCHEMA, {"url": "https://sms.example", "max_attempts": 10}),
    (SMS_SCHEMA, {"url": "https://sms.example", "token_env": "my token"}),
    (LETTER_SCHEMA, {"address_top_mm": 150}),
    (OUTBOX_SCHEMA, {"folder": ""}),
])
def test_mistakes_are_caught_by_the_schema(schema: dict[str, Any], bad: dict[str, Any]) -> None:
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(bad))
