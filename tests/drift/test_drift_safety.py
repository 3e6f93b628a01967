"""Drift stays read-only and its report stays clean whatever the user's code does: migrations that read the
live database's URL from their own variable, code that prints or changes directory, exceptions that are not
`Exception`s, odd configuration, a FIFO among the tests, passwords in a URL's query."""

from __future__ import annotations

import json
import os
import textwrap
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from specc.cli import main
from tests.conftest import PG_ADMIN_URL, require_postgres
from tests.drift.support import SERVER_URL

TINY_SPEC = """\
# Tiny

## Database Schema

### users

| Column | Type         | Constraints |
| ------ | ------------ | ----------- |
| id     | BIGINT       | PK          |
| email  | VARCHAR(255) | NOT NULL    |
"""

ENV_PY = """\
import os

from alembic import context
from sqlalchemy import create_engine

print("printed by env.py")
engine = create_engine(os.environ["APP_DB"].replace("postgresql://", "postgresql+psycopg://"))
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()
"""

REVISION = """\
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), autoincrement=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
    )
"""

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

print("printed by the models")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"})


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(sa.BigInteger(), primary_key=True, autoincrement=False)
    email: Mapped[str] = mapped_column(sa.String(255), nullable=False)
"""


def _tiny(tmp_path: Path, drift: str = "") -> Path:
    (tmp_path / "ARCHITECTURE.md").write_text(TINY_SPEC, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.specc]\nspec = "ARCHITECTURE.md"\n\n[tool.specc.drift]\n' + textwrap.dedent(drift),
        encoding="utf-8",
    )
    (tmp_path / "mig" / "versions").mkdir(parents=True)
    (tmp_path / "mig" / "env.py").write_text(ENV_PY, encoding="utf-8")
    (tmp_path / "mig" / "versions" / "0001_users.py").write_text(REVISION, encoding="utf-8")
    return tmp_path


def _admin() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture
def live_database() -> Iterator[str]:
    """An empty database standing for production; its URL (postgresql://)."""
    require_postgres()
    name = f"specc_live_{uuid.uuid4().hex[:12]}"
    with _admin().connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield SERVER_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with _admin().connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _tables(url: str) -> list[str]:
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool
    )
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            return sorted(str(r[0]) for r in rows)
    finally:
        engine.dispose()


