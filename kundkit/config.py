"""``kundkit.yaml``: finding it, reading it, and validating it with located messages.

The core owns a few top-level keys (below); every other section belongs to a plugin, built-in or
not, that contributes its JSON Schema through the ``config_schema`` hook and may add semantic checks
through ``check_config``. Unknown keys and wrong types are reported as
``kundkit.yaml:LINE:COL: message``, all of them in one run.

Validation needs jsonschema, which is slow to import; a configuration that validated once is
remembered (by a hash of its text and of the schema) so that later commands skip the work.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from kundkit.errors import ConfigError, ConfigProblems, Problem
from kundkit.i18n import _
from kundkit.yamldoc import YamlDoc, parse_yaml

from kundkit.locate import CONFIG_ENV, CONFIG_NAME, find_config  # noqa: F401  (re-exported)

_TEXT = {"type": "string"}
CORE_SCHEMA: dict[str, Any] = {
    "business": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": _TEXT,
            "orgnr": {"type": "string", "description": "organisation number, e.g. 556036-0793"},
            "address": {"type": "array", "items": _TEXT},
            "phone": _TEXT,
            "email": _TEXT,
            "website": _TEXT,
            "opt_out": {"type": "object", "additionalProperties": False,
                        "properties": {"sv": _TEXT, "en": _TEXT}},
        },
    },
    "language": {"enum": ["sv", "en"]},
    "currency": {"type": "string", "pattern": "^[A-Z]{3}$",
                 "description": "a three-letter ISO 4217 code such as SEK"},
    "region": {"type": "string", "pattern": "^[A-Z]{2}$",
               "description": "a two-letter country code such as SE, for phone numbers"},
    "timezone": _TEXT,
    "store": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "path": _TEXT,
            "backups": _TEXT,
            "lock_timeout": {"type": "number", "exclusiveMinimum": 0},
        },
    },
    "plugins": {"type": "array", "items": _TEXT},
}


def config_schema(sections: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The whole JSON Schema of ``kundkit.yaml``: the core keys and the plugins' sections."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "kundkit.yaml",
        "type": "object",
        "additionalProperties": False,
        "required": ["business"],
        "properties": {**CORE_SCHEMA, **sections},
    }


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass
class Config:
    """A read ``kundkit.yaml``. Paths in it are relative to the file's folder."""

    path: Path
    doc: YamlDoc

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    @property
    def root(self) -> Path:
        return self.path.resolve().parent

    def section(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value

    def resolve(self, value: str | os.PathLike[str]) -> Path:
        path = Path(value)
        return path if path.is_absolute() else self.root / path

    @property
    def language(self) -> str:
        return str(self.data.get("language") or "en")

    @property
    def currency(self) -> str:
        return str(self.data.get("currency") or "SEK")

    @property
    def region(self) -> str:
        return str(self.data.get("region") or "SE")

    @property
    def business_name(self) -> str:
        return str(self.section("business", {}).get("name", ""))

    @property
    def timezone(self) -> tzinfo:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        name = str(self.data.get("timezone") or "Europe/Stockholm")
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigProblems([self.problem(("timezone",), _("unknown time zone '{name}'").format(
                name=name))]) from None

    @property
    def store_path(self) -> Path:
        return self.resolve(self.section("store", {}).get("path", "data"))

    @property
    def backups_path(self) -> Path:
        return self.resolve(self.section("store", {}).get("backups", "backups"))

    @property
    def lock_timeout(self) -> float | None:
        value = self.section("store", {}).get("lock_timeout")
        return float(value) if value is not None else None

    @property
    def plugin_paths(self) -> list[Path]:
        value = self.data.get("plugins") or []
        if not isinstance(value, list):
            return []
        return [self.resolve(item) for item in value if isinstance(item, str)]

    def problem(self, path: tuple[Any, ...], message: str, *, key: bool = False) -> Problem:
        """A located problem in this file, for semantic checks (e.g. a forbidden gift)."""
        return self.doc.problem(path, message, key=key)


def read_config(path: Path) -> Config:
    """Parse ``kundkit.yaml`` (syntax only; :func:`validate_config` checks the content)."""
    display = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(_("{file}: no such configuration file").format(file=display)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_("{file}: cannot read the configuration ({reason})").format(
            file=display, reason=exc)) from None
    doc, problems = parse_yaml(text, display)
    if problems:
        raise ConfigProblems(problems)
    if not isinstance(doc.data, dict):
        raise ConfigProblems([Problem(display, 1, 1, _("the configuration must be a mapping of keys"))])
    config = Config(path=path, doc=doc)
    config._text = text  # type: ignore[attr-defined]
    return config


def _cache_file(config: Config) -> Path:
    return config.store_path / ".config-ok"


def code_stamp() -> str:
    """The newest modification time of kundkit's own modules: a configuration validated by other
    code (an upgrade, or a developer's edit) is validated again."""
    newest = 0
    for folder, _dirs, files in os.walk(Path(__file__).parent):
        for name in files:
            if name.endswith(".py"):
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return str(newest)


def config_cached(config: Config, fingerprint: str) -> bool:
    """Whether exactly this configuration passed validation under exactly these plugins before."""
    try:
        return _cache_file(config).read_text() == _digest(config, fingerprint)
    except OSError:
        return False


def _digest(config: Config, fingerprint: str) -> str:
    from kundkit import __version__

    text = getattr(config, "_text", "")
    return hashlib.sha256("\0".join((text, fingerprint, __version__, code_stamp())).encode()).hexdigest()


def validate_config(config: Config, sections: dict[str, dict[str, Any]],
                    checks: list[Problem] | Callable[[], list[Problem]] | None = None,
                    fingerprint: str = "") -> None:
    """Raise :class:`ConfigProblems` listing every problem, or return if the file is valid.

    ``checks`` are the plugins' semantic checks, or a function giving them. A configuration that
    passes is remembered (:func:`config_cached`) under ``fingerprint`` — the loaded plugins with
    their versions and local files' times — with kundkit's version and code.
    """
    from kundkit.schemacheck import validate

    problems = validate(config.doc, config_schema(sections))
    problems += (checks() if callable(checks) else checks) or []
    if problems:
        raise ConfigProblems(problems)
    if config.store_path.is_dir():
        try:
            _cache_file(config).write_text(_digest(config, fingerprint))
        except OSError:
            pass  # a read-only store folder only costs the next command the validation
