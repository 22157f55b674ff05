"""Workflow expressions: conditions, native values, undefined names, filters and the sandbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kundkit.errors import KundkitError, ValidationError
from kundkit.expressions import (
    ExpressionError,
    UndefinedName,
    UnsafeExpression,
    check_syntax,
    evaluate,
    evaluate_condition,
    format_date,
    referenced_names,
    referenced_paths,
    render_value,
)
from kundkit.i18n import get_language, set_language


@dataclass
class Customer:
    name: str
    manager: str | None = None


@pytest.fixture
def variables() -> dict:
    return {
        "inputs": {"amount": Decimal("1500.00"), "kind": "complaint", "tags": ["vip", "north"],
                   "note": ""},
        "steps": {"find": {"output": {"id": 7, "found": True}}},
        "customer": Customer("Anna Andersson", "eva"),
        "config": {"language": "sv"},
    }


@pytest.fixture
def swedish():
    before = get_language()
    set_language("sv")
    yield
    set_language(before)


# --- conditions --------------------------------------------------------------------------------

@pytest.mark.parametrize("condition,expected", [
    ("inputs.amount > 1000", True),
    ("inputs.amount > 2000", False),
    ("{{ inputs.amount > 1000 }}", True),
    ("  {{ inputs.kind == 'claim' }}  ", False),
    ("inputs.kind in ['complaint', 'claim'] and steps.find.output.found", True),
    ("'vip' in inputs.tags", True),
    ("not inputs.note", True),
    ("customer.manager == 'eva'", True),
    ("inputs.missing is defined", False),
    ("(inputs.discount | default(0)) == 0", True),
    (True, True),
    (False, False),
])
def test_conditions(variables, condition, expected):
    assert evaluate_condition(condition, variables) is expected


def test_a_condition_must_be_one_expression(variables):
    with pytest.raises(ExpressionError, match="one expression"):
        evaluate_condition("{{ a }} and {{ b }}", variables)
    with pytest.raises(ExpressionError, match="does not parse"):
        evaluate_condition("inputs.amount >", variables)


# --- templates and native values ---------------------------------------------------------------

def test_a_single_expression_keeps_its_type(variables):
    assert render_value("{{ inputs.amount * 2 }}", variables) == Decimal("3000.00")
    assert render_value("{{ inputs.tags }}", variables) == ["vip", "north"]
    assert render_value("{{ steps.find.output.id }}", variables) == 7
    assert render_value("{{ steps.find.output }}", variables) == {"id": 7, "found": True}
    assert render_value("{{ customer }}", variables) is variables["customer"]
    assert render_value("{{ none }}", variables) is None
    assert render_value("{{ inputs.kind }}\n", variables) == "complaint"


def test_mixed_text_renders_to_text(variables):
    assert render_value("Hej {{ customer.name }}!", variables) == "Hej Anna Andersson!"
    assert render_value("{{ steps.find.output.id }}{{ inputs.kind }}", variables) == "7complaint"
    assert render_value("{% for t in inputs.tags %}#{{ t }} {% endfor %}", variables) == \
        "#vip #north "


def test_render_value_walks_dicts_and_lists(variables):
    value = {
        "to": "{{ customer }}",
        "subject": "Ärende {{ steps.find.output.id }}",
        "lines": ["{{ inputs.tags | length }}", "plain", 3, None],
        "nested": {"flag": "{{ steps.find.output.found }}", "keep": True},
    }
    assert render_value(value, variables) == {
        "to": variables["customer"],
        "subject": "Ärende 7",
        "lines": [2, "plain", 3, None],
        "nested": {"flag": True, "keep": True},
    }
    assert value["to"] == "{{ customer }}"  # the workflow's own data is not changed


# --- undefined names ---------------------------------------------------------------------------

def test_undefined_variable_is_named(variables):
    with pytest.raises(UndefinedName) as caught:
        evaluate_condition("inptus.amount > 5", variables)
    assert caught.value.name == "inptus"
    assert str(caught.value) == "'inptus' is not defined (did you mean 'inputs'?)"
    assert isinstance(caught.value, KundkitError)


def test_undefined_attribute_is_named_with_its_path(variables):
    with pytest.raises(UndefinedName) as caught:
        render_value("Belopp: {{ inputs.amout }}", variables)
    assert caught.value.name == "inputs.amout"
    assert "did you mean 'inputs.amount'?" in str(caught.value)
    with pytest.raises(UndefinedName, match=r"'steps.fnd' is not defined .*'steps.find'"):
        evaluate("steps.fnd.output.id", variables)
    with pytest.raises(UndefinedName, match=r"'steps.find.output.name' is not defined "
                                            r"\(known here: found, id\)"):
        render_value("{{ steps.find.output.name }}", variables)
    with pytest.raises(UndefinedName, match=r"'inputs.tags\[5\]' is not defined"):
        evaluate("inputs.tags[5] == 'x'", variables)


def test_undefined_message_in_swedish(variables, swedish):
    with pytest.raises(UndefinedName) as caught:
        evaluate("inptus.amount", variables)
    assert str(caught.value) == "'inptus' är inte definierad (menade du 'inputs'?)"


# --- the sandbox -------------------------------------------------------------------------------

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ lipsum.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ self }}",
    "{{ self._TemplateReference__context }}",
    "{{ inputs|attr('__class__') }}",
    "{{ inputs.tags|map(attribute='__class__')|list }}",
    "{{ inputs['__class__'] }}",
    "{{ '{0.__class__}'.format(1) }}",
    "{{ '{0.__class__.__base__}'|attr('format')(1) }}",
    "{{ '{x.__class__}'.format_map({'x': 1}) }}",
    "{{ customer.__dict__ }}",
    "{{ (1).real.__class__ }}",
    "{% include 'secrets.txt' %}",
    "{% import 'macros' as m %}",
    "{% extends 'base' %}",
    "{{ inputs.tags.append('hacked') }}",
    "{{ inputs.update({'amount': 0}) }}",
    "{{ 'a' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
]


@pytest.mark.parametrize("payload", [
    "''.__class__.__mro__[1].__subclasses__()",
    "cycler.__init__.__globals__",
    "self",
    "inputs.tags.append('hacked')",
])
def test_escapes_in_conditions_are_refused(variables, payload):
    with pytest.raises(UnsafeExpression):
        evaluate_condition(payload, variables)
    assert variables["inputs"]["tags"] == ["vip", "north"]


@pytest.mark.parametrize("payload", ESCAPES)
def test_sandbox_escapes_are_refused(variables, payload):
    with pytest.raises(UnsafeExpression) as caught:
        render_value(payload, variables)
    assert "refused" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert variables["inputs"]["tags"] == ["vip", "north"]
    assert variables["inputs"]["amount"] == Decimal("1500.00")


def test_escapes_built_at_run_time_are_refused_by_the_sandbox(variables):
    # The names come from data, so only the sandbox itself can see them.
    values = {**variables, "name": "__class__"}
    with pytest.raises(UnsafeExpression):
        render_value("{{ inputs|attr(name) }}", values)
    with pytest.raises(UnsafeExpression):
        render_value("{{ inputs[name] }}", values)
    with pytest.raises(UnsafeExpression):
        evaluate("customer[name]", values)


def test_removed_globals_are_simply_undefined(variables):
    with pytest.raises(UndefinedName, match="'cycler' is not defined"):
        render_value("{{ cycler }}", variables)


def test_a_huge_range_is_an_error_not_a_hang(variables):
    with pytest.raises(ExpressionError, match="Range too big"):
        render_value("{{ range(10**7) | list | length }}", variables)


def test_other_failures_are_clean_errors(variables):
    with pytest.raises(ExpressionError, match="ZeroDivisionError"):
        evaluate("steps.find.output.id / 0", variables)
    with pytest.raises(ExpressionError, match="TypeError"):
        evaluate("inputs.kind + 1", variables)
    with pytest.raises(ExpressionError, match="must be text"):
        evaluate(42, variables)  # type: ignore[arg-type]
    assert issubclass(ExpressionError, ValidationError)


# --- validation helpers ------------------------------------------------------------------------

def test_check_syntax():
    assert check_syntax("Hej {{ customer.name }}") is None
    assert check_syntax("plain text") is None
    assert check_syntax("{{ customer.name }") == \
        "'{{ customer.name }' does not parse: unexpected '}'"
    assert "does not parse" in check_syntax("{% if x %}no end")
    assert "line 2" in check_syntax("first line\n{{ x + }}")
    assert check_syntax("{{ ''.__class__ }}") == \
        "'{{ ''.__class__ }}' is refused: '__class__' is not allowed in an expression"
    assert check_syntax("inputs.amount > 1000", expression=True) is None
    assert check_syntax("inputs.amount >", expression=True) is not None
    assert check_syntax("a b", expression=True) == \
        "'a b' does not parse: unexpected text after the expression"


def test_referenced_names():
    assert referenced_names("Hej {{ customer.name }}, {{ steps.find.output.id }}") == \
        {"customer", "steps"}
    assert referenced_names("{% set x = inputs.a %}{% for t in tags %}{{ t }}{{ x }}"
                            "{{ loop.index }}{% endfor %}{{ range(3)|list }}") == {"inputs", "tags"}
    assert referenced_names("steps.find.output.found and inputs.amount > 5",
                            expression=True) == {"steps", "inputs"}


def test_referenced_paths():
    assert referenced_paths("{{ steps.find.output.id }} {{ inputs['amount'] }} "
                            "{{ rows[i].name }} {{ a.b[0].c }}") == {
        ("steps", "find", "output", "id"), ("inputs", "amount"), ("rows",), ("i",),
        ("a", "b", 0, "c")}
    assert referenced_paths("steps.ask.output.email is defined", expression=True) == {
        ("steps", "ask", "output", "email")}


# --- filters -----------------------------------------------------------------------------------

def test_money_filter(variables):
    text = "{{ inputs.amount | money }}|{{ inputs.amount | money('en') }}|" \
           "{{ 99.5 | money(currency='EUR') }}|{{ '1234.50' | money }}"
    assert render_value(text, variables, language="sv") == \
        "1 500,00 kr|SEK 1,500.00|99,50 €|1 234,50 kr"
    assert render_value("{{ 1500 | money }}", variables, language="en", currency="EUR") == \
        "€1,500.00"
    with pytest.raises(ExpressionError, match="unknown language 'fr'"):
        render_value("{{ 1 | money('fr') }}", variables)
    with pytest.raises(ExpressionError, match="is not an amount"):
        render_value("{{ inputs.tags | money }}", variables)


def test_date_filter(variables):
    values = {"d": date(2026, 12, 24),
              "t": datetime(2026, 5, 1, 9, 5, tzinfo=ZoneInfo("Europe/Stockholm"))}
    assert render_value("{{ d | date }}", values, language="sv") == "24 december 2026"
    assert render_value("{{ d | date('en') }}", values, language="sv") == "24 December 2026"
    assert render_value("{{ d | date(style='full') }}", values, language="sv") == \
        "torsdag 24 december 2026"
    assert render_value("{{ d | date('en', 'full') }}", values) == "Thursday 24 December 2026"
    assert render_value("{{ t | date }}", values, language="sv") == "1 maj 2026 kl. 09:05"
    assert render_value("{{ t | date('en') }}", values) == "1 May 2026 at 09:05"
    assert render_value("{{ t | date(style='short') }}", values) == "2026-05-01 09:05"
    assert render_value("{{ '2026-06-19' | date }}", values, language="sv") == "19 juni 2026"
    assert format_date("2026-06-19T16:00:00+02:00", "en", "short") == "2026-06-19 16:00"
    with pytest.raises(ExpressionError, match="unknown style"):
        render_value("{{ d | date(style='medium') }}", values)
    with pytest.raises(ExpressionError, match="is not a date"):
        render_value("{{ 'midsummer' | date }}", values)


def test_duration_filter(variables):
    left = {"left": timedelta(hours=3, minutes=20)}
    assert render_value("{{ left | duration }}", left) == "3h 20m"


def test_filters_follow_the_active_language_by_default(variables, swedish):
    assert render_value("{{ d | date }}", {"d": date(2026, 1, 6)}) == "6 januari 2026"
