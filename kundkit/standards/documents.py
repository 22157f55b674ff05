"""Load the standards documents of a folder, validate them, and find them by id.

Every problem in every file is collected in one pass — YAML syntax, the schema of the kind, the
graph of each algorithm, ids used twice, translations that drifted apart — so that CI shows all of
them at once. A document is known by its ``id`` and ``language``: the Swedish and the English
version of one standard share the id, and must share their item and step ids too, so that an
audit made in either language scores the same checklist.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import Conflict, NotFound, Problem, ProblemsError
from kundkit.i18n import _
from kundkit.standards.graph import Algorithm, build_algorithm
from kundkit.standards.schema import Kind, builtin_kinds, combined_schema
from kundkit.yamldoc import YamlDoc, load_yaml

if TYPE_CHECKING:
    import pluggy

SUFFIXES = (".yaml", ".yml")


class KindRegistry:
    """The kinds of document kundkit can read: the built-ins, then those plugins register."""

    def __init__(self, kinds: Iterable[Kind] | None = None) -> None:
        self._kinds: dict[str, Kind] = {}
        for kind in builtin_kinds() if kinds is None else kinds:
            self.register(kind)

    def register(self, kind: Kind) -> None:
        existing = self._kinds.get(kind.name)
        if existing is not None:
            raise Conflict(_("the standards document kind '{kind}' is registered twice: by {first} "
                             "and by {second}").format(kind=kind.name, first=existing.source,
                                                      second=kind.source))
        self._kinds[kind.name] = kind

    def get(self, name: str) -> Kind | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return list(self._kinds)

    def kinds(self) -> list[Kind]:
        return list(self._kinds.values())

    def schema(self) -> dict[str, Any]:
        return combined_schema(self.kinds())

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager | None) -> KindRegistry:
        """Built-in kinds plus those of every plugin implementing ``register_standard_kinds``.

        Each plugin's implementation is called on its own, so that a kind registered twice is
        reported with the names of both plugins.
        """
        registry = cls()
        hook = getattr(pm.hook, "register_standard_kinds", None) if pm is not None else None
        if hook is None:
            return registry
        for impl in hook.get_hookimpls():
            def register(kind: Kind, _source: str = impl.plugin_name) -> None:
                if kind.source == "kundkit":
                    kind = Kind(kind.name, kind.schema, kind.checklist_sections, kind.description,
                                _source)
                registry.register(kind)

            impl.function(register=register)
        return registry


@dataclass
class StandardDocument:
    """One valid standards document, with the positions of its values for later messages."""

    kind: str
    id: str
    title: str
    version: str
    owner: str
    roles: list[str]
    language: str
    sections: dict[str, dict[str, Any]]
    doc: YamlDoc
    summary: str = ""
    product: dict[str, Any] | None = None
    algorithms: dict[str, Algorithm] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.doc.file

    def algorithm(self, name: str) -> Algorithm:
        try:
            return self.algorithms[name]
        except KeyError:
            known = ", ".join(self.algorithms) or _("none")
            raise NotFound(_("'{doc}' has no algorithm '{name}' (it has: {known})").format(
                doc=self.id, name=name, known=known)) from None

    def items(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """(section name, item) for every item, in the order written."""
        for name, section in self.sections.items():
            for item in section.get("items", []):
                yield name, item


@dataclass
class Library:
    """The documents of a folder (or of some files), and every problem found in them."""

    documents: list[StandardDocument] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Problems of documents left out, by id, so that asking for one explains why it is missing.
    broken: dict[str, list[Problem]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def find(self, doc_id: str, language: str | None = None, *,
             preferred: str | None = None) -> StandardDocument:
        """The document ``doc_id``: in ``language`` if given (else an error), else in
        ``preferred`` when there is such a version, else the first found."""
        candidates = [d for d in self.documents if d.id == doc_id]
        if not candidates:
            if doc_id in self.broken:
                raise ProblemsError(self.broken[doc_id])
            known = sorted({d.id for d in self.documents})
            hint = difflib.get_close_matches(doc_id, known, n=1)
            message = _("no standards document with id '{id}'").format(id=doc_id)
            if hint:
                message += " " + _("(did you mean '{hint}'?)").format(hint=hint[0])
            elif known:
                message += " " + _("(known: {known})").format(known=", ".join(known))
            raise NotFound(message)
        if language is not None:
            for document in candidates:
                if document.language == language:
                    return document
            raise NotFound(_("'{id}' has no version in language '{language}' (it has: {have})")
                           .format(id=doc_id, language=language,
                                   have=", ".join(d.language for d in candidates)))
        for document in candidates:
            if document.language == preferred:
                return document
        return candidates[0]


def check_document(doc: YamlDoc, registry: KindRegistry) -> tuple[StandardDocument | None,
                                                                  list[Problem]]:
    """Validate one parsed document; the document is returned only when it has no problem."""
    from kundkit.schemacheck import validate

    data = doc.data
    if not isinstance(data, dict):
        return None, [doc.problem((), _("a standards document must be a mapping of keys "
                                        "(kind, id, title, ...)"))]
    kind_name = data.get("kind")
    if kind_name is None:
        return None, [doc.problem((), _("missing required key 'kind' (one of: {kinds})").format(
            kinds=", ".join(registry.names())))]
    kind = registry.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        hint = difflib.get_close_matches(str(kind_name), registry.names(), n=1)
        message = _("unknown kind '{kind}'").format(kind=kind_name)
        message += " " + (_("(did you mean '{hint}'?)").format(hint=hint[0]) if hint else
                          _("(known: {known})").format(known=", ".join(registry.names())))
        return None, [doc.problem(("kind",), message)]

    problems = validate(doc, kind.schema)
    sections = data.get("sections") if isinstance(data.get("sections"), dict) else {}
    if isinstance(data.get("sections"), dict) and not sections:
        problems.append(doc.problem(("sections",), _("sections: must not be empty")))
    problems += _duplicate_items(doc, sections)
    algorithms: dict[str, Algorithm] = {}
    for section_name, section in sections.items():
        if not isinstance(section, dict) or not isinstance(section.get("algorithms"), dict):
            continue
        for name in section["algorithms"]:
            if name in algorithms:
                problems.append(doc.problem(("sections", section_name, "algorithms", name),
                                            _("algorithm '{name}' is defined twice in this "
                                              "document").format(name=name), key=True))
                continue
            algorithm, found = build_algorithm(doc, ("sections", section_name, "algorithms", name),
                                               str(name))
            algorithms[str(name)] = algorithm
            problems += found
    if problems:
        return None, problems
    return StandardDocument(
        kind=kind.name, id=data["id"], title=data["title"], version=data["version"],
        owner=data["owner"], roles=list(data["roles"]), language=data["language"],
        sections=sections, doc=doc, summary=data.get("summary", ""),
        product=data.get("product"), algorithms=algorithms,
    ), []


def _duplicate_items(doc: YamlDoc, sections: dict[str, Any]) -> list[Problem]:
    problems = []
    seen: dict[str, tuple[Any, ...]] = {}
    for section_name, section in sections.items():
        items = section.get("items") if isinstance(section, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else []):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            path = ("sections", section_name, "items", index, "id")
            if item_id in seen:
                problems.append(doc.problem(path, _("duplicate item id '{item}' (first used on "
                                                    "line {line})").format(
                    item=item_id, line=doc.at(seen[item_id])[0])))
            else:
                seen[item_id] = path
    return problems


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()
                            and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            found.append(path)
    return found


def load(paths: Iterable[Path], registry: KindRegistry | None = None) -> Library:
    """Read and check every YAML file in ``paths`` (files, or folders searched recursively).

    File names in problems are shown as the paths were given, so that ``standards/x.yaml:3:1``
    is clickable from where the command was run.
    """
    registry = registry or KindRegistry()
    library = Library()
    for path in _files(paths):
        library.files.append(str(path))
        try:
            doc = load_yaml(path, str(path))
        except ProblemsError as exc:
            library.problems += exc.problems
            continue
        document, problems = check_document(doc, registry)
        library.problems += problems
        if document is not None:
            library.documents.append(document)
        elif isinstance(doc.data, dict) and isinstance(doc.data.get("id"), str):
            library.broken.setdefault(doc.data["id"], []).extend(problems)
    library.problems += _cross_document(library.documents)
    library.problems.sort(key=lambda p: (p.file, p.line, p.col))
    return library


def _cross_document(documents: list[StandardDocument]) -> list[Problem]:
    problems: list[Problem] = []
    by_id: dict[str, list[StandardDocument]] = {}
    for document in documents:
        by_id.setdefault(document.id, []).append(document)
    for group in by_id.values():
        first_in: dict[str, StandardDocument] = {}
        for document in group:
            earlier = first_in.get(document.language)
            if earlier is not None:
                line, col = earlier.doc.at(("id",))
                problems.append(document.doc.problem(("id",), _(
                    "duplicate document id '{id}' in language '{language}' (first in {file}:{line})")
                    .format(id=document.id, language=document.language, file=earlier.file,
                            line=line), code="duplicate"))
            else:
                first_in[document.language] = document
        versions = list(first_in.values())
        for other in versions[1:]:
            problems += _translation_drift(versions[0], other)
    return problems


def language_name(code: str) -> str:
    names = {"sv": _("Swedish"), "en": _("English")}
    return names.get(code, code)


def _shape(document: StandardDocument) -> dict[str, tuple[Any, ...]]:
    """What two translations must share: item ids and step ids, each with its path."""
    shape: dict[str, tuple[Any, ...]] = {}
    for section_name, section in document.sections.items():
        for index, item in enumerate(section.get("items", [])):
            shape[_("item '{item}'").format(item=item["id"])] = ("sections", section_name, "items", index, "id")
    for name, algorithm in document.algorithms.items():
        for step in algorithm.steps.values():
            shape[_("step '{step}'").format(step=f"{name}/{step.id}")] = step.path + ("id",)
    return shape


def _translation_drift(first: StandardDocument, other: StandardDocument) -> list[Problem]:
    if first.kind != other.kind:
        return [other.doc.problem(("kind",), _(
            "the {language} version of '{id}' ({file}) is a {kind}, this one is not").format(
            language=language_name(first.language), id=first.id, file=first.file, kind=first.kind))]
    mine, theirs = _shape(other), _shape(first)
    language = language_name(first.language)
    problems = [other.doc.problem(path, _("{what} is not in the {language} version ({file})").format(
        what=what, language=language, file=first.file), code="translation")
        for what, path in mine.items() if what not in theirs]
    missing = [what for what in theirs if what not in mine]
    if missing:
        problems.append(other.doc.problem(("sections",), _(
            "the {language} version ({file}) also has {what}, which this one lacks").format(
            language=language, file=first.file, what=", ".join(missing)), key=True,
            code="translation"))
    return problems


def load_checked(paths: Iterable[Path], registry: KindRegistry | None = None) -> Library:
    """Like :func:`load`, but raise :class:`ProblemsError` when anything is wrong."""
    library = load(paths, registry)
    if library.problems:
        raise ProblemsError(library.problems)
    return library
