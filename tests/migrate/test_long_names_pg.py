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
from tests.emit.names_harness import build_spec, table
from tests.migrate.harness import Project, expected, expected_db, initial_roundtrip

pytestmark = pytest.mark.postgres

LONG = "orders_" + "h" * 43
"""The issue's table: 50 characters, so `uq_<table>_external_reference_1` is 74."""

ISSUE_SPEC = "# Shop\n\n" + table(
    LONG,
    "| id | BIGINT | PK, auto-increment |",
    "| external_reference_1 | TEXT | UNIQUE, NOT NULL |",
    "| external_reference_2 | TEXT | UNIQUE, NOT NULL |",
    "| lookup_key_1 | TEXT | NOT NULL, indexed |",
    "| lookup_key_2 | TEXT | NOT NULL, indexed |",
)

CYRILLIC = "заказы_покупателей_магазина"
"""27 characters, 52 bytes of UTF-8: `ck_<table>_сумма` is 33 characters but 66 bytes."""
LONG_B = "customer_" + "b" * 50

RICH_SPEC = (
    "# Shop\n\n"
    + table(
        LONG_B,
        "| id | BIGINT | PK, auto-increment |",
        "| status_of_the_customer_account | ENUM('new','active') | NOT NULL, DEFAULT 'new' |",
        "| loyalty_points_balance | INTEGER | NOT NULL, CHECK (loyalty_points_balance >= 0) |",
        "| email_address_for_notifications | TEXT | UNIQUE, NOT NULL, indexed |",
    )
    + table(
        CYRILLIC,
        "| id | BIGINT | PK, auto-increment |",
        f"| {LONG_B[:40]}_id | BIGINT | NOT NULL, FK → {LONG_B}.id, ON DELETE CASCADE, indexed |",
        "| сумма | NUMERIC(10,2) | NOT NULL, CHECK (сумма > 0) |",
        "| код | TEXT | UNIQUE, NOT NULL |",
    )
    + "### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
    + f"| {CYRILLIC} | сумма, код | UNIQUE | lookup |\n"
    + f"| {LONG_B} | loyalty_points_balance, status_of_the_customer_account | BTREE | reports |\n"
)


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
    assert result.db_schema_matches
    assert result.reflected_matches
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
    reflected = project.reflected()
    project.close()

    # Assert
    assert code == 0, "\n".join(lines)
    assert db == expected_db(second)
    assert reflected == expected(second)
