"""The purchase and discount commands as people and scripts use them: options, prompts at a
terminal, output formats, errors as one line, and Swedish."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from purchases_support import populate, set_section

PROMPTS = {"KUNDKIT_FORCE_PROMPTS": "1"}


def field(out: str, label: str) -> str:
    """The value of one field of a record printed as a two-column table."""
    match = re.search(rf"^{re.escape(label)}\s{{2,}}(.*?)\s*$", out, flags=re.MULTILINE)
    assert match, f"no field {label!r} in:\n{out}"
    return match.group(1)


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Type ``text`` into the prompts of the command run inside the block."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(text)
        yield


@pytest.fixture
def shop(business: Path) -> Path:
    populate(business)
    set_section(business, "discounts", {
        "exclude": {"categories": ["service"]},
        "policies": {"cumulative": {"window_days": 365, "tiers": [{"from": 25000, "percent": 3}]},
                     "segment": {"percents": {"offentlig": 4}}}})
    return business


def test_add_prints_the_id_and_tells_the_discount_and_the_follow_up(shop: Path, kk: Any) -> None:
    result = kk("--as", "anna", "purchase", "add", "--customer", "K1003", "--line", "SAG-KAP:1",
                "--line", "SERV-H:2", "--line", "SKRUV-100:10:79,50")
    assert result.stdout == "P1001\n"
    assert result.stderr.splitlines() == [
        "Recorded P1001 for K1003: gross SEK 15,395.00, discount SEK 547.80 (4 %, segment), net "
        "SEK 14,847.20.",
        "Why: 4 % segment discount for customers in the segment 'offentlig'",
        "Key product SAG-KAP: consultation T1001 for maria, due 2026-11-27.",
    ]
    out = kk("purchase", "show", "P1001").stdout
    assert field(out, "Purchase") == "P1001" and field(out, "Seller") == "anna"
    assert field(out, "Discount") == "SEK 547.80 (4 %, segment)"
    assert field(out, "Why") == "4 % segment discount for customers in the segment 'offentlig'"
    assert field(out, "Key-product follow-up") == "SAG-KAP: T1001 for maria, due 2026-11-27"
    assert "SERV-H     Verkstadstimme" in out


def test_add_without_a_customer_and_nobody_to_ask_names_the_option(shop: Path, kk: Any) -> None:
    result = kk("purchase", "add", "--line", "BORR-18V:1", code=2)
    assert result.stderr.strip() == "Error: missing value for --customer (no one to ask: give it as an option)"


@pytest.mark.parametrize("args, message", [
    (["--line", "BORR-18V"], "--line: 'BORR-18V' is not SKU:QUANTITY or SKU:QUANTITY:PRICE"),
    (["--line", "BORR-18V:0"], "line: must be at least 1, not 0"),
    (["--line", "BORR-18V:1:12,345"], "line: '12,345' is ambiguous"),
    (["--line", "NOSUCH:1"], "no product with SKU 'NOSUCH'"),
    (["--line", "BORR-18V:1", "--date", "2026-11-21"], "date: 2026-11-21 is in the future"),
    (["--line", "BORR-18V:1", "--seller", "nobody"], "no staff member with id 'nobody'"),
])
def test_add_refuses_bad_input_in_one_line(shop: Path, kk: Any, args: list[str], message: str) -> None:
    result = kk("purchase", "add", "--customer", "K1001", *args, code=None)
    assert result.exit_code != 0
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert kk("purchase", "list").stderr.strip() == "No purchases."


def test_add_at_a_terminal_finds_the_customer_asks_for_lines_and_shows_the_discount(shop: Path, kk: Any) -> None:
    typed = "Nilsson\r" + "BORR-18V\r" + "\r" + "n" + "y"
    with keys(typed):
        result = kk("--as", "sara", "purchase", "add", "--format", "json", env=PROMPTS)
    record = json.loads(result.stdout)
    assert record["customer"] == "K1002" and record["seller"] == "sara"
    assert [(l["sku"], l["quantity"]) for l in record["lines"]] == [("BORR-18V", 1)]
    assert "Customer: K1002 Karin Nilsson" in result.stderr
    assert "Gross SEK 2,495.00, discount none, net SEK 2,495.00" in result.stderr


def test_add_at_a_terminal_can_be_declined(shop: Path, kk: Any) -> None:
    with keys("n"):
        result = kk("purchase", "add", "--customer", "K1003", "--line", "BORR-18V:1", env=PROMPTS, code=1)
    assert "Why: 4 % segment discount" in result.stderr
    assert kk("purchase", "list").stderr.strip() == "No purchases."


def test_list_filters_and_formats(shop: Path, kk: Any) -> None:
    kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1", "--date", "2026-03-02")
    kk("purchase", "add", "--customer", "K1002", "--line", "SAG-KAP:1", "--date", "2026-11-02")
    kk("purchase", "add", "--customer", "K1001", "--line", "SKRUV-100:3")
    kk("purchase", "void", "P1003", "--reason", "Wrong customer")
    ids = lambda *args: [r["id"] for r in json.loads(kk("purchase", "list", "--format", "json", *args).stdout)]
    assert ids() == ["P1001", "P1002", "P1003", "P1004"]
    assert ids("--customer", "K1001") == ["P1001", "P1003", "P1004"]
    assert ids("--period", "2026-11") == ["P1002", "P1003", "P1004"]
    assert ids("--period", "2026-Q1") == ["P1001"]
    assert ids("--from", "2026-11-03", "--to", "2026-11-20", "--kind", "sale") == ["P1003"]
    assert ids("--product", "SAG-KAP") == ["P1002"]
    rows = list(csv.DictReader(io.StringIO(kk("purchase", "list", "--format", "csv").stdout)))
    assert rows[3] == {"id": "P1004", "date": "2026-11-20", "kind": "credit", "customer": "K1001",
                      "seller": "", "line_count": "1", "gross": "-267.00", "discount_amount": "0.00",
                      "net": "-267.00", "note": "credits P1003"}
    table = kk("purchase", "list", "--customer", "K1001").stdout
    assert "voided by P1004" in table and "credit note" in table
    assert kk("purchase", "list", "--period", "2026-13", code=1).stderr.startswith("Error: --period:")


def test_show_and_void(shop: Path, kk: Any) -> None:
    kk("purchase", "add", "--customer", "K1003", "--line", "BORR-18V:2")
    shown = json.loads(kk("purchase", "show", "P1001", "--format", "json").stdout)
    assert shown["discount"]["amount"] == "199.60"
    table = kk("purchase", "show", "p1001").stdout
    assert field(table, "Customer") == "K1003 Västerås stad, fastighet"
    voided = kk("purchase", "void", "P1001", "--reason", "Returned unopened")
    assert voided.stderr.strip() == "Voided P1001 with the credit note P1002."
    assert field(voided.stdout, "Reason for the void") == "Returned unopened"
    assert field(voided.stdout, "Note") == "credits P1001"
    again = kk("purchase", "void", "P1001", "--reason", "x", code=1)
    assert again.stderr.strip() == "Error: P1001 was already voided by P1002"
    assert kk("purchase", "show", "P4711", code=1).stderr.strip() == "Error: no purchase P4711"
    assert kk("purchase", "void", "P1001", code=2).stderr.strip() == (
        "Error: missing value for --reason (no one to ask: give it as an option)")


def test_discount_show_explains_the_standing(shop: Path, kk: Any) -> None:
    kk("purchase", "add", "--customer", "K1001", "--line", "SAG-KAP:2", "--date", "2026-01-15")
    out = kk("discount", "show", "K1001").stdout
    assert out.splitlines()[0] == ("K1001 Bygg & Montage i Västerås, segment bygg, on 2026-11-20. The best "
                                   "offer wins; never discounted: categories service.")
    assert "cumulative  3 %" in out and "2027-01-15" in out
    data = json.loads(kk("discount", "show", "K1001", "--format", "json").stdout)
    cumulative = data["standings"][0]
    assert cumulative == {"policy": "cumulative", "level": "3 %", "percent": "3", "next_level": None,
                          "needed": None, "lapses": "2027-01-15",
                          "explanation": "Net purchases of SEK 25,800.00 in the last 365 days give 3 % "
                                         "(level from SEK 25,000.00).",
                          "facts": {"window_days": 365, "window_net": "25800.00"}}
    assert data["combine"] == "best" and data["policies"] == ["cumulative", "segment"]
    assert kk("discount", "show", "K9999", code=1).stderr.startswith("Error: no customer with id 'K9999'")


def test_discount_simulate_compares_other_settings_per_segment(shop: Path, kk: Any) -> None:
    kk("purchase", "add", "--customer", "K1001", "--line", "SAG-KAP:2", "--date", "2026-01-15")
    kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:4", "--date", "2026-06-01")
    kk("purchase", "add", "--customer", "K1003", "--line", "BORR-18V:1", "--date", "2026-06-02")
    (shop / "richer.yaml").write_text(
        "discounts:\n  combine: add\n  cap: 10\n  policies:\n"
        "    cumulative:\n      tiers: [{from: 10000, percent: 5}]\n"
        "    segment:\n      percents: {offentlig: 8, bygg: 2}\n", encoding="utf-8")
    data = json.loads(kk("discount", "simulate", "--policy-file", "richer.yaml", "--format", "json").stdout)
    assert (data["from"], data["to"]) == ("2025-11-20", "2026-11-19")
    segments = {row["segment"]: row for row in data["segments"]}
    # bygg: 2 × 12 900 (first sale: no history, 2 %) then 4 × 2 495 (5 % + 2 %).
    assert segments["bygg"] == {"segment": "bygg", "customers": 1, "sales": 2, "gross": "35780.00",
                                "recorded": "299.40", "current": "299.40", "simulated": "1214.60",
                                "difference": "915.20"}
    assert segments["offentlig"]["current"] == "99.80" and segments["offentlig"]["simulated"] == "199.60"
    assert data["total"]["simulated"] == "1414.20"
    table = kk("discount", "simulate", "--policy-file", "richer.yaml").stdout
    assert "all" in table.splitlines()[-1]
    (shop / "bad.yaml").write_text("discounts:\n  combine: most\n", encoding="utf-8")
    bad = kk("discount", "simulate", "--policy-file", "bad.yaml", code=1)
    assert bad.stderr.strip() == "bad.yaml:2:12: discounts.combine: 'most' is not one of: best, add"


def test_discount_policies_lists_settings_and_the_rule(shop: Path, kk: Any) -> None:
    out = kk("discount", "policies").stdout
    lines = out.splitlines()
    assert lines[2].startswith("cumulative  yes")
    assert any(line.startswith("points      no") for line in lines)
    assert lines[-1] == "The best offer wins; never discounted: categories service."


def test_swedish(shop: Path, kk: Any, kk_process: Any) -> None:
    kk("purchase", "add", "--customer", "K1003", "--line", "BORR-18V:1")
    result = kk_process("purchase", "list", env={"KUNDKIT_LANG": "sv"})
    assert result.stdout.splitlines()[0].split() == ["ID", "Datum", "Typ", "Kund", "Säljare", "Rader",
                                                     "Brutto", "Rabatt", "Netto", "Anteckning"]
    assert "2 395,20 kr" in result.stdout and "köp" in result.stdout
    error = kk_process("purchase", "void", "P1001", "--reason", " ", env={"KUNDKIT_LANG": "sv"}, code=1)
    assert error.stderr.strip() == "Fel: --reason: ange varför köpet makuleras"


def test_at_a_terminal_the_customer_is_offered_to_redeem_points(business: Path, kk: Any) -> None:
    populate(business)
    set_section(business, "discounts", {"policies": {"points": {
        "earn_every": 10, "point_value": "1.00", "min_redeem": 10, "max_share": 50}}})
    kk("purchase", "add", "--customer", "K1002", "--line", "SKRUV-100:10:100", "--date", "2026-11-01")
    with keys("y" + "y"):
        result = kk("purchase", "add", "--customer", "K1002", "--line", "SKRUV-100:1:80",
                    "--format", "json", env=PROMPTS)
    record = json.loads(result.stdout)
    assert record["discount"]["policy"] == "points" and record["discount"]["amount"] == "40.00"
    assert "Why: 40 loyalty points redeemed, worth SEK 40.00 (100 points available)" in result.stderr
    declined = json.loads(kk("purchase", "add", "--customer", "K1002", "--line", "SKRUV-100:1:80",
                             "--no-redeem-points", "--format", "json").stdout)
    assert declined["discount"] is None
