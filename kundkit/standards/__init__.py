"""Service-quality standards: YAML documents that are validated, printed, audited and followed.

A business keeps its customer service quality standards, sales cards, instructions and codes of
conduct as YAML files in ``standards/``. The modules here are plain domain code (no click):

- :mod:`~kundkit.standards.schema` — the JSON Schema of each document kind;
- :mod:`~kundkit.standards.documents` — loading a folder, validating it, the registry of kinds;
- :mod:`~kundkit.standards.graph` — behaviour algorithms as graphs of steps, and their checks;
- :mod:`~kundkit.standards.render` — Markdown and printable HTML;
- :mod:`~kundkit.standards.guide` — a state machine that walks a person through an algorithm;
- :mod:`~kundkit.standards.audit` — checklists, scoring and stored audits.
"""
