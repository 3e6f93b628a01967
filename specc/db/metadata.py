"""SQLAlchemy `MetaData` → `DbSchema`: the reader of models (generated or hand-written) and of reflected
databases (`specc.db.reflect` reflects into a `MetaData` and reads it here).

The result is normalised the way `specc.db.lower` lowers a spec, so the two compare with `==` (after
`DbSchema.canonical()`, which ignores column order):

- types in canonical spelling (`specc.ir.types`); an `Enum` column names its enum type;
- a serial or identity primary-key column (a `nextval(...)` default, an identity, SQLAlchemy's
  autoincrement column) is `autoincrement` with no default (another column keeps its `nextval(...)`);
  other defaults and CHECK expressions are normalised (`'x'::text` → `'x'`, `NOW()` → `now()`);
- every constraint and index keeps its name; one the model leaves unnamed gets the name the server would
  give it (the dialect's `default_names`; an unnamed table CHECK `<table>_check`, numbered when taken);
- expression indexes (no plain column list) are left out: the model has no way to say them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.type_api import TypeEngine

from specc.db.conventions import normalize_action, normalize_check, normalize_default, normalize_type
from specc.db.dialect import POSTGRESQL, ConstraintKind, Dialect
from specc.db.model import (
    DbCheck,
    DbColumn,
    DbEnum,
    DbForeignKey,
    DbIndex,
    DbPrimaryKey,
    DbSchema,
    DbTable,
    DbUnique,
)
from specc.ir.types import SqlType, canonical

_COMPILER = postgresql.dialect(paramstyle="named")  # type: ignore[no-untyped-call]
"""Compiles expressions to text; `named`, so a `%` is not doubled as for a driver's `pyformat`."""

REFLECTED = "specc_reflected"
"""`info` key that `specc.db.reflect` sets on the CHECK constraints it reflects: their text is the
database's own spelling, read as it is. (A model's `text()` is SQL that SQLAlchemy compiles, where `:name`
is a parameter; a reflected `'see :help'` is a literal.) A reflected default says so itself (`reflected`)."""


def type_text(sa_type: TypeEngine[Any]) -> str:
    """Canonical type of a SQLAlchemy type (declared or reflected)."""
    if isinstance(sa_type, sa.ARRAY):
        return normalize_type(type_text(sa_type.item_type) + "[]")
    if isinstance(sa_type, sa.Enum):
        return SqlType(base="ENUM", enum_values=tuple(sa_type.enums)).render()
    try:
        compiled = sa_type.compile(dialect=_COMPILER)
    except sa.exc.CompileError:
        return "UNKNOWN"
    known = canonical(compiled)
    return normalize_type(known if known is not None else compiled)


def _enum(sa_type: TypeEngine[Any]) -> sa.Enum | None:
    item = sa_type.item_type if isinstance(sa_type, sa.ARRAY) else sa_type
    return item if isinstance(item, sa.Enum) and item.name else None


def _sql(element: Any) -> str:
    if isinstance(element, str):
        return element
    return str(element.compile(dialect=_COMPILER, compile_kwargs={"literal_binds": True}))


def _default(column: sa.Column[Any]) -> str | None:
    default = column.server_default
    if default is None or not isinstance(default, sa.DefaultClause):
        return None
    if isinstance(default.arg, str):  # a plain string is a literal value (SQLAlchemy quotes it in DDL)
        return normalize_default("'" + default.arg.replace("'", "''") + "'")
    if default.reflected and isinstance(default.arg, sa.TextClause):
        return normalize_default(default.arg.text)
    return normalize_default(_sql(default.arg))


def _is_serial(column: sa.Column[Any], default: str | None, table: sa.Table, dialect: Dialect) -> bool:
    if not column.primary_key:  # as `lower`: only a primary-key column is serial; others keep `nextval(...)`
        return False
    if column.identity is not None:
        return True
    if default is not None:
        return default.lower().startswith(dialect.serial_default_prefix)
    try:
        return column is table.autoincrement_column
    except sa.exc.ArgumentError:
        return False


def _name(name: object, kind: ConstraintKind, table: str, columns: tuple[str, ...], dialect: Dialect) -> str:
    if isinstance(name, str):  # a plain name or a naming convention's resolved `conv`
        return str(name)  # a `conv` is a `str` subclass: kept as a plain string
    return dialect.default_name(kind, table, columns)


def _column(column: sa.Column[Any], table: sa.Table, dialect: Dialect) -> DbColumn:
    default = _default(column)
    serial = _is_serial(column, default, table, dialect)
    enum = _enum(column.type)
    return DbColumn(
        name=column.name,
        type=type_text(column.type),
        nullable=bool(column.nullable) and not column.primary_key,
        default=None if serial else default,
        autoincrement=serial,
        enum=str(enum.name) if enum is not None else None,
    )


