"""The generated Alembic environment through Alembic's command API: `history` shows each revision's message,
and `upgrade` logs the revisions it runs (alembic.ini's logging section)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from specc.ir.model import Column
from tests.migrate.harness import Project
from tests.migrate.samples import add_column, chat

pytestmark = pytest.mark.postgres


def _two_revisions(out: Path) -> None:
    project = Project(out)
    project.build(chat())
    project.build(add_column(chat(), "rooms", Column(name="topic", type="TEXT")))


def test_alembic_history_shows_each_revision_message_after_upgrade(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    out = tmp_path / "generated"
    _two_revisions(out)
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with engine.begin() as connection:
        upgrade_config = Config(str(out / "migrations" / "alembic.ini"))
        upgrade_config.attributes["connection"] = connection
        command.upgrade(upgrade_config, "head")
    engine.dispose()
    shown = io.StringIO()
    config = Config(str(out / "migrations" / "alembic.ini"), stdout=shown)

    # Act
    command.history(config)

    # Assert
    lines = shown.getvalue().splitlines()
    assert lines == [
        "0001_initial -> 0002_add_rooms_topic (head), Add column rooms.topic",
        "<base> -> 0001_initial, Initial schema: 4 tables",
    ]


def test_alembic_upgrade_logs_each_revision_when_run_through_command_api(tmp_path: Path, pg_url: str) -> None:
    # Arrange: a fresh process, as a script or the `alembic` command runs it (logging not configured)
    out = tmp_path / "generated"
    _two_revisions(out)
    script = (
        "import sys\n"
        "from alembic import command\n"
        "from alembic.config import Config\n"
        "command.upgrade(Config(sys.argv[1]), 'head')\n"
    )
    env = {**os.environ, "DATABASE_URL": pg_url}

    # Act
    run = subprocess.run(
        [sys.executable, "-c", script, str(out / "migrations" / "alembic.ini")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    # Assert
    assert run.returncode == 0, run.stderr
    assert "INFO  [alembic.runtime.migration] Running upgrade  -> 0001_initial, Initial schema" in run.stderr
    assert "Running upgrade 0001_initial -> 0002_add_rooms_topic, Add column rooms.topic" in run.stderr
