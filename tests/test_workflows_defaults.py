"""What 'kundkit init' lays out for workflows and feedback: the shipped workflows, valid, and the
feedback and workflows sections, in Swedish and English."""

from __future__ import annotations

from pathlib import Path

import pytest

from kundkit.business import init_business
from kundkit.context import Context

REPO = Path(__file__).resolve().parent.parent
SHIPPED = ("onboarding.yaml", "complaint.yaml", "key-product-followup.yaml")


@pytest.mark.parametrize("language", ["sv", "en"])
def test_init_ships_the_workflows_and_a_working_feedback_section(tmp_path: Path, language: str) -> None:
    from kundkit.feedback_settings import feedback_settings
    from kundkit.workflows.model import disabled_workflows, workflow_files, workflows_folder
    from kundkit.workflows.validate import validate_files

    folder = tmp_path / "biz"
    init_business(folder, language=language, name="Test AB")
    for name in SHIPPED:
        assert (folder / "workflows" / name).read_text(encoding="utf-8") == \
            (REPO / "workflows" / name).read_text(encoding="utf-8")
    ctx = Context(config_path=folder / "kundkit.yaml")
    found, problems = validate_files(ctx, workflow_files(workflows_folder(ctx)))
    assert problems == [] and sorted(w.name for w in found) == [
        "complaint", "key-product-followup", "onboarding"]
    assert disabled_workflows(ctx) == {"key-product-followup"}
    settings = feedback_settings(ctx)
    assert settings.categories[0] == ("leverans" if language == "sv" else "delivery")
    assert settings.policy.target("complaint", "high").first_response.total_seconds() == 2 * 3600
    assert settings.calendar.day_length.total_seconds() == 9 * 3600
