"""The incentives documentation is true: docs/incentives.md is replayed command by command on the
example business and every output must be what the page shows; the scheme plugin of
docs/plugins.md runs and gives what its example says."""

from __future__ import annotations

import re

import pytest

from incentives_support import load_example_business, sell
from tests.docs_replay import (examples, page_text, read_page, replay, report, stdout_then_stderr,
                               trimmed_lines)

DOC_NOW = "2026-11-30T17:00:00+01:00"


def test_every_command_of_incentives_md_gives_the_output_shown(business, monkeypatch) -> None:
    monkeypatch.setenv("KUNDKIT_NOW", DOC_NOW)
    steps = read_page("incentives.md", sh=True)
    assert len(examples(steps)) >= 15
    wrong = replay(steps, business, seen=stdout_then_stderr, same=trimmed_lines)
    assert not wrong, report(wrong)


def test_the_forbidden_gift_example_of_incentives_md(kk, business) -> None:
    text = page_text("incentives.md")
    item = re.search(r"```yaml\n(    - id: slips\n.*?)```", text, flags=re.DOTALL).group(1)
    message = re.search(r"\$ kundkit plan list\n(kundkit\.yaml:\d+:\d+: .*)\n", text).group(1)
    path = business / "kundkit.yaml"
    config = path.read_text(encoding="utf-8")
    gifts = "  gifts:                         # never personal items, clothing or jewellery\n"
    path.write_text(config.replace(gifts, gifts + item), encoding="utf-8")
    assert message in kk("plan", "list", code=1).stderr.splitlines()


def _plugin_example() -> tuple[str, list[str]]:
    text = page_text("plugins.md")
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

    text = page_text(page)
    for group in (plan, incentive):
        for name in group.commands:
            assert f"kundkit {group.name} {name}" in text, f"kundkit {group.name} {name}"
