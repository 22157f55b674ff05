"""Plugins: local files, installed packages, broken ones, duplicates, misspelt hooks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kundkit.context import Context
from kundkit.errors import PluginError

LOCAL_PLUGIN = '''
import click
from kundkit import hookimpl

__version__ = "2.1"


class Fax:
    name = "fax"
    needs = "phone"


@hookimpl
def register_channels(register):
    register(Fax())


@hookimpl
def register_commands(cli):
    @cli.command("hello")
    @click.argument("who")
    def hello(who):
        """Say hello."""
        click.echo(f"Hej {who}!")
'''


def _use_plugins(business: Path, *entries: str) -> None:
    config = business / "kundkit.yaml"
    config.write_text(config.read_text() + "plugins:\n" + "".join(f"  - {e}\n" for e in entries))


def test_local_plugin_adds_a_command_and_a_channel(kk: Any, business: Path) -> None:
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "fax.py").write_text(LOCAL_PLUGIN)
    _use_plugins(business, "plugins/")
    assert kk("hello", "Åsa").stdout == "Hej Åsa!\n"
    assert "hello" in kk("--help").stdout
    rows = json.loads(kk("plugins", "list", "--format", "json").stdout)
    fax = next(r for r in rows if r["name"] == "fax")
    assert (fax["source"], fax["version"], fax["error"]) == ("local", "2.1", None)
    assert fax["hooks"] == ["register_channels", "register_commands"]
    ctx = Context(config_path=business / "kundkit.yaml")
    assert ctx.registry("register_channels", "channel")["fax"].needs == "phone"


def test_plugin_commands_do_not_leak_into_another_business(kk: Any, business: Path,
                                                           tmp_path: Path) -> None:
    (business / "fax.py").write_text(LOCAL_PLUGIN)
    _use_plugins(business, "fax.py")
    kk("hello", "x")
    other = tmp_path / "other"
    kk("init", str(other))
    result = kk("--config", str(other / "kundkit.yaml"), "hello", "x", code=2)
    assert "No such command 'hello'" in result.stderr


def test_broken_plugin_is_reported_by_name_and_other_commands_still_run(kk: Any, business: Path) -> None:
    (business / "broken.py").write_text("import does_not_exist_anywhere\n")
    _use_plugins(business, "broken.py")
    result = kk("db", "stats")
    assert "warning: plugin 'broken' was not loaded: ModuleNotFoundError: No module named " \
           "'does_not_exist_anywhere'" in result.stderr


def test_misspelt_hook_is_refused(kk: Any, business: Path) -> None:
    (business / "typo.py").write_text("from kundkit import hookimpl\n\n@hookimpl\n"
                                      "def register_chanels(register):\n    pass\n")
    _use_plugins(business, "typo.py")
    rows = json.loads(kk("plugins", "list", "--format", "json").stdout)
    typo = next(r for r in rows if r["name"] == "typo")
    assert "register_chanels" in typo["error"] and "unknown hook" in typo["error"]


def test_duplicate_names_are_refused_naming_both_plugins(business: Path) -> None:
    (business / "one.py").write_text(LOCAL_PLUGIN.replace('@hookimpl\ndef register_commands',
                                                          '@hookimpl\ndef _unused'))
    (business / "two.py").write_text(LOCAL_PLUGIN.replace('@hookimpl\ndef register_commands',
                                                          '@hookimpl\ndef _unused'))
    _use_plugins(business, "one.py", "two.py")
    ctx = Context(config_path=business / "kundkit.yaml")
    with pytest.raises(PluginError) as info:
        ctx.registry("register_channels", "channel")
    assert str(info.value) == "two plugins register the channel 'fax': 'one' and 'two'"


def test_allow_list_limits_external_plugins(kk: Any, business: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (business / "fax.py").write_text(LOCAL_PLUGIN)
    _use_plugins(business, "fax.py")
    monkeypatch.setenv("KUNDKIT_LOAD_PLUGINS", "someotherplugin")
    names = [r["name"] for r in json.loads(kk("plugins", "list", "--format", "json").stdout)]
    assert "fax" not in names


def test_installed_package_with_entry_point_is_found(business: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "kk_sms_plus-1.4.dist-info").mkdir(parents=True)
    (site / "kk_sms_plus.py").write_text(LOCAL_PLUGIN.replace("fax", "smsplus").replace("hello", "smsplus"))
    (site / "kk_sms_plus-1.4.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: kk-sms-plus\nVersion: 1.4\n")
    (site / "kk_sms_plus-1.4.dist-info" / "entry_points.txt").write_text("[kundkit]\nsmsplus = kk_sms_plus\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUNDKIT_")}
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-m", "kundkit", "plugins", "list", "--format", "json"],
                         cwd=business, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    row = next(r for r in json.loads(out.stdout) if r["name"] == "smsplus")
    assert (row["source"], row["version"]) == ("package", "1.4")
    hello = subprocess.run([sys.executable, "-m", "kundkit", "smsplus", "Nils"], cwd=business, env=env,
                           capture_output=True, text=True, timeout=60)
    assert hello.stdout == "Hej Nils!\n"
