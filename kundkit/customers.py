"""The customer register: companies and private persons, their permanent manager and consents.

A customer's id is ``K`` and a number that is never reused (``K1042``); the number is also the
TinyDB document id, so finding a customer by id is one dictionary access on any size of register.
The table is split into buckets of a thousand customers by number (``customers/k1.json`` holds
K1000–K1999), so that reading or changing one customer opens one small file, not the register.

Identifiers are stored in one canonical form (organisation number ``NNNNNN-NNNN``, personal
identity number ``YYYYMMDD-NNNN``, e-mail with a lower-case domain, phone in E.164), which is what
makes duplicate detection an exact-key look-up; only names need a fuzzy comparison, and that runs
on the few customers that share a word-start with the new name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.auditlog import record_audit
from kundkit.errors import Conflict, NotFound, ValidationError
from kundkit.i18n import _
from kundkit.idtable import (get_numbered, insert_numbered, make_id, number_of, replace_doc, stamp)

if TYPE_CHECKING:
    from datetime import date

    from kundkit.context import Context
    from kundkit.duplicates import Match
    from kundkit.store import Transaction

TABLE = "customers"
PREFIX = "K"
FIRST_NUMBER = 1001
BUCKET = 1000
KINDS = ("company", "person")
CHANNELS = ("email", "sms", "post", "phone")
LANGUAGES = ("sv", "en")
# The input fields: the names of the ``customer add`` options and of the CSV columns.
FIELDS = ("name", "kind", "orgnr", "personnummer", "contact", "email", "phone", "address", "segment",
          "manager", "tags", "consent", "notes", "preferred_channel", "language")
# Fields that identify or describe a person: erased by ``forget``, never written to the audit log.
PERSONAL_FIELDS = ("name", "orgnr", "personnummer", "contact", "email", "phone", "address", "notes")
STRATEGIES = ("least-loaded", "round-robin", "by-segment", "none")
_KIND_WORDS = {"company": "company", "företag": "company", "foretag": "company", "org": "company",
               "person": "person", "private": "person", "privatperson": "person", "privat": "person"}
_CHANNEL_WORDS = {"email": "email", "e-mail": "email", "e-post": "email", "epost": "email",
                  "mail": "email", "sms": "sms", "post": "post", "letter": "post", "brev": "post",
                  "phone": "phone", "telefon": "phone", "tel": "phone"}


# -- settings --------------------------------------------------------------------------------------

@dataclass
class RegisterSettings:
    """The ``customers:`` section of ``kundkit.yaml``."""

    segments: list[str] = field(default_factory=list)
    default_segment: str | None = None
    strategy: str = "least-loaded"
    roles: list[str] = field(default_factory=list)
    by_segment: dict[str, list[str]] = field(default_factory=dict)
    fallback: str = "least-loaded"
    name_similarity: float = 0.85


def settings(ctx: Context) -> RegisterSettings:
    section = ctx.config.section("customers", {}) or {}
    managers = section.get("managers", {}) or {}
    by_segment = {str(k): ([v] if isinstance(v, str) else [str(x) for x in v])
                  for k, v in (managers.get("by_segment") or {}).items()}
    return RegisterSettings(
        segments=[str(s) for s in section.get("segments", []) or []],
        default_segment=section.get("default_segment"),
        strategy=str(managers.get("strategy", "least-loaded")),
        roles=[str(r) for r in managers.get("roles", []) or []],
        by_segment=by_segment,
        fallback=str(managers.get("fallback", "least-loaded")),
        name_similarity=float((section.get("duplicates", {}) or {}).get("name_similarity", 0.85)),
    )


# -- checking fields -------------------------------------------------------------------------------

@dataclass
class FieldCheck:
    """What checking a customer's fields needs to know besides the fields."""

    today: date
    region: str
    segments: list[str]
    language: str
    actor: str | None
    now: str
    how: str


def field_check(ctx: Context, how: str) -> FieldCheck:
    s = settings(ctx)
    return FieldCheck(today=ctx.today(), region=ctx.config.region, segments=s.segments,
                      language=ctx.config.language, actor=ctx.actor, now=stamp(ctx), how=how)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None


