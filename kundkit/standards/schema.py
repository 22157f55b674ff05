"""The JSON Schema of each kind of standards document.

Every document shares one envelope (``kind``, ``id``, ``title``, ``version``, ``owner``, ``roles``,
``language``, ``summary``, ``sections``); each kind says which sections it must have. The schemas
check shape only: what a graph of steps means (does every branch lead somewhere, does every path
end) is checked by :mod:`kundkit.standards.graph`, because a schema cannot say it.

A plugin adds a kind with :func:`document_schema`, giving its own sections, so that its documents
get the same envelope, the same items and the same algorithms as the built-in kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "https://kundkit.example/schemas/standards.json"

LANGUAGES = ("sv", "en")

SLUG = {
    "type": "string",
    "pattern": r"^[a-z0-9][a-z0-9-]*$",
    "description": "lower-case letters a-z, digits and dashes",
}
TEXT = {"type": "string", "minLength": 1}

ITEM: dict[str, Any] = {
    "type": "object",
    "description": "One requirement, rule or argument; it becomes an audit checklist item.",
    "required": ["id", "text"],
    "additionalProperties": False,
    "properties": {
        "id": SLUG,
        "text": TEXT,
        "detail": {"type": "string", "description": "How to meet it, or why it matters."},
        "answer": {"type": "string", "description": "The reply to give (objections)."},
        "scoring": {"enum": ["scale", "yes-no"],
                    "description": "scale: 0, 1 or 2 points (the default); yes-no: met or not."},
        "weight": {"type": "integer", "minimum": 1, "description": "Weight in the audit total."},
        "audit": {"type": "boolean", "description": "false: not part of the audit checklist."},
    },
}

ANSWER: dict[str, Any] = {
    "type": "object",
    "required": ["text", "next"],
    "additionalProperties": False,
    "properties": {"text": TEXT, "next": {"type": "string"}},
}

STEP: dict[str, Any] = {
    "type": "object",
    "description": "Exactly one of action, question or outcome.",
    "required": ["id"],
    "additionalProperties": False,
    "properties": {
        "id": SLUG,
        "action": TEXT,
        "question": TEXT,
        "outcome": TEXT,
        "detail": {"type": "string"},
        "next": {"type": "string", "description": "The step after an action (default: the next one)."},
        "answers": {"type": "array", "items": {"$ref": "#/$defs/answer"}},
    },
}

ALGORITHM: dict[str, Any] = {
    "type": "object",
    "required": ["title", "steps"],
    "additionalProperties": False,
    "properties": {
        "title": TEXT,
        "start": {"type": "string", "description": "The first step (default: the first listed)."},
        "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
    },
}

SECTION: dict[str, Any] = {
    "type": "object",
    "required": ["title"],
    "additionalProperties": False,
    "properties": {
        "title": TEXT,
        "intro": {"type": "string"},
        "items": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/item"}},
        "algorithms": {"type": "object", "additionalProperties": {"$ref": "#/$defs/algorithm"}},
    },
}

BEHAVIOUR_SECTION: dict[str, Any] = {
    "allOf": [{"$ref": "#/$defs/section"}],
    "required": ["title", "algorithms"],
    "properties": {
        "algorithms": {"type": "object", "required": ["contact", "conflict"]},
    },
}

PRODUCT: dict[str, Any] = {
    "type": "object",
    "required": ["sku", "name"],
    "additionalProperties": False,
    "properties": {
        "sku": {"type": "string", "minLength": 1},
        "name": TEXT,
        "locomotive": {"type": "boolean", "description": "A key, profit-bringing product."},
    },
}

DEFS: dict[str, Any] = {
    "item": ITEM,
    "answer": ANSWER,
    "step": STEP,
    "algorithm": ALGORITHM,
    "section": SECTION,
}


def envelope(kind: str) -> dict[str, Any]:
    """The properties every document has, whatever its kind."""
    return {
        "kind": {"const": kind},
        "id": SLUG,
        "title": TEXT,
        "version": {"type": "string", "pattern": r"^[0-9]+(\.[0-9]+){0,2}$",
                    "description": "like \"1\", \"1.2\" or \"1.2.3\", in quotes"},
        "owner": TEXT,
        "roles": {"type": "array", "minItems": 1, "items": TEXT},
        "language": {"enum": list(LANGUAGES)},
        "summary": {"type": "string"},
    }


def document_schema(kind: str, *, sections: dict[str, Any], required_sections: list[str] | None = None,
                    other_sections: bool = False, extra: dict[str, Any] | None = None,
                    extra_required: list[str] | None = None, title: str = "") -> dict[str, Any]:
    """A complete, self-contained JSON Schema for documents of ``kind``.

    ``sections`` maps a section name to its schema (``{"$ref": "#/$defs/section"}`` for an
    ordinary one); ``other_sections`` allows sections of any other name too.
    """
    sections_schema: dict[str, Any] = {
        "type": "object",
        "properties": sections,
        "additionalProperties": {"$ref": "#/$defs/section"} if other_sections else False,
    }
    if required_sections:
        sections_schema["required"] = list(required_sections)
    properties = envelope(kind) | {"sections": sections_schema} | (extra or {})
    return {
        "$schema": SCHEMA_DIALECT,
        "title": title or kind,
        "type": "object",
        "required": ["kind", "id", "title", "version", "owner", "roles", "language", "sections",
                     *(extra_required or [])],
        "additionalProperties": False,
        "properties": properties,
        "$defs": DEFS | {"behaviour": BEHAVIOUR_SECTION},
    }


_REF = {"$ref": "#/$defs/section"}

SERVICE_STANDARD_SECTIONS = ("competencies", "workplace", "dress-code", "behaviour", "premises", "other")


@dataclass(frozen=True)
class Kind:
    """A kind of standards document: its schema and which sections make its audit checklist."""

    name: str
    schema: dict[str, Any]
    checklist_sections: tuple[str, ...] | None = None
    description: str = ""
    source: str = "kundkit"

    def audits_section(self, section: str) -> bool:
        """Does ``section`` feed the checklist? None means every section with items does."""
        return self.checklist_sections is None or section in self.checklist_sections


def builtin_kinds() -> list[Kind]:
    """The four kinds kundkit knows without plugins."""
    service_sections = {name: _REF for name in SERVICE_STANDARD_SECTIONS}
    service_sections["behaviour"] = {"$ref": "#/$defs/behaviour"}
    return [
        Kind(
            "service-standard",
            document_schema("service-standard", sections=service_sections,
                            required_sections=list(SERVICE_STANDARD_SECTIONS),
                            title="Customer service quality standards"),
            checklist_sections=("competencies", "workplace", "dress-code", "premises"),
            description="Customer service quality standards: competencies, workplace, dress code, "
                        "behaviour (contact and conflict algorithms), premises, other.",
        ),
        Kind(
            "sales-card",
            document_schema("sales-card", sections={
                name: _REF for name in ("needs", "arguments", "objections", "cross-sell", "closing",
                                        "conversation")},
                required_sections=["arguments", "objections", "closing"],
                extra={"product": PRODUCT}, extra_required=["product"], title="Sales card"),
            checklist_sections=("needs", "arguments", "closing"),
            description="How to sell one product: needs to ask about, arguments, objections and "
                        "replies, what to offer with it, how to close.",
        ),
        Kind(
            "instruction",
            document_schema("instruction", sections={}, other_sections=True, title="Instruction"),
            checklist_sections=None,
            description="A work instruction: sections of steps and rules, named freely.",
        ),
        Kind(
            "code-of-conduct",
            document_schema("code-of-conduct", sections={"principles": _REF},
                            required_sections=["principles"], other_sections=True,
                            title="Code of conduct"),
            checklist_sections=("principles",),
            description="How staff who deal with customers behave: principles, and what else the "
                        "business adds.",
        ),
    ]


def combined_schema(kinds: list[Kind]) -> dict[str, Any]:
    """One schema for every kind, chosen by ``kind`` (for editors: yaml-language-server, CI)."""
    defs: dict[str, Any] = {}
    branches = []
    for kind in kinds:
        own = dict(kind.schema)
        for name, definition in own.pop("$defs", {}).items():
            defs.setdefault(name, definition)
        own.pop("$schema", None)
        defs[f"kind-{kind.name}"] = own
        branches.append({
            "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
            "then": {"$ref": f"#/$defs/kind-{kind.name}"},
        })
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        "title": "kundkit standards document",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": [kind.name for kind in kinds]}},
        "allOf": branches,
        "$defs": defs,
    }
