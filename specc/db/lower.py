"""Spec → `DbSchema`: the database a spec describes, by the same rules as the generated models.

`lower` is the only place that decides which constraints and indexes a table's columns, index rows and
checks make, and under which names; the models writer and the migration planner both follow it (the models
writer through the same `specc.db.conventions` and `specc.db.names`).
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.db import conventions, names
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
from specc.ir.model import Column, ForeignKey, Spec, Table, construct
from specc.ir.types import sql_type


def _lower_column(table: Table, column: Column, serial: str | None) -> DbColumn:
    parsed = sql_type(column.type)
    enum = names.enum_type_name(table.name, column.name) if parsed.known and parsed.base == "ENUM" else None
    # construct: every field comes from an already-validated IR node (planning 1,000 tables stays fast).
    return construct(
        DbColumn,
        name=column.name,
        type=conventions.normalize_type(column.type),
        nullable=column.nullable and not column.primary_key,
        default=conventions.normalize_default(column.default),
        autoincrement=column.name == serial,
        enum=enum,
    )


@dataclass(frozen=True)
class _Lookup:
    """Primary keys and column names of every table, for resolving foreign keys in O(1)."""

    keys: dict[str, tuple[str, ...]]
    columns: dict[str, frozenset[str]]

    def referenced_column(self, fk: ForeignKey) -> str:
        """Same rule as `conventions.referenced_column`."""
        if fk.column is not None:
            return fk.column
        key = self.keys.get(fk.table, ())
        return key[0] if len(key) == 1 else "id"

    def resolves(self, fk: ForeignKey) -> bool:
        """Same rule as `conventions.foreign_key_resolves`: the models leave out foreign keys whose target
        table or column is not in the spec, so no database built from the spec has them."""
        return self.referenced_column(fk) in self.columns.get(fk.table, frozenset())


def _lower_table(lookup: _Lookup, table: Table) -> tuple[DbTable, list[DbEnum]]:
    serial = conventions.autoincrement_column(table)
    columns = tuple(_lower_column(table, col, serial) for col in table.columns)
    enums = [
        DbEnum(name=col.enum, values=sql_type(ir.type).enum_values)
        for col, ir in zip(columns, table.columns, strict=True)
        if col.enum is not None
    ]
    pk_columns = table.primary_key
    primary_key = DbPrimaryKey(name=names.pk_name(table.name), columns=pk_columns) if pk_columns else None
    uniques: dict[str, DbUnique] = {}
    indexes: dict[str, DbIndex] = {}
    checks: dict[str, DbCheck] = {}
    fks: dict[str, DbForeignKey] = {}
    named_unique = conventions.named_unique_columns(table)
    for col in table.columns:
        # As the models writer: a sole primary key is already unique and indexed; a column a named unique
        # index covers keeps only that index; `unique` + `indexed` make one unique index (`ix_`).
        sole = pk_columns == (col.name,)
        unique = col.unique and not sole and col.name not in named_unique
        indexed = col.indexed and not sole
        if unique and indexed:
            name = names.index_name(table.name, (col.name,))
            indexes[name] = DbIndex(name=name, columns=(col.name,), unique=True)
        elif unique:
            name = names.unique_name(table.name, (col.name,))
            uniques[name] = DbUnique(name=name, columns=(col.name,))
        elif indexed:
            name = names.index_name(table.name, (col.name,))
            indexes[name] = DbIndex(name=name, columns=(col.name,))
        if col.check is not None:
            name = names.column_check_name(table.name, col.name)
            checks[name] = DbCheck(name=name, expression=conventions.normalize_check(col.check))
        if col.foreign_key is not None and lookup.resolves(col.foreign_key):
            fk = col.foreign_key
            name = names.fk_name(table.name, (col.name,), fk.table)
            fks[name] = DbForeignKey(
                name=name,
                columns=(col.name,),
                ref_table=fk.table,
                ref_columns=(lookup.referenced_column(fk),),
                on_delete=conventions.normalize_action(fk.on_delete),
                on_update=conventions.normalize_action(fk.on_update),
            )
    for row in conventions.table_indexes(table):
        index, name = row.index, row.database_name
        if row.constraint:
            uniques.setdefault(name, DbUnique(name=name, columns=index.columns))
        else:
            indexes.setdefault(
                name, DbIndex(name=name, columns=index.columns, unique=index.unique, method=index.method)
            )
    for check in table.checks:
        name = names.table_check_name(table.name, check.expression, check.name)
        checks.setdefault(name, DbCheck(name=name, expression=conventions.normalize_check(check.expression)))
    lowered = DbTable(
        name=table.name,
        columns=columns,
        primary_key=primary_key,
        uniques=tuple(sorted(uniques.values(), key=lambda u: u.name)),
        indexes=tuple(sorted(indexes.values(), key=lambda i: i.name)),
        checks=tuple(sorted(checks.values(), key=lambda c: c.name)),
        foreign_keys=tuple(sorted(fks.values(), key=lambda f: f.name)),
    )
    return lowered, enums


def lower(spec: Spec) -> DbSchema:
    """The database-level schema `spec` describes. Tables sorted by name; columns keep spec order."""
    tables: list[DbTable] = []
    enums: dict[str, DbEnum] = {}
    seen: set[str] = set()
    keys: dict[str, tuple[str, ...]] = {}
    column_names: dict[str, frozenset[str]] = {}
    for table in spec.tables:
        if table.name not in keys:
            keys[table.name] = table.primary_key
            column_names[table.name] = frozenset(c.name for c in table.columns)
    lookup = _Lookup(keys, column_names)
    for table in spec.tables:
        if table.name in seen or not table.columns:
            continue  # like the models writer: a duplicate or empty table makes no database table
        seen.add(table.name)
        lowered, table_enums = _lower_table(lookup, table)
        tables.append(lowered)
        for enum in table_enums:
            enums.setdefault(enum.name, enum)
    return DbSchema(
        tables=tuple(sorted(tables, key=lambda t: t.name)),
        enums=tuple(sorted(enums.values(), key=lambda e: e.name)),
    )
