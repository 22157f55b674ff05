"""Replaying a page of documentation on the example business: the files it writes, the edits it
asks for and the commands it shows are done in the order of the page, and every command's output is
compared with what the page prints under it.

A page is read as:

- a fenced block straight after ``<!-- file: NAME -->``: a file to write (NAME is relative to the
  business folder);
- ``<!-- edit: FILE KEY.PATH = YAML -->``: a value to set in a YAML file;
- a ```console block: ``$ [VAR=value ...] kundkit ... [| head -n N] [> /dev/null]`` lines, each
  followed by the output the page shows; ``$ cat NAME`` followed by text writes that file;
- with ``sh=True``, every ``kundkit ...`` line of a ```sh block: run, its output not shown.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_FILE_MARK = re.compile(r"<!-- file: (\S+) -->\n$")
_EDIT = re.compile(r"^<!-- edit: (\S+) ([\w.]+) = (.*?) -->$", re.MULTILINE)
_ENV = re.compile(r"^[A-Z_][A-Z0-9_]*=")
# The random part of a file name a channel writes (outbox/20261120T090000Z-K1005-23d9b3135798.eml).
RANDOM_NAME = re.compile(r"-[0-9a-f]{12}\.(eml|pdf)")


@dataclass
class Example:
    """A command of the page and what the page says it prints (``shown`` is False for a line of a
    ```sh block, whose output the page does not show)."""

    command: str
    expected: str = ""
    shown: bool = True


@dataclass
class File:
    """A file the page tells the reader to write."""

    name: str
    text: str

    def apply(self, business: Path) -> None:
        path = business / self.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text, encoding="utf-8")


@dataclass
class Edit:
    """``<!-- edit: FILE KEY.PATH = YAML -->``: what the text just before tells the reader to
    change."""

    file: str
    key: str
    value: str

    def apply(self, business: Path) -> None:
        import yaml

        path = business / self.file
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        *parents, last = self.key.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = yaml.safe_load(self.value)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


Step = Example | File | Edit


def page_text(page: str | Path) -> str:
    """The text of a page, named by its file name in docs/ or by its path."""
    return (page if isinstance(page, Path) else DOCS / page).read_text(encoding="utf-8")


def read_page(page: str | Path, *, sh: bool = False) -> list[Step]:
    """Files to write, edits to make and commands to run, in the order of the page."""
    text = page_text(page)
    steps: list[Step] = []
    found = sorted([(m.start(), m) for m in FENCE.finditer(text)]
                   + [(m.start(), m) for m in _EDIT.finditer(text)], key=lambda pair: pair[0])
    for _start, match in found:
        if match.re is _EDIT:
            steps.append(Edit(*match.groups()))
            continue
        language, body = match.group(1), match.group(2)
        mark = _FILE_MARK.search(text[:match.start()])
        if mark and text[mark.end():match.start()] == "":
            steps.append(File(mark.group(1), body))
        elif language == "sh" and sh:
            steps.extend(Example(line, shown=False) for line in body.splitlines()
                         if line.startswith("kundkit "))
        elif language == "console":
            current: Example | None = None
            for line in body.splitlines():
                if line.startswith("$ "):
                    current = Example(line[2:])
                    steps.append(current)
                elif current is not None:
                    current.expected += line + "\n"
    # ``$ cat NAME`` shows the text of a file the reader writes.
    return [File(s.command[4:], s.expected)
            if isinstance(s, Example) and s.command.startswith("cat ") else s for s in steps]


def examples(steps: list[Step], *, shown: bool = True) -> list[Example]:
    return [s for s in steps if isinstance(s, Example) and s.shown == shown]


@dataclass
class Command:
    """One command line of a page: ``[VAR=value ...] kundkit ARGV [| head -n N] [> /dev/null]``."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    head: int | None = None
    quiet: bool = False  # stdout goes to /dev/null


def parse_command(line: str) -> Command:
    words = shlex.split(line)
    env: dict[str, str] = {}
    while words and _ENV.match(words[0]):
        name, _sep, value = words.pop(0).partition("=")
        env[name] = value
    quiet = words[-2:] == [">", "/dev/null"]
    if quiet:
        words = words[:-2]
    head = None
    if "|" in words:
        at_pipe = words.index("|")
        assert words[at_pipe + 1:at_pipe + 3] == ["head", "-n"], line
        head = int(words[at_pipe + 3])
        words = words[:at_pipe]
    assert words and words[0] == "kundkit", line
    return Command(words[1:], env, head, quiet)


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr as a person sees them, interleaved


def run_in_process(command: Command) -> Outcome:
    """The command run with click's CliRunner, in the language its environment names."""
    from click.testing import CliRunner

    from kundkit.cli.app import cli
    from kundkit.i18n import set_language

    set_language(command.env.get("KUNDKIT_LANG", "en"))
    try:
        result = CliRunner().invoke(cli, command.argv, env=command.env, catch_exceptions=False)
    finally:
        set_language("en")
    return Outcome(result.exit_code, result.stdout, result.stderr, result.output)


def output(outcome: Outcome) -> str:
    return outcome.output


def stdout_then_stderr(outcome: Outcome) -> str:
    return outcome.stdout + outcome.stderr


def trimmed_lines(text: str) -> list[str]:
    """The lines without trailing blanks, without the final empty lines."""
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def without_random_names(text: str) -> str:
    return RANDOM_NAME.sub(r"-<random>.\1", text)


@dataclass
class Wrong:
    """An example whose command failed or printed something else than the page shows."""

    example: Example
    outcome: Outcome
    got: str

    def __str__(self) -> str:
        return (f"$ {self.example.command}\n(exit {self.outcome.code})\n--- page:\n"
                f"{self.example.expected}--- got:\n{self.got}")


def replay(steps: list[Step], business: Path, *, run: Callable[[Command], Outcome] = run_in_process,
           seen: Callable[[Outcome], str] = output, same: Callable[[str], Any] = lambda text: text,
           must_succeed: bool = False, elided: str | None = None) -> list[Wrong]:
    """Does every step in order; returns the examples that went wrong.

    ``seen`` picks what of a command's outcome is compared; ``same`` normalises both sides before
    they are compared exactly. A ```sh line must exit 0 (nothing else of it is shown); with
    ``must_succeed`` every command must. An example whose output on the page is ``elided`` is not
    compared."""
    wrong: list[Wrong] = []
    for step in steps:
        if not isinstance(step, Example):
            step.apply(business)
            continue
        command = parse_command(step.command)
        outcome = run(command)
        if command.quiet:
            outcome = Outcome(outcome.code, "", outcome.stderr, outcome.stderr)
        got = seen(outcome)
        if command.head is not None:
            got = "".join(got.splitlines(keepends=True)[:command.head])
        if (not step.shown or must_succeed) and outcome.code != 0:
            wrong.append(Wrong(step, outcome, got))
        elif step.shown and step.expected != elided and same(got) != same(step.expected):
            wrong.append(Wrong(step, outcome, got))
    return wrong


def report(wrong: list[Wrong]) -> str:
    return "\n\n".join(str(w) for w in wrong)
