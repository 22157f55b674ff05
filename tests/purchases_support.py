"""Shared set-up of the purchases tests: a business with staff, customers and products, and a
discounts section chosen by each test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kundkit.context import Context

STAFF = [("anna", "Anna Lind"), ("erik", "Erik Ström"), ("johan", "Johan Berg"),
         ("maria", "Maria Ek"), ("sara", "Sara Holm"), ("olle", "Olle Dahl")]
PRODUCTS = [
    {"sku": "SKRUV-100", "name": "Träskruv 4x40, 100 st", "category": "förbrukning", "price": "89.00",
     "weight": "1"},
    {"sku": "BORR-18V", "name": "Borrskruvdragare 18 V", "category": "elverktyg", "price": "2495.00",
     "weight": "1.5"},
    {"sku": "SAG-KAP", "name": "Kapsåg 254 mm", "category": "maskiner", "price": "12900.00",
     "weight": "2", "locomotive": True},
    {"sku": "SERV-H", "name": "Verkstadstimme", "category": "service", "price": "850.00",
     "weight": "1"},
    {"sku": "TIO", "name": "Tioöring", "category": "förbrukning", "price": "0.10", "weight": "1"},
    {"sku": "LASER-X", "name": "Rotationslaser", "category": "mätinstrument", "price": "18500.00",
     "weight": "2.5", "locomotive": True},
]
CUSTOMERS = [
    {"name": "Bygg & Montage i Västerås", "kind": "person", "segment": "bygg", "manager": "anna"},
    {"name": "Karin Nilsson", "kind": "person", "segment": "privat", "manager": "sara"},
    {"name": "Västerås stad, fastighet", "kind": "person", "segment": "offentlig", "manager": "maria"},
    {"name": "Utan Ansvarig", "kind": "person", "segment": "industri"},
]


def set_section(business: Path, name: str, value: Any) -> None:
    """Replace (or remove, with None) a top-level section of the business's kundkit.yaml."""
    path = business / "kundkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        data.pop(name, None)
    else:
        data[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def context(business: Path, **kwargs: Any) -> Context:
    return Context(config_path=business / "kundkit.yaml", **kwargs)


def populate(business: Path, *, managers: bool = True) -> None:
    """Staff, products and customers K1001–K1004 (K1004 has no manager)."""
    from kundkit.customers import create_customer
    from kundkit.products import create_product
    from kundkit.staff import create_staff

    ctx = context(business)
    with ctx.store.transaction() as tx:
        for sid, name in STAFF:
            create_staff(ctx, tx, staff_id=sid, name=name)
        for product in PRODUCTS:
            create_product(ctx, tx, product)
    set_section(business, "customers", {"segments": ["bygg", "industri", "offentlig", "privat"],
                                        "managers": {"strategy": "none"}})
    ctx = context(business)
    with ctx.store.transaction() as tx:
        for customer in CUSTOMERS:
            fields = dict(customer)
            if not managers:
                fields.pop("manager", None)
            create_customer(ctx, tx, fields, force=True)


def use_strategy(business: Path, strategy: str = "least-loaded") -> None:
    set_section(business, "customers", {"segments": ["bygg", "industri", "offentlig", "privat"],
                                        "managers": {"strategy": strategy}})
