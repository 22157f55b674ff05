"""kundkit: organise a small business's work with its customers.

Plugin authors: ``from kundkit import hookimpl``.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Lazy, so that ``kundkit --help`` does not import pluggy.
    if name == "hookimpl":
        from kundkit.hookspecs import hookimpl

        return hookimpl
    raise AttributeError(name)
