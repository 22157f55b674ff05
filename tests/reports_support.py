"""A small business whose every report figure is worked out by hand in the tests.

Three products (one without a unit cost), a 10 % segment discount for the segment bygg, four
customers over two years, a void, three items of feedback with compensation, and four contacts
(one a message that failed). Every sale and
every change is made through the domain functions at its own moment (a Context with ``now``), so
the dates in the store are the dates of the story.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from kundkit.context import Context

TZ = ZoneInfo("Europe/Stockholm")
REPO = Path(__file__).resolve().parent.parent
STAFF = [("anna", "Anna Lind"), ("erik", "Erik Ek")]

PRODUCTS = [
    {"sku": "VERK", "name": "Verktygslåda", "category": "maskiner", "price": "1000.00",
     "cost": "600.00", "weight": "2", "locomotive": True},
    {"sku": "SKRUV", "name": "Skruv 100 st", "category": "förbrukning", "price": "50.00",
     "cost": "20.00", "weight": "1"},
    {"sku": "HYRA", "name": "Ställningshyra", "category": "uthyrning", "price": "400.00",
     "weight": "1.5"},
]
CUSTOMERS = [
    {"name": "Alfa Bygg AB", "kind": "company", "orgnr": "556036-0793", "segment": "bygg",
     "manager": "anna"},
    {"name": "Beata Berg", "kind": "person", "segment": "privat", "manager": "erik"},
    {"name": "Cesar Ceder", "kind": "person", "segment": "privat", "manager": "anna"},
    {"name": "Dora Dahl", "kind": "person", "segment": "privat", "manager": "erik"},
]
# (customer, day, seller, lines): recorded in this order as P1001 ... P1008.
SALES = [
    ("K1001", "2024-12-10", "anna", ["VERK:2", "SKRUV:10"]),
    ("K1001", "2025-06-15", "anna", ["HYRA:3"]),
    ("K1001", "2026-03-02", "erik", ["VERK:1", "SKRUV:4"]),
    ("K1001", "2026-10-05", "anna", ["SKRUV:20"]),
    ("K1002", "2025-01-20", "erik", ["VERK:1"]),
    ("K1002", "2025-11-25", None, ["HYRA:1"]),
    ("K1002", "2026-11-02", "erik", ["VERK:1", "SKRUV:2"]),
    ("K1003", "2025-05-05", "anna", ["SKRUV:2"]),
]
REPORTS = {"costs": {"interactions": {"default": 40, "phone": 60, "email": 5},
                     "feedback": {"default": 100, "complaint": 300},
                     "compensation": 50}}


def set_section(business: Path, name: str, value: Any) -> None:
    path = business / "kundkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if value is None:
        data.pop(name, None)
    else:
        data[name] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def at(business: Path, moment: str, actor: str | None = "anna") -> Context:
    """A context of the business whose "now" is ``moment`` (local time)."""
    now = datetime.fromisoformat(moment)
    if now.tzinfo is None:
        now = now.replace(tzinfo=TZ)
    return Context(config_path=business / "kundkit.yaml", now=now, actor=actor)


def configure(business: Path) -> None:
    set_section(business, "customers", {"segments": ["bygg", "privat"],
                                        "managers": {"strategy": "none"}})
    set_section(business, "discounts", {"policies": {"segment": {"percents": {"bygg": 10}}}})
    set_section(business, "followup", {"enabled": False})
    set_section(business, "reports", REPORTS)


def new_shop(tmp_path_factory: Any, name: str, *, folders: bool = False) -> Path:
    """An empty business with the repository's kundkit.yaml (and, with ``folders``, its standards
    and workflows), for a module's fixture to build its story in."""
    folder = tmp_path_factory.mktemp(name) / "shop"
    folder.mkdir()
    shutil.copy(REPO / "kundkit.yaml", folder / "kundkit.yaml")
    for sub in ("standards", "workflows") if folders else ():
        if (REPO / sub).is_dir():
            shutil.copytree(REPO / sub, folder / sub)
    return folder


