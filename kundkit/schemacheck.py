"""Validate a :class:`~kundkit.yamldoc.YamlDoc` against a JSON Schema, with located, humane messages.

Every error is reported (not just the first), each at the line and column of the offending key or
value. A value that YAML 1.1 turned into a number or a boolean where the schema wants text
(``phone: 0701234567``, ``country: NO``) gets a message that says so and how to quote it.
"""

from __future__ import annotations

import difflib
from typing import Any

from kundkit.errors import Problem
from kundkit.i18n import _
from kundkit.yamldoc import YamlDoc

_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "yes/no (true/false)",
    "object": "a mapping of keys", "array": "a list", "null": "nothing",
}


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes/no (true/false)")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, dict):
        return _("a mapping of keys")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    return type(value).__name__


def dotted(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or _("(top level)")


def _schema_types(schema: dict[str, Any]) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def _message(doc: YamlDoc, error: Any) -> list[tuple[tuple[Any, ...], str, bool]]:
    """(path, message, at_key) for one jsonschema error."""
    path = tuple(error.absolute_path)
    where = dotted(path)
    validator = error.validator
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        known = set(error.schema.get("properties", {}))
        patterns = error.schema.get("patternProperties", {})
        import re

        out = []
        for key in error.instance:
            if key in known or any(re.search(p, str(key)) for p in patterns):
                continue
            hint = difflib.get_close_matches(str(key), sorted(known), n=1)
            msg = _("unknown key '{key}'").format(key=key)
            if hint:
                msg += " " + _("(did you mean '{hint}'?)").format(hint=hint[0])
            elif known:
                msg += " " + _("(allowed here: {keys})").format(keys=", ".join(sorted(known)))
            out.append((path + (key,), f"{where}: {msg}" if path else msg, True))
        return out
    if validator == "required":
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        return [(path, f"{where}: " + _("missing required key '{key}'").format(key=k), False)
                for k in missing]
    if validator == "type":
        wanted = _schema_types(error.schema)
        source = doc.source(path)
        if "string" in wanted and source and source[1] == "" and not isinstance(error.instance, str):
            text = source[0]
            return [(path, f"{where}: " + _(
                "'{text}' was read as {kind}, not as text; write it in quotes: \"{text}\"").format(
                text=text, kind=_type_name(error.instance)), False)]
        names = " " + _("or") + " "
        expected = names.join(_(_TYPE_NAMES.get(w, w)) for w in wanted)
        return [(path, f"{where}: " + _("expected {expected}, got {got}").format(
            expected=expected, got=_type_name(error.instance)), False)]
    if validator == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return [(path, f"{where}: " + _("'{value}' is not one of: {allowed}").format(
            value=error.instance, allowed=allowed), False)]
    if validator in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        op = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<=", "exclusiveMaximum": "<"}
        return [(path, f"{where}: " + _("{value} must be {op} {limit}").format(
            value=error.instance, op=op[validator], limit=error.validator_value), False)]
    if validator == "pattern":
        description = error.schema.get("description")
        msg = _("'{value}' has the wrong form").format(value=error.instance)
        if description:
            msg += f" ({description})"
        return [(path, f"{where}: {msg}", False)]
    if validator in ("minItems", "minLength") and not error.instance:
        return [(path, f"{where}: " + _("must not be empty"), False)]
    if validator in ("oneOf", "anyOf") and error.context:
        best = min(error.context, key=lambda e: len(list(e.absolute_path)) * -1)
        return _message(doc, best)
    return [(path, f"{where}: {error.message}", False)]


def validate(doc: YamlDoc, schema: dict[str, Any], *, data: Any = None) -> list[Problem]:
    """Every schema problem of ``doc`` (or of ``data``, positioned by ``doc``), sorted by place."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    instance = doc.data if data is None else data
    problems: list[Problem] = []
    seen: set[str] = set()
    for error in validator.iter_errors(instance):
        for path, message, at_key in _message(doc, error):
            problem = doc.problem(path, message, key=at_key, code=str(error.validator))
            if str(problem) not in seen:
                seen.add(str(problem))
                problems.append(problem)
    problems.sort(key=lambda p: (p.line, p.col))
    return problems