def _drift(
    args: list[str], cwd: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, str, str]:
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(["drift", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_drift_migrations_reading_the_live_url_from_their_own_variable_run_on_the_scratch_database(
    tmp_path: Path, live_database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: env.py connects to $APP_DB, which holds the live database's URL (as in production)
    project = _tiny(tmp_path)
    monkeypatch.setenv("APP_DB", live_database)
    args = [
        "--only",
        "migrations",
        "--migrations",
        "mig",
        "--database-url",
        live_database,
        "--format",
        "json",
    ]
    # Act
    code, out, err = _drift([*args, "--scratch-url", SERVER_URL], project, capsys, monkeypatch)
    # Assert: the live database is untouched, the head matches, and env.py's print is not in the report
    assert code == 0, err
    assert _tables(live_database) == []
    assert json.loads(out)["findings"] == []
    assert "printed by env.py" in err and "printed by env.py" not in out


def test_drift_migrations_that_ignore_the_scratch_database_are_an_environment_error(
    tmp_path: Path,
    live_database: str,
    pg_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Arrange: env.py connects to a database drift does not know about
    project = _tiny(tmp_path)
    elsewhere = pg_url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("APP_DB", elsewhere)
    args = ["--only", "migrations", "--migrations", "mig", "--scratch-url", SERVER_URL]
    # Act
    code, out, err = _drift(args, project, capsys, monkeypatch)
    # Assert
    assert (code, out) == (2, "")
    assert "did not run on the scratch database (it has no alembic_version)" in err
    assert _tables(live_database) == []


def test_drift_models_that_print_leave_the_json_report_parseable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _tiny(tmp_path)
    module = f"printing_models_{uuid.uuid4().hex[:8]}"
    (project / f"{module}.py").write_text(MODELS, encoding="utf-8")
    # Act
    code, out, err = _drift(
        ["--only", "models", "--models", module, "--format", "json"], project, capsys, monkeypatch
    )
    # Assert
    assert code == 0, err
    assert json.loads(out)["findings"] == []
    assert "printed by the models" in err


def test_drift_app_factory_that_changes_directory_does_not_move_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the models module changes the working directory when imported
    (tmp_path / "project").mkdir()
    project = _tiny(tmp_path / "project")
    (tmp_path / "elsewhere").mkdir()
    module = f"chdir_models_{uuid.uuid4().hex[:8]}"
    source = MODELS.replace(
        'print("printed by the models")', f"import os\nos.chdir({str(tmp_path / 'elsewhere')!r})"
    )
    (project / f"{module}.py").write_text(source, encoding="utf-8")
    # Act
    code, _, err = _drift(
        ["--only", "models", "--models", module, "-o", "report.json"], project, capsys, monkeypatch
    )
    # Assert
    assert code == 0, err
    assert (project / "report.json").is_file()
    assert not (tmp_path / "elsewhere" / "report.json").exists()
    assert Path.cwd() == project


def test_drift_module_raising_a_base_exception_is_the_users_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _tiny(tmp_path)
    module = f"base_exc_{uuid.uuid4().hex[:8]}"
    (project / f"{module}.py").write_text(
        "class Stop(BaseException):\n    def __str__(self) -> str:\n        raise RuntimeError('no str')\n\n"
        "raise Stop()\n",
        encoding="utf-8",
    )
    # Act
    code, out, err = _drift(["--only", "models", "--models", module], project, capsys, monkeypatch)
    # Assert
    assert (code, out) == (2, "")
    assert err.splitlines()[0].startswith(f"specc drift: cannot import the models {module}: Stop (")


def test_drift_output_onto_the_document_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _tiny(tmp_path)
    # Act
    code, _, err = _drift(["--only", "tests", "-o", "ARCHITECTURE.md"], project, capsys, monkeypatch)
    # Assert
    assert code == 2
    assert "is an input of drift" in err
    assert (project / "ARCHITECTURE.md").read_text(encoding="utf-8") == TINY_SPEC


def test_drift_pythonpath_with_a_nul_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _tiny(tmp_path, drift='pythonpath = ["a\\u0000b"]\nmodels = "whatever"\n')
    # Act
    code, _, err = _drift(["--only", "models"], project, capsys, monkeypatch)
    # Assert
    assert code == 2
    assert "pythonpath must be one line" in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs mkfifo")
def test_drift_tests_folder_with_a_fifo_does_not_hang(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a named pipe where a test file would be (reading it would block forever)
    project = _tiny(tmp_path)
    (project / "TESTPLAN.md").write_text(
        "# Test Plan\n\n## Feature: A\n\n### Happy Path\n\n- works {#a-works}\n", "utf-8"
    )
    (project / "tests").mkdir()
    os.mkfifo(project / "tests" / "test_pipe.py")
    # Act
    code, out, err = _drift(["--only", "tests", "--format", "json"], project, capsys, monkeypatch)
    # Assert
    assert code == 1, err
    assert [f["code"] for f in json.loads(out)["findings"]] == ["D301", "D304"]  # the pipe is not read


def test_drift_password_in_the_url_query_is_never_shown(
    live_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _tiny(tmp_path)
    url = live_database + "?password=Qu3ry-S3cret"
    # Act
    code, out, err = _drift(["--only", "database", "--database-url", url], project, capsys, monkeypatch)
    # Assert: the report names the database it read, without the password
    assert code == 1
    assert "Qu3ry-S3cret" not in out + err
    assert "password=***" in out
