"""The incentives documentation is true: docs/incentives.md is replayed command by command on the
example business and every output must be what the page shows; the scheme plugin of
docs/plugins.md runs and gives what its example says."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from incentives_support import load_example_business, sell

DOCS = Path(__file__).resolve().parent.parent / "docs"
DOC_NOW = "2026-11-30T17:00:00+01:00"


def steps(text: str) -> Iterator[tuple[str, str, list[str], dict[str, str], str | None]]:
    """(block kind, command line, argv, environment, documented output) in the order of the page:
    every ``kundkit`` line of a ```sh block (run, output not shown) and every ``$ kundkit`` of a
    ```console block (output compared)."""
    for match in re.finditer(r"```(sh|console)\n(.*?)```", text, flags=re.DOTALL):
        kind, body = match.groups()
        if kind == "sh":
            for line in body.splitlines():
                if line.startswith("kundkit "):
                    yield kind, line, shlex.split(line)[1:], {}, None
            continue
        for chunk in re.split(r"^\$ ", body, flags=re.MULTILINE)[1:]:
            command, _nl, output = chunk.partition("\n")
            words = shlex.split(command)
            env = {}
            while words and re.match(r"^[A-Z_]+=", words[0]):
                key, _eq, value = words.pop(0).partition("=")
                env[key] = value
            if words and words[0] == "kundkit" and "|" not in words:
                yield kind, command, words[1:], env, output


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def test_every_command_of_incentives_md_gives_the_output_shown(business, monkeypatch) -> None:
    from kundkit.cli.app import cli
    from kundkit.i18n import set_language

    monkeypatch.setenv("KUNDKIT_NOW", DOC_NOW)
    shown = 0
    for kind, line, argv, env, documented in steps((DOCS / "incentives.md").read_text(encoding="utf-8")):
        set_language(env.get("KUNDKIT_LANG", "en"))
        try:
            result = CliRunner().invoke(cli, argv, env=env or None, catch_exceptions=False)
        finally:
            set_language("en")
        if kind == "sh":
            assert result.exit_code == 0, f"{line}\n{result.stdout}{result.stderr}"
            continue
        shown += 1
        assert _lines(result.stdout + result.stderr) == _lines(documented or ""), line
    assert shown >= 15


def test_the_forbidden_gift_example_of_incentives_md(kk, business) -> None:
    text = (DOCS / "incentives.md").read_text(encoding="utf-8")
    item = re.search(r"```yaml\n(    - id: slips\n.*?)```", text, flags=re.DOTALL).group(1)
    message = re.search(r"\$ kundkit plan list\n(kundkit\.yaml:\d+:\d+: .*)\n", text).group(1)
    path = business / "kundkit.yaml"
    config = path.read_text(encoding="utf-8")
    gifts = "  gifts:                         # never personal items, clothing or jewellery\n"
    path.write_text(config.replace(gifts, gifts + item), encoding="utf-8")
    assert message in kk("plan", "list", code=1).stderr.splitlines()


def _plugin_example() -> tuple[str, list[str]]:
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    section = re.split(r"^### ", text, flags=re.MULTILINE)
    body = next(s for s in section if s.startswith("register_incentive_schemes"))
    code = re.search(r"```python\n(.*?)```", body, flags=re.DOTALL).group(1)
    console = re.search(r"```console\n\$ [^\n]*\n(.*?)```", body, flags=re.DOTALL).group(1)
    return code, console.splitlines()


def test_the_scheme_plugin_of_plugins_md_runs(kk, business, monkeypatch) -> None:
    monkeypatch.setenv("KUNDKIT_NOW", DOC_NOW)
    code, expected = _plugin_example()
    (business / "plugins").mkdir(exist_ok=True)
    (business / "plugins" / "keyproducts.py").write_text(code, encoding="utf-8")
    path = business / "kundkit.yaml"
    config = path.read_text(encoding="utf-8").replace(
        "  schemes:\n", "  schemes:\n    nyckelbonus:\n      uses: key-product-bonus\n      percent: 1\n", 1)
    path.write_text(config + "plugins:\n  - plugins/keyproducts.py\n", encoding="utf-8")
    load_example_business(kk)
    # anna: key products 19 960 + 14 985 + 19 500 = 54 445 weighted; erik: 29 970
    sell(business, "K1001", "anna", "2026-11-03", ("BM-18V", 4), ("HAM-16", 10))
    sell(business, "K1005", "anna", "2026-11-12", ("LAS-360", 1))
    sell(business, "K1008", "anna", "2026-11-24", ("STG-FAS", 2))
    sell(business, "K1002", "erik", "2026-11-05", ("LAS-360", 2))
    out = kk("incentive", "run", "--period", "2026-11", "--format", "csv").stdout
    assert [line for line in out.splitlines() if "nyckelbonus" in line] == expected


@pytest.mark.parametrize("page", ["incentives.md"])
def test_the_page_names_every_command_of_the_groups(page: str) -> None:
    from kundkit.cli.incentive import cli as incentive
    from kundkit.cli.plan import cli as plan

    text = (DOCS / page).read_text(encoding="utf-8")
    for group in (plan, incentive):
        for name in group.commands:
            assert f"kundkit {group.name} {name}" in text, f"kundkit {group.name} {name}"
