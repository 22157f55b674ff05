"""``customer add`` at the counter: questionary prompts, driven through a prompt_toolkit pipe."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from register_support import DOWN, ENTER, add_staff, keys

PROMPTS = {"KUNDKIT_FORCE_PROMPTS": "1"}
BACKSPACE = "\x7f"


@pytest.fixture
def shop(business: Path, kk: Any) -> Path:
    add_staff(kk)
    return business


def show(kk: Any, customer_id: str) -> dict[str, Any]:
    return json.loads(kk("customer", "show", customer_id, "--format", "json").stdout)


def test_a_company_is_registered_in_one_interactive_command(shop: Path, kk: Any) -> None:
    wrong, right = "556036-0794", "556036-0793"
    typed = (
        "Bygg & Montage AB" + ENTER          # name
        + ENTER                              # company (the first choice)
        + wrong + ENTER                      # refused: wrong check digit, asked again
        + BACKSPACE * len(wrong) + right + ENTER
        + "Per Lindqvist" + ENTER            # contact
        + "info@" + ENTER                    # refused: not an e-mail address
        + "byggmontage.example" + ENTER
        + "021-10 20 30" + ENTER             # phone
        + DOWN + ENTER                       # segment: industri
        + " " + DOWN + DOWN + " " + ENTER    # consent: e-mail and post
    )
    with keys(typed):
        result = kk("--as", "anna", "customer", "add", env=PROMPTS)
    assert result.stdout == "K1001\n"
    record = show(kk, "K1001")
    assert record["name"] == "Bygg & Montage AB" and record["kind"] == "company"
    assert record["orgnr"] == right
    assert record["contact"] == "Per Lindqvist"
    assert record["email"] == "info@byggmontage.example"
    assert record["phone"] == "+4621102030"
    assert record["segment"] == "industri"
    assert record["manager"] == "johan"  # by-segment: industri → johan
    assert sorted(record["consent"]) == ["email", "post"]


def test_a_private_person_may_skip_the_optional_questions(shop: Path, kk: Any) -> None:
    typed = ("Linnéa Söderberg" + ENTER + DOWN + ENTER   # name, private person
             + "950223-1234" + ENTER                      # refused: wrong check digit
             + BACKSPACE * 11 + ENTER                     # skipped (optional)
             + ENTER                                      # no e-mail
             + "070-174 06 23" + ENTER                    # phone
             + DOWN * 3 + ENTER                           # segment: privat
             + ENTER)                                     # no consent
    with keys(typed):
        result = kk("--as", "sara", "customer", "add", env=PROMPTS)
    assert result.stdout == "K1001\n"
    record = show(kk, "K1001")
    assert (record["kind"], record["personnummer"], record["email"]) == ("person", None, None)
    assert record["phone"] == "+46701740623"
    assert record["segment"] == "privat" and record["consent"] == {}
    assert record["created_by"] == "sara"


def test_options_given_are_not_asked_again(shop: Path, kk: Any) -> None:
    with keys("556036-0793" + ENTER):
        result = kk("customer", "add", "--name", "Tidö Byggservice AB", "--company", env=PROMPTS)
    assert result.stdout == "K1001\n"
    assert show(kk, "K1001")["orgnr"] == "556036-0793"


def test_a_likely_duplicate_at_the_counter_asks_before_adding(shop: Path, kk: Any) -> None:
    kk("--no-input", "customer", "add", "--name", "Karin Öhman", "--person", "--phone", "070-174 06 20")
    with keys("n"):
        refused = kk("customer", "add", "--name", "Karin Ohman", "--person", env=PROMPTS, code=1)
    assert "K1001 Karin Öhman (similar name" in refused.stderr
    with keys("y"):
        added = kk("customer", "add", "--name", "Karin Ohman", "--person", env=PROMPTS)
    assert added.stdout == "K1002\n"
