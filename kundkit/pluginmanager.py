"""Finding and loading plugins, and collecting what they register.

Order: the built-in plugins (every module in ``kundkit/plugins/``), then installed packages with an
entry point in the group ``kundkit``, then the business's own modules named under ``plugins:`` in
``kundkit.yaml`` (a ``.py`` file or a folder of them). ``KUNDKIT_LOAD_PLUGINS=a,b`` limits which of
the external ones load (an empty value loads none). Under pytest, installed packages load only when
named there, so that tests do not depend on what happens to be installed.

A plugin that fails to import, or implements a hook that does not exist, is reported by name with
the reason; kundkit goes on without it.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import pkgutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from kundkit import hookspecs
from kundkit.errors import PluginError
from kundkit.i18n import _

GROUP = "kundkit"


@dataclass
class PluginInfo:
    name: str
    source: str  # built-in | package | local
    version: str
    location: str
    hooks: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Plugins:
    """The loaded plugin manager and what it knows about each plugin."""

    pm: pluggy.PluginManager
    infos: dict[str, PluginInfo]
    _registries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def hook(self) -> Any:
        return self.pm.hook

    @property
    def failures(self) -> list[PluginInfo]:
        return [info for info in self.infos.values() if info.error]

    def collect(self, hook_name: str, what: str) -> dict[str, Any]:
        """Call a ``register_*`` hook of every plugin; name → registered object.

        Two things registered under one name is an error that names both plugins.
        """
        if hook_name in self._registries:
            return self._registries[hook_name]
        found: dict[str, Any] = {}
        owners: dict[str, str] = {}
        caller = getattr(self.pm.hook, hook_name)
        # get_hookimpls() is in registration order: built-ins, packages, then local files.
        for impl in caller.get_hookimpls():
            def register(obj: Any, _plugin: str = impl.plugin_name) -> None:
                name = getattr(obj, "name", None)
                if not isinstance(name, str) or not name:
                    raise PluginError(_("plugin '{plugin}' registered a {what} without a name").format(
                        plugin=_plugin, what=what))
                if name in found:
                    raise PluginError(_("two plugins register the {what} '{name}': '{first}' and "
                                        "'{second}'").format(what=what, name=name,
                                                            first=owners[name], second=_plugin))
                found[name] = obj
                owners[name] = _plugin

            kwargs = {"register": register}
            impl.function(**{k: v for k, v in kwargs.items() if k in impl.argnames})
        self._registries[hook_name] = found
        return found

    def config_sections(self) -> dict[str, dict[str, Any]]:
        sections: dict[str, dict[str, Any]] = {}
        for impl in self.pm.hook.config_schema.get_hookimpls():
            for name, schema in (impl.function() or {}).items():
                if name in sections:
                    raise PluginError(_("two plugins define the configuration section '{name}'").format(
                        name=name))
                sections[name] = schema
        return sections


def _allowed() -> set[str] | None:
    value = os.environ.get("KUNDKIT_LOAD_PLUGINS")
    if value is None:
        return None
    return {item.strip() for item in value.split(",") if item.strip()}


def _hooks_of(pm: pluggy.PluginManager, plugin: object) -> list[str]:
    return sorted(caller.name for caller in (pm.get_hookcallers(plugin) or []))


def _register(pm: pluggy.PluginManager, infos: dict[str, PluginInfo], plugin: object,
              info: PluginInfo) -> None:
    if info.name in infos and not infos[info.name].error:
        info.error = _("a plugin named '{name}' is already loaded from {where}").format(
            name=info.name, where=infos[info.name].location)
        infos[f"{info.name} ({info.location})"] = info
        return
    try:
        pm.register(plugin, name=info.name)
        pm.check_pending()
    except (pluggy.PluginValidationError, ValueError) as exc:
        if pm.is_registered(plugin):
            pm.unregister(plugin)
        info.error = str(exc)
    else:
        info.hooks = _hooks_of(pm, plugin)
    infos[info.name] = info


def _any_entry_points() -> bool:
    """Whether any installed distribution declares an entry point in the group ``kundkit``.

    importlib.metadata costs some 40 ms (it imports the email package to read metadata); a look at
    the distributions' ``entry_points.txt`` files is cheaper, and in the common case — no plugin
    package installed — it is all that start-up pays.
    """
    marker = f"[{GROUP}]".encode()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as fh:
                        if marker in fh.read():
                            return True
                except OSError:
                    continue
    return False


def builtin_modules() -> list[str]:
    import kundkit.plugins as package

    return sorted(f"kundkit.plugins.{m.name}" for m in pkgutil.iter_modules(package.__path__))


def _load_file(path: Path) -> ModuleType:
    module_name = f"kundkit_local_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(module_name, None)
        raise
    return module


def load_plugins(local_paths: list[Path] | None = None) -> Plugins:
    from kundkit import __version__

    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    infos: dict[str, PluginInfo] = {}
    for module_name in builtin_modules():
        short = module_name.rsplit(".", 1)[1]
        info = PluginInfo(short, "built-in", __version__, module_name)
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # a broken built-in must not stop the others
            info.error = f"{type(exc).__name__}: {exc}"
            infos[short] = info
            continue
        _register(pm, infos, module, info)

    allowed = _allowed()
    testing = hasattr(sys, "_called_from_test")
    if not (testing and allowed is None) and _any_entry_points():
        from importlib.metadata import entry_points

        for ep in entry_points(group=GROUP):
            if allowed is not None and ep.name not in allowed:
                continue
            version = getattr(getattr(ep, "dist", None), "version", "") or ""
            info = PluginInfo(ep.name, "package", version, ep.value)
            try:
                plugin = ep.load()
            except Exception as exc:
                info.error = f"{type(exc).__name__}: {exc}"
                infos[ep.name] = info
                continue
            _register(pm, infos, plugin, info)

    for path in local_paths or []:
        files = sorted(path.glob("*.py")) if path.is_dir() else [path]
        if not path.exists():
            infos[path.stem] = PluginInfo(path.stem, "local", "", str(path),
                                          error=_("no such file or folder"))
            continue
        for file in files:
            if file.name.startswith("_") or (allowed is not None and file.stem not in allowed):
                continue
            info = PluginInfo(file.stem, "local", "", str(file))
            try:
                module = _load_file(file)
            except Exception as exc:
                info.error = f"{type(exc).__name__}: {exc}"
                infos[file.stem] = info
                continue
            info.version = str(getattr(module, "__version__", ""))
            _register(pm, infos, module, info)
    return Plugins(pm=pm, infos=infos)
