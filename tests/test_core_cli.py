"""The command line's contract: config errors located, plugins, start-up, languages, init, db."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from kundkit.config import find_config


def _snapshot(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".lock"}


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda t: t.replace("currency: SEK", "currency: SEK\nlanguge: sv"),
     "kundkit.yaml:{line}:1: unknown key 'languge' (did you mean 'language'?)"),
    (lambda t: t.replace("lock_timeout: 30", "lock_timeout: soon"),
     "kundkit.yaml:{line}:17: store.lock_timeout: expected a number, got text"),
    (lambda t: t.replace('phone: "021-12 34 50"', "phone: 0701234567"),
     "kundkit.yaml:{line}:10: business.phone: '0701234567' was read as a number, not as text; "
     "write it in quotes: \"0701234567\""),
    (lambda t: t.replace("region: SE", "region: NO"),
     "kundkit.yaml:{line}:9: region: 'False' was read as yes/no (true/false), not as text; write it "
     "in quotes: \"NO\""),
])
def test_config_errors_are_located_and_nothing_is_written(kk: Any, business: Path, edit: Any,
                                                          expected: str) -> None:
    config = business / "kundkit.yaml"
    text = edit(config.read_text())
    config.write_text(text)
    marker = {"languge": "languge", "soon": "soon", "0701234567": "0701234567", "NO": "region: NO"}
    line = next(i for i, row in enumerate(text.splitlines(), 1)
                if any(m in row for m in marker.values()))
    before = _snapshot(business / "data")
    result = kk("db", "backup", code=1)
    if "NO" in expected:
        expected = expected.replace("'False'", "'NO'")
    assert result.stderr.strip() == expected.format(line=line)
    assert _snapshot(business / "data") == before
    assert not (business / "backups").exists()


def test_broken_yaml_is_located(kk: Any, business: Path) -> None:
    (business / "kundkit.yaml").write_text("business:\n  name: [Nordbygg\nlanguage: sv\n")
    result = kk("db", "stats", code=1)
    assert result.stderr.startswith("kundkit.yaml:3:9: YAML syntax error:")
    assert not (business / "data").exists()


def test_duplicate_key_is_an_error(kk: Any, business: Path) -> None:
    config = business / "kundkit.yaml"
    config.write_text(config.read_text() + "language: en\n")
    result = kk("db", "stats", code=1)
    line = len(config.read_text().splitlines())
    assert result.stderr.strip() == f"kundkit.yaml:{line}:1: duplicate key 'language'"


def test_config_is_found_in_a_parent_folder_and_paths_are_relative_to_it(business: Path) -> None:
    sub = business / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config(cwd=sub) == business / "kundkit.yaml"


def test_no_config_is_a_clear_error(kk: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    result = kk("db", "stats", code=1)
    assert "no kundkit.yaml here or in a parent folder" in result.stderr


def test_help_does_not_import_heavy_modules() -> None:
    code = ("import sys\nfrom kundkit.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('tinydb', 'yaml', 'tabulate', 'questionary', 'jsonschema', "
            "'pluggy', 'prompt_toolkit', 'jinja2', 'orjson') if m in sys.modules]\n"
            "print('HEAVY', heavy, file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "HEAVY []" in result.stderr, result.stderr
    assert "Usage: kundkit" in result.stdout


def test_version(kk: Any) -> None:
    from kundkit import __version__

    assert kk("--version").stdout.strip() == f"kundkit, version {__version__}"


def test_usage_error_exit_code_2(kk: Any) -> None:
    result = kk("db", "stats", "--format", "yaml", code=2)
    assert "'yaml' is not one of 'table', 'json', 'csv'" in result.stderr


def test_init_lays_out_a_business_and_refuses_to_overwrite(kk: Any, tmp_path: Path) -> None:
    target = tmp_path / "shop"
    kk("init", str(target), "--lang", "en", "--name", 'Shop "Ö" AB')
    assert (target / "kundkit.yaml").is_file()
    assert (target / "standards").is_dir() and (target / "workflows").is_dir()
    assert json.loads((target / "data" / "meta.json").read_text())["schema"] == 1
    import yaml

    assert yaml.safe_load((target / "kundkit.yaml").read_text())["business"]["name"] == 'Shop "Ö" AB'
    before = (target / "kundkit.yaml").read_bytes()
    result = kk("init", str(target), code=1)
    assert "already exists" in result.stderr
    assert (target / "kundkit.yaml").read_bytes() == before
    assert kk("--config", str(target / "kundkit.yaml"), "db", "check").exit_code == 0


def test_backup_restore_round_trip(kk: Any, business: Path) -> None:
    from kundkit.store import Store

    store = Store(business / "data")
    with store.transaction() as tx:
        tx.table("notes").insert({"text": "före"})
    backup = Path(kk("db", "backup").stdout.strip())
    assert zipfile.ZipFile(backup).namelist() == ["meta.json", "notes.json"]
    with store.transaction() as tx:
        tx.table("notes").insert({"text": "efter"})
        tx.table("other").insert({"x": 1})
    kk("db", "restore", str(backup), "--yes")
    with store.read() as tx:
        assert [n["text"] for n in tx.table("notes").all()] == ["före"]
        assert tx.table("other").all() == []
    # The state before the restore was saved too.
    safety = sorted((business / "backups").glob("*.zip"))
    assert len(safety) == 2


def test_restore_refuses_a_file_that_is_not_a_backup(kk: Any, business: Path) -> None:
    bogus = business / "bogus.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("../../etc/passwd", "x")
    result = kk("db", "restore", str(bogus), "--yes", code=1)
    assert "unexpected member '../../etc/passwd'" in result.stderr


def test_corrupt_store_is_refused_by_commands_and_left_byte_identical(kk: Any, business: Path) -> None:
    from kundkit.store import Store

    with Store(business / "data").transaction() as tx:
        tx.table("notes").insert({"text": "x"})
    damaged = business / "data" / "notes.json"
    damaged.write_bytes(b"\x00\x01garbage")
    result = kk("db", "stats", code=1)
    assert str(damaged) in result.stderr and "damaged" in result.stderr
    assert damaged.read_bytes() == b"\x00\x01garbage"
    check = kk("db", "check", code=1)
    assert str(damaged) in check.stdout


def test_db_check_reports_dangling_references(kk: Any, business: Path) -> None:
    plugin = business / "refs.py"
    plugin.write_text("from kundkit import hookimpl\n\n@hookimpl\ndef store_references():\n"
                      "    return [('orders', 'customer', 'people')]\n")
    config = business / "kundkit.yaml"
    config.write_text(config.read_text() + "plugins:\n  - refs.py\n")
    from kundkit.store import Store

    with Store(business / "data").transaction() as tx:
        tx.table("people").insert({"id": "K1"})
        tx.table("orders").insert({"id": "O1", "customer": "K1"})
        tx.table("orders").insert({"id": "O2", "customer": "K9"})
    result = kk("db", "check", code=1)
    assert "orders.customer refers to people 'K9', which does not exist" in result.stdout
    assert "K1'" not in result.stdout


def test_db_stats_json(kk: Any, business: Path) -> None:
    from kundkit.store import Store

    with Store(business / "data").transaction() as tx:
        tx.table("notes").insert_multiple([{"n": i} for i in range(3)])
        tx.table("sales", "2026-11").insert({"n": 1})
        tx.table("sales", "2026-12").insert({"n": 2})
    rows = json.loads(kk("db", "stats", "--format", "json").stdout)
    by_table = {r["table"]: r for r in rows}
    assert by_table["notes"]["records"] == 3
    assert (by_table["sales"]["records"], by_table["sales"]["partitions"]) == (2, 2)


def test_swedish_help_and_error(business: Path) -> None:
    config = business / "kundkit.yaml"
    assert "language: sv" in config.read_text()
    env = {**_env(), "KUNDKIT_LANG": ""}
    help_text = subprocess.run([sys.executable, "-m", "kundkit", "db", "--help"], cwd=business,
                               env=env, capture_output=True, text=True).stdout
    assert "Användning:" in help_text and "Kontrollera, säkerhetskopiera" in help_text
    assert "Visa det här meddelandet och avsluta." in help_text
    error = subprocess.run([sys.executable, "-m", "kundkit", "db", "restore", "finns-inte.zip", "--yes"],
                           cwd=business, env=env, capture_output=True, text=True)
    assert error.returncode == 1
    assert error.stderr.strip() == "Fel: finns-inte.zip: ingen sådan säkerhetskopia"


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("KUNDKIT_")}


def test_a_plugin_check_runs_again_when_its_file_changes(kk: Any, business: Path) -> None:
    plugin = business / "strict.py"
    plugin.write_text("from kundkit import hookimpl\n\n@hookimpl\ndef check_config(config):\n"
                      "    return None\n")
    config = business / "kundkit.yaml"
    config.write_text(config.read_text() + "plugins:\n  - strict.py\n")
    kk("db", "stats")
    kk("db", "stats")  # validated once, then remembered
    plugin.write_text("from kundkit import hookimpl\n\n@hookimpl\ndef check_config(config):\n"
                      "    return [config.problem(('business', 'name'), 'business.name: too plain')]\n")
    import os
    import time

    os.utime(plugin, (time.time() + 5, time.time() + 5))
    result = kk("db", "stats", code=1)
    assert result.stderr.strip() == "kundkit.yaml:5:9: business.name: too plain"
