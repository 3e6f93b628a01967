"""Live database → `DbSchema`, by reflection in bulk.

SQLAlchemy 2 reflects all tables of a schema at once (a few catalog queries, not several per table) into a
`MetaData`, which `specc.db.metadata` reads like any other: the database and the models are read by the
same code, so they compare exactly. Names of constraints, indexes and enum types are kept, so a migration
that created the right shape under the wrong name is caught. Columns whose type SQLAlchemy cannot reflect
(extension types such as `vector(3)`) get the database's own spelling (`format_type`). Alembic's version
table is left out; enum types are read from the catalog, so one no column uses is seen too.
"""

from __future__ import annotations

import warnings
from typing import Any

import sqlalchemy as sa

from specc.db.metadata import REFLECTED, db_from_metadata
from specc.db.model import DbEnum, DbSchema
from specc.db.rawtype import PgType

IGNORED_TABLES = frozenset({"alembic_version"})

_FORMAT_TYPES = sa.text(
    """
    SELECT c.relname AS table_name, a.attname AS column_name,
           format_type(a.atttypid, a.atttypmod) AS type_text
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = coalesce(:schema, current_schema())
      AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
    """
)


def _wanted(name: str, _metadata: Any) -> bool:
    return name not in IGNORED_TABLES


def reflect_metadata(connection: sa.Connection, schema: str | None = None) -> sa.MetaData:
    """Every table of `schema` (default: the connection's current schema) as a `MetaData`; types
    SQLAlchemy lacks become `PgType` with the database's spelling."""
    metadata = sa.MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", sa.exc.SAWarning)  # "did not recognize type": fixed below
        metadata.reflect(connection, schema=schema, only=_wanted)
    raw = {
        (row.table_name, row.column_name): row.type_text
        for row in connection.execute(_FORMAT_TYPES, {"schema": schema})
    }
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, sa.CheckConstraint):
                constraint.info[REFLECTED] = True
        for column in table.columns:
            if isinstance(column.type, sa.types.NullType):
                text = raw.get((table.name, column.name))
                if text is not None:
                    column.type = PgType(text)
    return metadata


def reflect_db_schema(connection: sa.Connection, schema: str | None = None) -> DbSchema:
    """The database-level schema of `schema` (default: the connection's current schema)."""
    metadata = reflect_metadata(connection, schema)
    inspector = sa.inspect(connection)
    enums = tuple(
        DbEnum(name=e["name"], values=tuple(e["labels"]))
        for e in inspector.get_enums(schema=schema)  # type: ignore[attr-defined]
        if schema is not None or e.get("visible", True)
    )
    return db_from_metadata(metadata, enums=enums)


def read_database(url: str, schema: str | None = None) -> DbSchema:
    """The database-level schema of the database at `url` (a SQLAlchemy URL)."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            return reflect_db_schema(connection, schema)
    finally:
        engine.dispose()
