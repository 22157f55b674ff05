"""Safe expressions for workflows: ``if:`` conditions and ``with:`` templates.

Both are Jinja2, evaluated in Jinja's immutable sandbox with strict undefined values, never with
``eval``. A condition is one expression, with or without braces (``inputs.amount > 1000`` or
``"{{ inputs.amount > 1000 }}"``). A template is any text with ``{{ }}`` and ``{% %}``; a value
that is exactly one ``{{ expression }}`` keeps the type of its result (a number, a list, a
customer record), anything else becomes text.

What an expression cannot do:

* reach Python internals: names and attributes that start with ``_`` (``''.__class__``), ``self``,
  ``include``/``import``/``extends`` are refused before anything runs, and the sandbox refuses
  whatever gets past that check at run time; both raise :class:`UnsafeExpression`;
* change the data it sees (``inputs.tags.append(...)``): the sandbox is immutable;
* build huge values with ``*`` or ``**``, or ranges longer than 100 000. These are guards
  against mistakes, not a resource limit: a template can still be written to run long or build a
  large text (``'x' | center(10**9)``). Templates come from the business's own workflow files;
  what customers and operators type arrives as variables, which are data and are never rendered
  as templates themselves.

A name that is not defined raises :class:`UndefinedName`, which names it
(``'inputs.amout' is not defined (did you mean 'inputs.amount'?)``); ``x is defined`` and
``x | default(...)`` work as usual.

Filters: ``money`` (``{{ total | money }}``, ``money('en')``, ``money(currency='EUR')``),
``date`` (``{{ due | date }}``, ``date('en')``, ``date(style='short')``) and ``duration``, all in
the business's language unless one is given.
"""

from __future__ import annotations

import difflib
import functools
import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from kundkit.errors import KundkitError, ValidationError
from kundkit.i18n import LANGUAGES, _, get_language, normalize_language, translator

if TYPE_CHECKING:
    from jinja2 import nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

_RESULT_KEY = "_kundkit_result"
_LANGUAGE_KEY = "_kundkit_language"
_CURRENCY_KEY = "_kundkit_currency"
_MAX_SIZE = 100_000   # longest text or list that * may build
_MAX_POWER_BITS = 4096
_SHOWN = 80           # how much of an expression an error message quotes

_ATTRIBUTE_FILTERS = frozenset({"attr"})
_FORBIDDEN_STATEMENTS = {"Extends": "extends", "Include": "include", "Import": "import",
                         "FromImport": "import"}


class ExpressionError(ValidationError):
    """A condition or template cannot be parsed or evaluated."""


class UnsafeExpression(ExpressionError):
    """An expression reached for something the sandbox does not allow."""


class UndefinedName(ExpressionError):
    """An expression used a variable or attribute that does not exist. ``name`` says which."""

    def __init__(self, message: str, *, name: str) -> None:
        super().__init__(message)
        self.name = name


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN else flat[:_SHOWN - 1] + "…"


# --- the environment -------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _environment() -> ImmutableSandboxedEnvironment:
    from jinja2 import StrictUndefined, pass_context
    from jinja2.exceptions import SecurityError, UndefinedError
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import missing

    class _Missing(UndefinedError):
        def __init__(self, message: str, obj: Any, name: Any, top: bool) -> None:
            super().__init__(message)
            self.obj, self.name, self.top = obj, name, top

    class _Undefined(StrictUndefined):
        __slots__ = ()

        def __init__(self, hint: str | None = None, obj: Any = missing, name: str | None = None,
                     exc: type[Exception] = UndefinedError) -> None:
            super().__init__(hint, obj, name, exc)
            if exc is UndefinedError:
                # Jinja raises ``self._undefined_exception(message)`` from many operators; this
                # one also carries what was missing, so that the message can name the path.
                top = obj is missing
                self._undefined_exception = lambda message: _Missing(  # type: ignore[assignment]
                    message, None if top else obj, name, top)

    class _Environment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
            # Fail at once rather than hand back a value that fails later (or, inside a list,
            # never), so that a refused access always surfaces as UnsafeExpression.
            raise SecurityError(_("access to '{attribute}' of {kind} is not allowed").format(
                attribute=attribute, kind=type(obj).__name__))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                        if len(seq) * count > _MAX_SIZE:
                            raise SecurityError(_("the result of * would be too large"))
            if operator == "**" and isinstance(left, int) and isinstance(right, int):
                if right > 0 and abs(left) > 1 and right * math.log2(abs(left)) > _MAX_POWER_BITS:
                    raise SecurityError(_("the result of ** would be too large"))
            return super().call_binop(context, operator, left, right)

    env = _Environment(undefined=_Undefined, autoescape=False, keep_trailing_newline=True)
    env._kundkit_missing = _Missing  # type: ignore[attr-defined]
    for name in ("lipsum", "cycler", "joiner"):
        env.globals.pop(name, None)
    env.filters["money"] = pass_context(_money_filter)
    env.filters["date"] = pass_context(_date_filter)
    env.filters["duration"] = _duration_filter
    return env


