"""docs/customers.md is a session on the example business: every command in it is run, in order,
and must print what the page shows."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.docs_replay import Command, Outcome, read_page, replay, report, run_in_process, \
    stdout_then_stderr

# The pseudonym of a forgotten customer is random by design.
_PSEUDONYM = re.compile(r"anon-[0-9a-f]{8}")


def _normal(text: str) -> str:
    return _PSEUDONYM.sub("anon-XXXXXXXX", text).strip("\n")


def test_every_command_on_the_page_prints_what_the_page_shows(business: Path,
                                                              kk_process: Any) -> None:
    def run(command: Command) -> Outcome:
        if not command.env:
            return run_in_process(command)
        # The page's Swedish examples run as a real process, as a reader would run them.
        result = kk_process(*command.argv, code=None, env=command.env)
        return Outcome(result.returncode, result.stdout, result.stderr,
                       result.stdout + result.stderr)

    steps = read_page("customers.md")
    assert len(steps) > 30
    wrong = replay(steps, business, run=run, seen=stdout_then_stderr, same=_normal)
    assert not wrong, report(wrong)
