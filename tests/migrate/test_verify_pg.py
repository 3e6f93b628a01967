"""`specc migrate verify` on a real PostgreSQL server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

import specc.db.reflect
from specc.migrate.lock import LOCK_FILE
from specc.migrate.plan import file_hash
from specc.migrate.verify import verify
from tests.migrate.harness import Project
from tests.migrate.history import history

pytestmark = pytest.mark.postgres


def _build_history(out: Path, steps: int) -> Project:
    project = Project(out)
    for step in history()[:steps]:
        assert project.build(step.spec, allow_destructive=step.destructive).errors == []
    return project


def test_verify_clean_history_passes_every_step(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    _build_history(tmp_path / "generated", 6)
    lines: list[str] = []
    # Act
    code = verify(tmp_path / "generated", pg_url, lines.append)
    # Assert
    assert code == 0, "\n".join(lines)
    assert all(line.startswith("PASS ") for line in lines)
    assert sum(line.startswith("PASS downgrade ") for line in lines) == 6
    assert "PASS database at head matches the generated models" in lines
    assert lines[-1] == "PASS upgrade base → 0006_add_messages_score again"


def test_verify_reads_every_step_s_schema_from_the_catalog(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: SQLAlchemy's reflection fails if anything uses it
    _build_history(tmp_path / "generated", 2)

    def no_reflection(*args: object, **kwargs: object) -> sa.MetaData:
        raise AssertionError("SQLAlchemy reflection was used")

    monkeypatch.setattr(specc.db.reflect, "reflect_metadata", no_reflection)
    lines: list[str] = []
    # Act
    code = verify(tmp_path / "generated", pg_url, lines.append)
    # Assert
    assert code == 0, "\n".join(lines)
    assert sum(line.startswith("PASS downgrade ") for line in lines) == 2


def test_verify_revision_edited_with_lock_forged_fails_model_comparison(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    out = tmp_path / "generated"
    _build_history(out, 2)
    revision = out / "migrations/versions/0002_add_rooms_topic.py"
    text = revision.read_text()
    forged = text.replace(
        '    op.add_column("rooms", sa.Column("topic", sa.String(50), nullable=True))\n', "    pass\n"
    )
    assert forged != text
    revision.write_text(forged)
    lock = json.loads((out / LOCK_FILE).read_text())
    lock["revisions"][1]["sha256"] = file_hash(forged)
    (out / LOCK_FILE).write_text(json.dumps(lock))
    lines: list[str] = []
    # Act
    code = verify(out, pg_url, lines.append)
    # Assert
    assert code == 1
    assert any(line.startswith("FAIL database at head matches the generated models") for line in lines)
    assert any(
        line.startswith("FAIL schema at 0002_add_rooms_topic matches the lock") and "rooms.topic" in line
        for line in lines
    )


def test_verify_edited_revision_reports_m001_and_exit_1(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    out = tmp_path / "generated"
    _build_history(out, 2)
    revision = out / "migrations/versions/0001_initial.py"
    revision.write_text(revision.read_text() + "\n# touched\n")
    lines: list[str] = []
    # Act
    code = verify(out, pg_url, lines.append)
    # Assert
    assert code == 1
    assert lines[0].startswith("FAIL M001 ")


def test_verify_no_migrations_exit_2(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    lines: list[str] = []
    # Act
    code = verify(tmp_path / "nothing", pg_url, lines.append)
    # Assert
    assert code == 2
    assert lines[0].startswith("FAIL no migrations under ")


def test_verify_unreachable_server_exit_2(tmp_path: Path) -> None:
    # Arrange
    _build_history(tmp_path / "generated", 1)
    lines: list[str] = []
    # Act
    code = verify(tmp_path / "generated", "postgresql+psycopg://postgres@127.0.0.1:1/postgres", lines.append)
    # Assert
    assert code == 2
    assert lines[-1].startswith("FAIL cannot reach the database server")


def test_verify_role_without_createdb_exit_2_with_message(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    _build_history(tmp_path / "generated", 1)
    role = f"specc_nocreatedb_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN NOCREATEDB'))
    url = sa.make_url(pg_url).set(username=role).render_as_string(hide_password=False)
    lines: list[str] = []
    try:
        # Act
        code = verify(tmp_path / "generated", url, lines.append)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP ROLE "{role}"'))
        admin.dispose()
    # Assert
    assert code == 2
    assert len(lines) == 1
    assert lines[0].startswith("FAIL cannot create a scratch database: permission denied to create database")