def split_list(value: Any) -> list[str]:
    """A list from a list, or from text separated by ``;`` or ``,``."""
    if value is None:
        return []
    items = value if isinstance(value, (list, tuple)) else re.split(r"[;,]", str(value))
    return [t for t in (_text(v) for v in items) if t]


def split_address(value: Any) -> list[str]:
    """Address lines from a list, or from text with one line per row (or lines separated by ';')."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        lines = list(value)
    else:
        text = str(value)
        lines = text.splitlines() if "\n" in text or "\r" in text else text.split(";")
    return [t for t in (_text(v) for v in lines) if t]


def parse_kind(value: Any) -> str:
    kind = _KIND_WORDS.get(str(value).strip().casefold())
    if kind is None:
        raise ValidationError(_("kind: {value!r} is neither company nor person").format(value=value),
                              field="kind")
    return kind


def parse_channel(value: Any, field: str = "consent") -> str:
    channel = _CHANNEL_WORDS.get(str(value).strip().casefold())
    if channel is None:
        raise ValidationError(_("{field}: unknown channel {value!r}; choose from {choices}").format(
            field=field, value=value, choices=", ".join(CHANNELS)), field=field)
    return channel


def parse_consent(value: Any, check: FieldCheck) -> dict[str, dict[str, Any]]:
    """Consents from a list of channels given now (``email,sms``) or a full mapping as exported."""
    if value in (None, ""):
        return {}
    if isinstance(value, str) and value.strip().startswith("{"):
        import json

        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValidationError(_("consent: not valid JSON ({reason})").format(reason=exc.msg),
                                  field="consent") from None
    if isinstance(value, dict):
        out: dict[str, dict[str, Any]] = {}
        for key, entry in value.items():
            channel = parse_channel(key)
            if not isinstance(entry, dict) or not isinstance(entry.get("given"), bool):
                raise ValidationError(_("consent: {channel} needs at least \"given\": true or false").format(
                    channel=channel), field="consent")
            out[channel] = {"given": entry["given"], "at": entry.get("at") or check.now,
                            "how": entry.get("how") or check.how, "by": entry.get("by", check.actor)}
        return out
    return {parse_channel(c): {"given": True, "at": check.now, "how": check.how, "by": check.actor}
            for c in split_list(value)}


def check_customer_fields(fields: dict[str, Any], check: FieldCheck, *,
                          partial: bool = False) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Validate and normalise input fields. Returns (clean fields, [(field, message), ...]).

    Every problem is collected rather than stopping at the first, so that an import can report
    all that is wrong with a row. ``partial`` checks only the fields given (an edit).
    """
    from kundkit.identity import parse_email, parse_orgnr, parse_personnummer, parse_phone

    out: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []

    def attempt(name: str, parse: Any) -> None:
        if name not in fields:
            return
        raw = fields[name]
        try:
            out[name] = parse(raw)
        except ValidationError as exc:
            problems.append((exc.field or name, exc.message))

    unknown = sorted(set(fields) - set(FIELDS))
    for name in unknown:
        problems.append((name, _("unknown field {name!r}").format(name=name)))

    def name_(raw: Any) -> str:
        text = _text(raw)
        if not text:
            raise ValidationError(_("name: a value is needed"), field="name")
        return text

    def optional(parse: Any) -> Any:
        return lambda raw: parse(raw) if _text(raw) else None

    attempt("name", name_)
    attempt("kind", lambda raw: parse_kind(raw) if _text(raw) else None)
    attempt("orgnr", optional(parse_orgnr))
    attempt("personnummer", optional(lambda raw: parse_personnummer(raw, today=check.today)))
    attempt("contact", _text)
    attempt("email", optional(parse_email))
    attempt("phone", optional(lambda raw: parse_phone(raw, check.region)))
    attempt("address", split_address)
    attempt("notes", lambda raw: str(raw).strip() or None if raw is not None else None)

    def segment(raw: Any) -> str | None:
        text = _text(raw)
        if text and check.segments and text not in check.segments:
            raise ValidationError(_("segment: {value!r} is not one of the segments in kundkit.yaml "
                                    "({choices})").format(value=text, choices=", ".join(check.segments)),
                                  field="segment")
        return text

    attempt("segment", segment)
    attempt("manager", lambda raw: str(raw).strip().lower() if _text(raw) else None)

    def tags(raw: Any) -> list[str]:
        return sorted(set(split_list(raw)), key=str.casefold)

    attempt("tags", tags)
    attempt("consent", lambda raw: parse_consent(raw, check))
    attempt("preferred_channel", lambda raw: parse_channel(raw, "preferred_channel") if _text(raw) else None)

    def language(raw: Any) -> str:
        text = (_text(raw) or check.language).lower()
        if text not in LANGUAGES:
            raise ValidationError(_("language: {value!r} is not sv or en").format(value=raw), field="language")
        return text

    attempt("language", language)

    if not partial:
        if "name" not in fields:
            problems.append(("name", _("name: a value is needed")))
        if not out.get("kind") and not any(p[0] == "kind" for p in problems):
            # The identifier says which kind it is when the kind is not given.
            if out.get("orgnr"):
                out["kind"] = "company"
            elif out.get("personnummer"):
                out["kind"] = "person"
            else:
                problems.append(("kind", _("kind: say whether the customer is a company or a person")))
        out.setdefault("language", check.language)
    problems += _kind_rules(out, fields, partial, problems)
    return out, problems


