"""Typed change → Alembic operation code. One renderer per change kind, registered in a table.

We render our own code (not Alembic's `%r`-based autogenerate renderer): every expression is built as
a `specc.pycode.layout` expression, so the output is formatted the way `ruff format` would format it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from specc.db import conventions
from specc.db.dialect import POSTGRESQL as DIALECT
from specc.db.identifiers import fit_identifier
from specc.db.model import DbColumn
from specc.diff.changes import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AddUnique,
    AlterColumnAutoincrement,
    AlterColumnDefault,
    AlterColumnNullable,
    AlterColumnType,
    AlterEnumValues,
    BaseChange,
    Change,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropCheck,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    DropUnique,
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameIndex,
    RenameTable,
)
from specc.emit.sqltypes import POSTGRESQL, SA, sa_type_code
from specc.pycode.imports import PyImport
from specc.pycode.layout import INDENT, LINE_LENGTH, Expr, call, flat, layout, layout_text, strings
from specc.pycode.literals import py_str
from specc.sql.quoting import dollar_quoted, identifier, literal
from specc.sql.textclause import ddl_statement, parameter_like

OP = PyImport("alembic", "op")
RAW_TYPE_MODULE = "models.base"
"""Where revision files import `PgType` (types SQLAlchemy has no class for) from: the generated models."""


@dataclass
class Context:
    """Collects the statements of one function body and the imports they need."""

    imports: set[PyImport] = field(default_factory=set)
    lines: list[str] = field(default_factory=list)
    width: int = LINE_LENGTH
    """The line length the revision is laid out for."""

    def emit(self, expr: Expr) -> None:
        self.imports.add(OP)
        self.lines.append(layout_text("", expr, 1, self.width))

    def emit_sql(self, sql: str) -> None:
        """`op.execute(sql)`; through `sa.DDL` when `sa.text`, which Alembic would wrap a string in, would
        read a colon as a parameter (see `specc.sql.textclause`)."""
        if parameter_like(sql):
            # sa.DDL is untyped: the call gets its own short line for the type-ignore.
            self.imports.update((SA, OP))
            self.lines.append(f"    sql = {py_str(ddl_statement(sql))}")
            self.lines.append("    op.execute(sa.DDL(sql))  # type: ignore[no-untyped-call]")
        else:
            self.emit(call("op.execute", py_str(sql)))

    def sql_expression(self, sql: str) -> Expr:
        """An expression's SQL as SQLAlchemy takes it in a DDL construct (see `specc.sql.textclause`)."""
        if parameter_like(sql):
            self.imports.add(SA)
            return call("sa.literal_column", py_str(sql))
        return py_str(sql)

    def type_expr(self, column: DbColumn) -> Expr:
        parsed = column.sql
        if column.enum is not None:
            self.imports.add(POSTGRESQL)
            values = (py_str(v) for v in parsed.enum_values)
            enum: Expr = call("postgresql.ENUM", *values, name=py_str(column.enum), create_type="False")
            for _ in range(parsed.array_dims):
                enum = call("postgresql.ARRAY", enum)
            return enum
        code = sa_type_code(parsed, None, RAW_TYPE_MODULE)
        self.imports.update(code.imports)
        return code.code

    def server_default(self, default: str | None) -> Expr | None:
        if default is None:
            return None
        self.imports.add(SA)
        return call("sa.literal_column" if parameter_like(default) else "sa.text", py_str(default))


def name(value: str) -> Expr:
    """A constraint or index name, wrapped in `op.f()`: final, so Alembic does not apply the target
    metadata's naming convention to it a second time (`ck_<table>_ck_<table>_x`)."""
    return call("op.f", py_str(value))


quote = identifier


def sql_type_text(column: DbColumn) -> str:
    """The column type as PostgreSQL SQL (for USING casts)."""
    parsed = column.sql
    if column.enum is not None:
        return quote(column.enum) + "[]" * parsed.array_dims
    return parsed.render() if parsed.known else column.type


C = TypeVar("C", bound=BaseChange)
Renderer = Callable[[Any, Context], None]
_RENDERERS: dict[type[BaseChange], Renderer] = {}


def renders(kind: type[C]) -> Callable[[Callable[[C, Context], None]], Callable[[C, Context], None]]:
    def register(func: Callable[[C, Context], None]) -> Callable[[C, Context], None]:
        if kind in _RENDERERS:
            raise ValueError(f"a renderer for {kind.__name__} is already registered")
        _RENDERERS[kind] = func
        return func

    return register


