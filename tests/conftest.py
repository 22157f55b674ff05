"""Every test gets its own business folder, a frozen clock, English, and no stray environment."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

REPO = Path(__file__).resolve().parent.parent
FROZEN_NOW = "2026-11-20T10:00:00+01:00"


def pytest_configure(config: Any) -> None:
    sys._called_from_test = True  # type: ignore[attr-defined]  # no installed plugins load in tests


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("KUNDKIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("KUNDKIT_LANG", "en")
    monkeypatch.setenv("KUNDKIT_NOW", FROZEN_NOW)
    monkeypatch.chdir(tmp_path)
    from kundkit.i18n import set_language

    set_language("en")


@pytest.fixture
def business(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's example business (kundkit.yaml, standards/, workflows/,
    plugins/ if any), without its data, as the current folder."""
    biz = tmp_path / "biz"
    biz.mkdir()
    shutil.copy(REPO / "kundkit.yaml", biz / "kundkit.yaml")
    for sub in ("standards", "workflows", "plugins", "templates", "examples"):
        if (REPO / sub).is_dir():
            shutil.copytree(REPO / sub, biz / sub)
    monkeypatch.chdir(biz)
    return biz


@pytest.fixture
def kk(business: Path) -> Callable[..., Result]:
    """Run a kundkit command in-process: ``kk("customer", "list", code=0)``."""
    from kundkit.cli.app import cli

    def run(*args: str, code: int | None = 0, input: str | None = None,
            env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (
                f"exit {result.exit_code} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    return run


@pytest.fixture
def kk_process(business: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``kundkit`` as a real process in the business folder."""

    def run(*args: str, code: int | None = 0, env: dict[str, str] | None = None,
            input: str | None = None) -> subprocess.CompletedProcess[str]:
        full_env = {**os.environ, **(env or {})}
        result = subprocess.run([sys.executable, "-m", "kundkit", *args], cwd=business, env=full_env,
                                capture_output=True, text=True, input=input, timeout=120)
        if code is not None:
            assert result.returncode == code, (
                f"exit {result.returncode} != {code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
        return result

    return run
