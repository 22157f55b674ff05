"""The plugin documentation covers every hook, and its examples are working plugins."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from kundkit import hookspecs
from kundkit.pluginmanager import load_plugins

DOC = Path(__file__).resolve().parent.parent / "docs" / "plugins.md"


def _hook_names() -> list[str]:
    return sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
                  if hasattr(fn, "kundkit_spec"))


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### (\w+)\s*$", text, flags=re.MULTILINE)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def test_the_hook_list_is_what_design_promises() -> None:
    names = _hook_names()
    for expected in ("register_channels", "register_discount_policies", "register_incentive_schemes",
                     "register_step_types", "register_commands", "customer_created",
                     "purchase_recorded", "feedback_received"):
        assert expected in names


@pytest.mark.parametrize("hook", _hook_names())
def test_every_hook_is_documented_with_arguments_and_an_example(hook: str) -> None:
    sections = _sections()
    assert hook in sections, f"docs/plugins.md has no '### {hook}' section"
    body = sections[hook]
    spec = getattr(hookspecs, hook)
    for argument in inspect.signature(spec).parameters:
        assert f"`{argument}`" in body, f"{hook}: argument '{argument}' is not described"
    assert "@hookimpl" in body and f"def {hook}(" in body, f"{hook}: no example implementation"


@pytest.mark.parametrize("hook", _hook_names())
def test_every_example_is_a_plugin_that_loads(hook: str, tmp_path: Path) -> None:
    body = _sections().get(hook, "")
    blocks = [b for b in re.findall(r"```python\n(.*?)```", body, flags=re.DOTALL) if "@hookimpl" in b]
    assert blocks, f"{hook}: no python example"
    for i, block in enumerate(blocks):
        path = tmp_path / f"example_{hook}_{i}.py"
        path.write_text(block, encoding="utf-8")
        plugins = load_plugins([path])
        info = plugins.infos[path.stem]
        assert info.error is None, f"{hook} example {i}: {info.error}"
        assert hook in info.hooks
