"""The ``incentives:`` section of kundkit.yaml: forbidden gift categories refused at their line, other
located mistakes, and a third-party scheme registered by the business's own plugin file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from incentives_support import load_example_business, sell

GIFTS_LINE = "  gifts:                         # never personal items, clothing or jewellery\n"


def add_gift(business: Path, item: str) -> tuple[str, int]:
    """Put a catalogue item first in the example's gift catalogue; returns the text and the line
    number (1-based) of its ``category:``."""
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8")
    assert GIFTS_LINE in text
    text = text.replace(GIFTS_LINE, GIFTS_LINE + item)
    path.write_text(text, encoding="utf-8")
    start = text.index(GIFTS_LINE) + len(GIFTS_LINE) + item.index("category:")
    return text, text[:start].count("\n") + 1


@pytest.mark.parametrize(("name", "category", "meaning"), [
    ("Slips med företagets logga", "clothing", "clothing"),
    ("Fleecejacka", "kläder", "clothing"),
    ("Armbandsur", "jewellery", "jewellery"),
    ("Silverhänge", "Smycken", "jewellery"),
    ("Parfym", "personal items", "personal-items"),
    ("Rakapparat", "personal_items", "personal-items"),
])
def test_a_gift_in_a_forbidden_category_is_refused_at_its_line(kk, business, name, category,
                                                               meaning) -> None:
    _text, line = add_gift(business, f"    - id: forbidden\n      name: {name}\n      category: "
                                     f"{category}\n      value: 500\n")
    result = kk("incentive", "run", "--period", "2026-11", code=1)
    expected = (f"kundkit.yaml:{line}:17: incentives.gifts[0]: the gift '{name}' is in the category "
                f"'{category}' ({meaning}): the company never gives personal items, clothing or "
                f"jewellery")
    assert expected in result.stderr.splitlines()
    # Every command that reads the configuration refuses it, not just the incentive ones.
    assert f"kundkit.yaml:{line}:17:" in kk("plan", "list", code=1).stderr


def test_an_unknown_gift_category_lists_the_allowed_ones(kk, business) -> None:
    _text, line = add_gift(business, "    - id: spa\n      name: Spadag\n      category: wellness\n"
                                     "      value: 1500\n")
    stderr = kk("plan", "list", code=1).stderr
    assert (f"kundkit.yaml:{line}:17: incentives.gifts[0]: the gift 'Spadag' has the unknown category "
            "'wellness'; use one of: household, computer, gift-card, event-tickets") in stderr


def test_a_level_naming_a_gift_that_is_not_in_the_catalogue(kk, business) -> None:
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8").replace("gift: hockey}", "gift: hockej}")
    path.write_text(text, encoding="utf-8")
    line = text[:text.index("gift: hockej")].count("\n") + 1
    stderr = kk("plan", "list", code=1).stderr
    assert f"kundkit.yaml:{line}:" in stderr
    assert "incentives.schemes.gava.levels[0]: no gift 'hockej' in incentives.gifts" in stderr


def test_a_misspelt_setting_of_a_built_in_scheme_is_located(kk, business) -> None:
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8").replace("      per_point: 200", "      per_pont: 200")
    path.write_text(text, encoding="utf-8")
    line = text[:text.index("per_pont")].count("\n") + 1
    stderr = kk("plan", "list", code=1).stderr
    assert f"kundkit.yaml:{line}:7: incentives.schemes.planbonus: unknown key 'per_pont' (did you mean " \
           f"'per_point'?)" in stderr


def test_a_scheme_that_is_not_registered_is_located(kk, business) -> None:
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8").replace("uses: plan-bonus", "uses: planbonus")
    path.write_text(text, encoding="utf-8")
    line = text[:text.index("uses: planbonus")].count("\n") + 1
    stderr = kk("incentive", "run", "--period", "2026-11", code=1).stderr
    assert (f"kundkit.yaml:{line}:13: incentives.schemes.planbonus.uses: no incentive scheme 'planbonus' "
            "is registered (known: commission, gift, plan-bonus, recognition)") in stderr


# -- a third-party scheme -----------------------------------------------------------------------

TEAM_CAKE = '''\
"""Nordbygg's own scheme: when the whole shop reaches its plan, everyone who sold gets a cake."""

from kundkit import hookimpl
from kundkit.incentives import Reward


class TeamCake:
    name = "team-cake"
    description = "A cake for everyone who sold, when the organisation reaches its plan."
    schema = {"type": "object", "additionalProperties": False, "required": ["cake"],
              "properties": {"cake": {"type": "string"}}}

    def rewards(self, *, results, settings, organisation):
        if not organisation.target or organisation.weighted < organisation.target:
            return []
        return [Reward(r.staff, "gift", "the shop reached its plan", item=settings["cake"])
                for r in results if r.weighted > 0]


