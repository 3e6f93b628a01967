"""Names past PostgreSQL's 63 bytes: every derived name is fitted (prefix + hash) the same way in models,
migrations, the lock and the readers, so migrations create every constraint and `migrate verify` passes."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from specc.diagnostics import Reporter, Severity
from specc.ir.model import Spec
from specc.migrate.verify import verify
from specc.parse import parse_spec
from tests.db.compare import schema_differences
from tests.emit.names_harness import ISSUE_SPEC, LONG, RICH_SPEC, build_spec
from tests.migrate.harness import Project, expected_db, initial_roundtrip

pytestmark = pytest.mark.postgres


def _spec(text: str) -> Spec:
    reporter = Reporter()
    spec = parse_spec(text, "spec.md", reporter).spec
    assert [d for d in reporter.sorted() if d.severity == Severity.ERROR] == []
    return spec


def _constraint_names(url: str, table_name: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT relname FROM pg_class WHERE oid IN (SELECT indexrelid FROM pg_index "
                    "WHERE indrelid = CAST(:t AS regclass)) ORDER BY relname"
                ),
                {"t": '"' + table_name + '"'},
            )
            return [r[0] for r in rows]
    finally:
        engine.dispose()


def test_verify_passes_and_every_constraint_exists_when_derived_names_exceed_63_bytes(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    built = build_spec(tmp_path, ISSUE_SPEC)
    assert built.exit_code == 0, built.text()
    lines: list[str] = []

    # Act
    code = verify(built.out, pg_url, lines.append)
    project = Project(built.out, pg_url)
    project.upgrade()
    names = _constraint_names(pg_url, LONG)
    project.close()

    # Assert
    assert code == 0, "\n".join(lines)
    assert len(names) == 5  # the primary key, two unique constraints, two indexes
    assert all(len(n.encode()) <= 63 for n in names)
    assert len([n for n in names if n.startswith(f"uq_{LONG}_")]) == 2
    assert len([n for n in names if n.startswith(f"ix_{LONG}_")]) == 2


def test_initial_migration_round_trips_when_multibyte_and_long_names_need_fitting(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    spec = _spec(RICH_SPEC)

    # Act
    result = initial_roundtrip(spec, tmp_path / "generated", pg_url)

    # Assert
    assert result.errors == []
    assert result.model_differences == []
    assert result.db_schema_differences == []
    assert result.leftovers_after_downgrade == []


def test_verify_passes_over_history_when_later_revisions_change_long_names(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    out = tmp_path / "generated"
    project = Project(out, pg_url)
    first = _spec(RICH_SPEC)
    second_text = (
        RICH_SPEC.replace("ENUM('new','active')", "ENUM('new','active','closed')")
        .replace(
            "| loyalty_points_balance | INTEGER | NOT NULL, CHECK",
            "| loyalty_points_balance | INTEGER | NOT NULL, UNIQUE, CHECK",
        )
        .replace("| код | TEXT | UNIQUE, NOT NULL |", "| код | TEXT | NOT NULL, indexed |")
    )
    second = _spec(second_text)
    assert project.build(first).errors == []
    assert project.build(second, allow_destructive=True).errors == []
    lines: list[str] = []

    # Act
    code = verify(out, pg_url, lines.append)
    project.upgrade()
    db = project.db_schema()
    project.close()

    # Assert
    assert code == 0, "\n".join(lines)
    assert schema_differences(db, expected_db(second)) == []