def render_change(change: Change, ctx: Context) -> None:
    _RENDERERS[type(change)](change, ctx)


def column_expr(column: DbColumn, ctx: Context, primary_key: bool = False) -> Expr:
    """`sa.Column(...)`. Integer primary-key columns say `autoincrement` explicitly: only the one the spec
    marks becomes serial (SQLAlchemy would otherwise make a lone integer primary key serial on its own)."""
    ctx.imports.add(SA)
    autoincrement: str | None = None
    if column.autoincrement:
        autoincrement = "True"
    elif primary_key and conventions.is_integer(column.type):
        autoincrement = "False"
    return call(
        "sa.Column",
        py_str(column.name),
        ctx.type_expr(column),
        server_default=ctx.server_default(column.default),
        autoincrement=autoincrement,
        nullable=str(column.nullable),
    )


# --- enums --------------------------------------------------------------------------------------------


def _enum_method(enum: Expr, method: str, ctx: Context) -> None:
    """`postgresql.ENUM(...).<method>(op.get_bind())`; when that is too long for one line (a long type name
    or many values), the ENUM call is split, as `ruff format` splits it."""
    ctx.imports.update((POSTGRESQL, OP))
    tail = f".{method}(op.get_bind())"
    one_line = call(f"{flat(enum)}.{method}", "op.get_bind()")
    if len(INDENT + flat(one_line)) <= ctx.width:
        ctx.emit(one_line)
        return
    ctx.lines.append("\n".join(layout("", enum, tail, 1, ctx.width)))


def _create_enum(name: str, values: tuple[str, ...], ctx: Context) -> None:
    _enum_method(call("postgresql.ENUM", *(py_str(v) for v in values), name=py_str(name)), "create", ctx)


@renders(CreateEnum)
def _(change: CreateEnum, ctx: Context) -> None:
    _create_enum(change.enum.name, change.enum.values, ctx)


@renders(DropEnum)
def _(change: DropEnum, ctx: Context) -> None:
    _enum_method(call("postgresql.ENUM", name=py_str(change.enum.name)), "drop", ctx)


@renders(RenameEnum)
def _(change: RenameEnum, ctx: Context) -> None:
    ctx.emit_sql(f"ALTER TYPE {quote(change.old_name)} RENAME TO {quote(change.new_name)}")


@renders(AlterEnumValues)
def _(change: AlterEnumValues, ctx: Context) -> None:
    old_name = fit_identifier(f"{change.name}__old")
    ctx.emit_sql(f"ALTER TYPE {quote(change.name)} RENAME TO {quote(old_name)}")
    _create_enum(change.name, change.new_values, ctx)
    for usage in change.usages:
        dims = "[]" * usage.array_dims
        col, table = quote(usage.column), quote(usage.table)
        if usage.default is not None:
            ctx.emit_sql(f"ALTER TABLE {table} ALTER COLUMN {col} DROP DEFAULT")
        ctx.emit_sql(
            f"ALTER TABLE {table} ALTER COLUMN {col} TYPE {quote(change.name)}{dims} "
            f"USING {col}::text{dims}::{quote(change.name)}{dims}"
        )
        if usage.default is not None:
            ctx.emit_sql(f"ALTER TABLE {table} ALTER COLUMN {col} SET DEFAULT {usage.default}")
    ctx.emit_sql(f"DROP TYPE {quote(old_name)}")


# --- tables -------------------------------------------------------------------------------------------


@renders(CreateTable)
def _(change: CreateTable, ctx: Context) -> None:
    table = change.table
    pk_columns = table.primary_key.columns if table.primary_key else ()
    parts: list[Expr] = [py_str(table.name)]
    parts.extend(column_expr(c, ctx, primary_key=c.name in pk_columns) for c in table.columns)
    if table.primary_key:
        pk = table.primary_key
        parts.append(call("sa.PrimaryKeyConstraint", *(py_str(c) for c in pk.columns), name=name(pk.name)))
    parts.extend(
        call("sa.UniqueConstraint", *(py_str(c) for c in u.columns), name=name(u.name)) for u in table.uniques
    )
    parts.extend(
        call("sa.CheckConstraint", ctx.sql_expression(c.expression), name=name(c.name)) for c in table.checks
    )
    ctx.emit(call("op.create_table", *parts))


@renders(DropTable)
def _(change: DropTable, ctx: Context) -> None:
    ctx.emit(call("op.drop_table", py_str(change.table.name)))


@renders(RenameTable)
def _(change: RenameTable, ctx: Context) -> None:
    ctx.emit(call("op.rename_table", py_str(change.old_name), py_str(change.new_name)))


