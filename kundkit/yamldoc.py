"""YAML documents that remember where each value came from.

Every YAML file kundkit reads (``kundkit.yaml``, standards, workflows) is loaded here, with
``yaml.safe_load`` semantics, so that a problem can be reported as ``file:line:col: message``.
Duplicate keys, which YAML would silently let the last one win, are problems too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kundkit.errors import Problem, ProblemsError
from kundkit.i18n import _

PathKey = tuple[Any, ...]


@dataclass
class YamlDoc:
    """A parsed YAML document with the source position (1-based) of every node."""

    file: str
    data: Any
    values: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    keys: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    scalars: dict[PathKey, tuple[str, str]] = field(default_factory=dict)

    def at(self, path: PathKey) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest known ancestor."""
        path = tuple(path)
        while path:
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), (1, 1))

    def key_at(self, path: PathKey) -> tuple[int, int]:
        """Position of the mapping key that names ``path`` (falls back to the value)."""
        return self.keys.get(tuple(path)) or self.at(path)

    def source(self, path: PathKey) -> tuple[str, str] | None:
        """The scalar's text as written and its style ('' for plain, '"' or "'" for quoted)."""
        return self.scalars.get(tuple(path))

    def problem(self, path: PathKey, message: str, *, key: bool = False, code: str = "") -> Problem:
        line, col = self.key_at(path) if key else self.at(path)
        return Problem(self.file, line, col, message, code)


def _walk(loader: Any, node: Any, path: PathKey, doc: YamlDoc, problems: list[Problem]) -> Any:
    import yaml

    doc.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                problems.append(Problem(doc.file, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1, _("a key must be plain text")))
                continue
            if key in result:
                problems.append(Problem(doc.file, key_node.start_mark.line + 1,
                                        key_node.start_mark.column + 1,
                                        _("duplicate key '{key}'").format(key=key)))
                continue
            child = path + (key,)
            doc.keys[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _walk(loader, value_node, child, doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_walk(loader, item, path + (i,), doc, problems) for i, item in enumerate(node.value)]
    doc.scalars[path] = (node.value, node.style or "")
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, file: str) -> tuple[YamlDoc, list[Problem]]:
    """Parse ``text``; returns the document and the problems found (syntax, duplicate keys)."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    doc = YamlDoc(file=file, data=None)
    problems: list[Problem] = []
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            doc.data = _walk(loader, node, (), doc, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = exc.problem or exc.context or str(exc)
        problems.append(Problem(file, line, col, _("YAML syntax error: {reason}").format(reason=reason)))
    except yaml.YAMLError as exc:
        problems.append(Problem(file, 1, 1, _("YAML syntax error: {reason}").format(reason=exc)))
    finally:
        loader.dispose()
    return doc, problems


def load_yaml(path: Path, display: str | None = None) -> YamlDoc:
    """Read and parse a YAML file; raise :class:`ProblemsError` on any syntax problem."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProblemsError([Problem(name, 1, 1, _("file not found"))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemsError([Problem(name, 1, 1, _("cannot read the file: {reason}").format(
            reason=exc))]) from None
    doc, problems = parse_yaml(text, name)
    if problems:
        raise ProblemsError(problems)
    return doc
