"""`schema_part` and the normalisation rules it shares with the MetaData reader."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from specc.db.conventions import normalize_check, normalize_default, normalize_type
from specc.ir.model import (
    CheckConstraint,
    Column,
    Endpoint,
    ForeignKey,
    Index,
    Relationship,
    Span,
    Spec,
    Table,
)
from specc.read import schema_part, spec_from_metadata

SPAN = Span(file="ARCHITECTURE.md", line=3, column=1)


def _users(
    *extra: Column, indexes: tuple[Index, ...] = (), checks: tuple[CheckConstraint, ...] = ()
) -> Table:
    return Table(
        name="users",
        columns=(Column(name="id", type="BIGINT", primary_key=True, autoincrement=True, span=SPAN), *extra),
        indexes=indexes,
        checks=checks,
        description="People",
        span=SPAN,
    )


def test_schema_part_drops_everything_a_database_cannot_hold() -> None:
    # Arrange
    spec = Spec(
        title="Chat",
        tables=(_users(Column(name="email", type="varchar(255)", description="login", span=SPAN)),),
        relationships=(Relationship.model_validate({"from": "users", "to": "users", "kind": "one-to-many"}),),
        endpoints=(Endpoint(method="GET", path="/users"),),
    )
    # Act
    part = schema_part(spec)
    # Assert
    assert part == Spec(
        tables=(
            Table(
                name="users",
                columns=(
                    Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
                    Column(name="email", type="VARCHAR(255)"),
                ),
            ),
        )
    )


def test_schema_part_sorts_tables_by_name() -> None:
    # Arrange
    spec = Spec(tables=(Table(name="b", columns=(Column(name="x", type="TEXT"),)), _users()))
    # Act
    names = [t.name for t in schema_part(spec).tables]
    # Assert
    assert names == ["b", "users"]


def test_schema_part_folds_unnamed_single_column_btree_indexes_into_flags() -> None:
    # Arrange
    table = _users(
        Column(name="email", type="TEXT"),
        Column(name="name", type="TEXT"),
        Column(name="data", type="JSONB"),
        indexes=(
            Index(columns=("email",), unique=True),
            Index(columns=("name",), name="ix_users_name"),
            Index(columns=("data",), method="gin"),
        ),
    )
    # Act
    part = schema_part(Spec(tables=(table,))).tables[0]
    # Assert
    assert part.column("email") is not None and part.column("email").unique  # type: ignore[union-attr]
    assert part.column("name") is not None and part.column("name").indexed  # type: ignore[union-attr]
    assert part.indexes == (Index(columns=("data",), method="gin"),)


def test_schema_part_unique_column_is_not_also_indexed() -> None:
    # Arrange
    table = _users(Column(name="email", type="TEXT", unique=True, indexed=True))
    # Act
    email = schema_part(Spec(tables=(table,))).tables[0].columns[1]
    # Assert
    assert (email.unique, email.indexed) == (True, False)


def test_schema_part_resolves_foreign_key_column_and_drops_no_action() -> None:
    # Arrange
    posts = Table(
        name="posts",
        columns=(
            Column(name="id", type="BIGINT", primary_key=True),
            Column(
                name="author_id", type="BIGINT", foreign_key=ForeignKey(table="users", on_delete="NO ACTION")
            ),
        ),
    )
    # Act
    fk = schema_part(Spec(tables=(_users(), posts))).tables[0].columns[1].foreign_key
    # Assert
    assert fk == ForeignKey(table="users", column="id")


def test_schema_part_autoincrement_only_on_integer_primary_key_without_default() -> None:
    # Arrange
    table = Table(
        name="t",
        columns=(
            Column(name="id", type="UUID", primary_key=True, autoincrement=True, default="gen_random_uuid()"),
            Column(name="n", type="INTEGER", autoincrement=True),
        ),
    )
    # Act
    cols = schema_part(Spec(tables=(table,))).tables[0].columns
    # Assert
    assert [c.autoincrement for c in cols] == [False, False]
    assert cols[0].nullable is False


def test_schema_part_names_unnamed_table_checks_by_expression_hash() -> None:
    # Arrange
    table = _users(
        checks=(CheckConstraint(expression="(id > 0)"), CheckConstraint(expression="id < 9", name="small"))
    )
    # Act
    checks = schema_part(Spec(tables=(table,))).tables[0].checks
    # Assert
    assert [c.expression for c in checks] == ["id > 0", "id < 9"]
    assert checks[0].name is not None and checks[0].name.startswith("c") and len(checks[0].name) == 9
    assert checks[1].name == "small"


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


def test_spec_from_metadata_reads_hand_written_table_with_identity_and_constraints() -> None:
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
    table = spec_from_metadata(metadata).tables[0]
    # Assert
    assert table.columns[0] == Column(
        name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True
    )
    assert table.columns[3].type == "ENUM('new','paid')"
    assert table.columns[3].default == "'new'"
    assert table.indexes == (Index(columns=("code", "region"), unique=True),)
    assert table.checks == (CheckConstraint(expression="length(code) = 12", name="code_len"),)


def test_spec_from_metadata_composite_primary_key_has_no_serial_column() -> None:
    # Arrange
    metadata = sa.MetaData()
    sa.Table(
        "pairs",
        metadata,
        sa.Column("a", sa.Integer(), primary_key=True),
        sa.Column("b", sa.Integer(), primary_key=True),
    )
    # Act
    cols = spec_from_metadata(metadata).tables[0].columns
    # Assert
    assert [(c.primary_key, c.autoincrement, c.nullable) for c in cols] == [
        (True, False, False),
        (True, False, False),
    ]
