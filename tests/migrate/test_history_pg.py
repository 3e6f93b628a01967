"""A scripted history on the chat schema, on a real PostgreSQL: one revision per edit, every change kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.db.compare import schema_differences
from tests.migrate.harness import Project, expected_db
from tests.migrate.history import history

pytestmark = pytest.mark.postgres


def test_history_each_edit_one_revision_upgrades_clean_and_downgrade_restores_previous(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    project = Project(tmp_path / "generated", pg_url)
    steps = history()
    previous = None
    try:
        for number, step in enumerate(steps, start=1):
            # Act
            result = project.build(step.spec, allow_destructive=step.destructive)
            project.upgrade()
            # Assert
            assert result.errors == [], step.name
            assert len(result.new_revisions) == 1, step.name
            assert result.new_revisions[0].startswith(f"migrations/versions/{number:04d}_"), step.name
            assert project.model_differences() == [], step.name
            assert schema_differences(project.db_schema(), expected_db(step.spec)) == [], step.name
            if previous is not None:
                project.downgrade("-1")
                restored = project.db_schema()
                assert schema_differences(restored, expected_db(previous)) == [], f"downgrade of {step.name}"
                project.upgrade()
            previous = step.spec
        project.downgrade("base")
        assert project.leftovers() == []
    finally:
        project.close()


def test_history_rebuild_same_spec_writes_no_revision(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path / "generated")
    spec = history()[1].spec
    project.build(spec)
    # Act
    again = project.build(spec)
    # Assert
    assert again.errors == []
    assert again.new_revisions == []
    assert project.revision_files() == ["0001_initial.py"]