# --- columns ------------------------------------------------------------------------------------------


@renders(AddColumn)
def _(change: AddColumn, ctx: Context) -> None:
    ctx.emit(call("op.add_column", py_str(change.table), column_expr(change.column, ctx)))


@renders(DropColumn)
def _(change: DropColumn, ctx: Context) -> None:
    ctx.emit(call("op.drop_column", py_str(change.table), py_str(change.column.name)))


@renders(RenameColumn)
def _(change: RenameColumn, ctx: Context) -> None:
    ctx.emit(
        call(
            "op.alter_column",
            py_str(change.table),
            py_str(change.old_name),
            new_column_name=py_str(change.new_name),
            existing_type=ctx.type_expr(change.column),
            existing_nullable=str(change.column.nullable),
        )
    )


def _needs_using(old: DbColumn, new: DbColumn) -> bool:
    before, after = old.sql, new.sql
    return before.base != after.base or before.array_dims != after.array_dims or old.enum != new.enum


def _direct_cast(old: DbColumn, new: DbColumn) -> bool:
    """Whether the server casts directly (the dialect's cast families; text types cast to and from
    everything). Any other pair goes through text, which always compiles, and converts every value whose
    spelling the new type reads."""
    if old.enum is not None or new.enum is not None:
        return False
    before, after = old.sql, new.sql
    if not (before.known and after.known) or before.array_dims != after.array_dims:
        return False
    if before.base in DIALECT.text_types or after.base in DIALECT.text_types:
        return True
    return any(before.base in family and after.base in family for family in DIALECT.cast_families)


def _using(old: DbColumn, new: DbColumn) -> str:
    col = quote(new.name)
    old_dims, new_dims = old.sql.array_dims, new.sql.array_dims
    if _direct_cast(old, new):
        via = ""
    elif old_dims == new_dims:
        via = "::text" + "[]" * old_dims  # element by element for arrays (enum[] → text[] → new[])
    else:
        via = "::text"  # between an array and a scalar: through the whole value's text
    return f"{col}{via}::{sql_type_text(new)}"


@renders(AlterColumnType)
def _(change: AlterColumnType, ctx: Context) -> None:
    """Type change; the default is dropped first and set after when a cast is needed or it changes."""
    old, new = change.old, change.new
    using = py_str(_using(old, new)) if _needs_using(old, new) else None
    touch_default = using is not None or old.default != new.default
    table, column = py_str(change.table), py_str(new.name)
    if old.default is not None and touch_default:
        ctx.emit(call("op.alter_column", table, column, server_default="None"))
    ctx.emit(
        call(
            "op.alter_column",
            table,
            column,
            type_=ctx.type_expr(new),
            existing_type=ctx.type_expr(old),
            existing_nullable=str(new.nullable),
            postgresql_using=using,
        )
    )
    if new.default is not None and touch_default:
        ctx.emit(call("op.alter_column", table, column, server_default=ctx.server_default(new.default)))


@renders(AlterColumnNullable)
def _(change: AlterColumnNullable, ctx: Context) -> None:
    """NOT NULL with a default: PostgreSQL does not fill existing NULLs from the default, so they are set to
    it first (`SET NOT NULL` would fail on them)."""
    column = change.column
    if not column.nullable and column.default is not None:
        ctx.imports.add(SA)
        col = quote(column.name)
        update = f"UPDATE {quote(change.table)} SET {col} = {column.default} WHERE {col} IS NULL"
        if parameter_like(update):
            ctx.emit_sql(update)
        else:
            ctx.emit(call("op.execute", call("sa.text", py_str(update))))
    ctx.emit(
        call(
            "op.alter_column",
            py_str(change.table),
            py_str(column.name),
            existing_type=ctx.type_expr(column),
            nullable=str(column.nullable),
        )
    )


@renders(AlterColumnDefault)
def _(change: AlterColumnDefault, ctx: Context) -> None:
    column = change.column
    ctx.emit(
        call(
            "op.alter_column",
            py_str(change.table),
            py_str(column.name),
            existing_type=ctx.type_expr(column),
            server_default=ctx.server_default(column.default) or "None",
            existing_nullable=str(column.nullable),
        )
    )


