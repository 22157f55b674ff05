"""The guide state machine, walked over the shipped conflict algorithm."""

from __future__ import annotations

from pathlib import Path

import pytest

from kundkit.errors import ValidationError
from kundkit.standards.documents import load_checked
from kundkit.standards.guide import Guide

REPO = Path(__file__).resolve().parent.parent


def conflict(language: str = "en") -> Guide:
    library = load_checked([REPO / "standards" / f"service-standard.{language}.yaml"])
    return Guide(library.find("service-standard").algorithm("conflict"))


def test_a_walk_through_a_faulty_product_that_is_replaced() -> None:
    guide = conflict()
    assert guide.current.id == "stay-calm"
    assert [c.label for c in guide.choices()] == ["Done, next step"]
    guide.choose(0)
    assert guide.current.id == "audience"
    assert [c.label for c in guide.choices()] == ["Yes", "No"]
    guide.answer("yes")  # case does not matter
    assert guide.current.id == "move-aside"
    for _ in range(3):  # move-aside, listen, acknowledge
        guide.choose(0)
    guide.answer("No")  # not threatening
    assert [c.label for c in guide.choices()] == [
        "A faulty product", "Workshop work that is late or not done",
        "The way they were treated, or the price"]
    guide.choose(0)
    guide.answer("Yes")  # on the receipt
    guide.answer("Yes")  # a manufacturing fault
    assert guide.current.id == "remedy"
    guide.choose(0)
    guide.answer("Yes")  # accepted
    guide.choose(0)
    assert guide.finished and guide.outcome is not None and guide.outcome.id == "resolved"
    assert guide.choices() == []
    assert guide.summary() == (
        "stay-calm → audience (Yes) → move-aside → listen → acknowledge → threat (No) → "
        "issue (A faulty product) → receipt (Yes) → fault (Yes) → remedy → accepted (Yes) → "
        "confirm → resolved")


def test_a_threatening_customer_ends_in_the_safety_outcome() -> None:
    guide = conflict("sv")
    guide.choose(0)
    guide.answer("Nej")
    guide.choose(0)
    guide.choose(0)
    guide.answer("Ja")
    guide.choose(0)
    assert guide.outcome is not None and guide.outcome.id == "escalated-safety"
    record = guide.as_record()
    assert record["finished"] is True and record["outcome"] == "escalated-safety"
    assert [v["step"] for v in record["path"]] == ["stay-calm", "audience", "listen", "acknowledge",
                                                  "threat", "safety", "escalated-safety"]
    assert record["path"][1] == {"step": "audience", "kind": "question",
                                 "text": "Står det andra kunder runt omkring?", "answer": "Nej"}


def test_back_undoes_the_last_choice() -> None:
    guide = conflict()
    with pytest.raises(ValidationError, match="already at the first step"):
        guide.back()
    guide.choose(0)
    guide.answer("No")
    assert guide.current.id == "listen"
    assert guide.back().id == "audience"
    guide.answer("Yes")
    assert guide.current.id == "move-aside"
    assert [v.step for v in guide.path] == ["stay-calm", "audience", "move-aside"]
    assert guide.path[1].answer == "Yes"


def test_wrong_choices_are_refused_with_what_is_possible() -> None:
    guide = conflict()
    guide.choose(0)
    with pytest.raises(ValidationError, match=r"there is no choice 3 at step 'audience' \(1 to 2\)"):
        guide.choose(2)
    with pytest.raises(ValidationError,
                       match=r"'Maybe' is not an answer at step 'audience' \(answers: 'Yes', 'No'\)"):
        guide.answer("Maybe")
    assert guide.current.id == "audience"


def test_nothing_can_be_chosen_after_the_outcome() -> None:
    guide = conflict()
    guide.choose(0)
    guide.answer("No")
    guide.choose(0)
    guide.choose(0)
    guide.answer("Yes")
    guide.choose(0)
    assert guide.finished
    with pytest.raises(ValidationError, match="the walk has ended at 'escalated-safety'"):
        guide.choose(0)


def test_a_loop_with_a_way_out_can_be_walked_round_and_left() -> None:
    library = load_checked([REPO / "standards" / "sales-card-service-agreement.en.yaml"])
    guide = Guide(library.find("sales-card-service-agreement").algorithm("pitch"))
    guide.choose(0)
    guide.answer("Yes")
    guide.choose(0)
    for _ in range(3):  # three objections, each answered
        guide.answer("Yes")
        guide.choose(0)
    guide.answer("No")
    guide.answer("Yes")
    guide.choose(0)
    assert guide.outcome is not None and guide.outcome.id == "signed"
    assert [v.step for v in guide.path].count("objection") == 4
