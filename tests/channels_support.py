"""Shared set-up of the channels tests: staff and a few customers with every kind of consent, and
a way to change a section of the business's kundkit.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kundkit.context import Context

STAFF = [("anna", "Anna Lind", "anna.lind@nordbygg.example"),
         ("olle", "Olle Björk", "olle.bjork@nordbygg.example")]
WITHDRAWN = {"given": False, "at": "2026-10-02T09:00:00+02:00", "how": "replied STOPP",
             "by": "anna"}
# Numbers the Swedish telecom regulator keeps for fiction: 070-1740605..99 are mobile,
# 08-46500400..99 fixed lines.
CUSTOMERS: list[dict[str, Any]] = [
    {"name": "Mälardalens Bygg AB", "kind": "company", "orgnr": "556798-6434",
     "contact": "Per Lindqvist", "email": "info@malardalensbygg.example", "phone": "070-174 06 05",
     "address": ["Stenbygatan 4", "721 30 Västerås"], "segment": "bygg", "manager": "anna"},
    {"name": "Åsa Öberg", "kind": "person", "email": "asa.oberg@post.example",
     "phone": "070-174 06 16", "address": ["Skallbergsgatan 8", "724 63 Västerås"],
     "segment": "privat", "manager": "olle", "consent": "email,sms"},
    {"name": "Lars Nilsson", "kind": "person", "phone": "08-465 004 00",
     "address": ["Gamla Tuna 3", "733 92 Sala"], "segment": "privat", "manager": "olle"},
    {"name": "Karin Öhman", "kind": "person", "email": "karin.ohman@post.example",
     "phone": "070-174 06 20", "address": ["Ekbacken 2", "732 30 Arboga"], "segment": "privat",
     "manager": "olle"},
    {"name": "Köpings Rör & Värme AB", "kind": "company", "orgnr": "556437-5524",
     "email": "order@kopingsror.example", "phone": "08-465 004 01", "segment": "bygg",
     "manager": "anna", "consent": {"email": WITHDRAWN}},
    {"name": "Mohammed Ali", "kind": "person", "email": "m.ali@post.example",
     "phone": "070-174 06 21", "address": ["Råbyvägen 17", "723 48 Västerås"],
     "segment": "privat", "manager": "olle", "consent": "email,sms,phone",
     "preferred_channel": "phone"},
]


def context(business: Path, **kwargs: Any) -> Context:
    return Context(config_path=business / "kundkit.yaml", **kwargs)


def set_section(business: Path, name: str, value: Any) -> None:
    """Replace (or remove, with None) a top-level section of the business's kundkit.yaml."""
    path = business / "kundkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        data.pop(name, None)
    else:
        data[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def populate(business: Path, customers: list[dict[str, Any]] | None = None) -> list[str]:
    """The staff and customers K1001...; returns the customer ids."""
    from kundkit.customers import create_customer
    from kundkit.staff import create_staff

    ctx = context(business)
    ids = []
    with ctx.store.transaction() as tx:
        for sid, name, email in STAFF:
            create_staff(ctx, tx, staff_id=sid, name=name, email=email)
        for fields in CUSTOMERS if customers is None else customers:
            ids.append(create_customer(ctx, tx, dict(fields), force=True, how="test")["id"])
    return ids


def withdraw(business: Path, customer_id: str, medium: str) -> None:
    from kundkit.customers import set_consent

    ctx = context(business)
    with ctx.store.transaction() as tx:
        set_consent(ctx, tx, customer_id, medium, False, how="test")


def interactions(business: Path) -> list[dict[str, Any]]:
    from kundkit.interactions import all_interactions

    ctx = context(business)
    with ctx.store.read() as tx:
        return sorted((dict(r) for _p, r in all_interactions(tx)), key=lambda r: r["id"])
