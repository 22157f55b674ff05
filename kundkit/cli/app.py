"""The root ``kundkit`` group. Command groups are imported only when they are used, so that
``kundkit --help`` and ``kundkit --version`` stay as fast as click itself."""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
import sys
from typing import Any

import click

from kundkit import __version__
from kundkit.cli.base import KundkitClickError, KundkitGroup
from kundkit.errors import KundkitError
from kundkit.i18n import _

# name → (module, short help). The short help is an English msgid, translated when listed, so that
# listing the groups imports none of them. A group whose module is absent is not listed.
GROUPS: dict[str, tuple[str, str]] = {
    "init": ("kundkit.cli.init", "Lay out a new business folder."),
    "customer": ("kundkit.cli.customer", "Register, find and look after customers."),
    "staff": ("kundkit.cli.staff", "Staff members and who is active."),
    "product": ("kundkit.cli.product", "Products, their weight and the key products."),
    "task": ("kundkit.cli.task", "Tasks for staff: follow-ups, calls, answers."),
    "purchase": ("kundkit.cli.purchase", "Record and import purchases."),
    "discount": ("kundkit.cli.discount", "Discount policies and each customer's standing."),
    "plan": ("kundkit.cli.plan", "Sales plans per period and staff member."),
    "incentive": ("kundkit.cli.incentive", "Rewards for the staff's contribution to the plan."),
    "channel": ("kundkit.cli.channel", "Channels to customers: e-mail, SMS, letters, phone."),
    "news": ("kundkit.cli.news", "Send company news to customers."),
    "contact": ("kundkit.cli.contact", "Log contacts with customers."),
    "feedback": ("kundkit.cli.feedback", "Complaints, claims and suggestions, on a deadline."),
    "workflow": ("kundkit.cli.workflow", "Run the business's YAML workflows."),
    "standards": ("kundkit.cli.standards", "Service-quality standards: validate, show, audit."),
    "report": ("kundkit.cli.report", "Reports: plan, customers, feedback, trends."),
    "audit": ("kundkit.cli.audit", "The audit log of changes to personal data."),
    "db": ("kundkit.cli.db", "Check, back up and restore the store."),
    "plugins": ("kundkit.cli.plugins", "List the loaded plugins."),
}

_PLUGINS_LINE = re.compile(r"^plugins:", re.MULTILINE)


class RootGroup(KundkitGroup):
    def _available(self) -> list[str]:
        return [name for name, (module, _help) in GROUPS.items()
                if module in sys.modules or importlib.util.find_spec(module) is not None]

    def _plugin_group(self, ctx: click.Context) -> click.Group:
        """The commands that plugins add, collected per invocation (never onto the shared root,
        so that one business's plugins do not leak into the next command run in this process)."""
        key = "kundkit.plugin_commands"
        if key not in ctx.meta:
            collector = KundkitGroup("kundkit")
            ctx.meta[key] = collector
            try:
                ensure_context(ctx).plugins.hook.register_commands(cli=collector)
            except KundkitError as exc:
                raise KundkitClickError(exc) from None
        return ctx.meta[key]

    def _wants_plugins(self) -> bool:
        if os.environ.get("KUNDKIT_LOAD_PLUGINS"):
            return True
        from kundkit import cli as package
        from kundkit.locate import find_config

        path = package.detected_config or find_config()
        try:
            return bool(path and _PLUGINS_LINE.search(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError):
            return False

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = set(self._available()) | set(self.commands)
        if self._wants_plugins():
            names |= set(self._plugin_group(ctx).commands)
        return sorted(names)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in GROUPS and name not in self.commands:
            module_name = GROUPS[name][0]
            if module_name in sys.modules or importlib.util.find_spec(module_name) is not None:
                module = importlib.import_module(module_name)
                self.add_command(module.cli, name)
        if name in self.commands:
            return self.commands[name]
        return self._plugin_group(ctx).commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            if name in GROUPS and name not in self.commands:
                rows.append((name, _(GROUPS[name][1])))
            else:
                command = self.get_command(ctx, name)
                if command is not None and not command.hidden:
                    rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section(_("Commands")):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KundkitError as exc:
            if ctx.params.get("debug"):
                raise
            raise KundkitClickError(exc) from None


def ensure_context(ctx: click.Context) -> Any:
    """The kundkit Context of this invocation, made from the root options on first use (command
    resolution runs before the root callback, and needs it to find plugin commands)."""
    root = ctx.find_root()
    if root.obj is None:
        from pathlib import Path

        from kundkit.context import Context

        params = root.params
        config_path = params.get("config_path") or os.environ.get("KUNDKIT_CONFIG")
        forced = os.environ.get("KUNDKIT_FORCE_PROMPTS") == "1"
        interactive = forced or (sys.stdin is not None and sys.stdin.isatty())
        root.obj = Context(config_path=Path(config_path) if config_path else None,
                           actor=params.get("actor") or os.environ.get("KUNDKIT_USER"),
                           no_input=bool(params.get("no_input")) or not interactive, warn=_warn)
    return root.obj


def _warn(message: str) -> None:
    click.echo(_("warning: {message}").format(message=message), err=True)


@click.group(cls=RootGroup, invoke_without_command=False,
             epilog="Documentation: docs/ in the kundkit repository.")
@click.version_option(__version__, "--version", prog_name="kundkit")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), envvar="KUNDKIT_CONFIG",
              show_envvar=True, help="The business's kundkit.yaml (default: found in this folder or "
                                     "a parent).")
@click.option("--as", "actor", metavar="STAFF", envvar="KUNDKIT_USER", show_envvar=True,
              help="The staff member who acts; recorded on what is created.")
@click.option("--no-input", is_flag=True, help="Never ask; fail and name what is missing "
                                               "(implied when stdin is not a terminal).")
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, actor: str | None, no_input: bool,  # noqa: ARG001
        debug: bool) -> None:
    """kundkit organises a small business's work with its customers: the register and each
    customer's permanent manager, purchases and discounts, key products, the staff's contribution
    to the sales plan, channels, complaints on a deadline, and service standards.

    \b
    Example:
      kundkit customer add --name "Bygg & Montage AB" --company --orgnr 556036-0793
      kundkit customer list --format json
    """
    ensure_context(ctx)

