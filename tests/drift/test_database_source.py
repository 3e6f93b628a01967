"""The database and migrations sources of `specc drift` (and `specc migrate verify`) read the database
straight from its catalog (`specc.db.catalog`), not through SQLAlchemy's reflection."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import NoReturn

import pytest

import specc.db.reflect
from specc.config import Config
from specc.db.lower import lower
from specc.drift.sources import read_migrations
from specc.frontend import load
from tests.drift.support import ROOT, SERVER_URL, SPEC, brief, drop_template, example_database, run_drift

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module", autouse=True)
def _template_database() -> Iterator[None]:
    yield
    drop_template()


def test_drift_database_foreign_key_to_another_schema_does_not_bring_that_schema_s_table_in(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a column the spec lacks, referencing a table of another schema
    statements = (
        "CREATE SCHEMA audit",
        "CREATE TABLE audit.people (id integer PRIMARY KEY)",
        "ALTER TABLE users ADD COLUMN auditor_id integer REFERENCES audit.people (id)",
    )
    with example_database(*statements) as url:
        # Act
        code, report, err = run_drift(["--database-url", url, "--only", "database"], capsys, monkeypatch)
    # Assert: the extra column and its foreign key, not the other schema's table
    assert code == 1, err
    assert brief(report) == [
        ("D105", "database", "users.auditor_id"),
        ("D122", "database", "users.auditor_id foreign key"),
    ]


def _no_reflection(*args: object, **kwargs: object) -> NoReturn:
    raise AssertionError("SQLAlchemy reflection was used")


def test_read_migrations_reads_the_scratch_database_from_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    # Arrange: SQLAlchemy's reflection fails if anything uses it
    monkeypatch.setattr(specc.db.reflect, "reflect_metadata", _no_reflection)
    spec = load(SPEC, None, Config(root=SPEC.parent)).spec
    # Act
    schema = read_migrations(ROOT / "generated" / "migrations", SERVER_URL, [], [ROOT], ROOT)
    # Assert
    assert schema.canonical() == lower(spec).canonical()


def test_checked_url_leaves_alembic_unimported_when_drift_reads_a_database() -> None:
    # Arrange: a fresh interpreter, so no other test's imports count
    code = (
        "import sys\n"
        "from specc.drift.sources import checked_url\n"
        "checked_url('postgresql://reader@127.0.0.1/app', '--database-url')\n"
        "print(sorted(m for m in sys.modules if m == 'alembic' or m.startswith('alembic.')))\n"
    )
    # Act
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # Assert: the database source's start-up does not pay for importing Alembic
    assert result.stdout.strip() == "[]"
