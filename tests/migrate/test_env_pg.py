"""The generated env.py run the way users run it: the `alembic` command line with DATABASE_URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from specc.migrate.database import current_revision
from tests.migrate.harness import Project
from tests.migrate.samples import chat

pytestmark = pytest.mark.postgres


def _alembic(out: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, "-m", "alembic", "-c", str(out / "migrations" / "alembic.ini"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=out.parent)


@pytest.mark.parametrize(
    "scheme", ["postgresql+psycopg", "postgresql+asyncpg", "postgresql"], ids=["psycopg", "asyncpg", "plain"]
)
def test_env_alembic_cli_upgrade_and_downgrade_with_database_url(
    scheme: str, tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    out = tmp_path / "generated"
    Project(out).build(chat())
    url = scheme + "://" + pg_url.split("://", 1)[1]
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    # Act
    up = _alembic(out, url, "upgrade", "head")
    at_head = current_revision(engine)
    down = _alembic(out, url, "downgrade", "base")
    at_base = current_revision(engine)
    engine.dispose()
    # Assert
    assert up.returncode == 0, up.stderr
    assert down.returncode == 0, down.stderr
    assert at_head == "0001_initial"
    assert at_base is None


def test_env_without_database_url_explains_and_fails(tmp_path: Path) -> None:
    # Arrange
    out = tmp_path / "generated"
    Project(out).build(chat())
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [
        sys.executable,
        "-m",
        "alembic",
        "-c",
        str(out / "migrations" / "alembic.ini"),
        "upgrade",
        "head",
    ]
    # Act
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    # Assert
    assert result.returncode != 0
    assert "Set DATABASE_URL" in result.stderr + result.stdout


@pytest.mark.parametrize("url", ["notaurl", "postgresql://u@h:abc/db"], ids=["no-scheme", "bad-port"])
def test_env_malformed_database_url_explains_and_fails(url: str, tmp_path: Path) -> None:
    # Arrange
    out = tmp_path / "generated"
    Project(out).build(chat())
    # Act
    result = _alembic(out, url, "upgrade", "head")
    # Assert
    assert result.returncode == 1
    assert f"Malformed database URL {url!r}" in result.stderr
    assert "Traceback" not in result.stderr
