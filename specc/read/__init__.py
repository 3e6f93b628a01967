"""Readers of code and databases back into the IR (the tests use them to compare databases with specs; the
planned `specc drift` will too), and the schema-part normalisation.

- `spec_from_metadata(metadata)` (`specc.read.metadata`): SQLAlchemy MetaData → IR tables.
- `spec_from_database(url)` (`specc.read.database`): reflect a PostgreSQL database → IR tables.
- `schema_part(spec)`: the part of an IR a database can express, normalised the way the readers
  normalise, so `schema_part(spec) == spec_from_database(url)` exactly when the database matches.
"""

from __future__ import annotations

from specc.db.conventions import (
    autoincrement_column,
    check_constraint_name,
    check_label,
    foreign_key_resolves,
    is_conventional,
    named_unique_columns,
    normalize_action,
    normalize_check,
    normalize_default,
    normalize_type,
    referenced_column,
    table_check_name,
)
from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table
from specc.read.metadata import index_sort_key, spec_from_metadata

__all__ = ["schema_part", "spec_from_database", "spec_from_metadata"]


def spec_from_database(url: str, schema: str | None = None) -> Spec:
    """Reflect the PostgreSQL database at `url` (SQLAlchemy URL) into the IR's schema part."""
    from specc.read.database import spec_from_database as read

    return read(url, schema)


def _foreign_key(spec: Spec, fk: ForeignKey | None) -> ForeignKey | None:
    if fk is None or not foreign_key_resolves(spec, fk):
        return None
    return ForeignKey(
        table=fk.table,
        column=referenced_column(spec, fk),
        on_delete=normalize_action(fk.on_delete),
        on_update=normalize_action(fk.on_update),
    )


def _index_name(table: str, index: Index) -> str | None:
    if is_conventional(index.name, table, index.columns, index.unique and index.method == "btree"):
        return None
    return index.name


def _table(spec: Spec, table: Table) -> Table:
    auto = autoincrement_column(table)
    pk = table.primary_key
    named_unique = named_unique_columns(table)
    names = [c.name for c in table.columns]
    unique_cols = {c.name for c in table.columns if c.unique}
    indexed_cols = {c.name for c in table.columns if c.indexed}
    indexes: set[Index] = set()
    for index in table.indexes:
        if not index.columns or any(c not in names for c in index.columns):
            continue
        name = _index_name(table.name, index)
        if len(index.columns) == 1 and index.method == "btree" and name is None:
            (unique_cols if index.unique else indexed_cols).add(index.columns[0])
        else:
            indexes.add(Index(columns=index.columns, unique=index.unique, method=index.method, name=name))
    columns: list[Column] = []
    seen: set[str] = set()
    for col in table.columns:
        if col.name in seen:
            continue
        seen.add(col.name)
        sole_pk = pk == (col.name,)
        unique = col.name in unique_cols and not sole_pk and col.name not in named_unique
        serial = col.name == auto
        columns.append(
            Column(
                name=col.name,
                type=normalize_type(col.type),
                nullable=col.nullable and not col.primary_key,
                primary_key=col.primary_key,
                unique=unique,
                autoincrement=serial,
                indexed=col.name in indexed_cols and not unique and not sole_pk,
                default=None if serial else normalize_default(col.default),
                check=normalize_check(col.check) if col.check else None,
                foreign_key=_foreign_key(spec, col.foreign_key),
            )
        )
    checks = {
        CheckConstraint(
            expression=normalize_check(c.expression),
            name=check_label(
                table.name, check_constraint_name(table.name, table_check_name(c.expression, c.name))
            ),
        )
        for c in table.checks
    }
    return Table(
        name=table.name,
        columns=tuple(columns),
        indexes=tuple(sorted(indexes, key=index_sort_key)),
        checks=tuple(sorted(checks, key=lambda c: (c.name or "", c.expression))),
    )


def schema_part(spec: Spec) -> Spec:
    """What a database can express of `spec`, normalised like the readers' output (compare with `==`).

    Drops spans, descriptions, renames, relationships, endpoints, prose and the test plan; resolves foreign
    keys to explicit columns; folds single-column unnamed btree indexes into `unique`/`indexed` flags;
    makes primary keys NOT NULL; keeps `autoincrement` only on the serial column; names every CHECK."""
    tables: dict[str, Table] = {}
    for table in spec.tables:
        if table.name not in tables and table.columns:
            tables[table.name] = _table(spec, table)
    return Spec(tables=tuple(tables[name] for name in sorted(tables)))
