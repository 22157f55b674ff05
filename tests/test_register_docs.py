"""docs/customers.md is a session on the example business: every command in it is run, in order,
and must print what the page shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parent.parent / "docs" / "customers.md"
# The pseudonym of a forgotten customer is random by design.
_PSEUDONYM = re.compile(r"anon-[0-9a-f]{8}")


def _steps() -> list[tuple[str, str]]:
    """(command line, expected output) for every ``$ ...`` line of the page's console blocks."""
    steps: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL):
        command: str | None = None
        output: list[str] = []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    steps.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        if command is not None:
            steps.append((command, "\n".join(output)))
    return steps


def _normal(text: str) -> str:
    return _PSEUDONYM.sub("anon-XXXXXXXX", text).strip("\n")


def test_every_command_on_the_page_prints_what_the_page_shows(business: Path, kk: Any,
                                                              kk_process: Any) -> None:
    steps = _steps()
    assert len(steps) > 30
    for command, expected in steps:
        if command.startswith("cat "):
            (business / command[4:]).write_text(expected + "\n", encoding="utf-8")
            continue
        words = shlex.split(command)
        quiet = words[-2:] == [">", "/dev/null"]
        if quiet:
            words = words[:-2]
        if words[0] == "KUNDKIT_LANG=sv":
            result = kk_process(*words[2:], code=None, env={"KUNDKIT_LANG": "sv"})
            got = result.stdout + result.stderr
        else:
            assert words[0] == "kundkit", command
            result = kk(*words[1:], code=None)
            got = ("" if quiet else result.stdout) + result.stderr
        assert _normal(got) == _normal(expected), f"$ {command}"
