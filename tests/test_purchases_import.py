"""``purchase import``: orders grouped into purchases, every bad row reported by line, all or nothing,
no double import, discounts only when asked, CSV and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kundkit.purchase_store import load_totals
from kundkit.purchases import list_purchases
from purchases_support import context, populate, set_section

HEADER = "order,date,customer,sku,quantity,unit_price,seller\n"


def write(business: Path, name: str, body: str) -> Path:
    path = business / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def purchases(business: Path) -> list[dict[str, Any]]:
    ctx = context(business)
    with ctx.store.read() as tx:
        return list_purchases(tx)


def test_rows_of_one_order_form_one_purchase_in_date_order(business: Path, kk: Any) -> None:
    populate(business)
    write(business, "p.csv",
          "A-2,2026-03-05,K1002,BORR-18V,1,,\n"
          "A-1,2026-02-01,K1001,SKRUV-100,10,79.50,anna\n"
          "A-1,2026-02-01,K1001,SAG-KAP,1,\"12 500,00\",anna\n")
    result = kk("purchase", "import", "p.csv", "--format", "json")
    summary = json.loads(result.stdout)
    assert summary == {"file": "p.csv", "rows": 3, "purchases": 2, "lines": 3, "gross": "15790.00",
                       "discount": "0.00", "net": "15790.00", "first": "P1001", "last": "P1002",
                       "dry_run": False}
    assert "Imported 2 purchases (3 lines) from p.csv." in result.stderr
    first, second = purchases(business)
    assert (first["id"], first["order"], first["date"], first["seller"]) == ("P1001", "A-1", "2026-02-01", "anna")
    assert [(l["sku"], l["unit_price"], l["gross"]) for l in first["lines"]] == [
        ("SKRUV-100", "79.50", "795.00"), ("SAG-KAP", "12500.00", "12500.00")]
    # As invoiced: no discount, and no key-product task for history.
    assert first["discount"] is None and first["source"] == "import" and "followups" not in first
    assert (second["customer"], second["lines"][0]["unit_price"], second["seller"]) == ("K1002", "2495.00", None)
    ctx = context(business)
    with ctx.store.read() as tx:
        assert load_totals(tx, "K1001")["daily"] == {"2026-02-01": "13295.00"}


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(business: Path, kk: Any) -> None:
    populate(business)
    write(business, "bad.csv",
          "B-1,2026-02-01,K1001,SKRUV-100,1,,anna\n"
          "B-2,2026-02-30,K1001,SKRUV-100,1,,\n"
          "B-3,2026-02-01,K9999,SKRUV-100,1,,\n"
          "B-4,2026-02-01,K1001,NOSUCH,1,,\n"
          "B-5,2026-02-01,K1001,SKRUV-100,0,,\n"
          "B-6,2026-02-01,K1001,SKRUV-100,1,12.345,\n"
          "B-7,2026-02-01,K1001,SKRUV-100,1,,nobody\n"
          "B-1,2026-02-01,K1002,SKRUV-100,1,,anna\n"
          "B-8,2026-12-24,K1001,SKRUV-100,1,,\n"
          ",2026-02-01,K1001,SKRUV-100,1,,\n")
    result = kk("purchase", "import", "bad.csv", code=1)
    assert result.stderr.splitlines() == [
        "bad.csv:3:2: date: '2026-02-30' is not a date (YYYY-MM-DD)",
        "bad.csv:4:3: customer: no customer with id 'K9999'",
        "bad.csv:5:4: sku: no product with SKU 'NOSUCH'",
        "bad.csv:6:5: quantity: '0' is not a whole number of pieces, 1 or more",
        "bad.csv:7:6: unit_price: '12.345' is ambiguous (thousands separator or decimal mark?); "
        "write 12345 or 12 345",
        "bad.csv:8:7: seller: no staff member with id 'nobody'",
        "bad.csv:9:3: customer: order 'B-1' has customer 'K1001' on line 2, not 'K1002'",
        "bad.csv:10:2: date: 2026-12-24 is in the future",
        "bad.csv:11:1: order: a value is needed",
    ]
    assert purchases(business) == []


def test_a_file_cannot_be_imported_twice(business: Path, kk: Any) -> None:
    populate(business)
    write(business, "p.csv", "C-1,2026-02-01,K1001,SKRUV-100,1,,\nC-2,2026-02-02,K1001,SKRUV-100,1,,\n")
    kk("purchase", "import", "p.csv")
    result = kk("purchase", "import", "p.csv", code=1)
    assert result.stderr.splitlines() == [
        "p.csv:2:1: order: order 'C-1' was imported before (as P1001)",
        "p.csv:3:1: order: order 'C-2' was imported before (as P1002)",
    ]
    assert len(purchases(business)) == 2


def test_apply_discounts_prices_each_order_on_the_history_before_it(business: Path, kk: Any) -> None:
    populate(business)
    set_section(business, "discounts", {"policies": {"cumulative": {
        "window_days": 365, "tiers": [{"from": 20000, "percent": 5}]}}})
    write(business, "p.csv",
          "D-2,2026-05-01,K1001,BORR-18V,1,,\n"
          "D-1,2026-04-01,K1001,SAG-KAP,2,,\n")
    kk("purchase", "import", "p.csv", "--apply-discounts")
    first, second = purchases(business)
    assert first["order"] == "D-1" and first["discount"] is None
    assert second["discount"]["percent"] == "5" and second["discount"]["amount"] == "124.75"
    assert second["policies"] == ["cumulative"]


def test_json_files_and_dry_runs(business: Path, kk: Any) -> None:
    populate(business)
    rows = [{"order": "J-1", "date": "2026-02-01", "customer": "K1001", "sku": "SKRUV-100",
             "quantity": 2, "unit_price": "80.00", "seller": "anna"},
            {"order": "J-1", "date": "2026-02-01", "customer": "K1001", "sku": "BORR-18V",
             "quantity": "1", "unit_price": None, "seller": "anna"}]
    (business / "p.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    result = kk("purchase", "import", "p.json", "--dry-run")
    assert "Checked 2 rows: 1 purchases, all in order; nothing was recorded (--dry-run)." in result.stderr
    assert purchases(business) == []
    kk("purchase", "import", "p.json")
    [record] = purchases(business)
    assert record["gross"] == "2655.00"
    bad = [dict(rows[0], order="J-2", quantity="many")]
    (business / "bad.json").write_text(json.dumps(bad, indent=2), encoding="utf-8")
    result = kk("purchase", "import", "bad.json", code=1)
    assert result.stderr.strip() == "bad.json:2:1: quantity: 'many' is not a whole number of pieces, 1 or more"


def test_an_unknown_column_is_refused_with_the_known_ones(business: Path, kk: Any) -> None:
    populate(business)
    (business / "p.csv").write_text("order,date,customer,sku,qty\nX,2026-01-01,K1001,TIO,1\n",
                                    encoding="utf-8")
    result = kk("purchase", "import", "p.csv", code=1)
    assert result.stderr.startswith("p.csv:1:5: unknown column 'qty'; the columns are: order, date,")


def test_progress_of_a_large_import_goes_to_stderr(business: Path, kk: Any) -> None:
    populate(business)
    write(business, "p.csv", "".join(f"E-{n},2026-01-{1 + n % 28:02d},K1001,TIO,1,,\n" for n in range(3000)))
    result = kk("purchase", "import", "p.csv")
    assert "Checking rows: 3000/3000" in result.stderr
    assert "Recording purchases: 3000/3000" in result.stderr
    assert "Checking rows" not in result.stdout


def test_live_import_works_like_the_counter(business: Path, kk: Any) -> None:
    populate(business)
    write(business, "today.csv", "W-1,2026-11-20,K1001,SAG-KAP,1,,anna\n")
    kk("purchase", "import", "today.csv", "--live")
    [record] = purchases(business)
    assert record["followups"][0]["assignee"] == "anna" and record["followups"][0]["created"]
    assert record["policies"] == ["cumulative", "volume", "segment", "points"]
