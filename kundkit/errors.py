"""The one exception tree of kundkit.

Domain code raises these; the command line turns them into one line on stderr and an exit code
(``exit_code``: 1 for a failed operation, 2 for a usage error). Messages are already translated
when raised (wrap them in ``_()``), and name the file, line, field or record they are about.
"""

from __future__ import annotations


class KundkitError(Exception):
    """Base of every error kundkit reports to a person."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(KundkitError):
    """The command was called wrongly: a missing or malformed value. Exit code 2."""

    exit_code = 2


class MissingValue(UsageError):
    """A required value was not given and nobody can be asked (``--no-input`` or no terminal)."""

    def __init__(self, message: str, *, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


class ValidationError(KundkitError):
    """A value or record is not valid. ``field`` names the offending field when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Problem:
    """One located problem in a file: ``file:line:col: message``."""

    __slots__ = ("file", "line", "col", "message", "code")

    def __init__(self, file: str, line: int, col: int, message: str, code: str = "") -> None:
        self.file, self.line, self.col, self.message, self.code = file, line, col, message, code

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "col": self.col, "message": self.message,
                "code": self.code}


class ProblemsError(ValidationError):
    """Several located problems found in one pass (a config, a workflow, a standard, an import)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.col))
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(KundkitError):
    """``kundkit.yaml`` is missing, unreadable or invalid."""


class ConfigProblems(ProblemsError, ConfigError):
    """``kundkit.yaml`` has located problems."""


class NotFound(KundkitError):
    """A record (customer, product, run, ...) that was asked for does not exist."""


class Conflict(KundkitError):
    """The operation conflicts with existing data (a duplicate, a locked period, ...)."""


class StoreError(KundkitError):
    """The store cannot be used."""


class StoreLocked(StoreError):
    """Another kundkit process held the store's lock for longer than the timeout."""


class StoreCorrupt(StoreError):
    """A store file cannot be read. kundkit never overwrites it."""


class SchemaVersionError(StoreError):
    """The store was written by another schema version; ``kundkit db upgrade`` is needed."""


class PluginError(KundkitError):
    """A plugin failed to load or broke the plugin contract."""


class DeliveryError(KundkitError):
    """A channel could not deliver a message."""
