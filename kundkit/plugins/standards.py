"""Built-in plugin of the standards area: the references ``kundkit db check`` verifies."""

from __future__ import annotations

from kundkit.hookspecs import hookimpl


@hookimpl
def store_references() -> list[tuple[str, str, str]]:
    # An audit names the staff member audited; a staff member is never deleted, only made
    # inactive, so a dangling name means a damaged store.
    return [("standard_audits", "staff", "staff")]
