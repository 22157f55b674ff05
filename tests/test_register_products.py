"""Products: prices as Decimal strings, shown per language, weights, locomotives, import/export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from register_support import field


def test_add_list_show_with_money_per_language(business: Path, kk: Any, kk_process: Any) -> None:
    assert kk("product", "add", "--sku", "BM-18V", "--name", "Borrmaskin 18 V", "--price", "1 234,50",
              "--cost", "800", "--weight", "1,5", "--locomotive", "--category", "maskiner").stdout == "BM-18V\n"
    kk("product", "add", "--sku", "TUM-2M", "--name", "Tumstock 2 m", "--price", "89")
    [bm, tum] = json.loads(kk("product", "list", "--format", "json").stdout)
    assert bm == {"id": "BM-18V", "sku": "BM-18V", "name": "Borrmaskin 18 V", "category": "maskiner",
                  "price": "1234.50", "cost": "800.00", "weight": "1.5", "locomotive": True, "active": True,
                  "created_at": "2026-11-20T10:00:00+01:00"}
    assert (tum["weight"], tum["locomotive"], tum["cost"]) == ("1", False, None)
    assert "SEK 1,234.50" in kk("product", "list").stdout
    swedish = kk_process("product", "list", env={"KUNDKIT_LANG": "sv"}).stdout
    assert "1 234,50 kr" in swedish and "89,00 kr" in swedish
    assert field(kk("product", "show", "BM-18V").stdout, "Price") == "SEK 1,234.50"
    assert [p["sku"] for p in json.loads(kk("product", "list", "--locomotive", "--format", "json").stdout)] \
        == ["BM-18V"]


def test_wrong_product_values_are_refused(business: Path, kk: Any) -> None:
    def refused(*args: str) -> str:
        return kk("product", "add", "--sku", "X1", "--name", "X", *args, code=1).stderr

    assert "weight: must be a positive number, not 0" in refused("--price", "10", "--weight", "0")
    assert "weight: 'tung' is not a number" in refused("--price", "10", "--weight", "tung")
    assert "price: must not be negative" in refused("--price", "-5")
    assert "too many decimals" in refused("--price", "10,5055")
    assert "is ambiguous" in refused("--price", "1,234")
    assert "missing value for --price" in kk("--no-input", "product", "add", "--sku", "X1", "--name", "X",
                                             code=2).stderr
    kk("product", "add", "--sku", "X1", "--name", "X", "--price", "10")
    assert "a product with SKU 'X1' already exists" in refused("--price", "10")


def test_edit_changes_fields_but_not_the_sku(business: Path, kk: Any) -> None:
    kk("product", "add", "--sku", "X1", "--name", "X", "--price", "10")
    kk("product", "edit", "X1", "--price", "12,50", "--locomotive", "--weight", "3", "--inactive")
    [product] = json.loads(kk("product", "list", "--all", "--format", "json").stdout)
    assert (product["price"], product["locomotive"], product["weight"], product["active"]) == (
        "12.50", True, "3", False)
    assert kk("product", "list", "--format", "json").stdout == "[]\n"
    assert kk("product", "show", "Y9", code=1).stderr == (
        "Error: no product with SKU 'Y9' (see 'kundkit product list')\n")


def test_import_reports_every_bad_row_and_round_trips(business: Path, kk: Any, tmp_path: Path) -> None:
    (business / "bad.csv").write_text(
        "sku,name,price,weight,locomotive\nA1,Bra,10,1,nej\nA2,,10,1,nej\nA3,Dålig,tio,0,kanske\nA1,Igen,5,1,no\n",
        encoding="utf-8")
    lines = kk("product", "import", "bad.csv", code=1).stderr.splitlines()
    assert lines == [
        "bad.csv:3:2: name: a value is needed",
        "bad.csv:4:3: price: 'tio' is not an amount of money",
        "bad.csv:4:4: weight: must be a positive number, not 0",
        "bad.csv:4:5: locomotive: 'kanske' is not yes or no",
        "bad.csv:5:1: sku: SKU 'A1' appears twice in the file",
    ]
    assert kk("product", "list", "--format", "json").stdout == "[]\n"

    kk("product", "import", "examples/products.csv")
    products = json.loads(kk("product", "list", "--all", "--format", "json").stdout)
    assert len(products) == 25
    assert sorted(p["sku"] for p in products if p["locomotive"]) == ["BM-18V", "LAS-360", "STG-FAS", "UTB-SAK"]
    exported = kk("product", "export").stdout
    out = tmp_path / "p.csv"
    out.write_text(exported, encoding="utf-8")
    kk("product", "edit", "TUM-2M", "--price", "99")
    kk("product", "import", str(out), code=1)  # the SKUs exist
    kk("product", "import", str(out), "--update")
    assert kk("product", "export").stdout == exported
