"""Message templates: Jinja2 in a sandbox, one file per language, a subject in the front matter.

Layout of a template folder (``templates/`` of the business)::

    news/december.sv.md      the Swedish text (``.md`` or ``.txt``)
    news/december.en.md      the English text
    news/december.sv.html    optional: an HTML body next to the Swedish text

A text file starts with a front matter that gives the subject (itself a template) and may say
whether the message is marketing::

    ---
    subject: God jul, {{ customer.name }}!
    marketing: yes
    ---
    Hej {{ customer.name }}, ...

The template sees ``customer`` (a :class:`~kundkit.messaging.models.Recipient`), ``language``,
``today`` and ``now``, and whatever the caller adds. Filters: ``money`` (``{{ total | money }}``,
``{{ total | money("EUR") }}``) and ``date`` (``{{ today | date }}``, ``date("weekday")``,
``date("short")``) in the recipient's language.

Templates are rendered in Jinja2's immutable sandbox with strict undefined variables: a missing
variable, a reach for Python internals (``''.__class__``) or a runaway ``'x' * 10**9`` stops the
rendering with a :class:`TemplateError` naming the file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import KundkitError, NotFound, ValidationError
from kundkit.i18n import LANGUAGES, _, normalize_language
from kundkit.messaging.models import Recipient

if TYPE_CHECKING:
    from jinja2 import Environment

TEXT_SUFFIXES = (".md", ".txt")
HTML_SUFFIX = ".html"
FRONT_MATTER_KEYS = ("subject", "marketing")
RESERVED_NAMES = ("customer", "language", "today", "now")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_\-]*(/[A-Za-z0-9_][A-Za-z0-9_\-]*)*")
_SUBJECT_PART = "#subject"
# Bounds for the sandbox: a template may repeat a divider line, not build a gigabyte string.
MAX_REPEAT_LENGTH = 100_000
MAX_EXPONENT = 100
_YES = ("yes", "true", "ja", "on")
_NO = ("no", "false", "nej", "off")


class TemplateError(ValidationError):
    """A template cannot be rendered. ``template`` and ``line`` locate it; ``variable`` names the
    undefined variable when that is the cause."""

    def __init__(self, message: str, *, template: str, line: int | None = None,
                 variable: str | None = None) -> None:
        where = f"{template}:{line}" if line else template
        super().__init__(f"{where}: {message}", field="template")
        self.template = template
        self.line = line
        self.variable = variable


@dataclass(frozen=True)
class RenderedTemplate:
    """A template rendered for one recipient."""

    name: str
    language: str
    subject: str
    text: str
    html: str | None
    marketing: bool | None
    source: str


@dataclass(frozen=True)
class _FrontMatter:
    values: dict[str, tuple[int, str]]  # key → (line number, raw value)
    end_line: int  # the closing ``---`` line; 0 when there is no front matter


def _split_front_matter(source: str, display: str) -> _FrontMatter:
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return _FrontMatter({}, 0)
    values: dict[str, tuple[int, str]] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            return _FrontMatter(values, number)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep:
            raise TemplateError(_("a front matter line must read 'key: value'"),
                                template=display, line=number)
        if key not in FRONT_MATTER_KEYS:
            raise TemplateError(
                _("unknown key {key!r} in the front matter; known keys: {known}")
                .format(key=key, known=", ".join(FRONT_MATTER_KEYS)), template=display, line=number)
        if key in values:
            raise TemplateError(_("{key!r} is given twice").format(key=key), template=display,
                                line=number)
        values[key] = (number, value.strip())
    raise TemplateError(_("the front matter that starts on line 1 is never closed with '---'"),
                        template=display, line=1)


def _make_loader(root: Path) -> Any:
    from jinja2 import BaseLoader, FileSystemLoader

    class FrontMatterLoader(BaseLoader):
        """Serves ``NAME`` as the body (front matter blanked out) and ``NAME#subject`` as the
        subject line alone, both at their lines in the file."""

        def __init__(self) -> None:
            self.files = FileSystemLoader(str(root), encoding="utf-8", followlinks=False)

        def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
            base, hash_, part = template.partition("#")
            source, filename, uptodate = self.files.get_source(environment, base)
            front = _split_front_matter(source, base)
            if hash_:
                number, value = front.values.get(part, (0, ""))
                return "\n" * max(number - 1, 0) + value, filename, uptodate
            if front.end_line:
                # The front matter's lines stay, empty, so that line numbers match the file.
                source = "\n" * front.end_line + "\n".join(source.split("\n")[front.end_line:])
            return source, filename, uptodate

    return FrontMatterLoader()


def _make_environment(root: Path, currency: str) -> Environment:
    from jinja2 import StrictUndefined, Undefined, pass_context, select_autoescape
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from kundkit.messaging.formatting import format_amount, format_date

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            from jinja2.exceptions import SecurityError

            if operator == "**":
                if isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
                    raise SecurityError(_("an exponent above {limit} is not allowed")
                                        .format(limit=MAX_EXPONENT))
                return left ** right
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and \
                        len(seq) * times > MAX_REPEAT_LENGTH:
                    raise SecurityError(_("repeating text beyond {limit} characters is not "
                                          "allowed").format(limit=MAX_REPEAT_LENGTH))
            return left * right

    def defined(value: Any) -> Any:
        # A filter receives an undefined variable as an object; make it fail as one, so that the
        # error names the variable instead of complaining about its type.
        if isinstance(value, Undefined):
            value._fail_with_undefined_error()
        return value

    @pass_context
    def money(context: Any, value: Any, code: str | None = None) -> str:
        return format_amount(defined(value), context.get("language", "sv"), code or currency)

    @pass_context
    def date(context: Any, value: Any, style: str = "long") -> str:
        return format_date(defined(value), context.get("language", "sv"), style)

    env = BoundedSandbox(
        loader=_make_loader(root),
        undefined=StrictUndefined,
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                     default=False),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["money"] = money
    env.filters["date"] = date
    return env


def check_template_name(name: str) -> str:
    """``news/december`` is a template name; ``../x``, ``/etc/x`` and ``x.sv`` are not."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationError(
            _("{name!r} is not a template name: use letters, digits, '-' and '_', folders "
              "separated by '/', and no language or suffix (e.g. news/december)").format(name=name),
            field="template")
    return name


