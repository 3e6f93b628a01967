"""Live database → `DbSchema`, read straight from PostgreSQL's catalog.

`read_catalog` sends four set-based catalog queries, whatever the number of tables (columns; constraints;
indexes; enum and domain types), and builds the `DbSchema` from their rows: no SQLAlchemy `Table`, `Column`
or constraint objects, which is where most of the time of the SQLAlchemy path (`specc.db.reflect`) goes.

It gives exactly the `DbSchema` that `reflect_db_schema` gives (`tests/db/test_catalog.py` compares the two
on the example, the corpus, a database of hard cases and random schemas), by the same rules:

- the tables: ordinary and partitioned tables (partitions too) of the schema, `alembic_version` left out;
  columns in the table's order; views, foreign tables and other schemas' tables are not read;
- a column's type: `format_type` read as SQLAlchemy's dialect reads it, then the canonical text of
  `specc.db.metadata.type_text` (`specc.db.catalog_types`); an enum column names its enum type; a domain
  column takes the domain's NOT NULL, and its default when the column has none;
- defaults: `pg_get_expr`, none for a generated column; with an explicit schema, a `nextval('seq')` of an
  unqualified sequence names the schema (`nextval('"s".seq')`), as the dialect does; then
  `normalize_default`. A primary-key column that is an identity or whose default starts with `nextval(` is
  `autoincrement`, without default;
- constraints keep their names: the primary key and UNIQUE constraints their index's key columns in order
  (INCLUDE columns left out); CHECK the text of `pg_get_constraintdef(oid, true)` inside `CHECK (...)`,
  then `normalize_check`; foreign keys their columns in order, the referenced table and ON DELETE /
  ON UPDATE (`NO ACTION`, and `SET NULL (columns)`, read as none);
- indexes: not the primary key's, not one backing a PRIMARY KEY, UNIQUE or EXCLUDE constraint; left out
  when a key element is an expression or sorts other than ascending with nulls last (the SQLAlchemy path
  makes such an element an expression, which `db_from_metadata` leaves out); a partial index is read as
  the plain index (its predicate is not part of the model); key columns in order, each once; the method
  is the access method's name;
- enum types: every enum of the schema, used or not, with its labels in `enumsortorder` order.

Where the SQLAlchemy path differs, on purpose: with no `schema`, this reads the tables and enum types of
`current_schema()`, where SQLAlchemy reads those visible on the search path (the same schema unless the
search path names several that exist); and a foreign key to a table of another schema does not bring that
table in (SQLAlchemy reflects the referenced table into the same `MetaData`, so it became a table of the
schema read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa

from specc.db.catalog_types import ColumnType, NamedDomain, NamedEnum, TypeReader
from specc.db.conventions import normalize_check, normalize_default
from specc.db.dialect import POSTGRESQL
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
from specc.ir.model import ReferentialAction

IGNORED_TABLES = ("alembic_version",)

_TABLES = """
    c.relkind IN ('r', 'p') AND c.relpersistence <> 't'
    AND n.nspname = coalesce(CAST(:schema AS text), current_schema())
    AND c.relname <> ALL (CAST(:ignored AS text[]))
