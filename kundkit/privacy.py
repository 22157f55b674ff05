"""Personal data: a customer's right of access (``customer data``) and to be forgotten
(``customer forget``).

Each area knows its own tables best, so both go through hooks that every plugin may implement:
``customer_data`` (what do you hold about this customer?) and ``forget_customer`` (erase it,
keeping bookkeeping records under a pseudonym). After the hooks, :func:`forget` sweeps every file
of the store for what is left of the person's name, numbers, e-mail and phone — a table nobody
declared, a free-text note — so that a search afterwards finds nothing, whatever plugins are
installed. The erasure itself is recorded in the audit log (which fields, not their values).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kundkit.auditlog import record_audit
from kundkit.customers import PERSONAL_FIELDS, TABLE as CUSTOMERS, get_customer
from kundkit.errors import Conflict
from kundkit.i18n import _
from kundkit.idtable import stamp

if TYPE_CHECKING:
    from kundkit.context import Context
    from kundkit.store import Transaction

_SEP = r"[\s\-]*"


def _digits_pattern(digits: str) -> str:
    """The digits with any spaces or hyphens between them, not inside a longer number."""
    return _SEP.join(re.escape(d) for d in digits)


def _phrase_pattern(text: str) -> str:
    words = [re.escape(w) for w in text.split()]
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


@dataclass
class Needles:
    """What to look for: patterns to erase everywhere, and more to erase where the record is the
    customer's own (a task about the customer, a purchase by them)."""

    everywhere: list[re.Pattern[str]] = field(default_factory=list)
    linked: list[re.Pattern[str]] = field(default_factory=list)

    def all(self) -> list[re.Pattern[str]]:
        return self.everywhere + self.linked


def personal_needles(customer: dict[str, Any]) -> Needles:
    """Patterns for the customer's name, contact, numbers (every way of writing them), e-mail,
    phone and address lines."""
    everywhere: list[str] = []
    linked: list[str] = []
    for key in ("name", "contact"):
        value = (customer.get(key) or "").strip()
        if not value:
            continue
        # A one-word name ("Bo") is too common to erase from other people's records.
        (everywhere if len(value.split()) >= 2 else linked).append(_phrase_pattern(value))
    pnr = customer.get("personnummer")
    if pnr:
        digits = re.sub(r"\D", "", pnr)
        everywhere.append(r"(?<!\d)(?:" + _digits_pattern(digits[:2]) + _SEP + r")?"
                          + _digits_pattern(digits[2:8]) + r"[\s\-+]*" + _digits_pattern(digits[8:]) + r"(?!\d)")
    orgnr = customer.get("orgnr")
    if orgnr:
        digits = re.sub(r"\D", "", orgnr)
        everywhere.append(r"(?<!\d)(?:16" + _SEP + r")?" + _digits_pattern(digits) + r"(?!\d)")
    email = customer.get("email")
    if email:
        everywhere.append(r"(?<![\w.+-])" + re.escape(email) + r"(?![\w-])")
    phone = customer.get("phone")
    if phone and phone.startswith("+"):
        everywhere.append(_phone_pattern(phone))
    for line in customer.get("address") or []:
        if line.strip():
            linked.append(_phrase_pattern(line))
    return Needles(everywhere=[re.compile(p, re.IGNORECASE) for p in everywhere],
                   linked=[re.compile(p, re.IGNORECASE) for p in linked])


def _phone_pattern(e164: str) -> str:
    import phonenumbers

    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    country = str(number.country_code)
    trunk = r"(?:\(0\)|0)" + _SEP
    return (r"(?<!\d)(?:(?:\+|00)" + _SEP + _digits_pattern(country) + _SEP + r"(?:\(0\)" + _SEP + r")?|"
            + trunk + r")" + _digits_pattern(national) + r"(?!\d)")


def scrub(value: Any, patterns: Iterable[re.Pattern[str]], pseudonym: str) -> tuple[Any, int]:
    """``value`` (any JSON value) with every match of ``patterns`` in its strings replaced by
    ``pseudonym``; returns (new value, number of replacements). Other areas use it for free text."""
    patterns = list(patterns)
    if isinstance(value, str):
        total = 0
        for pattern in patterns:
            value, n = pattern.subn(pseudonym, value)
            total += n
        return value, total
    if isinstance(value, list):
        out_list, total = [], 0
        for item in value:
            new, n = scrub(item, patterns, pseudonym)
            out_list.append(new)
            total += n
        return out_list, total
    if isinstance(value, dict):
        out_dict, total = {}, 0
        for key, item in value.items():
            new, n = scrub(item, patterns, pseudonym)
            out_dict[key] = new
            total += n
        return out_dict, total
    return value, 0


def new_pseudonym() -> str:
    """A name that stands for a forgotten customer in the records kept for the books."""
    return f"anon-{secrets.token_hex(4)}"


