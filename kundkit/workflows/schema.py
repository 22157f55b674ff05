"""The JSON Schema of a workflow file.

:func:`workflow_schema` without step types is what ``workflow validate`` checks the shape with (the
step types' own keys are checked by :mod:`.validate`, with a "did you mean" where it helps);
with the registered step types it is what ``kundkit workflow schema`` prints, so that an editor can
complete ``uses:`` and the keys of each step's ``with:``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kundkit.workflows.model import (EVENTS, IDENT_PATTERN, INPUT_TYPES, NAME_PATTERN,
                                     ON_ERROR_PATTERN)

_TEXT: dict[str, Any] = {
    "anyOf": [
        {"type": "string"},
        {"type": "object", "additionalProperties": False, "minProperties": 1,
         "properties": {"sv": {"type": "string"}, "en": {"type": "string"}}},
    ],
    "description": "a text, or the same text in Swedish and English: {sv: ..., en: ...}",
}
_CONDITION: dict[str, Any] = {
    "type": ["string", "boolean"],
    "description": "a condition, e.g. \"inputs.amount > 1000\" or \"{{ customer.segment == 'bygg' }}\"",
}
_EVENT = {"enum": ["manual", *EVENTS], "description": "manual, or the event that starts the workflow"}
_TRIGGER: dict[str, Any] = {
    "anyOf": [
        _EVENT,
        {"type": "object", "additionalProperties": False, "required": ["event"],
         "properties": {"event": _EVENT, "if": _CONDITION}},
    ],
}


def workflow_schema(step_types: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The schema; with ``step_types`` (name → step type) also each type's ``with:`` keys."""
    step: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "uses"],
        "properties": {
            "id": {"type": "string", "pattern": IDENT_PATTERN,
                   "description": "the step's id: lower-case letters, digits and _ (e.g. send_ack)"},
            "uses": {"type": "string", "description": "the step type, e.g. customer.create"},
            "with": {"type": "object", "description": "the step type's arguments; text may hold "
                                                      "{{ templates }}"},
            "if": _CONDITION,
            "on-error": {"type": "string", "pattern": ON_ERROR_PATTERN,
                         "description": "fail, continue, or goto STEP"},
            "description": _TEXT,
        },
    }
    if step_types:
        step["properties"]["uses"] = {"enum": sorted(step_types),
                                      "description": "the step type"}
        step["allOf"] = [_with_schema(name, step_types[name]) for name in sorted(step_types)]
    input_spec = {
        "type": "object",
        "additionalProperties": False,
        "required": ["type"],
        "properties": {
            "type": {"enum": list(INPUT_TYPES)},
            "required": {"type": "boolean"},
            "default": {"description": "the value when none is given"},
            "prompt": _TEXT,
            "description": _TEXT,
            "choices": {
                "anyOf": [
                    {"type": "array", "minItems": 1, "items": {"type": "string"}},
                    {"type": "object", "minProperties": 1, "additionalProperties": _TEXT},
                ],
                "description": "for type choice: the values, or value → label",
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kundkit workflow",
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "steps"],
        "properties": {
            "name": {"type": "string", "pattern": NAME_PATTERN,
                     "description": "the workflow's name: lower-case letters, digits and -"},
            "description": _TEXT,
            "trigger": {"anyOf": [_TRIGGER, {"type": "array", "minItems": 1, "items": _TRIGGER}]},
            "inputs": {
                "type": "object",
                "propertyNames": {"pattern": IDENT_PATTERN},
                "additionalProperties": input_spec,
                "description": "the inputs, by name (lower-case letters, digits and _)",
            },
            "steps": {"type": "array", "minItems": 1, "items": step},
        },
    }


def _with_schema(name: str, step_type: Any) -> dict[str, Any]:
    parameters = getattr(step_type, "parameters", None)
    with_: dict[str, Any] = {"type": "object"}
    if parameters is not None:
        with_["properties"] = {key: {"description": str(help_)} for key, help_ in parameters.items()}
        with_["additionalProperties"] = False
    required = list(getattr(step_type, "required", ()) or ())
    then: dict[str, Any] = {"properties": {"with": with_}}
    if required:
        with_["required"] = required
        then["required"] = ["with"]
    return {"if": {"properties": {"uses": {"const": name}}, "required": ["uses"]}, "then": then,
            "description": str(getattr(step_type, "description", "") or "")}
