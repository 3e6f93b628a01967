"""`db_from_metadata` on hand-written MetaData: serial columns, the names of unnamed constraints."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from specc.db.metadata import db_from_metadata
from specc.db.model import DbCheck, DbIndex, DbTable


def _only_table(metadata: sa.MetaData) -> DbTable:
    tables = db_from_metadata(metadata).tables
    assert len(tables) == 1
    return tables[0]


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
