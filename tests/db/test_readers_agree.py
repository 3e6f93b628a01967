"""One model, three readers: a spec lowered, its generated models read, and the database its migrations
build reflected are the same `DbSchema`."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from specc.db.lower import lower
from specc.db.metadata import db_from_metadata
from specc.db.model import DbSchema
from specc.db.reflect import read_database
from specc.diagnostics import Reporter
from specc.migrate.database import load_models_metadata, upgrade
from specc.parse import parse_spec

ROOT = Path(__file__).resolve().parents[2]


def _example_schema() -> DbSchema:
    text = (ROOT / "docs/example/ARCHITECTURE.md").read_text(encoding="utf-8")
    return lower(parse_spec(text, "docs/example/ARCHITECTURE.md", Reporter()).spec).canonical()


def test_db_from_metadata_generated_models_equal_the_lowered_spec() -> None:
    # Arrange
    metadata = load_models_metadata(ROOT / "generated")
    # Act
    read = db_from_metadata(metadata).canonical()
    # Assert
    assert read == _example_schema()
    assert {t.name for t in read.tables} >= {"users", "rooms", "messages"}


def test_db_from_metadata_unnamed_constraints_get_the_servers_names() -> None:
    # Arrange: a hand-written model without a naming convention
    metadata = sa.MetaData()
    sa.Table("teams", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "people",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200), unique=True, nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id", ondelete="CASCADE")),
    )
    # Act
    people = db_from_metadata(metadata).table("people")
    # Assert
    assert people is not None and people.primary_key is not None
    assert people.primary_key.name == "people_pkey"
    assert [u.name for u in people.uniques] == ["people_email_key"]
    assert [(f.name, f.ref_table, f.ref_columns, f.on_delete) for f in people.foreign_keys] == [
        ("people_team_id_fkey", "teams", ("id",), "CASCADE")
    ]
    assert [c.autoincrement for c in people.columns] == [True, False, False]


def test_read_database_after_the_example_migrations_equals_the_lowered_spec(pg_url: str) -> None:
    # Arrange
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    upgrade(ROOT / "generated", engine)
    engine.dispose()
    # Act
    read = read_database(pg_url).canonical()
    # Assert
    assert read == _example_schema()
