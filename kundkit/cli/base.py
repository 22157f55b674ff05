"""Command classes shared by every command group: translated help, and domain errors turned into
one clean line on stderr with the right exit code."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any

import click

from kundkit.errors import KundkitError, ProblemsError
from kundkit.i18n import _


def _translate(text: str | None) -> str | None:
    return _(text) if text else text


def _translate_doc(text: str | None) -> str | None:
    # Click keeps a docstring as written and cleans it when showing it; the msgid is the cleaned
    # text, as a translator sees it.
    return _(inspect.cleandoc(text)) if text else text


class KundkitCommand(click.Command):
    """A command whose help texts are English msgids, shown in the business's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = _translate_doc(self.help)
        self.short_help = _translate(self.short_help)
        self.epilog = _translate_doc(self.epilog)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = _("[OPTIONS]")
        for param in self.params:
            if isinstance(param, click.Option):
                param.help = _translate(param.help)
                if param.prompt:
                    param.prompt = _translate(param.prompt)


class KundkitGroup(click.Group):
    command_class = KundkitCommand
    group_class = type  # subgroups are KundkitGroups too

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("context_settings", {}).setdefault("help_option_names", ["-h", "--help"])
        super().__init__(*args, **kwargs)
        self.help = _translate_doc(self.help)
        self.short_help = _translate(self.short_help)
        self.epilog = _translate_doc(self.epilog)
        if self.options_metavar == "[OPTIONS]":
            self.options_metavar = _("[OPTIONS]")
        if self.subcommand_metavar == "COMMAND [ARGS]...":
            self.subcommand_metavar = _("COMMAND [ARGS]...")
        for param in self.params:
            if isinstance(param, click.Option):
                param.help = _translate(param.help)


def group(name: str | None = None, **kwargs: Any) -> Callable[[Callable[..., Any]], KundkitGroup]:
    """``@group("customer")``: a command group of kundkit (translated help, ``-h``)."""
    return click.group(name, cls=KundkitGroup, **kwargs)  # type: ignore[return-value]


pass_ctx = click.pass_obj  # the kundkit Context


class KundkitClickError(click.ClickException):
    """A domain error on its way to the terminal: one line (a line per problem), no traceback."""

    def __init__(self, error: KundkitError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.error = error

    def show(self, file: Any = None) -> None:
        stream = file or sys.stderr
        if isinstance(self.error, ProblemsError):
            for problem in self.error.problems:
                click.echo(str(problem), file=stream)
            return
        click.echo(_("Error: {message}").format(message=self.message), file=stream)


def fail(error: KundkitError) -> KundkitClickError:
    return KundkitClickError(error)