@hookimpl
def register_incentive_schemes(register):
    register(TeamCake())
'''


@pytest.fixture
def with_plugin(kk, business):
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "teamkaka.py").write_text(TEAM_CAKE, encoding="utf-8")
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8")
    text += "plugins:\n  - plugins/teamkaka.py\n"
    text = text.replace("  schemes:\n", "  schemes:\n    fika:\n      uses: team-cake\n"
                                        "      cake: Prinsesstårta\n", 1)
    path.write_text(text, encoding="utf-8")
    load_example_business(kk)
    return kk


def test_a_scheme_from_a_local_plugin_file_runs_with_the_built_ins(with_plugin, business) -> None:
    kk = with_plugin
    sell(business, "K1002", "erik", "2026-11-05", ("LAS-360", 2))   # weighted 29 970
    sell(business, "K1001", "anna", "2026-11-03", ("HAM-16", 10))   # weighted 1 445
    kk("plan", "set", "--period", "2026-11", "--target", "30000")
    rows = json.loads(kk("incentive", "run", "--period", "2026-11", "--format", "json").stdout)
    assert [(r["staff"], r["kind"], r["item"]) for r in rows if r["scheme"] == "fika"] == [
        ("erik", "gift", "Prinsesstårta"), ("anna", "gift", "Prinsesstårta")]
    schemes = kk("incentive", "schemes", "--format", "json").stdout
    assert {"label": "fika", "uses": "team-cake", "every": "month", "min_audit_score": None,
            "description": "A cake for everyone who sold, when the organisation reaches its plan."} \
        in json.loads(schemes)


def test_a_plugin_scheme_s_settings_are_checked_against_its_schema_at_their_line(with_plugin,
                                                                                  business) -> None:
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8").replace("      cake: Prinsesstårta\n", "      cakes: 2\n")
    path.write_text(text, encoding="utf-8")
    line = text[:text.index("cakes: 2")].count("\n") + 1
    stderr = with_plugin("incentive", "run", "--period", "2026-11", code=1).stderr
    assert f"kundkit.yaml:{line}:7: incentives.schemes.fika: unknown key 'cakes' (did you mean 'cake'?)" \
        in stderr


def test_a_plugin_may_not_take_a_built_in_scheme_s_name(kk, business) -> None:
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "copycat.py").write_text(
        TEAM_CAKE.replace('name = "team-cake"', 'name = "gift"'), encoding="utf-8")
    path = business / "kundkit.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "plugins:\n  - plugins/copycat.py\n",
                    encoding="utf-8")
    stderr = kk("incentive", "run", "--period", "2026-11", code=1).stderr
    assert "two plugins register the incentive scheme 'gift': 'incentives' and 'copycat'" in stderr


@pytest.mark.parametrize(("lang", "title"), [("sv", "Månadens säljare"), ("en", "Employee of the month")])
def test_a_new_business_gets_a_working_incentives_section(kk, tmp_path, monkeypatch, lang, title) -> None:
    kk("init", str(tmp_path / "ny"), "--lang", lang, "--name", "Ny Butik AB")
    monkeypatch.chdir(tmp_path / "ny")
    rows = json.loads(kk("incentive", "schemes", "--format", "json").stdout)
    assert [(r["uses"], r["every"]) for r in rows if r["label"]] == [("recognition", "month"),
                                                                    ("gift", "month")]
    kk("staff", "add", "--id", "anna", "--name", "Anna")
    kk("product", "add", "--sku", "X1", "--name", "Borr", "--price", "1000", "--weight", "2")
    kk("plan", "set", "--period", "2026-11", "--target", "2000", "--staff", "anna", "--target", "1500")
    text = (tmp_path / "ny" / "kundkit.yaml").read_text(encoding="utf-8")
    assert "#   uses: commission" in text  # commission is there to switch on, not on by default
    assert kk("incentive", "run", "--period", "2026-11").stderr.strip() == "No rewards for 2026-11."


def test_an_amount_written_as_text_must_read_as_money(kk, business) -> None:
    path = business / "kundkit.yaml"
    text = path.read_text(encoding="utf-8").replace("      budget: 6000", '      budget: "6 000 kr"')
    text = text.replace("      cap: 10000\n", '      cap: "tio tusen"\n')
    path.write_text(text, encoding="utf-8")
    line = text[:text.index('"tio tusen"')].count("\n") + 1
    stderr = kk("plan", "list", code=1).stderr
    assert stderr.splitlines() == [
        f"kundkit.yaml:{line}:12: incentives.schemes.planbonus: cap: 'tio tusen' is not an amount of money"]