# --- filters ---------------------------------------------------------------------------------

def _filter_language(context: Any, language: str | None) -> str:
    if language is None:
        return context.get(_LANGUAGE_KEY) or get_language()
    code = normalize_language(language)
    if code is None:
        raise ExpressionError(_("unknown language '{language}' (known: {known})").format(
            language=language, known=", ".join(LANGUAGES)))
    return code


def _money_filter(context: Any, value: Any, language: str | None = None,
                  currency: str | None = None) -> str:
    from kundkit.money import format_money, to_money

    code = currency or context.get(_CURRENCY_KEY) or "SEK"
    lang = _filter_language(context, language)
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ExpressionError(_("money: {value!r} is not an amount").format(value=value))
    if isinstance(value, float):
        amount = Decimal(str(value))
    elif isinstance(value, str):
        amount = to_money(value, code)
    else:
        amount = Decimal(value)
    return format_money(amount, code, lang)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_STYLES = ("short", "long", "full")


def format_date(value: date | datetime | str, language: str = "sv", style: str = "long") -> str:
    """A date (and time) as a customer reads it.

    ``short``: ``2026-12-24`` (``2026-12-24 15:00``) in both languages; ``long``:
    ``24 december 2026`` / ``24 December 2026`` (``… kl. 15:00`` / ``… at 15:00``); ``full``
    adds the weekday (``torsdag 24 december 2026``). A datetime is shown in its own time zone.
    """
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value.strip() \
                else date.fromisoformat(value)
        except ValueError:
            raise ExpressionError(_("date: '{value}' is not a date").format(value=value)) from None
    if not isinstance(value, date):
        raise ExpressionError(_("date: {value!r} is not a date").format(value=value))
    if style not in _STYLES:
        raise ExpressionError(_("date: unknown style '{style}' (known: {known})").format(
            style=style, known=", ".join(_STYLES)))
    has_time = isinstance(value, datetime)
    clock = f"{value:%H:%M}" if has_time else ""
    if style == "short":
        text = value.strftime("%Y-%m-%d")
        return f"{text} {clock}" if has_time else text
    # Context-qualified, so that another area's "May" or "Monday" (a heading, say) cannot
    # change how a date reads to a customer.
    tr = translator(language)
    text = f"{value.day} {tr.pgettext('month', _MONTHS[value.month - 1])} {value.year}"
    if style == "full":
        text = f"{tr.pgettext('weekday', _WEEKDAYS[value.weekday()])} {text}"
    if has_time:
        text = tr.pgettext("date and time", "{date} at {time}").format(date=text, time=clock)
    return text


def _date_filter(context: Any, value: Any, language: str | None = None,
                 style: str = "long") -> str:
    return format_date(value, _filter_language(context, language), style)


def _duration_filter(value: Any) -> str:
    from kundkit.calendar import format_duration

    if not isinstance(value, timedelta):
        raise ExpressionError(_("duration: {value!r} is not a duration").format(value=value))
    return format_duration(value)


# --- parsing and the static safety check -----------------------------------------------------

def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    yield node
    for child in node.iter_child_nodes():
        yield from _walk(child)


