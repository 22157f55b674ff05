"""JSON Schemas of the transports' sections of ``kundkit.yaml``.

Kept apart from the transports so that validating a configuration imports no SMTP, TLS, HTTP or
PDF code. The channel plugins hand them to the config loader through the ``config_schema`` hook.
"""

from __future__ import annotations

from typing import Any

MAX_SMS_ATTEMPTS = 5
MAX_SMS_PAUSE = 30.0
_ENV_NAME = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}

OUTBOX_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "folder": {"type": "string", "minLength": 1,
                   "description": "where the .eml files are written, relative to kundkit.yaml"},
        "sender": {"type": "string", "description": "From: of e-mail, 'Firma AB <info@firma.se>'"},
        "message_id_domain": {"type": "string", "pattern": "^[A-Za-z0-9.-]+$",
                              "description": "the domain in Message-IDs; the sender's otherwise"},
    },
}

SMTP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["host"],
    "properties": {
        "host": {"type": "string", "minLength": 1, "description": "the SMTP server"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535,
                 "description": "587 for starttls, 465 for ssl, 25 for none when not given"},
        "security": {"enum": ["starttls", "ssl", "none"],
                     "description": "none only for a server on this machine"},
        "user": {"type": "string", "minLength": 1},
        "password_env": {**_ENV_NAME,
                         "description": "the environment variable holding the password"},
        "sender": {"type": "string", "description": "From: of e-mail, 'Firma AB <info@firma.se>'"},
        "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 300},
        "ca_file": {"type": "string", "description": "a CA bundle for a server with its own CA"},
        "local_hostname": {"type": "string", "description": "the name given in EHLO"},
        "message_id_domain": {"type": "string", "pattern": "^[A-Za-z0-9.-]+$",
                              "description": "the domain in Message-IDs; the sender's otherwise"},
    },
}

SMS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["url"],
    "properties": {
        "url": {"type": "string", "pattern": "^https?://",
                "description": "the gateway's endpoint; https unless it runs on this machine"},
        "token_env": {**_ENV_NAME,
                      "description": "the environment variable holding the bearer token"},
        "sender": {"type": "string", "description": "the sender name or number shown"},
        "body": {"type": ["string", "object"],
                 "description": "the JSON body, with {{ to }}, {{ sender }}, {{ text }}, ..."},
        "id_field": {"type": "string", "minLength": 1,
                     "description": "the reply's field with the message id, e.g. id or data.id"},
        "timeout": {"type": "number", "exclusiveMinimum": 0, "maximum": 120},
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": MAX_SMS_ATTEMPTS},
        "backoff": {"type": "number", "minimum": 0, "maximum": MAX_SMS_PAUSE,
                    "description": "seconds before the first retry; doubled each time"},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}

LETTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "folder": {"type": "string", "minLength": 1,
                   "description": "where the PDFs are written, relative to kundkit.yaml"},
        "sender_name": {"type": "string", "description": "business.name when not given"},
        "sender_address": {"type": "array", "items": {"type": "string"},
                           "description": "business.address when not given"},
        "sender_lines": {"type": "array", "items": {"type": "string"},
                         "description": "contact lines for the footer: phone, e-mail, org. no."},
        "font_size": {"type": "number", "minimum": 8, "maximum": 14},
        "font_file": {"type": "string", "description": "a TrueType font for every character"},
        "address_left_mm": {"type": "number", "minimum": 10, "maximum": 120},
        "address_top_mm": {"type": "number", "minimum": 20, "maximum": 80},
        "duplex": {"type": "boolean",
                   "description": "add a blank page after odd-length letters for two-sided print"},
    },
}