class TemplateLibrary:
    """The templates under one folder, rendered for one recipient at a time.

    One library serves a whole send-out: the compiled templates are cached between recipients.
    """

    def __init__(self, root: Path, *, default_language: str = "sv", currency: str = "SEK") -> None:
        self.root = Path(root)
        self.default_language = normalize_language(default_language) or "sv"
        self.currency = currency
        self._env: Environment | None = None

    @property
    def env(self) -> Environment:
        if self._env is None:
            self._env = _make_environment(self.root, self.currency)
        return self._env

    def _text_file(self, name: str, language: str) -> str | None:
        for suffix in TEXT_SUFFIXES:
            relative = f"{name}.{language}{suffix}"
            if (self.root / relative).is_file():
                return relative
        return None

    def languages(self, name: str) -> list[str]:
        """The languages ``name`` is written in."""
        check_template_name(name)
        return [lang for lang in LANGUAGES if self._text_file(name, lang)]

    def pick_language(self, name: str, wanted: str | None) -> tuple[str, str]:
        """(language, file) for a recipient who reads ``wanted``: that language if the template
        has it, else the business's default, else any language the template has."""
        check_template_name(name)
        order = [normalize_language(wanted), self.default_language, *LANGUAGES]
        for lang in dict.fromkeys(code for code in order if code):
            found = self._text_file(name, lang)
            if found:
                return lang, found
        tried = ", ".join(f"{name}.{lang}{suffix}" for lang in LANGUAGES
                          for suffix in TEXT_SUFFIXES)
        raise NotFound(_("No template {name!r} in {root} (looked for {tried})")
                       .format(name=name, root=self.root, tried=tried))

    def render(self, name: str, recipient: Recipient, context: Mapping[str, Any] | None = None,
               *, now: datetime) -> RenderedTemplate:
        """Render template ``name`` in the recipient's language (see :meth:`pick_language`)."""
        language, text_file = self.pick_language(name, recipient.language)
        extra = dict(context or {})
        clash = sorted(set(extra) & set(RESERVED_NAMES))
        if clash:
            raise ValidationError(
                _("The template context may not set {names}: kundkit sets them")
                .format(names=", ".join(clash)), field="context")
        variables = {**extra, "customer": recipient, "language": language,
                     "today": now.date(), "now": now}
        front = self._front_matter(text_file)
        if "subject" not in front.values:
            raise TemplateError(_("the front matter must give the subject ('subject: ...')"),
                                template=text_file, line=1)
        subject = " ".join(self._render(text_file + _SUBJECT_PART, variables).split())
        if not subject:
            raise TemplateError(_("the subject is empty"), template=text_file,
                                line=front.values["subject"][0])
        text = self._render(text_file, variables).strip("\n") + "\n"
        html_file = f"{name}.{language}{HTML_SUFFIX}"
        html = self._render(html_file, variables) if (self.root / html_file).is_file() else None
        return RenderedTemplate(name=name, language=language, subject=subject, text=text,
                                html=html, marketing=self._marketing(text_file, front),
                                source=text_file)

    def _front_matter(self, text_file: str) -> _FrontMatter:
        try:
            source = (self.root / text_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TemplateError(_("cannot be read: {reason}").format(reason=exc),
                                template=text_file) from exc
        return _split_front_matter(source, text_file)

    @staticmethod
    def _marketing(text_file: str, front: _FrontMatter) -> bool | None:
        if "marketing" not in front.values:
            return None
        number, value = front.values["marketing"]
        if value.lower() in _YES:
            return True
        if value.lower() in _NO:
            return False
        raise TemplateError(_("marketing must be yes or no, not {value!r}").format(value=value),
                            template=text_file, line=number)

    def _render(self, template_name: str, variables: dict[str, Any]) -> str:
        from jinja2 import TemplateNotFound, TemplateSyntaxError, UndefinedError
        from jinja2.exceptions import SecurityError

        display = template_name.partition("#")[0]
        try:
            return self.env.get_template(template_name).render(variables)
        except TemplateSyntaxError as exc:
            raise TemplateError(_("syntax error: {message}").format(message=exc.message),
                                template=(exc.name or display).partition("#")[0],
                                line=exc.lineno) from None
        except TemplateNotFound as exc:
            raise TemplateError(_("includes {name!r}, which does not exist").format(name=exc.name),
                                template=display) from None
        except UndefinedError as exc:
            where, line = self._locate(exc, display)
            variable = _undefined_name(exc.message or "")
            raise TemplateError(
                _("undefined variable {name!r} in {code}").format(name=variable, code=line)
                if line else _("undefined variable {name!r}").format(name=variable),
                template=where[0], line=where[1], variable=variable) from None
        except SecurityError as exc:
            where, _line = self._locate(exc, display)
            raise TemplateError(
                _("refused: the template tried something templates may not do ({reason})")
                .format(reason=exc), template=where[0], line=where[1]) from None
        except KundkitError as exc:
            where, _line = self._locate(exc, display)
            raise TemplateError(str(exc), template=where[0], line=where[1]) from None
        except Exception as exc:  # a template's own mistake: 1/0, 'a' + 1, ...
            where, _line = self._locate(exc, display)
            raise TemplateError(_("cannot be rendered: {reason}").format(reason=exc),
                                template=where[0], line=where[1]) from None

    def _locate(self, exc: BaseException, display: str) -> tuple[tuple[str, int | None], str]:
        """((template, line), source line) of the innermost template frame in the traceback."""
        root = str(self.root.resolve())
        found: tuple[str, int | None] = (display, None)
        for frame in traceback.extract_tb(exc.__traceback__):
            filename = frame.filename
            if filename and Path(filename).resolve().is_relative_to(root) and \
                    Path(filename).is_file():
                found = (Path(filename).resolve().relative_to(root).as_posix(), frame.lineno)
        code = ""
        if found[1]:
            try:
                lines = (self.root / found[0]).read_text(encoding="utf-8").split("\n")
                code = lines[found[1] - 1].strip()[:80]
            except (OSError, UnicodeDecodeError, IndexError):
                code = ""
        return found, code


_UNDEFINED_PATTERNS = (
    re.compile(r"^'(?P<name>[^']+)' is undefined"),
    re.compile(r"has no (?:attribute|element) '?(?P<name>[^']+?)'?$"),
)


def _undefined_name(message: str) -> str:
    for pattern in _UNDEFINED_PATTERNS:
        match = pattern.search(message)
        if match:
            return match.group("name")
    return message
