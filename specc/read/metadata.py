"""SQLAlchemy MetaData → IR (schema part only): the reader `specc drift` uses on models and databases.

Works on declared MetaData (generated or hand-written models) and on reflected MetaData alike. The result
is normalised exactly as `specc.read.schema_part` normalises an IR, so the two compare with `==`:

- tables sorted by name, columns in table order, indexes sorted, checks sorted by name;
- types in canonical spelling (`specc.ir.types`), one array dimension, NUMERIC(p) = NUMERIC(p,0);
- a single-column unique constraint or unique btree index with the conventional (or no) name is
  `Column.unique`; a single-column plain btree index with the conventional name is `Column.indexed`;
- serial/identity columns (a `nextval(...)` default, an identity, or SQLAlchemy's autoincrement column) are
  `autoincrement` with no default; other defaults are normalised (`'x'::text` → `'x'`, `NOW()` → `now()`);
- CHECK constraints named `ck_<table>_<column>` (or PostgreSQL's `<table>_<column>_check`) are column checks,
  the rest table checks (named without the `ck_<table>_` prefix).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.type_api import TypeEngine

from specc.db.conventions import (
    check_constraint_name,
    check_label,
    is_conventional,
    normalize_action,
    normalize_check,
    normalize_default,
    normalize_type,
)
from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, IndexMethod, Spec, Table
from specc.ir.types import SqlType, canonical

_DIALECT = postgresql.dialect()  # type: ignore[no-untyped-call]
_METHODS: dict[str, IndexMethod] = {
    "btree": "btree",
    "hash": "hash",
    "gin": "gin",
    "gist": "gist",
    "brin": "brin",
    "spgist": "spgist",
}


def type_text(sa_type: TypeEngine[Any]) -> str:
    """Canonical IR type of a SQLAlchemy type (declared or reflected)."""
    if isinstance(sa_type, sa.ARRAY):
        return normalize_type(type_text(sa_type.item_type) + "[]")
    if isinstance(sa_type, sa.Enum):
        return SqlType(base="ENUM", enum_values=tuple(sa_type.enums)).render()
    try:
        compiled = sa_type.compile(dialect=_DIALECT)
    except sa.exc.CompileError:
        return "UNKNOWN"
    known = canonical(compiled)
    return normalize_type(known if known is not None else compiled)


def _sql(element: Any) -> str:
    if isinstance(element, str):
        return element
    return str(element.compile(dialect=_DIALECT, compile_kwargs={"literal_binds": True}))


def _default(column: sa.Column[Any]) -> str | None:
    default = column.server_default
    if default is None or not isinstance(default, sa.DefaultClause):
        return None
    if isinstance(default.arg, str):  # a plain string is a literal value (SQLAlchemy quotes it in DDL)
        return normalize_default("'" + default.arg.replace("'", "''") + "'")
    return normalize_default(_sql(default.arg))


def _is_serial(column: sa.Column[Any], table: sa.Table) -> bool:
    if column.identity is not None:
        return True
    default = _default(column)
    if default is not None:
        return default.lower().startswith("nextval(")
    try:
        return column is table.autoincrement_column
    except sa.exc.ArgumentError:
        return False


def _foreign_key(column: sa.Column[Any]) -> ForeignKey | None:
    for fk in sorted(column.foreign_keys, key=lambda f: f.target_fullname):
        if fk.constraint is not None and len(fk.constraint.columns) != 1:
            continue  # composite foreign keys are not expressible in the IR
        target_table, _, target_column = fk.target_fullname.rpartition(".")
        return ForeignKey(
            table=target_table.rpartition(".")[2],
            column=target_column,
            on_delete=normalize_action(fk.ondelete),
            on_update=normalize_action(fk.onupdate),
        )
    return None


def _checks(table: sa.Table) -> list[tuple[str | None, str]]:
    found: list[tuple[str | None, str]] = []
    seen: set[int] = set()
    constraints: list[sa.Constraint] = list(table.constraints)
    for column in table.columns:
        constraints.extend(c for c in column.constraints if isinstance(c, sa.Constraint))
    for constraint in constraints:
        if isinstance(constraint, sa.CheckConstraint) and id(constraint) not in seen:
            seen.add(id(constraint))
            name = str(constraint.name) if isinstance(constraint.name, str) else None
            found.append((name, normalize_check(_sql(constraint.sqltext))))
    return found


def _index_method(index: sa.Index) -> IndexMethod:
    using = index.dialect_options["postgresql"].get("using") or "btree"
    return _METHODS.get(str(using).lower(), "btree")


def _name(name: object) -> str | None:
    return None if name is None else str(name)


def _table(table: sa.Table) -> Table:
    name = table.name
    unique_cols: set[str] = set()
    indexed_cols: set[str] = set()
    indexes: set[Index] = set()
    pk = tuple(c.name for c in table.primary_key.columns)

    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and not isinstance(
            constraint, sa.PrimaryKeyConstraint
        ):
            cols = tuple(c.name for c in constraint.columns)
            conventional = is_conventional(_name(constraint.name), name, cols, unique=True)
            if len(cols) == 1 and conventional:
                unique_cols.add(cols[0])
            elif cols:
                indexes.add(
                    Index(columns=cols, unique=True, name=None if conventional else str(constraint.name))
                )
    for index in table.indexes:
        cols = tuple(c.name for c in index.columns)
        if not cols or not all(isinstance(e, sa.Column) for e in index.expressions):
            continue  # expression indexes are not expressible in the IR
        method = _index_method(index)
        conventional = is_conventional(_name(index.name), name, cols, unique=bool(index.unique))
        if len(cols) == 1 and method == "btree" and conventional:
            (unique_cols if index.unique else indexed_cols).add(cols[0])
        else:
            indexes.add(
                Index(
                    columns=cols,
                    unique=bool(index.unique),
                    method=method,
                    name=None if conventional else index.name,
                )
            )

    column_checks: dict[str, str] = {}
    table_checks: list[CheckConstraint] = []
    column_names = {c.name for c in table.columns}
    for check_name, expression in _checks(table):
        owner = _check_owner(name, check_name, column_names)
        if owner is not None and owner not in column_checks:
            column_checks[owner] = expression
            continue
        label = check_label(name, check_name or "")
        table_checks.append(CheckConstraint(expression=expression, name=label or None))

    columns: list[Column] = []
    for column in table.columns:
        serial = _is_serial(column, table) and column.primary_key
        sole_pk = pk == (column.name,)
        unique = column.name in unique_cols and not sole_pk
        columns.append(
            Column(
                name=column.name,
                type=type_text(column.type),
                nullable=bool(column.nullable) and not column.primary_key,
                primary_key=column.primary_key,
                unique=unique,
                autoincrement=serial,
                indexed=column.name in indexed_cols and not unique and not sole_pk,
                default=None if serial else _default(column),
                check=column_checks.get(column.name),
                foreign_key=_foreign_key(column),
            )
        )
    return Table(
        name=name,
        columns=tuple(columns),
        indexes=tuple(sorted(indexes, key=index_sort_key)),
        checks=tuple(sorted(table_checks, key=lambda c: (c.name or "", c.expression))),
    )


def _check_owner(table: str, check_name: str | None, columns: set[str]) -> str | None:
    if check_name is None:
        return None
    for column in sorted(columns):
        if check_name in (check_constraint_name(table, column), f"{table}_{column}_check"):
            return column
    return None


def index_sort_key(index: Index) -> tuple[tuple[str, ...], bool, str, str]:
    return (index.columns, index.unique, index.method, index.name or "")


def spec_from_metadata(metadata: sa.MetaData) -> Spec:
    """The schema part of the IR for every table of `metadata` (see the module docstring for the rules)."""
    return Spec(tables=tuple(_table(t) for t in sorted(metadata.tables.values(), key=lambda t: t.name)))
