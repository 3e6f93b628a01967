"""Making a column NOT NULL on a table with rows, on a real PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from specc.ir.model import Column
from tests.migrate.harness import Project
from tests.migrate.samples import add_column, chat, edit_column

pytestmark = pytest.mark.postgres


def test_upgrade_not_null_with_default_fills_existing_null_rows(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    project = Project(tmp_path / "generated", pg_url)
    with_topic = add_column(chat(), "rooms", Column(name="topic", type="TEXT"))
    try:
        assert project.build(with_topic).errors == []
        project.upgrade()
        with project.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO rooms (name, topic) VALUES ('lobby', NULL), ('dev', 'code')"))
        required = edit_column(with_topic, "rooms", "topic", nullable=False, default="'general'")
        result = project.build(required)
        # Act
        project.upgrade()
        with project.engine.connect() as conn:
            topics = conn.execute(sa.text("SELECT name, topic FROM rooms ORDER BY name")).all()
        project.downgrade("-1")
        with project.engine.connect() as conn:
            nullable = conn.execute(
                sa.text(
                    "SELECT is_nullable FROM information_schema.columns "
                    "WHERE table_name = 'rooms' AND column_name = 'topic'"
                )
            ).scalar_one()
    finally:
        project.close()
    # Assert
    assert result.errors == []
    assert [tuple(row) for row in topics] == [("dev", "code"), ("lobby", "general")]
    assert nullable == "YES"