@renders(AlterColumnAutoincrement)
def _(change: AlterColumnAutoincrement, ctx: Context) -> None:
    """Serial on: a sequence owned by the column, started past the current maximum, as its default.
    Serial off: drop the default and the column's owned sequence (whatever its name after renames)."""
    column, table = change.column, change.table
    target = f"{quote(table)}.{quote(column.name)}"
    if column.autoincrement:
        sequence = sequence_name(table, column.name)
        ctx.emit_sql(f"CREATE SEQUENCE {quote(sequence)} OWNED BY {target}")
        regclass = literal(quote(sequence))
        ctx.emit_sql(
            f"SELECT setval({regclass}, COALESCE(MAX({quote(column.name)}), 0) + 1, false) "
            f"FROM {quote(table)}"
        )
        alter = f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column.name)}"
        ctx.emit_sql(f"{alter} SET DEFAULT nextval({regclass})")
        return
    lookup = f"pg_get_serial_sequence({literal(quote(table))}, {literal(column.name)})"
    body = (
        f" DECLARE seq text := {lookup}; BEGIN "
        f"ALTER TABLE {quote(table)} ALTER COLUMN {quote(column.name)} DROP DEFAULT; "
        "IF seq IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || seq; END IF; END "
    )
    ctx.emit_sql(f"DO {dollar_quoted(body)}")


def sequence_name(table: str, column: str) -> str:
    """The name of a serial column's sequence: PostgreSQL's own spelling (`<table>_<column>_seq`), fitted
    into 63 bytes like every derived name."""
    return fit_identifier(f"{table}_{column}_seq")


# --- keys, constraints, indexes -----------------------------------------------------------------------


def _drop_constraint(constraint: str, table: str, kind: str, ctx: Context) -> None:
    ctx.emit(call("op.drop_constraint", name(constraint), py_str(table), type_=py_str(kind)))


@renders(AddPrimaryKey)
def _(change: AddPrimaryKey, ctx: Context) -> None:
    pk = change.primary_key
    ctx.emit(call("op.create_primary_key", name(pk.name), py_str(change.table), strings(pk.columns)))


@renders(DropPrimaryKey)
def _(change: DropPrimaryKey, ctx: Context) -> None:
    _drop_constraint(change.primary_key.name, change.table, "primary", ctx)


@renders(AddUnique)
def _(change: AddUnique, ctx: Context) -> None:
    u = change.unique
    ctx.emit(call("op.create_unique_constraint", name(u.name), py_str(change.table), strings(u.columns)))


@renders(DropUnique)
def _(change: DropUnique, ctx: Context) -> None:
    _drop_constraint(change.unique.name, change.table, "unique", ctx)


@renders(AddCheck)
def _(change: AddCheck, ctx: Context) -> None:
    c = change.check
    ctx.emit(
        call(
            "op.create_check_constraint",
            name(c.name),
            py_str(change.table),
            ctx.sql_expression(c.expression),
        )
    )


@renders(DropCheck)
def _(change: DropCheck, ctx: Context) -> None:
    _drop_constraint(change.check.name, change.table, "check", ctx)


def _index_method(method: str) -> Expr | None:
    return py_str(method) if method != DIALECT.default_index_method else None


@renders(CreateIndex)
def _(change: CreateIndex, ctx: Context) -> None:
    i = change.index
    ctx.emit(
        call(
            "op.create_index",
            name(i.name),
            py_str(change.table),
            strings(i.columns),
            unique="True" if i.unique else None,
            **{DIALECT.index_method_option: _index_method(i.method)},
        )
    )


@renders(DropIndex)
def _(change: DropIndex, ctx: Context) -> None:
    ctx.emit(call("op.drop_index", name(change.index.name), table_name=py_str(change.table)))


@renders(AddForeignKey)
def _(change: AddForeignKey, ctx: Context) -> None:
    fk = change.foreign_key
    ctx.emit(
        call(
            "op.create_foreign_key",
            name(fk.name),
            py_str(change.table),
            py_str(fk.ref_table),
            strings(fk.columns),
            strings(fk.ref_columns),
            ondelete=py_str(fk.on_delete) if fk.on_delete else None,
            onupdate=py_str(fk.on_update) if fk.on_update else None,
        )
    )


@renders(DropForeignKey)
def _(change: DropForeignKey, ctx: Context) -> None:
    _drop_constraint(change.foreign_key.name, change.table, "foreignkey", ctx)


@renders(RenameConstraint)
def _(change: RenameConstraint, ctx: Context) -> None:
    old, new = quote(change.old_name), quote(change.new_name)
    ctx.emit_sql(f"ALTER TABLE {quote(change.table)} RENAME CONSTRAINT {old} TO {new}")


@renders(RenameIndex)
def _(change: RenameIndex, ctx: Context) -> None:
    ctx.emit_sql(f"ALTER INDEX {quote(change.old_name)} RENAME TO {quote(change.new_name)}")
