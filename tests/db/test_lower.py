"""`lower`: the database a spec describes, with the models' names, and nothing a database cannot hold."""

from __future__ import annotations

from specc.db.lower import lower
from specc.db.model import DbCheck, DbColumn, DbForeignKey, DbIndex, DbPrimaryKey, DbSchema, DbTable, DbUnique
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


def test_lower_drops_everything_a_database_cannot_hold() -> None:
    # Arrange
    spec = Spec(
        title="Chat",
        tables=(_users(Column(name="email", type="varchar(255)", description="login", span=SPAN)),),
        relationships=(Relationship.model_validate({"from": "users", "to": "users", "kind": "one-to-many"}),),
        endpoints=(Endpoint(method="GET", path="/users"),),
    )
    # Act
    schema = lower(spec)
    # Assert
    assert schema == DbSchema(
        tables=(
            DbTable(
                name="users",
                columns=(
                    DbColumn(name="id", type="BIGINT", nullable=False, autoincrement=True),
                    DbColumn(name="email", type="VARCHAR(255)"),
                ),
                primary_key=DbPrimaryKey(name="pk_users", columns=("id",)),
            ),
        )
    )


def test_lower_sorts_tables_by_name_and_leaves_out_empty_and_repeated_tables() -> None:
    # Arrange
    b = Table(name="b", columns=(Column(name="x", type="TEXT"),))
    spec = Spec(tables=(b, _users(), Table(name="a"), b.model_copy(update={"columns": ()})))
    # Act
    names = [t.name for t in lower(spec).tables]
    # Assert
    assert names == ["b", "users"]


def test_lower_unnamed_single_column_btree_indexes_become_the_columns_constraints() -> None:
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
    lowered = lower(Spec(tables=(table,))).tables[0]
    # Assert
    assert lowered.uniques == (DbUnique(name="uq_users_email", columns=("email",)),)
    assert lowered.indexes == (
        DbIndex(name="ix_users_data", columns=("data",), method="gin"),
        DbIndex(name="ix_users_name", columns=("name",)),
    )


def test_lower_unique_indexed_column_is_one_unique_index() -> None:
    # Arrange
    table = _users(Column(name="email", type="TEXT", unique=True, indexed=True))
    # Act
    lowered = lower(Spec(tables=(table,))).tables[0]
    # Assert
    assert (lowered.uniques, lowered.indexes) == (
        (),
        (DbIndex(name="ix_users_email", columns=("email",), unique=True),),
    )


def test_lower_resolves_foreign_key_column_and_drops_no_action() -> None:
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
    lowered = lower(Spec(tables=(_users(), posts))).table("posts")
    # Assert
    assert lowered is not None
    assert lowered.foreign_keys == (
        DbForeignKey(
            name="fk_posts_author_id_users", columns=("author_id",), ref_table="users", ref_columns=("id",)
        ),
    )


def test_lower_autoincrement_only_on_integer_primary_key_without_default() -> None:
    # Arrange
    table = Table(
        name="t",
        columns=(
            Column(name="id", type="UUID", primary_key=True, autoincrement=True, default="gen_random_uuid()"),
            Column(name="n", type="INTEGER", autoincrement=True),
        ),
    )
    # Act
    columns = lower(Spec(tables=(table,))).tables[0].columns
    # Assert
    assert [(c.autoincrement, c.nullable, c.default) for c in columns] == [
        (False, False, "gen_random_uuid()"),
        (False, True, None),
    ]


def test_lower_names_unnamed_table_checks_by_expression_hash() -> None:
    # Arrange
    table = _users(
        checks=(CheckConstraint(expression="(id > 0)"), CheckConstraint(expression="id < 9", name="small"))
    )
    # Act
    checks = lower(Spec(tables=(table,))).tables[0].checks
    # Assert
    assert [c.expression for c in checks] == ["id > 0", "id < 9"]
    assert checks[0].name.startswith("ck_users_c") and len(checks[0].name) == len("ck_users_") + 9
    assert checks[1] == DbCheck(name="ck_users_small", expression="id < 9")
