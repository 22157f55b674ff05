"""Every message, help text, column header and channel description of the channels area has its
Swedish translation, with the same placeholders; Swedish output in a real process."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import click

from kundkit._msgfmt import mo_bytes, parse_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "kundkit" / "locale" / "sv" / "LC_MESSAGES"
CATALOG = CATALOGS / "channels.po"
FILES = [ROOT / "kundkit" / name for name in (
    "consent.py", "interactions.py", "contacts.py", "sendouts.py", "sendout_run.py",
    "single_message.py", "plugins/channels.py",
    "cli/channel.py", "cli/news.py", "cli/contact.py")] + \
    sorted((ROOT / "kundkit" / "channels").glob("*.py"))
COMMANDS = ("kundkit.cli.channel", "kundkit.cli.news", "kundkit.cli.contact")


def msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                argument = node.args[0]
                if (isinstance(func, ast.Name) and func.id == "_") or \
                        (isinstance(func, ast.Attribute) and func.attr == "gettext"):
                    if isinstance(argument, ast.Constant):
                        found[argument.value] = path.name
                if isinstance(func, ast.Name) and func.id == "Column" and len(node.args) > 1:
                    found[node.args[1].value] = path.name  # headers are msgids
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if isinstance(statement, ast.Assign) and isinstance(statement.value,
                                                                        ast.Constant) and \
                            any(getattr(t, "id", None) == "description"
                                for t in statement.targets) and statement.value.value:
                        found[statement.value.value] = path.name
    return found


def help_texts() -> dict[str, str]:
    import importlib

    found: dict[str, str] = {}
    for name in COMMANDS:
        group = importlib.import_module(name).cli
        found[group.help] = name
        for command in group.commands.values():
            found[command.help] = f"{name} {command.name}"
            for param in command.params:
                if isinstance(param, click.Option) and param.help:
                    found[param.help] = f"{name} {command.name} {param.opts[0]}"
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[^{}]*\}", text))


def test_every_message_and_help_text_is_translated_with_the_same_placeholders() -> None:
    own = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    everything: dict[str, str] = {}
    for path in sorted(CATALOGS.glob("*.po")):
        everything.update(parse_po(path.read_text(encoding="utf-8"), str(path)))
    everything.update(own)
    wanted = {**help_texts(), **msgids()}
    assert len(wanted) > 150
    missing = [f"{where}: {msgid!r}" for msgid, where in wanted.items() if msgid not in everything]
    assert missing == []
    wrong = [m for m in wanted if placeholders(m) != placeholders(everything[m])]
    assert wrong == []


def test_compiled_catalog_is_up_to_date() -> None:
    catalog = parse_po(CATALOG.read_text(encoding="utf-8"), str(CATALOG))
    assert CATALOG.with_suffix(".mo").read_bytes() == mo_bytes(catalog)


def test_commands_speak_swedish(business: Path) -> None:
    env = {**os.environ, "KUNDKIT_LANG": "sv"}
    run = subprocess.run([sys.executable, "-m", "kundkit", "news", "send", "--help"], cwd=business,
                         env=env, capture_output=True, text=True, timeout=60)
    text = " ".join(run.stdout.split())
    assert "Skicka nyheter till en grupp kunder" in text
    assert "Visa vem som skulle få vad via vilken kanal; skicka inget." in text
    run = subprocess.run([sys.executable, "-m", "kundkit", "news", "send", "--template",
                          "news/december"], cwd=business, env=env, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 2
    assert "ange vilka som ska få utskicket: --segment" in run.stderr
