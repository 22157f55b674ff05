"""Money in purchases: exact decimal sums however many lines, the discount rounded once and split so
that every total adds up, and no float anywhere in the store."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from kundkit.purchase_store import load_totals
from kundkit.purchases import LineRequest, PurchaseRequest, add_purchase, list_purchases, parse_line
from purchases_support import context, populate, set_section


def _walk(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def floats_in_store(store: Path) -> list[str]:
    found = []
    for path in sorted(store.rglob("*.json")):
        for value in _walk(orjson.loads(path.read_bytes())):
            if isinstance(value, float):
                found.append(f"{path.relative_to(store)}: {value!r}")
    return found


def test_ten_thousand_lines_of_ten_ore_make_exactly_one_thousand(business: Path) -> None:
    populate(business)
    set_section(business, "discounts", {"policies": {"segment": {"percents": {"offentlig": 3}}}})
    ctx = context(business)
    record = add_purchase(ctx, PurchaseRequest(customer="K1003",
                                               lines=[LineRequest("TIO", 1)] * 10_000))
    assert record["gross"] == "1000.00"
    assert record["discount"]["amount"] == "30.00"
    assert record["net"] == "970.00"
    assert sum(Decimal(line["gross"]) for line in record["lines"]) == Decimal("1000.00")
    assert sum(Decimal(line["discount"]) for line in record["lines"]) == Decimal("30.00")
    assert sum(Decimal(line["net"]) for line in record["lines"]) == Decimal("970.00")
    # Each line's share is a whole öre: 30.00 over 10 000 lines is 0.00 or 0.01 each, never 0.003.
    assert {line["discount"] for line in record["lines"]} <= {"0.00", "0.01"}
    with ctx.store.read() as tx:
        assert load_totals(tx, "K1003")["net"] == "970.00"
    assert floats_in_store(ctx.store.root) == []


def test_ten_thousand_imported_rows_of_ten_ore_total_exactly_one_thousand(business: Path, kk: Any) -> None:
    populate(business)
    rows = ["order,date,customer,sku,quantity,unit_price,seller"]
    rows += [f"W{n},2026-{1 + n % 10:02d}-{1 + n % 28:02d},K1002,TIO,1,\"0,10\",anna" for n in range(10_000)]
    (business / "tio.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    kk("purchase", "import", "tio.csv")
    ctx = context(business)
    with ctx.store.read() as tx:
        records = list_purchases(tx, customer="K1002")
        assert load_totals(tx, "K1002")["net"] == "1000.00"
    assert len(records) == 10_000
    assert sum(Decimal(r["net"]) for r in records) == Decimal("1000.00")
    assert floats_in_store(ctx.store.root) == []


def test_points_and_percent_settings_written_as_yaml_floats_stay_exact(business: Path) -> None:
    populate(business)
    # 0.1 and 2.5 are floats to YAML; they must act as the decimals that were written.
    set_section(business, "discounts", {"combine": "add", "policies": {
        "segment": {"percents": {"privat": 2.5}},
        "points": {"earn_every": 10, "point_value": 0.1, "min_redeem": 1, "max_share": 100}}})
    ctx = context(business)
    first = add_purchase(ctx, PurchaseRequest(customer="K1002", lines=[parse_line("SKRUV-100:1:100", "SEK")]))
    assert first["discount"]["amount"] == "2.50"
    second = add_purchase(ctx, PurchaseRequest(customer="K1002", redeem_points=True,
                                               lines=[parse_line("SKRUV-100:1:100", "SEK")]))
    # 2.5 % segment + 9 points (97.50 net / 10) worth 0.90.
    assert second["discount"]["amount"] == "3.40"
    assert floats_in_store(ctx.store.root) == []
