"""Shared set-up of the register tests: the example business's staff, a way to change its
``customers:`` section, and typing into prompts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from kundkit.context import Context

STAFF = ("anna", "erik", "sara", "johan", "maria", "olle")
DOWN = "\x1b[B"
ENTER = "\r"


def context(business: Path, **kwargs: Any) -> Context:
    return Context(config_path=business / "kundkit.yaml", **kwargs)


def set_customers_section(business: Path, section: dict[str, Any]) -> None:
    path = business / "kundkit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["customers"] = section
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def add_staff(kk: Any) -> None:
    kk("staff", "import", "examples/staff.csv")


def field(out: str, label: str) -> str:
    """The value of one field of a record printed as a two-column table."""
    match = re.search(rf"^{re.escape(label)}\s{{2,}}(.*?)\s*$", out, flags=re.MULTILINE)
    assert match, f"no field {label!r} in:\n{out}"
    return match.group(1)


@contextmanager
def keys(text: str) -> Iterator[None]:
    """Type ``text`` into the prompts of the command run inside the block."""
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text(text)
        yield


def store_bytes(business: Path) -> dict[str, bytes]:
    """Every file of the store, by name relative to the store folder."""
    root = business / "data"
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}
