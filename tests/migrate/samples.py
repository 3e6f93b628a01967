"""Hand-built IRs for migration tests: a chat schema and helpers to edit it the way a spec edit would."""

from __future__ import annotations

from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table

SOURCE = "docs/ARCHITECTURE.md"


def users() -> Table:
    return Table(
        name="users",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
            Column(name="email", type="VARCHAR(255)", nullable=False, unique=True),
            Column(name="display_name", type="VARCHAR(100)", nullable=False),
            Column(name="role", type="ENUM('admin','member')", nullable=False, default="'member'"),
            Column(name="prefs", type="JSONB", default="'{}'"),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
        indexes=(Index(columns=("prefs",), method="gin"),),
        checks=(CheckConstraint(expression="length(email) > 3"),),
    )


def rooms() -> Table:
    return Table(
        name="rooms",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
            Column(name="name", type="VARCHAR(100)", nullable=False, indexed=True),
            Column(
                name="created_by",
                type="BIGINT",
                foreign_key=ForeignKey(table="users", column="id", on_delete="SET NULL"),
            ),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
    )


def room_members() -> Table:
    return Table(
        name="room_members",
        columns=(
            Column(
                name="user_id",
                type="BIGINT",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="users", column="id", on_delete="CASCADE"),
            ),
            Column(
                name="room_id",
                type="BIGINT",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="rooms", column="id", on_delete="CASCADE"),
            ),
            Column(name="joined_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
    )


def messages() -> Table:
    return Table(
        name="messages",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
            Column(
                name="room_id",
                type="BIGINT",
                nullable=False,
                foreign_key=ForeignKey(table="rooms", column="id", on_delete="CASCADE"),
            ),
            Column(
                name="user_id",
                type="BIGINT",
                nullable=False,
                foreign_key=ForeignKey(table="users", column="id", on_delete="RESTRICT"),
            ),
            Column(name="body", type="TEXT", nullable=False, check="length(body) > 0"),
            Column(name="tags", type="TEXT[]"),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
        indexes=(Index(columns=("room_id", "created_at")),),
    )


def chat() -> Spec:
    return Spec(source=SOURCE, tables=(users(), rooms(), room_members(), messages()))


def replace_table(spec: Spec, table: Table, old_name: str | None = None) -> Spec:
    """`spec` with the table called `old_name` (default: `table.name`) replaced by `table`."""
    name = old_name or table.name
    return spec.model_copy(update={"tables": tuple(table if t.name == name else t for t in spec.tables)})


def add_table(spec: Spec, table: Table) -> Spec:
    return spec.model_copy(update={"tables": (*spec.tables, table)})


def drop_table(spec: Spec, name: str) -> Spec:
    return spec.model_copy(update={"tables": tuple(t for t in spec.tables if t.name != name)})


def edit_column(spec: Spec, table: str, column: str, **changes: object) -> Spec:
    target = spec.table(table)
    assert target is not None
    columns = tuple(c.model_copy(update=changes) if c.name == column else c for c in target.columns)
    return replace_table(spec, target.model_copy(update={"columns": columns}))


def add_column(spec: Spec, table: str, column: Column) -> Spec:
    target = spec.table(table)
    assert target is not None
    return replace_table(spec, target.model_copy(update={"columns": (*target.columns, column)}))


def drop_column(spec: Spec, table: str, column: str) -> Spec:
    target = spec.table(table)
    assert target is not None
    columns = tuple(c for c in target.columns if c.name != column)
    return replace_table(spec, target.model_copy(update={"columns": columns}))


def edit_table(spec: Spec, table: str, **changes: object) -> Spec:
    target = spec.table(table)
    assert target is not None
    return replace_table(spec, target.model_copy(update=changes), old_name=table)