def _refers_to(record: dict[str, Any], customer_id: str) -> bool:
    return any(value == customer_id for value in record.values())


def _tables(tx: Transaction) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    root = tx.store.root
    for path in tx.store.files():
        relative = path.relative_to(root)
        if relative.name == "meta.json":
            continue
        if len(relative.parts) == 1:
            out.append((relative.stem, None))
        else:
            out.append((relative.parts[0], relative.stem))
    return out


def sweep(tx: Transaction, customer_id: str, needles: Needles, pseudonym: str) -> dict[str, int]:
    """Erase what is left of the customer's personal data in every table of the store.

    Other customers' own identifying fields are left alone (two people may share a name or a
    family e-mail); their notes are swept like everything else.
    """
    from kundkit.idtable import replace_doc

    counts: dict[str, int] = {}
    everywhere, every_pattern = needles.everywhere, needles.all()
    for table, partition in _tables(tx):
        changed: dict[int, dict[str, Any]] = {}
        for key, record in tx.raw(table, partition).items():
            if not isinstance(record, dict):
                continue
            if table == CUSTOMERS and record.get("id") != customer_id:
                notes, n = scrub(record.get("notes"), everywhere, pseudonym)
                if n:
                    changed[int(key)] = {**record, "notes": notes}
                continue
            patterns = every_pattern if _refers_to(record, customer_id) else everywhere
            new, n = scrub(record, patterns, pseudonym)
            if n:
                changed[int(key)] = new
        for doc_id, new in changed.items():
            replace_doc(tx, table, doc_id, new, partition)
        if changed:
            counts[table] = counts.get(table, 0) + len(changed)
    return counts


@dataclass
class ForgetReport:
    customer_id: str
    pseudonym: str
    tables: dict[str, int]


def forget(ctx: Context, customer_id: str) -> ForgetReport:
    """Erase a customer's personal data everywhere, in one transaction, and audit the erasure."""
    with ctx.store.transaction() as tx:
        customer = get_customer(tx, customer_id)
        if customer.get("forgotten_at"):
            raise Conflict(_("customer {id} was already forgotten on {date}").format(
                id=customer["id"], date=customer["forgotten_at"][:10]))
        pseudonym = new_pseudonym()
        needles = personal_needles(customer)
        counts: dict[str, int] = {}
        for result in ctx.plugins.hook.forget_customer(ctx=ctx, tx=tx, customer_id=customer["id"],
                                                       pseudonym=pseudonym, customer=customer):
            for table, n in (result or {}).items():
                counts[table] = counts.get(table, 0) + int(n)
        for table, n in sweep(tx, customer["id"], needles, pseudonym).items():
            counts[table] = max(counts.get(table, 0), n)
        erased = [k for k in PERSONAL_FIELDS if customer.get(k) not in (None, "", [])]
        record_audit(ctx, tx, action="forget", table=CUSTOMERS, record_id=customer["id"],
                     fields=erased, detail={"tables": {k: n for k, n in sorted(counts.items()) if n}})
    return ForgetReport(customer["id"], pseudonym, {k: n for k, n in sorted(counts.items()) if n})


def merge_data(into: dict[str, Any], part: dict[str, Any]) -> None:
    """Merge one plugin's answer into the export; two plugins answering for one table are joined,
    records with the same ``id`` kept once."""
    for key, value in part.items():
        if key not in into:
            into[key] = value
        elif isinstance(into[key], list) and isinstance(value, list):
            seen = {r.get("id") for r in into[key] if isinstance(r, dict) and r.get("id")}
            into[key].extend(r for r in value
                             if not (isinstance(r, dict) and r.get("id") and r.get("id") in seen))


def customer_data(ctx: Context, customer_id: str) -> dict[str, Any]:
    """Everything kundkit holds about a customer, from every table (right of access and
    portability). The access itself is recorded in the audit log."""
    with ctx.store.transaction() as tx:
        customer = get_customer(tx, customer_id)
        data: dict[str, Any] = {"id": customer["id"], "exported_at": stamp(ctx)}
        for result in ctx.plugins.hook.customer_data(ctx=ctx, tx=tx, customer_id=customer["id"]):
            merge_data(data, result or {})
        record_audit(ctx, tx, action="access", table=CUSTOMERS, record_id=customer["id"],
                     fields=[k for k in data if k not in ("id", "exported_at")])
    return data


def erased_customer(customer: dict[str, Any], pseudonym: str, now: str, actor: str | None) -> dict[str, Any]:
    """The customer record after erasure: the id, kind, segment and manager stay for the books."""
    kept = {k: customer.get(k) for k in ("id", "kind", "segment", "manager", "language",
                                         "created_at", "created_by")}
    return {**kept, "name": pseudonym, "orgnr": None, "personnummer": None, "contact": None,
            "email": None, "phone": None, "address": [], "tags": [], "notes": None, "consent": {},
            "preferred_channel": None, "forgotten_at": now, "forgotten_by": actor}
