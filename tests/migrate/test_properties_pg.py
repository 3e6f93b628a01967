"""Property-based: a migration from random schema A to a random edit B, on a real PostgreSQL."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.ir.model import Column, Spec, Table
from tests.db.compare import schema_differences
from tests.migrate.harness import Project, expected_db
from tests.migrate.strategies import DataEdit, data_preserving_edits, edited, schemas

pytestmark = pytest.mark.postgres

PROPERTY_SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _reset(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))


@pytest.fixture
def database(pg_url: str) -> Iterator[str]:
    yield pg_url


@st.composite
def schema_and_edit(draw: st.DrawFn) -> tuple[Spec, Spec]:
    a = draw(schemas())
    return a, draw(edited(a))


@PROPERTY_SETTINGS
@given(pair=schema_and_edit())
def test_migration_a_to_b_upgrades_to_exactly_b_and_downgrades_to_exactly_a(
    database: str, pair: tuple[Spec, Spec]
) -> None:
    # Arrange
    a, b = pair
    folder = tempfile.TemporaryDirectory(prefix="specc_prop_")
    project = Project(Path(folder.name) / "generated", database)
    _reset(project.engine)
    try:
        first = project.build(a)
        project.upgrade()
        # Act
        second = project.build(b, allow_destructive=True)
        project.upgrade()
        at_b = project.db_schema()
        differences = project.model_differences()
        if second.new_revisions:
            project.downgrade("-1")
        at_a = project.db_schema()
    finally:
        project.close()
        folder.cleanup()
    # Assert
    assert first.errors == [] and second.errors == []
    assert len(second.new_revisions) == (0 if expected_db(a) == expected_db(b) else 1)
    assert schema_differences(at_b, expected_db(b)) == []
    assert differences == []
    assert schema_differences(at_a, expected_db(a)) == []


_SAMPLE_VALUES: dict[str, Any] = {
    "BIGINT": 9_000_000_000,
    "INTEGER": 123_456,
    "SMALLINT": 12,
    "VARCHAR(20)": "twenty chars at most",
    "VARCHAR(200)": "a longer value",
    "TEXT": "some text",
    "BOOLEAN": True,
    "DATE": "2026-01-02",
    "NUMERIC(10,2)": "12.50",
    "ENUM('a','b')": "b",
    "TIMESTAMPTZ": "2026-01-02T03:04:05+00:00",
    "UUID": "0b7e6a4c-1f5d-4c2e-9a7b-3d2f1e0c9b8a",
    "JSONB": '{"k": [1, 2]}',
    "TEXT[]": "{one,two}",
}


def _insert_rows(engine: sa.Engine, spec: Spec) -> dict[tuple[str, str], Any]:
    """One row per table with a value in every column that has a sample value; returns what was written."""
    written: dict[tuple[str, str], Any] = {}
    with engine.begin() as conn:
        for table in spec.tables:
            values = {
                c.name: _SAMPLE_VALUES[c.type]
                for c in table.columns
                if not c.primary_key and c.foreign_key is None
            }
            cols = ", ".join(f'"{k}"' for k in values)
            params = ", ".join(f":{k}" for k in values)
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({params})' if values else None
            conn.execute(sa.text(sql or f'INSERT INTO "{table.name}" DEFAULT VALUES'), values)
            written |= {(table.name, k): v for k, v in values.items()}
    return written


def _read(engine: sa.Engine, table: str, column: str) -> Any:
    """The stored value as Python sees it (so 123456 == Decimal("123456.00") after a widening)."""
    with engine.connect() as conn:
        return conn.execute(sa.text(f'SELECT "{column}" FROM "{table}"')).scalar_one()


@st.composite
def schema_and_data_edit(draw: st.DrawFn) -> tuple[Spec, DataEdit]:
    a = draw(schemas())
    return a, draw(data_preserving_edits(a))


@PROPERTY_SETTINGS
@given(pair=schema_and_data_edit())
def test_migration_rows_survive_renames_and_widenings(database: str, pair: tuple[Spec, DataEdit]) -> None:
    # Arrange
    a, edit = pair
    folder = tempfile.TemporaryDirectory(prefix="specc_data_")
    project = Project(Path(folder.name) / "generated", database)
    _reset(project.engine)
    try:
        project.build(a)
        project.upgrade()
        before = {key: _read(project.engine, *key) for key in _insert_rows(project.engine, a)}
        result = project.build(edit.spec)
        # Act
        project.upgrade()
        after = {key: _read(project.engine, *edit.columns[key]) for key in before}
    finally:
        project.close()
        folder.cleanup()
    # Assert
    assert result.errors == []
    assert after == before


def _column(name: str, type_: str, **extra: Any) -> Column:
    return Column(name=name, type=type_, nullable=False, **extra)


def test_migration_downgrade_restores_check_text_when_renamed_column_changed_type(database: str) -> None:
    # Arrange
    ident = _column("id", "BIGINT", primary_key=True, autoincrement=True)
    a = Spec(
        tables=(Table(name="boards", columns=(ident, _column("charlie", "INTEGER", check="charlie >= 0"))),)
    )
    echo = _column("echo", "NUMERIC(12,2)", check="echo >= 0", renamed_from="charlie")
    b = Spec(tables=(Table(name="boards", columns=(ident, echo)),))
    folder = tempfile.TemporaryDirectory(prefix="specc_prop_")
    project = Project(Path(folder.name) / "generated", database)
    try:
        project.build(a)
        project.upgrade()
        project.build(b, allow_destructive=True)
        project.upgrade()

        # Act
        project.downgrade("-1")
        at_a_db = project.db_schema()
    finally:
        project.close()
        folder.cleanup()

    # Assert
    assert schema_differences(at_a_db, expected_db(a)) == []