def copy_shop(built: Path, tmp_path: Path, monkeypatch: Any) -> Path:
    """A test's own copy of a module's built business, as the current folder."""
    folder = tmp_path / "shop"
    shutil.copytree(built, folder)
    monkeypatch.chdir(folder)
    return folder


def run(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Any:
    """A kundkit command run in-process; its exit code must be ``code``."""
    from click.testing import CliRunner

    from kundkit.cli.app import cli

    result = CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)
    assert result.exit_code == code, result.stdout + result.stderr
    return result


def add_people(ctx: Context, tx: Any, *, products: bool = True,
               customers: int = len(CUSTOMERS)) -> None:
    """Staff anna and erik, the products (unless not wanted) and the first ``customers``."""
    from kundkit.customers import create_customer
    from kundkit.products import create_product
    from kundkit.staff import create_staff

    for sid, name in STAFF:
        create_staff(ctx, tx, staff_id=sid, name=name)
    for product in PRODUCTS if products else ():
        create_product(ctx, tx, product)
    for customer in CUSTOMERS[:customers]:
        create_customer(ctx, tx, dict(customer), force=True)


def build(business: Path) -> None:
    """The whole story, from the first sale in December 2024 to November 2026."""
    from kundkit.feedback import create_feedback, resolve
    from kundkit.interactions import record_interaction
    from kundkit.plans import parse_period, set_plan
    from kundkit.purchases import PurchaseRequest, add_purchase, parse_line, void

    configure(business)
    ctx = at(business, "2024-12-01T09:00:00")
    with ctx.store.transaction() as tx:
        add_people(ctx, tx)
    for customer, day, seller, lines in SALES:
        # A sale without a seller is one the till recorded without anyone logged in.
        add_purchase(at(business, f"{day}T12:00:00", actor=seller), PurchaseRequest(
            customer=customer, date=date.fromisoformat(day), seller=seller,
            lines=[parse_line(text, "SEK") for text in lines]))
    void(at(business, "2026-04-01T10:00:00"), "P1003", reason="Returned unused")  # credit note P1009
    ctx = at(business, "2025-08-01T10:00:00")
    with ctx.store.transaction() as tx:
        create_feedback(ctx, tx, {"customer": "K1001", "kind": "suggestion",
                                  "text": "Open on Saturdays in spring, please"})
    ctx = at(business, "2026-02-10T09:00:00")
    with ctx.store.transaction() as tx:
        create_feedback(ctx, tx, {"customer": "K1002", "kind": "complaint",
                                  "text": "The toolbox arrived with a broken lock"})
    ctx = at(business, "2026-02-12T15:00:00")
    with ctx.store.transaction() as tx:
        resolve(ctx, tx, "F1002", resolution="A new lock sent", compensation="credit 200")
    ctx = at(business, "2026-06-01T10:00:00")
    with ctx.store.transaction() as tx:
        create_feedback(ctx, tx, {"customer": "K1003", "kind": "claim",
                                  "text": "Screws rusted within a month"})
        resolve(ctx, tx, "F1003", resolution="Discount on the next order",
                compensation="discount 10%")
    contacts = [("2025-03-01T10:00:00", "K1001", "phone", "call", None),
                ("2026-05-10T13:00:00", "K1001", "in-person", "visit", None),
                ("2026-06-01T08:00:00", "K1002", "email", "message", "sent"),
                ("2026-06-02T08:00:00", "K1002", "sms", "message", "failed")]
    for moment, customer, channel, kind, status in contacts:
        ctx = at(business, moment)
        with ctx.store.transaction() as tx:
            record_interaction(ctx, tx, customer=customer, channel=channel, kind=kind,
                               status=status, subject="Hej")
    ctx = at(business, "2026-10-01T08:00:00")
    with ctx.store.transaction() as tx:
        set_plan(ctx, tx, parse_period("2026-11"), target=Decimal("2000"),
                 staff_targets={"anna": Decimal("500"), "erik": Decimal("1000")})