def _unsafe_reason(tree: nodes.Node) -> str | None:
    from jinja2 import nodes

    for node in _walk(tree):
        kind = type(node).__name__
        if kind in _FORBIDDEN_STATEMENTS:
            return _("'{{% {statement} %}}' is not allowed in an expression").format(
                statement=_FORBIDDEN_STATEMENTS[kind])
        if isinstance(node, nodes.Name) and node.name != _RESULT_KEY \
                and (node.name.startswith("_") or node.name == "self"):
            return _("'{name}' is not allowed in an expression").format(name=node.name)
        if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            return _("'{name}' is not allowed in an expression").format(name=node.attr)
        if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) \
                and isinstance(node.arg.value, str) and node.arg.value.startswith("_"):
            return _("'{name}' is not allowed in an expression").format(name=node.arg.value)
        if isinstance(node, (nodes.Filter, nodes.Test, nodes.Call)):
            texts = []
            if isinstance(node, nodes.Filter) and node.name in _ATTRIBUTE_FILTERS:
                texts += [a.value for a in node.args if isinstance(a, nodes.Const)]
            texts += [kw.value.value for kw in node.kwargs
                      if kw.key == "attribute" and isinstance(kw.value, nodes.Const)]
            for text in texts:
                if isinstance(text, str) and any(part.startswith("_") for part in text.split(".")):
                    return _("'{name}' is not allowed in an expression").format(name=text)
    return None


def _syntax_message(exc: Any, text: str) -> str:
    message = str(getattr(exc, "message", None) or exc)
    if "\n" in text.strip() and getattr(exc, "lineno", None):
        return _("line {line}: {message}").format(line=exc.lineno, message=message)
    return message


@functools.lru_cache(maxsize=512)
def _parse_expression(text: str) -> nodes.Template:
    """The expression in ``text`` (braces optional) as a template that stores its value."""
    from jinja2 import nodes
    from jinja2.exceptions import TemplateSyntaxError
    from jinja2.parser import Parser

    env = _environment()
    source = text.strip()
    single = _single_expression(source)
    try:
        if single is not None:
            expr = single
        else:
            if "{{" in source or "{%" in source:
                raise ExpressionError(
                    _("a condition must be one expression, not a template: '{text}'").format(
                        text=_shown(text)))
            parser = Parser(env, source, state="variable")
            expr = parser.parse_expression()
            if not parser.stream.eos:
                raise TemplateSyntaxError(_("unexpected text after the expression"),
                                          parser.stream.current.lineno)
    except TemplateSyntaxError as exc:
        raise ExpressionError(_("'{text}' does not parse: {reason}").format(
            text=_shown(text), reason=_syntax_message(exc, text))) from None
    tree = nodes.Template([nodes.Assign(nodes.Name(_RESULT_KEY, "store"), expr, lineno=1)],
                          lineno=1)
    tree.set_environment(env)
    return tree


@functools.lru_cache(maxsize=512)
def _parse_template(text: str) -> nodes.Template:
    from jinja2.exceptions import TemplateSyntaxError

    try:
        return _environment().parse(text)
    except TemplateSyntaxError as exc:
        raise ExpressionError(_("'{text}' does not parse: {reason}").format(
            text=_shown(text), reason=_syntax_message(exc, text))) from None


def _single_expression(text: str) -> nodes.Expr | None:
    """The expression of a text that is exactly one ``{{ expression }}``, else None."""
    from jinja2 import nodes

    source = text.strip()
    if not (source.startswith("{{") and source.endswith("}}")):
        return None
    tree = _parse_template(source)
    if len(tree.body) == 1 and isinstance(tree.body[0], nodes.Output) \
            and len(tree.body[0].nodes) == 1 \
            and not isinstance(tree.body[0].nodes[0], nodes.TemplateData):
        return tree.body[0].nodes[0]
    return None


def _checked(tree: nodes.Template, text: str) -> nodes.Template:
    reason = _unsafe_reason(tree)
    if reason:
        raise UnsafeExpression(_("'{text}' is refused: {reason}").format(
            text=_shown(text), reason=reason))
    return tree


