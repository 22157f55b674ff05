"""Asking a person for a missing value, with questionary; failing cleanly when nobody can answer.

Each answer is checked as it is typed with the same domain function that checks the option, so a
wrong organisation number is refused with the reason and asked again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

from kundkit.context import Context
from kundkit.errors import KundkitError, MissingValue
from kundkit.i18n import _


def missing(option: str) -> MissingValue:
    return MissingValue(_("missing value for {option} (no one to ask: give it as an option)").format(
        option=option), option=option)


def _validator(check: Callable[[str], Any] | None) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        if check is None:
            return True
        try:
            check(text)
        except KundkitError as exc:
            return exc.message
        return True

    return validate


def _answer(question: Any) -> Any:
    answer = question.ask()
    if answer is None:  # Ctrl-C or Ctrl-D
        raise click.Abort()
    return answer


def ask_text(ctx: Context, message: str, *, option: str, check: Callable[[str], Any] | None = None,
             default: str = "", required: bool = True) -> str:
    """Ask for text; ``check`` raises a KundkitError for a wrong answer (shown, asked again)."""
    if ctx.no_input:
        raise missing(option)
    import questionary

    def validate(text: str) -> bool | str:
        if not text.strip():
            return _("a value is needed") if required else True
        return _validator(check)(text)

    return str(_answer(questionary.text(message, default=default, validate=validate))).strip()


def ask_choice(ctx: Context, message: str, choices: Sequence[str | tuple[str, str]], *, option: str,
               default: str | None = None) -> str:
    """Pick one of ``choices`` (values, or (value, label) pairs)."""
    if ctx.no_input:
        raise missing(option)
    import questionary

    items = [questionary.Choice(title=c[1], value=c[0]) if isinstance(c, tuple) else c for c in choices]
    return str(_answer(questionary.select(message, choices=items, default=default)))


def ask_confirm(ctx: Context, message: str, *, default: bool = True, option: str = "--yes") -> bool:
    if ctx.no_input:
        raise missing(option)
    import questionary

    return bool(_answer(questionary.confirm(message, default=default)))


def ask_checkbox(ctx: Context, message: str, choices: Sequence[str | tuple[str, str]], *, option: str,
                 checked: Sequence[str] = ()) -> list[str]:
    if ctx.no_input:
        raise missing(option)
    import questionary

    items = [questionary.Choice(title=c[1] if isinstance(c, tuple) else c,
                                value=c[0] if isinstance(c, tuple) else c,
                                checked=(c[0] if isinstance(c, tuple) else c) in checked)
             for c in choices]
    return list(_answer(questionary.checkbox(message, choices=items)))


def ask_autocomplete(ctx: Context, message: str, choices: Sequence[str], *, option: str,
                     check: Callable[[str], Any] | None = None) -> str:
    if ctx.no_input:
        raise missing(option)
    import questionary

    return str(_answer(questionary.autocomplete(message, choices=list(choices),
                                                validate=_validator(check)))).strip()