"""
"""The tables read (`c` their `pg_class` row, `n` its namespace)."""

_COLUMNS = sa.text(
    f"""
    SELECT c.relname AS table_name, a.attname AS name,
           format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
           CASE WHEN a.atthasdef THEN pg_get_expr(d.adbin, d.adrelid) END AS default_text,
           a.attidentity <> '' AS identity, a.attgenerated <> '' AS generated,
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END
               AS collation,
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                     AND NOT pg_collation_is_visible(co.oid) THEN cn.nspname END AS collation_schema
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace
    WHERE {_TABLES}
    ORDER BY c.relname, a.attnum
    """
)

_CONSTRAINTS = """
    SELECT c.relname AS table_name, k.conname AS name, k.contype AS kind,
           CASE WHEN k.contype = 'c' THEN pg_get_constraintdef(k.oid, true) END AS definition,
           CASE WHEN k.contype IN ('p', 'u') THEN
               ARRAY(SELECT a.attname::text
                     FROM unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS e(attnum, position)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = e.attnum
                     WHERE e.position <= i.indnkeyatts ORDER BY e.position)
           ELSE
               ARRAY(SELECT a.attname::text
                     FROM unnest(k.conkey) WITH ORDINALITY AS e(attnum, position)
                     JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = e.attnum
                     ORDER BY e.position)
           END AS columns,
           r.relname AS ref_table,
           ARRAY(SELECT a.attname::text
                 FROM unnest(k.confkey) WITH ORDINALITY AS e(attnum, position)
                 JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = e.attnum
                 ORDER BY e.position) AS ref_columns,
           k.confupdtype AS on_update, k.confdeltype AS on_delete, {delete_columns} AS delete_columns
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_index i ON i.indexrelid = k.conindid AND k.contype IN ('p', 'u')
    LEFT JOIN pg_class r ON r.oid = k.confrelid AND k.contype = 'f'
    WHERE k.contype IN ('p', 'u', 'f', 'c') AND {tables}
    """

_INDEXES = sa.text(
    f"""
    SELECT c.relname AS table_name, x.relname AS name, i.indisunique AS is_unique, am.amname AS method,
           ARRAY(SELECT a.attname::text
                 FROM unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS e(attnum, position)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = e.attnum
                 WHERE e.position <= i.indnkeyatts ORDER BY e.position) AS columns,
           EXISTS (SELECT 1 FROM unnest(CAST(i.indoption AS int2[])) AS o(flags) WHERE o.flags & 3 <> 0)
               AS sorted
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_class x ON x.oid = i.indexrelid
    LEFT JOIN pg_am am ON am.oid = x.relam
    WHERE NOT i.indisprimary AND {_TABLES}
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                      WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid
                        AND k.contype IN ('p', 'u', 'x'))
    """
)

_TYPES = sa.text(
    """
    SELECT t.typtype AS kind, t.typname AS name, n.nspname AS schema,
           pg_type_is_visible(t.oid) AS visible,
           n.nspname = coalesce(CAST(:schema AS text), current_schema()) AS in_schema,
           t.typnotnull AS not_null, t.typdefault AS default_text,
           ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
               AS labels
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd')
    """
)

_ACTIONS: dict[str, ReferentialAction] = {
    "c": "CASCADE",
    "n": "SET NULL",
    "r": "RESTRICT",
    "d": "SET DEFAULT",
}
"""`confdeltype` / `confupdtype` → action; `a` (NO ACTION, the default) is none."""

_NEXTVAL = re.compile(r"(nextval\(')([^']+)('.*$)")
_CHECK = re.compile(r"^CHECK *\((.+)\)( NO INHERIT)?( NOT VALID)?$", re.DOTALL)


@dataclass(frozen=True)
class _Column:
    """A column as read, before the primary key is known."""

    name: str
    type: ColumnType
    nullable: bool
    identity: bool
    default: str | None
    """As the database spells it (`_default`), not yet normalised."""


@dataclass
class _Table:
    name: str
    read: list[_Column] = field(default_factory=list)
    columns: list[DbColumn] = field(default_factory=list)
    primary_key: DbPrimaryKey | None = None
    uniques: list[DbUnique] = field(default_factory=list)
    indexes: list[DbIndex] = field(default_factory=list)
    checks: list[DbCheck] = field(default_factory=list)
    foreign_keys: list[DbForeignKey] = field(default_factory=list)

    def done(self) -> DbTable:
        return DbTable(
            name=self.name,
            columns=tuple(self.columns),
            primary_key=self.primary_key,
            uniques=tuple(sorted(self.uniques, key=lambda u: u.name)),
            indexes=tuple(sorted(self.indexes, key=lambda i: i.name)),
            checks=tuple(sorted(self.checks, key=lambda c: c.name)),
            foreign_keys=tuple(sorted(self.foreign_keys, key=lambda f: f.name)),
        )


def _check_expression(definition: str) -> str:
    """The expression of a `pg_get_constraintdef` CHECK, normalised. (The dialect also takes off one pair of
    parentheses around all of it, which `normalize_check` does too; the pretty-printed text never has one.)"""
    match = _CHECK.match(definition)
    return normalize_check(match.group(1) if match else "")


def _default(raw: str | None, column_type: ColumnType, generated: bool, schema: str | None) -> str | None:
    """The column's default as the database spells it (before normalising)."""
    if column_type.domain is not None and not raw and column_type.domain.default is not None:
        raw = column_type.domain.default
    if generated or raw is None:
        return None
    if schema is not None:
        match = _NEXTVAL.search(raw)
        if match is not None and "." not in match.group(2):
            raw = f'{match.group(1)}"{schema}".{match.group(2)}{match.group(3)}'
    return raw


