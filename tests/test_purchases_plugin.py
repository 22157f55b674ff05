"""A third-party discount policy: a local plugin file named in kundkit.yaml, registered through
``register_discount_policies``, configured under ``discounts.policies`` and used by ``purchase add``.
The policy is the example of docs/plugins.md, so the documentation cannot drift."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from purchases_support import populate, set_section

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def documented_policy() -> str:
    text = DOC.read_text(encoding="utf-8")
    section = re.split(r"^#{2,3} ", text.split("### register_discount_policies", 1)[1], flags=re.MULTILINE)[0]
    [block] = [b for b in re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL) if "@hookimpl" in b]
    return block


@pytest.fixture
def monday(business: Path) -> Path:
    populate(business)
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "monday.py").write_text(documented_policy(), encoding="utf-8")
    set_section(business, "plugins", ["plugins/monday.py"])
    set_section(business, "discounts", {"combine": "best", "policies": {
        "segment": {"percents": {"offentlig": 4}}, "monday": {"percent": 10}}})
    return business


def test_purchase_add_uses_the_plugins_policy(monday: Path, kk: Any) -> None:
    result = kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1", "--date", "2026-11-16",
                "--format", "json")
    record = json.loads(result.stdout)
    assert record["discount"]["policy"] == "monday"
    assert record["discount"]["reason"] == "10 % Monday discount"
    assert record["discount"]["amount"] == "249.50" and record["net"] == "2245.50"
    assert record["policies"] == ["segment", "monday"]
    friday = json.loads(kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1",
                           "--format", "json").stdout)
    assert friday["discount"] is None


def test_the_plugins_policy_competes_with_the_built_in_ones(monday: Path, kk: Any) -> None:
    set_section(monday, "discounts", {"combine": "best", "policies": {
        "segment": {"percents": {"offentlig": 12}}, "monday": {"percent": 10}}})
    record = json.loads(kk("purchase", "add", "--customer", "K1003", "--line", "BORR-18V:1",
                           "--date", "2026-11-16", "--format", "json").stdout)
    assert record["discount"]["policy"] == "segment"
    assert [p["offered"] for p in record["discount"]["parts"]] == ["299.40", "249.50"]


def test_discount_policies_lists_the_plugin_and_discount_show_explains_it(monday: Path, kk: Any) -> None:
    listed = json.loads(kk("discount", "policies", "--format", "json").stdout)
    rows = {row["name"]: row for row in listed["policies"]}
    assert rows["monday"]["plugin"] == "monday" and rows["monday"]["active"] is True
    assert rows["monday"]["settings"] == {"percent": 10}
    assert rows["cumulative"]["active"] is False and rows["cumulative"]["plugin"] == "purchases"
    shown = json.loads(kk("discount", "show", "K1001", "--format", "json").stdout)
    monday_standing = next(s for s in shown["standings"] if s["policy"] == "monday")
    assert monday_standing["explanation"] == "10 % on every order placed on a Monday."


def test_a_wrong_setting_of_the_plugins_policy_is_reported_where_it_is(monday: Path, kk: Any) -> None:
    set_section(monday, "discounts", {"policies": {"monday": {"percent": 150}}})
    result = kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1", code=1)
    assert re.search(r"kundkit\.yaml:\d+:\d+: discounts\.policies\.monday\.percent: 150 must be <= 100",
                     result.stderr), result.stderr


def test_an_unknown_policy_name_is_reported_with_a_suggestion(monday: Path, kk: Any) -> None:
    set_section(monday, "discounts", {"policies": {"mondey": {"percent": 10}}})
    result = kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1", code=1)
    assert re.search(r"kundkit\.yaml:\d+:\d+: unknown discount policy 'mondey' \(did you mean 'monday'\?\)",
                     result.stderr), result.stderr


def test_a_policy_that_breaks_the_contract_is_named(monday: Path, kk: Any) -> None:
    (monday / "plugins" / "monday.py").write_text(
        "from kundkit import hookimpl\n\n"
        "class Broken:\n"
        "    name = 'monday'\n"
        "    def offer(self, *, order):\n"
        "        return 10\n\n"
        "@hookimpl\n"
        "def register_discount_policies(register):\n"
        "    register(Broken())\n", encoding="utf-8")
    set_section(monday, "discounts", {"policies": {"monday": {}}})
    result = kk("purchase", "add", "--customer", "K1001", "--line", "BORR-18V:1", code=1)
    assert "the discount policy 'monday' returned int, not an Offer" in result.stderr
