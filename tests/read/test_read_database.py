"""Reading a live PostgreSQL database that was NOT made by specc: PostgreSQL's own spellings and default
names must normalise to the same IR a spec gives."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table
from specc.read import schema_part, spec_from_database

pytestmark = pytest.mark.postgres

DDL = """
CREATE TYPE account_kind AS ENUM ('person', 'company');
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email varchar(255) NOT NULL UNIQUE,
    kind account_kind NOT NULL DEFAULT 'person',
    nickname text DEFAULT 'anon',
    balance numeric(12, 2) NOT NULL DEFAULT 0 CHECK (balance >= 0),
    tags text[] NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT NOW()
);
CREATE TABLE notes (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint REFERENCES accounts (id) ON DELETE CASCADE,
    body text NOT NULL,
    meta jsonb,
    CONSTRAINT body_not_blank CHECK (char_length(body) > 0)
);
CREATE INDEX notes_account_id_idx ON notes (account_id);
CREATE INDEX notes_meta_gin ON notes USING gin (meta);
CREATE INDEX notes_lower_body ON notes (lower(body));
"""


def _execute(url: str, ddl: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(ddl)
    finally:
        engine.dispose()


def _expected_spec() -> Spec:
    accounts = Table(
        name="accounts",
        columns=(
            Column(name="id", type="BIGSERIAL", nullable=False, primary_key=True, autoincrement=True),
            Column(name="email", type="VARCHAR(255)", nullable=False, unique=True),
            Column(name="kind", type="ENUM('person','company')", nullable=False, default="'person'"),
            Column(name="nickname", type="TEXT", default="'anon'"),
            Column(name="balance", type="NUMERIC(12,2)", nullable=False, default="0", check="balance >= 0"),
            Column(name="tags", type="TEXT[]", nullable=False, default="'{}'"),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
    )
    notes = Table(
        name="notes",
        columns=(
            Column(name="id", type="INTEGER", nullable=False, primary_key=True, autoincrement=True),
            Column(
                name="account_id",
                type="BIGINT",
                indexed=True,
                foreign_key=ForeignKey(table="accounts", on_delete="CASCADE"),
            ),
            Column(name="body", type="TEXT", nullable=False),
            Column(name="meta", type="JSONB"),
        ),
        indexes=(Index(columns=("meta",), method="gin", name="notes_meta_gin"),),
        checks=(CheckConstraint(expression="char_length(body) > 0", name="body_not_blank"),),
    )
    return Spec(tables=(notes, accounts))


def test_spec_from_database_hand_made_schema_equals_equivalent_spec(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, DDL)
    expected = schema_part(_expected_spec())
    # Act
    reflected = spec_from_database(pg_url)
    # Assert
    assert reflected == expected


def test_spec_from_database_serial_and_identity_are_autoincrement_without_default(pg_url: str) -> None:
    # Arrange
    _execute(pg_url, DDL)
    # Act
    spec = spec_from_database(pg_url)
    # Assert
    ids = [t.columns[0] for t in spec.tables]
    assert [(c.autoincrement, c.default) for c in ids] == [(True, None), (True, None)]


def test_spec_from_database_empty_database_has_no_tables(pg_url: str) -> None:
    # Arrange
    url = pg_url
    # Act
    spec = spec_from_database(url)
    # Assert
    assert spec == Spec()
