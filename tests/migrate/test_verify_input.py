"""`specc migrate verify` answers bad input with a message and exit code (no database server needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specc.migrate.lock import LOCK_FILE
from specc.migrate.verify import verify
from tests.migrate.harness import Project
from tests.migrate.samples import chat

UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/postgres"


def _built(tmp_path: Path) -> Path:
    out = tmp_path / "generated"
    assert Project(out).build(chat()).errors == []
    return out


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", "FAIL malformed database URL 'notaurl'"),
        ("postgresql://u@h:abc/db", "FAIL malformed database URL 'postgresql://u@h:abc/db'"),
        ("mysql://u@h/db", "FAIL database URL 'mysql://u@h/db' is not PostgreSQL"),
        ("sqlite:///x.db", "FAIL database URL 'sqlite:///x.db' is not PostgreSQL"),
    ],
)
def test_verify_unusable_url_exit_2_with_message(tmp_path: Path, url: str, expected: str) -> None:
    # Arrange
    out = _built(tmp_path)
    lines: list[str] = []
    # Act
    code = verify(out, url, lines.append)
    # Assert
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith(expected)


def test_verify_driver_missing_exit_2_with_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Arrange
    out = _built(tmp_path)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # the driver is not importable
    lines: list[str] = []
    # Act
    code = verify(out, UNREACHABLE, lines.append)
    # Assert
    assert code == 2
    assert len(lines) == 1 and lines[0].startswith("FAIL the PostgreSQL driver psycopg is not installed")


def test_verify_lock_without_revisions_prints_reason_exit_1(tmp_path: Path) -> None:
    # Arrange
    out = _built(tmp_path)
    (out / LOCK_FILE).unlink()
    for revision in (out / "migrations" / "versions").glob("*.py"):
        revision.unlink()
    lines: list[str] = []
    # Act
    code = verify(out, UNREACHABLE, lines.append)
    # Assert
    assert code == 1
    assert lines == ["FAIL the lock file records no revision: run `specc build` first"]


SECRET = "S3cret-pw"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:notaport/postgres",
            "FAIL malformed database URL 'postgresql+psycopg://postgres:***@127.0.0.1:notaport/postgres'",
        ),
        (
            f"postgresql://postgres:{SECRET}@[::1/postgres",
            "FAIL malformed database URL 'postgresql://postgres:***@[::1/postgres'",
        ),
        (
            f"mysql://postgres:{SECRET}@127.0.0.1/db",
            "FAIL database URL 'mysql://postgres:***@127.0.0.1/db' is not PostgreSQL",
        ),
        (
            f"postgresql://postgres:{SECRET}@x@127.0.0.1:1/postgres",
            "FAIL database URL 'postgresql://postgres:***@127.0.0.1:1/postgres' has an '@'",
        ),
        (
            f"postgresql://postgres:{SECRET}@127.0.0.1:1/postgres?sslmode={SECRET}",
            "FAIL cannot reach the database server:",
        ),
    ],
)
def test_verify_never_prints_the_password_when_the_url_is_unusable(
    tmp_path: Path, url: str, expected: str
) -> None:
    # Arrange
    out = _built(tmp_path)
    lines: list[str] = []
    # Act
    code = verify(out, url, lines.append)
    # Assert
    assert code == 2
    assert lines[0].startswith(expected)
    assert not any(SECRET in line for line in lines)


def test_env_never_prints_the_password_when_database_url_is_malformed(tmp_path: Path) -> None:
    # Arrange
    out = _built(tmp_path)
    env = {**os.environ, "DATABASE_URL": f"postgresql://postgres:{SECRET}@127.0.0.1:notaport/postgres"}
    # Act
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "upgrade", "head"],
        cwd=out / "migrations",
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # Assert
    assert done.returncode != 0
    assert "Malformed database URL 'postgresql://postgres:***@127.0.0.1:notaport/postgres'" in done.stderr
    assert SECRET not in done.stdout + done.stderr
