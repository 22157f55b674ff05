"""Shared set-up of the incentives tests: figures made by hand for the scheme tests, and the
example business (its staff, products and customers) with purchases recorded through the real
purchase ledger for the end-to-end tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from kundkit.contribution import StaffResult
from kundkit.context import Context


def result(staff: str, weighted: str, target: str | None = None, *, name: str = "") -> StaffResult:
    """A seller's figures as the schemes get them: exact weighted sales and, given a target, the
    attainment."""
    w = Decimal(weighted)
    t = Decimal(target) if target is not None else None
    return StaffResult(staff, name or staff.title(), True, net=w, weighted=w, target=t,
                       attainment=None if t is None else w / t)


def context(business: Path, **kwargs: Any) -> Context:
    return Context(config_path=business / "kundkit.yaml", **kwargs)


def load_example_business(kk: Any) -> None:
    """Staff, products and customers of Nordbygg Verktyg AB from examples/, as a user imports them."""
    kk("staff", "import", "examples/staff.csv")
    kk("product", "import", "examples/products.csv")
    kk("customer", "import", "examples/customers.csv")


def sell(business: Path, customer: str, seller: str, day: str, *lines: tuple[str, int]) -> str:
    """Record a sale through the purchase ledger (discounts and all); returns the purchase id."""
    from kundkit.purchases import LineRequest, PurchaseRequest, record_purchase

    ctx = context(business, actor=seller)
    with ctx.store.transaction() as tx:
        record = record_purchase(ctx, tx, PurchaseRequest(
            customer=customer, seller=seller, date=date.fromisoformat(day),
            lines=[LineRequest(sku, qty) for sku, qty in lines]))
    return str(record["id"])
