"""`db_from_metadata` on hand-written SQLAlchemy MetaData, and the normalisation rules
(`specc.db.conventions`) it shares with `lower`: type spellings, defaults, CHECK expressions, serial columns,
the names of unnamed constraints."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.type_api import TypeEngine

from specc.db.conventions import normalize_check, normalize_default, normalize_type
from specc.db.metadata import db_from_metadata, type_text
from specc.db.model import DbCheck, DbColumn, DbEnum, DbIndex, DbPrimaryKey, DbTable, DbUnique
from specc.emit.sqlruntime import PgType


def _only_table(metadata: sa.MetaData) -> DbTable:
    tables = db_from_metadata(metadata).tables
    assert len(tables) == 1
    return tables[0]


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("NOW()", "now()"),
        ("'active'::character varying", "'active'"),
        ("'{}'::text[]", "'{}'"),
        ("'{}'::jsonb", "'{}'"),
        ("'-1'::integer", "-1"),
        ("TRUE", "true"),
        ("current_timestamp", "CURRENT_TIMESTAMP"),
        ("('x'::text)", "'x'"),
        ("gen_random_uuid()", "gen_random_uuid()"),
    ],
)
def test_normalize_default_matches_postgresql_spelling(raw: str, normal: str) -> None:
    # Arrange / Act
    result = normalize_default(raw)
    # Assert
    assert result == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("((age >= 0))", "age >= 0"),
        ("(char_length((name)::text) > 0)", "char_length(name) > 0"),
        ("(price >= (0)::numeric)", "price >= 0"),
        ("(n > '-10'::integer)", "n > -10"),
        ("(a > 0) AND (b > 0)", "(a > 0) AND (b > 0)"),
    ],
)
def test_normalize_check_strips_outer_parentheses_and_stored_casts(raw: str, normal: str) -> None:
    # Arrange / Act
    result = normalize_check(raw)
    # Assert
    assert result == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("NUMERIC(10)", "NUMERIC(10,0)"),
        ("CHAR", "CHAR(1)"),
        ("TEXT[][]", "TEXT[]"),
        ("Geometry(Point)", "geometry(point)"),
    ],
)
def test_normalize_type_to_what_postgresql_stores(raw: str, normal: str) -> None:
    # Arrange / Act
    result = normalize_type(raw)
    # Assert
    assert result == normal


@pytest.mark.parametrize(
    ("sa_type", "text"),
    [
        (sa.String(12), "VARCHAR(12)"),
        (sa.Numeric(10), "NUMERIC(10,0)"),
        (sa.DateTime(timezone=True), "TIMESTAMPTZ"),
        (postgresql.ARRAY(sa.Text(), dimensions=2), "TEXT[]"),
        (postgresql.JSONB(), "JSONB"),
        (sa.Enum("a", "b", name="ab"), "ENUM('a','b')"),
        (PgType("vector(3)"), "VECTOR(3)"),
        (PgType("point"), "point"),
    ],
    ids=lambda value: str(value) if isinstance(value, str) else type(value).__name__,
)
def test_type_text_spells_declared_types_canonically(sa_type: TypeEngine[Any], text: str) -> None:
    # Arrange / Act
    result = type_text(sa_type)
    # Assert
    assert result == text


def test_db_from_metadata_reads_hand_written_table_with_identity_and_constraints() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "orders",
        metadata,
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("region", sa.Text()),
        sa.Column("state", postgresql.ENUM("new", "paid", name="order_state"), server_default="new"),
        sa.UniqueConstraint("code", "region", name="orders_code_region_key"),
        sa.Index("by_lower_code", sa.func.lower(sa.column("code"))),
        sa.CheckConstraint("length(code) = 12", name="code_len"),
    )
    # Act
    schema = db_from_metadata(metadata)
    # Assert
    table = schema.tables[0]
    assert table.columns[0] == DbColumn(name="id", type="BIGINT", nullable=False, autoincrement=True)
    assert table.columns[3] == DbColumn(
        name="state", type="ENUM('new','paid')", default="'new'", enum="order_state"
    )
    assert table.primary_key == DbPrimaryKey(name="orders_pkey", columns=("id",))
    assert table.uniques == (DbUnique(name="orders_code_region_key", columns=("code", "region")),)
    assert table.indexes == ()  # the expression index has no column list to compare
    assert table.checks == (DbCheck(name="code_len", expression="length(code) = 12"),)
    assert schema.enums == (DbEnum(name="order_state", values=("new", "paid")),)


def test_db_from_metadata_composite_primary_key_has_no_serial_column() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "pairs",
        metadata,
        sa.Column("a", sa.Integer(), primary_key=True),
        sa.Column("b", sa.Integer(), primary_key=True),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert [(c.autoincrement, c.nullable) for c in table.columns] == [(False, False), (False, False)]
    assert table.primary_key == DbPrimaryKey(name="pairs_pkey", columns=("a", "b"))


def test_db_from_metadata_nextval_default_is_serial_only_on_the_primary_key() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "tickets",
        metadata,
        sa.Column("id", sa.BigInteger(), primary_key=True, server_default=sa.text("nextval('s'::regclass)")),
        sa.Column("number", sa.BigInteger(), server_default=sa.text("nextval('t_n_seq'::regclass)")),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert [(c.autoincrement, c.default) for c in table.columns] == [
        (True, None),
        (False, "nextval('t_n_seq'::regclass)"),
    ]


def test_db_from_metadata_normalises_server_defaults() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("NOW()")),
        sa.Column("kind", sa.Text(), server_default="it's"),
        sa.Column("label", sa.String(20), server_default=sa.text("'x'::character varying")),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert [c.default for c in table.columns] == [None, "now()", "'it''s'", "'x'"]


def test_db_from_metadata_unnamed_column_check_and_index_get_the_names_they_are_created_with() -> None:
    # Arrange: no naming convention but SQLAlchemy's own (`ix_<table>_<column>` for indexes)
    metadata = sa.MetaData()
    sa.Table(
        "items",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("qty", sa.Integer(), sa.CheckConstraint("qty > 0")),
        sa.Column("doc", postgresql.JSONB()),
        sa.Index(None, "doc", postgresql_using="gin"),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert table.checks == (DbCheck(name="items_qty_check", expression="qty > 0"),)
    assert table.indexes == (DbIndex(name="ix_items_doc", columns=("doc",), method="gin"),)


def test_db_from_metadata_unnamed_table_checks_are_all_kept_under_distinct_names() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "items",
        metadata,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("qty", sa.Integer()),
        sa.CheckConstraint("qty < 100"),
        sa.CheckConstraint("qty <> 13"),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert table.checks == (
        DbCheck(name="items_check", expression="qty < 100"),
        DbCheck(name="items_check1", expression="qty <> 13"),
    )


def test_db_from_metadata_percent_in_a_model_default_and_check_is_not_doubled() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "codes",
        metadata,
        sa.Column("code", sa.Text, server_default=sa.text("'50%'")),
        sa.CheckConstraint("code LIKE 'A%'", name="ck_codes_prefix"),
    )
    # Act
    table = _only_table(metadata)
    # Assert
    assert table.columns[0].default == "'50%'"
    assert table.checks == (DbCheck(name="ck_codes_prefix", expression="code LIKE 'A%'"),)
