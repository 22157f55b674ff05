"""The running context of one kundkit command: configuration, plugins, store, who acts, and "now".

Domain functions take a :class:`Context` instead of globals, so that tests (and several businesses
in one process) stay apart. Everything is loaded on first use: a command that needs no plugins
does not load them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kundkit.errors import ConfigError, UsageError
from kundkit.i18n import _

if TYPE_CHECKING:
    from kundkit.config import Config
    from kundkit.pluginmanager import Plugins
    from kundkit.store import Store

NOW_ENV = "KUNDKIT_NOW"


class Context:
    def __init__(self, *, config_path: Path | None = None, actor: str | None = None,
                 no_input: bool = False, now: datetime | None = None,
                 warn: Callable[[str], None] | None = None) -> None:
        self._config_path = config_path
        self.actor = actor
        self.no_input = no_input
        self._now = now
        self.warn = warn or (lambda message: None)

    # -- configuration ---------------------------------------------------------------------------

    @cached_property
    def config_path(self) -> Path:
        from kundkit.config import find_config

        path = find_config(self._config_path)
        if path is None:
            raise ConfigError(_("no kundkit.yaml here or in a parent folder; run 'kundkit init DIR' "
                                "or give --config"))
        return path

    @cached_property
    def raw_config(self) -> Config:
        """The configuration as parsed, before its sections are validated."""
        from kundkit.config import read_config

        return read_config(self.config_path)

    @cached_property
    def config(self) -> Config:
        """The validated configuration (core keys and every plugin's section)."""
        from kundkit.config import config_cached, validate_config

        config = self.raw_config
        plugins = self.plugins

        def checks() -> list[Any]:
            found: list[Any] = []
            for result in plugins.hook.check_config(config=config):
                found.extend(result or [])
            return found

        # A local plugin file changes without a new version: its modification time counts too.
        fingerprint = ";".join(
            f"{i.name}={i.version}@{i.location}"
            + (f":{os.stat(i.location).st_mtime_ns}" if i.source == "local" and os.path.exists(i.location) else "")
            for i in plugins.infos.values())
        if not config_cached(config, fingerprint):  # the plugins' schemas import much code
            validate_config(config, plugins.config_sections(), checks, fingerprint)
        return config

    # -- plugins ----------------------------------------------------------------------------------

    @cached_property
    def plugins(self) -> Plugins:
        from kundkit.pluginmanager import load_plugins

        local: list[Path] = []
        if self._config_path is not None or self._has_config():
            local = self.raw_config.plugin_paths
        plugins = load_plugins(local)
        for info in plugins.failures:
            self.warn(_("plugin '{name}' was not loaded: {reason}").format(name=info.name,
                                                                             reason=info.error))
        return plugins

    def _has_config(self) -> bool:
        try:
            return self.config_path is not None
        except ConfigError:
            return False

    def registry(self, hook_name: str, what: str) -> dict[str, Any]:
        return self.plugins.collect(hook_name, what)

    def emit(self, event: str, **kwargs: Any) -> None:
        """Fire an event hook (after the change it reports is committed)."""
        getattr(self.plugins.hook, event)(ctx=self, **kwargs)

    # -- store ------------------------------------------------------------------------------------

    @cached_property
    def store(self) -> Store:
        from kundkit.store import Store

        config = self.config
        return Store(config.store_path, lock_timeout=config.lock_timeout, backups=config.backups_path)

    # -- time -------------------------------------------------------------------------------------

    @property
    def tz(self) -> Any:
        try:
            return self.config.timezone
        except ConfigError:
            return timezone.utc

    def now(self) -> datetime:
        """Now, in the business's time zone; ``KUNDKIT_NOW`` (ISO 8601) freezes it."""
        if self._now is None:
            frozen = os.environ.get(NOW_ENV)
            if frozen:
                try:
                    value = datetime.fromisoformat(frozen)
                except ValueError:
                    raise UsageError(_("{name} must be an ISO date and time, not '{value}'").format(
                        name=NOW_ENV, value=frozen)) from None
                if value.tzinfo is None:
                    value = value.replace(tzinfo=self.tz)
                return value
            return datetime.now(self.tz)
        return self._now

    def today(self) -> date:
        return self.now().date()

    def require_actor(self) -> str:
        if not self.actor:
            raise UsageError(_("who is acting? give --as STAFF or set KUNDKIT_USER"))
        return self.actor