def check_syntax(text: str, *, expression: bool = False) -> str | None:
    """Why ``text`` cannot be used (a parse error, a refused construct), or None if it can.

    ``expression=True`` checks an ``if:`` condition; otherwise a ``with:`` template.
    """
    if not isinstance(text, str):
        return None
    try:
        _checked(_parse_expression(text) if expression else _parse_template(text), text)
    except ExpressionError as exc:
        return exc.message
    return None


def referenced_names(text: str, *, expression: bool = False) -> set[str]:
    """The top-level variables that ``text`` uses (not those it sets itself)."""
    from jinja2 import meta

    tree = _parse_expression(text) if expression else _parse_template(text)
    return set(meta.find_undeclared_variables(tree)) - set(_environment().globals)


def referenced_paths(text: str, *, expression: bool = False) -> set[tuple[str | int, ...]]:
    """The dotted paths ``text`` reads from its variables: ``steps.find.output`` gives
    ``("steps", "find", "output")``; a computed part (``items[i]``) ends the path."""
    from jinja2 import nodes

    tree = _parse_expression(text) if expression else _parse_template(text)
    free = referenced_names(text, expression=expression)
    found: set[tuple[str | int, ...]] = set()

    def chain(node: nodes.Node) -> tuple[tuple[str | int, ...], bool] | None:
        """The path read by ``node`` and whether it may go on (a computed index ends it)."""
        if isinstance(node, nodes.Name):
            return (node.name,), True
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            inner = chain(node.node)
            if inner is None:
                return None
            base, open_ = inner
            if not open_:
                return base, False
            if isinstance(node, nodes.Getattr):
                return base + (node.attr,), True
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, (str, int)):
                return base + (node.arg.value,), True
            return base, False
        return None

    def visit(node: nodes.Node) -> None:
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            walked = chain(node)
            if walked is not None:
                path = walked[0]
                if path[0] in free:
                    found.add(path)
                if isinstance(node, nodes.Getitem):
                    visit(node.arg)
                if isinstance(node, (nodes.Getattr, nodes.Getitem)):
                    inner = node.node
                    while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
                        if isinstance(inner, nodes.Getitem):
                            visit(inner.arg)
                        inner = inner.node
                return
        for child in node.iter_child_nodes():
            visit(child)

    visit(tree)
    # Keep only the longest path of each chain: ("steps", "a", "out") covers ("steps", "a").
    return {p for p in found if not any(len(q) > len(p) and q[:len(p)] == p for q in found)}


# --- evaluation ------------------------------------------------------------------------------