def _types(connection: sa.Connection, schema: str | None) -> tuple[TypeReader, tuple[DbEnum, ...]]:
    enums: list[NamedEnum] = []
    domains: list[NamedDomain] = []
    schema_enums: list[DbEnum] = []
    for row in connection.execute(_TYPES, {"schema": schema}):
        if row.kind == "e":
            labels = tuple(row.labels)
            enums.append(NamedEnum(name=row.name, schema=row.schema, labels=labels, visible=row.visible))
            if row.in_schema:
                schema_enums.append(DbEnum(name=row.name, values=labels))
        else:
            domains.append(
                NamedDomain(
                    name=row.name,
                    schema=row.schema,
                    visible=row.visible,
                    not_null=row.not_null,
                    default=row.default_text,
                )
            )
    return TypeReader(enums, domains), tuple(sorted(schema_enums, key=lambda e: e.name))


def _columns(connection: sa.Connection, schema: str | None, reader: TypeReader) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    params = {"schema": schema, "ignored": list(IGNORED_TABLES)}
    for row in connection.execute(_COLUMNS, params):
        table = tables.get(row.table_name)
        if table is None:
            table = tables[row.table_name] = _Table(name=row.table_name)
        if row.name is None:  # a table without columns
            continue
        column_type = reader.read(row.type, row.collation, row.collation_schema)
        nullable = not row.not_null
        if column_type.domain is not None:
            nullable = nullable and not column_type.domain.not_null
        default = _default(row.default_text, column_type, row.generated, schema)
        table.read.append(_Column(row.name, column_type, nullable, row.identity, default))
    return tables


def _action(kind: str, has_columns: bool) -> ReferentialAction | None:
    """ON DELETE / ON UPDATE; one with a column list (`SET NULL (a)`) reads as none, as in the dialect."""
    return None if has_columns else _ACTIONS.get(kind)


def _constraints(connection: sa.Connection, schema: str | None, tables: dict[str, _Table]) -> None:
    newer = (connection.dialect.server_version_info or (0,)) >= (15,)
    delete_columns = (
        "k.confdelsetcols IS NOT NULL AND cardinality(k.confdelsetcols) > 0" if newer else "false"
    )
    query = sa.text(_CONSTRAINTS.format(delete_columns=delete_columns, tables=_TABLES))
    for row in connection.execute(query, {"schema": schema, "ignored": list(IGNORED_TABLES)}):
        table = tables[row.table_name]
        columns = tuple(row.columns)
        if row.kind == "p":
            table.primary_key = DbPrimaryKey(name=row.name, columns=columns)
        elif row.kind == "u":
            table.uniques.append(DbUnique(name=row.name, columns=columns))
        elif row.kind == "c":
            table.checks.append(DbCheck(name=row.name, expression=_check_expression(row.definition)))
        else:
            table.foreign_keys.append(
                DbForeignKey(
                    name=row.name,
                    columns=columns,
                    ref_table=row.ref_table,
                    ref_columns=tuple(row.ref_columns),
                    on_delete=_action(row.on_delete, row.delete_columns),
                    on_update=_action(row.on_update, False),
                )
            )


def _indexes(connection: sa.Connection, schema: str | None, tables: dict[str, _Table]) -> None:
    for row in connection.execute(_INDEXES, {"schema": schema, "ignored": list(IGNORED_TABLES)}):
        elements: list[str | None] = list(row.columns)
        if row.sorted or not elements or any(e is None for e in elements):
            continue  # an expression or a sorted element: not a plain column list
        columns = tuple(dict.fromkeys(e for e in elements if e is not None))
        tables[row.table_name].indexes.append(
            DbIndex(
                name=row.name,
                columns=columns,
                unique=bool(row.is_unique),
                method=str(row.method or POSTGRESQL.default_index_method).lower(),
            )
        )


def read_catalog(connection: sa.Connection, schema: str | None = None) -> DbSchema:
    """The database-level schema of `schema` (default: the connection's current schema), read from the
    catalog in four queries; equal to `specc.db.reflect.reflect_db_schema(connection, schema)`."""
    reader, enums = _types(connection, schema)
    tables = _columns(connection, schema, reader)
    _constraints(connection, schema, tables)
    _indexes(connection, schema, tables)
    prefix = POSTGRESQL.serial_default_prefix
    for table in tables.values():
        key = set(table.primary_key.columns) if table.primary_key is not None else set()
        for column in table.read:
            default = normalize_default(column.default)
            in_key = column.name in key
            serial = in_key and (
                column.identity or (default is not None and default.lower().startswith(prefix))
            )
            table.columns.append(
                DbColumn(
                    name=column.name,
                    type=column.type.text,
                    nullable=column.nullable and not in_key,
                    default=None if serial else default,
                    autoincrement=serial,
                    enum=column.type.enum,
                )
            )
    done = tuple(tables[name].done() for name in sorted(tables))
    return DbSchema(tables=done, enums=enums)
