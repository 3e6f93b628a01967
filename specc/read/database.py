"""Live PostgreSQL database → IR (schema part), by reflection.

Reflects every table of `schema` (default: the connection's default schema) into a MetaData and reads it
with `specc.read.metadata.spec_from_metadata`. Columns whose type SQLAlchemy cannot reflect (extension
types such as `vector(3)`) get the database's own spelling (`format_type`) through `PgType`.
"""

from __future__ import annotations

import warnings

import sqlalchemy as sa

from specc.db.rawtype import PgType
from specc.ir.model import Spec
from specc.read.metadata import spec_from_metadata

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


def reflect(url: str, schema: str | None = None) -> sa.MetaData:
    """A MetaData with every table of the database at `url` (types SQLAlchemy lacks become `PgType`)."""
    metadata = sa.MetaData()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn, warnings.catch_warnings():
            warnings.simplefilter("ignore", sa.exc.SAWarning)  # "did not recognize type": fixed below
            metadata.reflect(conn, schema=schema)
            raw = {
                (row.table_name, row.column_name): row.type_text
                for row in conn.execute(_FORMAT_TYPES, {"schema": schema})
            }
    finally:
        engine.dispose()
    for table in metadata.tables.values():
        for column in table.columns:
            if isinstance(column.type, sa.types.NullType):
                text = raw.get((table.name, column.name))
                if text is not None:
                    column.type = PgType(text)
    return metadata


def spec_from_database(url: str, schema: str | None = None) -> Spec:
    """The IR schema part of the PostgreSQL database at `url`."""
    return spec_from_metadata(reflect(url, schema))
