"""The channels area as a built-in plugin: the five built-in channels, the ``channels:``,
``email:``, ``sms:``, ``letter:`` and ``outbox:`` sections of ``kundkit.yaml``, the references of
its tables, and its part of ``customer data`` / ``customer forget``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kundkit.hookspecs import hookimpl

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

CHANNELS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "order": {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"type": "string", "pattern": "^[a-z][a-z0-9_-]*$"},
                  "description": "the channels send-outs use, tried in this order after the "
                                 "customer's preferred one"},
        "templates": {"type": "string", "minLength": 1,
                      "description": "the folder of message templates, relative to kundkit.yaml"},
        "unsubscribe": {"type": "string", "pattern": "^(mailto:|https://)\\S+$",
                        "description": "where List-Unsubscribe of marketing e-mail points"},
    },
}


@hookimpl
def register_channels(register: Any) -> None:
    from kundkit.channels.email import EmailChannel
    from kundkit.channels.letter import LetterChannel
    from kundkit.channels.outbox import OutboxChannel
    from kundkit.channels.phone import PhoneChannel
    from kundkit.channels.sms import SmsChannel

    for channel in (OutboxChannel(), EmailChannel(), SmsChannel(), LetterChannel(),
                    PhoneChannel()):
        register(channel)


@hookimpl
def config_schema() -> dict[str, dict[str, Any]]:
    from kundkit.messaging.schemas import LETTER_SCHEMA, OUTBOX_SCHEMA, SMS_SCHEMA, SMTP_SCHEMA

    return {"channels": CHANNELS_SCHEMA, "email": SMTP_SCHEMA, "sms": SMS_SCHEMA,
            "letter": LETTER_SCHEMA, "outbox": OUTBOX_SCHEMA}


def _loopback(host: str) -> bool:
    import ipaddress

    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@hookimpl
def check_config(config: Any) -> list[Any] | None:
    """What the schemas cannot say: a login needs its password variable, and neither a password
    nor an SMS token may cross the network unencrypted."""
    from urllib.parse import urlsplit

    from kundkit.i18n import _

    problems = []
    email = config.section("email", {})
    if isinstance(email, dict):
        if email.get("user") and not email.get("password_env"):
            problems.append(config.problem(("email", "user"), _(
                "email.user is set but email.password_env is not: name the environment variable "
                "that holds the password")))
        if email.get("user") and email.get("security") == "none" and \
                not _loopback(str(email.get("host", ""))):
            problems.append(config.problem(("email", "security"), _(
                "email.security none would send the password unencrypted; use starttls or ssl")))
    sms = config.section("sms", {})
    if isinstance(sms, dict) and isinstance(sms.get("url"), str):
        parts = urlsplit(sms["url"])
        if parts.scheme == "http" and not _loopback(parts.hostname or ""):
            problems.append(config.problem(("sms", "url"), _(
                "sms.url must use https:// (only a gateway on this machine may use http://)")))
    return problems or None


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    return [("interactions", "customer", "customers"), ("interactions", "sendout", "sendouts")]


@hookimpl
def customer_data(ctx: Context, tx: Transaction, customer_id: str) -> dict[str, Any]:
    from kundkit.interactions import all_interactions

    return {"interactions": [dict(r) for _p, r in all_interactions(tx)
                             if r.get("customer") == customer_id]}


@hookimpl
def forget_customer(ctx: Context, tx: Transaction, customer_id: str, pseudonym: str,
                    customer: dict[str, Any]) -> dict[str, int]:
    """Notes and call scripts about the person go; the rest of each interaction (when, which
    channel, delivered or not) stays, as the record that the business kept its word on consent."""
    from kundkit.interactions import all_interactions, update_interactions
    from kundkit.privacy import personal_needles, scrub

    patterns = personal_needles(customer).all()
    by_partition: dict[str | None, list[dict[str, Any]]] = {}
    for partition, record in all_interactions(tx):
        if record.get("customer") != customer_id:
            continue
        kept = {**record, "note": None}
        if "script" in kept:
            kept["script"] = None
        if kept.get("guide"):
            kept["guide"] = None  # the answers given at the counter are about the person
        kept, _n = scrub(kept, patterns, pseudonym)
        by_partition.setdefault(partition, []).append(kept)
    changed = 0
    for partition, records in by_partition.items():
        update_interactions(tx, records, partition)
        changed += len(records)
    return {"interactions": changed}