def _path_text(path: tuple[Any, ...]) -> str:
    out = str(path[0])
    for part in path[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _undefined(exc: Any, tree: nodes.Template, variables: Mapping[str, Any]) -> UndefinedName:
    from jinja2 import nodes

    name = exc.name
    if exc.top:
        hint = difflib.get_close_matches(str(name), [k for k in variables
                                                     if not str(k).startswith("_")], n=1)
        message = _("'{name}' is not defined").format(name=name)
        if hint:
            message += " " + _("(did you mean '{hint}'?)").format(hint=hint[0])
        return UndefinedName(message, name=str(name))
    # Find where in the expression the missing part was asked for, to name the whole path.
    path: tuple[Any, ...] = (name,)
    for node in _walk(tree):
        asked = node.attr if isinstance(node, nodes.Getattr) else (
            node.arg.value if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
            else None)
        if asked == name:
            parts: list[Any] = [asked]
            inner = node.node
            while isinstance(inner, (nodes.Getattr, nodes.Getitem)):
                if isinstance(inner, nodes.Getattr):
                    parts.append(inner.attr)
                elif isinstance(inner.arg, nodes.Const):
                    parts.append(inner.arg.value)
                else:
                    parts.append("…")
                inner = inner.node
            if isinstance(inner, nodes.Name):
                parts.append(inner.name)
                path = tuple(reversed(parts))
            break
    shown = _path_text(path)
    message = _("'{name}' is not defined").format(name=shown)
    if isinstance(exc.obj, Mapping) and isinstance(name, str):
        hint = difflib.get_close_matches(name, [str(k) for k in exc.obj], n=1)
        if hint:
            message += " " + _("(did you mean '{hint}'?)").format(
                hint=_path_text(path[:-1] + (hint[0],)))
        elif exc.obj:
            message += " " + _("(known here: {keys})").format(
                keys=", ".join(sorted(str(k) for k in exc.obj)[:12]))
    return UndefinedName(message, name=shown)


def _context(variables: Mapping[str, Any], language: str | None,
             currency: str | None) -> dict[str, Any]:
    if not isinstance(variables, Mapping):
        raise ExpressionError(_("the variables of an expression must be a mapping"))
    context = dict(variables)
    context[_LANGUAGE_KEY] = normalize_language(language) or get_language()
    context[_CURRENCY_KEY] = currency or "SEK"
    return context


@functools.lru_cache(maxsize=512)
def _program(text: str, expression: bool) -> tuple[nodes.Template, Any]:
    """The checked tree of ``text`` and the template compiled from it."""
    tree = _checked(_parse_expression(text) if expression else _parse_template(text), text)
    return tree, _environment().from_string(tree)


def _run(text: str, variables: Mapping[str, Any], *, expression: bool, language: str | None,
         currency: str | None) -> Any:
    from jinja2.exceptions import SecurityError, TemplateError
    from jinja2.runtime import Undefined

    env = _environment()
    tree, template = _program(text, expression)
    values = _context(variables, language, currency)
    try:
        if not expression:
            return template.render(values)
        context = template.new_context(values)
        for _chunk in template.root_render_func(context):
            pass
        result = context.vars[_RESULT_KEY]
        if isinstance(result, Undefined):
            result._fail_with_undefined_error()
        return result
    except env._kundkit_missing as exc:  # type: ignore[attr-defined]
        raise _undefined(exc, tree, variables) from None
    except SecurityError as exc:
        raise UnsafeExpression(_("'{text}' is refused: {reason}").format(
            text=_shown(text), reason=exc)) from None
    except KundkitError:
        raise
    except TemplateError as exc:
        raise ExpressionError(_("cannot evaluate '{text}': {reason}").format(
            text=_shown(text), reason=exc)) from None
    except RecursionError:
        raise ExpressionError(_("cannot evaluate '{text}': it nests too deeply").format(
            text=_shown(text))) from None
    except Exception as exc:  # noqa: BLE001 - any failure of a user's expression is theirs to fix
        raise ExpressionError(_("cannot evaluate '{text}': {reason}").format(
            text=_shown(text), reason=f"{type(exc).__name__}: {exc}")) from None


def evaluate(expr: str, variables: Mapping[str, Any], *, language: str | None = None,
             currency: str | None = None) -> Any:
    """The value of one expression (braces optional), with its own type."""
    if not isinstance(expr, str):
        raise ExpressionError(_("an expression must be text, got {value!r}").format(value=expr))
    return _run(expr, variables, expression=True, language=language, currency=currency)


def evaluate_condition(expr: str | bool, variables: Mapping[str, Any], *,
                       language: str | None = None) -> bool:
    """Whether an ``if:`` condition holds. A YAML ``true``/``false`` is taken as it is."""
    if isinstance(expr, bool):
        return expr
    return bool(evaluate(expr, variables, language=language))


def render_value(value: Any, variables: Mapping[str, Any], *, language: str | None = None,
                 currency: str | None = None) -> Any:
    """``value`` with every string in it rendered as a template (dicts and lists recursively).

    A string that is exactly one ``{{ expression }}`` becomes the expression's value with its
    own type; other strings render to text; other values are returned as they are.
    """
    if isinstance(value, str):
        if "{{" not in value and "{%" not in value and "{#" not in value:
            return value
        single = _single_expression(value) is not None
        return _run(value, variables, expression=single, language=language, currency=currency)
    if isinstance(value, Mapping):
        return {key: render_value(item, variables, language=language, currency=currency)
                for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [render_value(item, variables, language=language, currency=currency)
                for item in value]
    return value