def _kind_rules(out: dict[str, Any], fields: dict[str, Any], partial: bool,
                found: Iterable[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    kind = out.get("kind")
    problems: list[tuple[str, str]] = []
    if partial and "kind" not in fields:
        return problems
    if kind == "person" and out.get("orgnr"):
        problems.append(("orgnr", _("orgnr: a private person has no organisation number (use --company)")))
    if kind == "company" and not out.get("orgnr") and not out.get("personnummer") and not partial:
        # A sole trader (enskild firma) has the owner's personal identity number as its number.
        if not any(p[0] in ("orgnr", "personnummer") for p in found):
            problems.append(("orgnr", _("orgnr: a company needs its organisation number")))
    return problems


def _raise_first(problems: list[tuple[str, str]]) -> None:
    if problems:
        name, message = problems[0]
        raise ValidationError(message, field=name)


# -- reading ---------------------------------------------------------------------------------------

def parse_customer_id(text: str) -> int:
    number = number_of(text, PREFIX)
    if number is None:
        raise NotFound(_("'{id}' is not a customer id (they look like K1042)").format(id=text))
    return number


def customer_bucket(number: int) -> str:
    """The partition of the customers table that holds customer number ``number`` (1042 → ``k1``)."""
    return f"k{number // BUCKET}"


def customer_buckets(tx: Transaction) -> list[str]:
    """The buckets that exist, in customer number order."""
    return sorted(tx.partitions(TABLE), key=lambda name: int(name[1:]))


def stored_customer(tx: Transaction, customer_id: str) -> dict[str, Any] | None:
    """The customer record as stored (do not change it: copy first), or None; opens one bucket."""
    number = number_of(customer_id, PREFIX)
    if number is None:
        return None
    return tx.raw(TABLE, customer_bucket(number)).get(str(number))


def iter_customers(tx: Transaction) -> Iterator[dict[str, Any]]:
    """Every customer as stored, in id order, bucket by bucket (copy before changing)."""
    for bucket in customer_buckets(tx):
        raw = tx.raw(TABLE, bucket)
        for key in sorted(raw, key=int):
            yield raw[key]


def customer_records(tx: Transaction) -> dict[str, dict[str, Any]]:
    """Every customer as stored, by number as text (``"1042"``): for look-ups in a scan."""
    out: dict[str, dict[str, Any]] = {}
    for bucket in customer_buckets(tx):
        out.update(tx.raw(TABLE, bucket))
    return out


def insert_customers(tx: Transaction, records: list[tuple[int, dict[str, Any]]]) -> None:
    """Insert new customers (number, record), one table rebuild per bucket touched."""
    from kundkit.idtable import insert_many_numbered

    by_bucket: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for number, record in records:
        by_bucket.setdefault(customer_bucket(number), []).append((number, record))
    for bucket, items in by_bucket.items():
        insert_many_numbered(tx, TABLE, items, bucket)


def get_customer(tx: Transaction, customer_id: str) -> dict[str, Any]:
    """The customer ``customer_id`` (``K1042``; ``1042`` works too); :class:`NotFound` otherwise."""
    number = parse_customer_id(customer_id)
    found = get_numbered(tx, TABLE, customer_id, PREFIX, customer_bucket(number))
    if found is None:
        raise NotFound(_("no customer with id '{id}' (see 'kundkit customer find')").format(id=customer_id))
    return found


def customer_exists(tx: Transaction, customer_id: str) -> bool:
    return stored_customer(tx, customer_id) is not None


def all_customers(tx: Transaction) -> list[dict[str, Any]]:
    """Every customer as stored, in id order (the records themselves: copy before changing)."""
    return list(iter_customers(tx))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def matches_text(record: dict[str, Any], needle: str) -> bool:
    """Whether a customer matches a search text (id, name, contact, e-mail, numbers, phone, tags)."""
    folded = needle.casefold().strip()
    if not folded:
        return True
    if record.get("id", "").casefold() == folded:
        return True
    for key in ("name", "contact", "email", "notes"):
        value = record.get(key)
        if value and folded in value.casefold():
            return True
    if any(folded == t.casefold() for t in record.get("tags", [])):
        return True
    if any(folded in line.casefold() for line in record.get("address", [])):
        return True
    digits = _digits(needle)
    if len(digits) >= 4 and digits == re.sub(r"[\s\-+()]", "", needle.strip()).lstrip("+"):
        for key in ("orgnr", "personnummer"):
            value = record.get(key)
            if value and digits in _digits(value):
                return True
        phone = record.get("phone")
        if phone:
            national = "0" + phone[3:] if phone.startswith("+46") else phone
            if digits in _digits(phone) or digits in _digits(national):
                return True
    return False


def find_customers(tx: Transaction, text: str) -> list[dict[str, Any]]:
    """Customers matching ``text`` anywhere a person would look, in id order."""
    direct = number_of(text, PREFIX)
    if direct is not None and text.strip()[:1].isalpha():
        found = get_numbered(tx, TABLE, text, PREFIX, customer_bucket(direct))
        if found is not None:
            return [found]
    return [dict(r) for r in all_customers(tx) if not r.get("forgotten_at") and matches_text(r, text)]


def list_customers(tx: Transaction, *, segment: str | None = None, manager: str | None = None,
                   tag: str | None = None, kind: str | None = None, text: str | None = None,
                   include_forgotten: bool = False) -> list[dict[str, Any]]:
    """Customers in id order, filtered."""
    out = []
    for record in all_customers(tx):
        if record.get("forgotten_at") and not include_forgotten:
            continue
        if segment is not None and record.get("segment") != segment:
            continue
        if manager is not None and record.get("manager") != manager:
            continue
        if kind is not None and record.get("kind") != kind:
            continue
        if tag is not None and tag.casefold() not in (t.casefold() for t in record.get("tags", [])):
            continue
        if text and not matches_text(record, text):
            continue
        out.append(dict(record))
    return out


def has_consent(customer: dict[str, Any], channel: str) -> bool:
    """Whether the customer's latest word on ``channel`` (email, sms, post, phone) is yes."""
    entry = (customer.get("consent") or {}).get(channel)
    return bool(entry and entry.get("given"))


def assign_manager(ctx: Context, tx: Transaction, customer: dict[str, Any]) -> str | None:
    """The staff id the configured strategy chooses for ``customer`` (None when nobody can be);
    see :mod:`kundkit.managers`."""
    from kundkit.managers import ManagerPicker

    return ManagerPicker(ctx, tx).pick(customer)


def find_duplicates(ctx: Context, tx: Transaction, fields: dict[str, Any], *,
                    exclude: str | None = None) -> list[Match]:
    """Registered customers that look like ``fields`` (checked fields), best match first; see
    :mod:`kundkit.duplicates`."""
    from kundkit.duplicates import DuplicateFinder

    return DuplicateFinder(tx, settings(ctx).name_similarity).find(fields, exclude=exclude)


# -- writing ---------------------------------------------------------------------------------------

def new_record(customer_id: str, checked: dict[str, Any], check: FieldCheck) -> dict[str, Any]:
    """A complete customer record from checked fields."""
    return {
        "id": customer_id,
        "kind": checked["kind"],
        "name": checked["name"],
        "orgnr": checked.get("orgnr"),
        "personnummer": checked.get("personnummer"),
        "contact": checked.get("contact"),
        "email": checked.get("email"),
        "phone": checked.get("phone"),
        "address": checked.get("address", []),
        "segment": checked.get("segment"),
        "tags": checked.get("tags", []),
        "notes": checked.get("notes"),
        "manager": checked.get("manager"),
        "consent": checked.get("consent", {}),
        "preferred_channel": checked.get("preferred_channel"),
        "language": checked.get("language", check.language),
        "created_at": check.now,
        "created_by": check.actor,
    }


def filled_fields(record: dict[str, Any]) -> list[str]:
    return [k for k in FIELDS if record.get(k) not in (None, "", [], {})]


def create_customer(ctx: Context, tx: Transaction, fields: dict[str, Any], *, force: bool = False,
                    how: str = "customer add") -> dict[str, Any]:
    """Register a customer in the caller's transaction and return the record.

    ``fields`` uses the names of the ``customer add`` options (``name``, ``kind``, ``orgnr``, ...).
    Raises :class:`ValidationError` naming the first bad field, and :class:`DuplicateCustomer`
    (showing the match) when the customer looks registered already, unless ``force``. The manager
    is chosen by the configured strategy when not given. Call ``ctx.emit("customer_created",
    customer=record)`` after the transaction (or use :func:`register_customer`, which does).
    """
    from kundkit.staff import require_active

    check = field_check(ctx, how)
    checked, problems = check_customer_fields(fields, check)
    _raise_first(problems)
    if checked.get("manager"):
        checked["manager"] = require_active(tx, checked["manager"])
    if not checked.get("segment") and settings(ctx).default_segment:
        checked["segment"] = settings(ctx).default_segment
    if not force:
        from kundkit.duplicates import duplicate_error

        matches = find_duplicates(ctx, tx, checked)
        if matches:
            raise duplicate_error(matches)
    if not checked.get("manager"):
        checked["manager"] = assign_manager(ctx, tx, checked)
    number = tx.next_id("customer", start=FIRST_NUMBER)
    record = new_record(make_id(PREFIX, number), checked, check)
    insert_numbered(tx, TABLE, record, number, customer_bucket(number))
    record_audit(ctx, tx, action="create", table=TABLE, record_id=record["id"], fields=filled_fields(record))
    return record


def register_customer(ctx: Context, fields: dict[str, Any], *, force: bool = False,
                      how: str = "customer add") -> dict[str, Any]:
    """:func:`create_customer` in its own transaction, then the ``customer_created`` event."""
    with ctx.store.transaction() as tx:
        record = create_customer(ctx, tx, fields, force=force, how=how)
    ctx.emit("customer_created", customer=record)
    return record


def store_customer(tx: Transaction, record: dict[str, Any]) -> None:
    """Replace the stored customer ``record["id"]`` with ``record`` (the whole record)."""
    number = parse_customer_id(record["id"])
    replace_doc(tx, TABLE, number, record, customer_bucket(number))



def edit_customer(ctx: Context, tx: Transaction, customer_id: str, changes: dict[str, Any], *,
                  force: bool = False) -> dict[str, Any]:
    """Change some fields of a customer; returns the new record. A new manager moves the open tasks
    (see :func:`reassign`); a changed identifier is checked for duplicates unless ``force``."""
    old = get_customer(tx, customer_id)
    if old.get("forgotten_at"):
        raise Conflict(_("customer {id} has been forgotten; it cannot be changed").format(id=old["id"]))
    check = field_check(ctx, "customer edit")
    checked, problems = check_customer_fields(changes, check, partial=True)
    _raise_first(problems)
    manager = checked.pop("manager", None) if "manager" in checked else None
    new = {**old, **checked}
    if "consent" in checked:
        new["consent"] = {**(old.get("consent") or {}), **checked["consent"]}
    problems = _kind_rules(new, {"kind": new["kind"]}, partial=False)
    _raise_first(problems)
    if not force and any(new.get(k) != old.get(k) for k in ("name", "orgnr", "personnummer", "email", "phone")):
        changed_keys = {k: new[k] for k in ("orgnr", "personnummer", "email", "phone") if new.get(k) != old.get(k)}
        probe = {**changed_keys, "name": new["name"] if new["name"] != old["name"] else None}
        matches = find_duplicates(ctx, tx, probe, exclude=old["id"])
        if matches:
            from kundkit.duplicates import duplicate_error

            raise duplicate_error(matches)
    changed = [k for k in FIELDS if new.get(k) != old.get(k)]
    if changed:
        store_customer(tx, new)
        record_audit(ctx, tx, action="update", table=TABLE, record_id=old["id"], fields=changed)
    if manager is not None and manager != old.get("manager"):
        new = reassign(ctx, tx, old["id"], manager)
    return new


def set_consent(ctx: Context, tx: Transaction, customer_id: str, channel: str, given: bool, *,
                how: str) -> dict[str, Any]:
    """Record that the customer gave or withdrew consent for ``channel``, now, and how."""
    channel = parse_channel(channel)
    old = get_customer(tx, customer_id)
    new = {**old, "consent": {**(old.get("consent") or {}),
                              channel: {"given": given, "at": stamp(ctx), "how": how, "by": ctx.actor}}}
    store_customer(tx, new)
    record_audit(ctx, tx, action="consent", table=TABLE, record_id=old["id"], fields=[f"consent.{channel}"])
    return new


def reassign(ctx: Context, tx: Transaction, customer_id: str, manager: str) -> dict[str, Any]:
    """Make ``manager`` the customer's permanent manager and move the customer's open tasks that
    the previous manager held. Returns the updated customer."""
    from kundkit.staff import require_active
    from kundkit.tasks import move_open_tasks

    old = get_customer(tx, customer_id)
    manager = require_active(tx, manager)
    previous = old.get("manager")
    if previous == manager:
        return old
    new = {**old, "manager": manager}
    store_customer(tx, new)
    moved = move_open_tasks(ctx, tx, customer=old["id"], from_assignee=previous, to_assignee=manager)
    record_audit(ctx, tx, action="assign", table=TABLE, record_id=old["id"], fields=["manager"],
                 detail={"from": previous, "to": manager, "tasks_moved": moved})
    return new


def reassign_all(ctx: Context, tx: Transaction, from_manager: str, *,
                 to_manager: str | None = None) -> list[tuple[str, str | None]]:
    """Give every customer of ``from_manager`` a new manager: ``to_manager``, or one chosen by the
    configured strategy among the other active staff. Returns [(customer id, new manager)]."""
    from kundkit.managers import ManagerPicker

    picker = ManagerPicker(ctx, tx)
    picker.eligible = [sid for sid in picker.eligible if sid != from_manager]
    if picker._loads is not None:
        picker._loads.pop(from_manager, None)
    moved: list[tuple[str, str | None]] = []
    for record in list_customers(tx, manager=from_manager):
        chosen = to_manager or picker.pick(record)
        if chosen is None:
            raise Conflict(_("no other active staff member can take over {id}; add one first").format(
                id=record["id"]))
        reassign(ctx, tx, record["id"], chosen)
        moved.append((record["id"], chosen))
    return moved


def customer_overview(ctx: Context, tx: Transaction, customer_id: str) -> dict[str, Any]:
    """Everything ``customer show`` prints: the record, open tasks, and what plugins add through
    the ``customer_summary`` hook (purchases, feedback, ...)."""
    from kundkit.tasks import open_tasks

    record = get_customer(tx, customer_id)
    overview = dict(record)
    overview["open_tasks"] = open_tasks(tx, customer=record["id"])
    for result in ctx.plugins.hook.customer_summary(ctx=ctx, tx=tx, customer=record):
        for key, value in (result or {}).items():
            overview.setdefault(key, value)
    return overview