def _checks(table: sa.Table, dialect: Dialect) -> list[DbCheck]:
    found: dict[str, DbCheck] = {}
    seen: set[int] = set()
    in_order = sorted(table.constraints, key=lambda c: getattr(c, "_creation_order", 0))  # as in the DDL
    owned: list[tuple[Any, tuple[str, ...]]] = [(c, ()) for c in in_order]
    for column in table.columns:  # a column's own CHECK: the server names it after that column
        owned.extend((c, (column.name,)) for c in column.constraints)
    for constraint, owner in owned:
        if not isinstance(constraint, sa.CheckConstraint) or id(constraint) in seen:
            continue
        seen.add(id(constraint))
        reflected = constraint.info.get(REFLECTED) and isinstance(constraint.sqltext, sa.TextClause)
        expression = normalize_check(constraint.sqltext.text if reflected else _sql(constraint.sqltext))
        if isinstance(constraint.name, str):
            found.setdefault(constraint.name, DbCheck(name=constraint.name, expression=expression))
            continue
        columns = tuple(c.name for c in constraint.columns) or owner
        # a table check the server names after its first column: not known without parsing
        name = base = _name(None, "check", table.name, columns, dialect) if columns else f"{table.name}_check"
        number = 0
        while name in found:  # the server numbers a taken name (`t_check1`) rather than drop the check
            number += 1
            name = f"{base}{number}"
        found[name] = DbCheck(name=name, expression=expression)
    return sorted(found.values(), key=lambda c: c.name)


def _target(element: sa.ForeignKey) -> tuple[str, str]:
    """(table, column) a foreign key element refers to; a dotted table name (`"x.y"`) stays whole where
    SQLAlchemy has `target_tokens` (2.1)."""
    tokens = getattr(element, "target_tokens", None)
    if tokens is not None:
        return str(tokens.table_name), str(tokens.column_name)
    parts = element.target_fullname.split(".")
    return parts[-2], parts[-1]


def _foreign_key(fk: sa.ForeignKeyConstraint, table: str, dialect: Dialect) -> DbForeignKey:
    columns = tuple(c.name for c in fk.columns)
    targets = [_target(element) for element in fk.elements]
    return DbForeignKey(
        name=_name(fk.name, "foreign_key", table, columns, dialect),
        columns=columns,
        ref_table=targets[0][0] if targets else "",
        ref_columns=tuple(target[1] for target in targets),
        on_delete=normalize_action(fk.ondelete),
        on_update=normalize_action(fk.onupdate),
    )


def _index(index: sa.Index, table: str, dialect: Dialect) -> DbIndex | None:
    if not all(isinstance(e, sa.Column) for e in index.expressions) or not index.columns:
        return None
    columns = tuple(c.name for c in index.columns)
    using = index.dialect_options[dialect.name].get("using") or dialect.default_index_method
    return DbIndex(
        name=_name(index.name, "index", table, columns, dialect),
        columns=columns,
        unique=bool(index.unique),
        method=str(using).lower(),
    )


def _table(table: sa.Table, dialect: Dialect) -> DbTable:
    pk_columns = tuple(c.name for c in table.primary_key.columns)
    uniques = [
        DbUnique(name=_name(c.name, "unique", table.name, cols, dialect), columns=cols)
        for c in table.constraints
        if isinstance(c, sa.UniqueConstraint)
        and not isinstance(c, sa.PrimaryKeyConstraint)
        and (cols := tuple(col.name for col in c.columns))
    ]
    indexes = [i for i in (_index(index, table.name, dialect) for index in table.indexes) if i is not None]
    fks = [_foreign_key(fk, table.name, dialect) for fk in table.foreign_key_constraints]
    primary_key = (
        DbPrimaryKey(
            name=_name(table.primary_key.name, "primary_key", table.name, pk_columns, dialect),
            columns=pk_columns,
        )
        if pk_columns
        else None
    )
    return DbTable(
        name=table.name,
        columns=tuple(_column(c, table, dialect) for c in table.columns),
        primary_key=primary_key,
        uniques=tuple(sorted(uniques, key=lambda u: u.name)),
        indexes=tuple(sorted(indexes, key=lambda i: i.name)),
        checks=tuple(_checks(table, dialect)),
        foreign_keys=tuple(sorted(fks, key=lambda f: f.name)),
    )


def db_from_metadata(
    metadata: sa.MetaData, *, enums: tuple[DbEnum, ...] | None = None, dialect: Dialect = POSTGRESQL
) -> DbSchema:
    """The database-level schema of every table of `metadata`, tables and enums sorted by name.

    `enums`: the enum types when the caller knows them all (a reflected database, where a type no column
    uses still exists); by default, the enum types the columns use."""
    tables = [_table(t, dialect) for t in sorted(metadata.tables.values(), key=lambda t: t.name)]
    if enums is None:
        found: dict[str, DbEnum] = {}
        for table in metadata.tables.values():
            for column in table.columns:
                enum = _enum(column.type)
                if enum is not None:
                    found.setdefault(str(enum.name), DbEnum(name=str(enum.name), values=tuple(enum.enums)))
        enums = tuple(found.values())
    return DbSchema(tables=tuple(tables), enums=tuple(sorted(enums, key=lambda e: e.name)))
