"""The database-level model: what the database stores, with every constraint named.

One flat, typed description per table (columns, primary key, unique constraints, indexes, checks, foreign
keys) plus the enum types, with the deterministic names the generated models' naming convention gives them
(`specc.db.names`). Every reader produces it (`specc.db.lower` from a spec, `specc.db.reflect` from a live
database, `specc.db.metadata` from SQLAlchemy `MetaData`), the lock file stores it, and the differ compares
two of them (`specc.diff`). Two specs that a database cannot tell apart lower to equal `DbSchema`s.

A column's type is kept as its canonical text (`specc.ir.types`), which is what the lock file stores; its
structured form is `DbColumn.sql` (parsed once per distinct text).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from specc.ir.model import ReferentialAction
from specc.ir.types import SqlType, sql_type


class DbNode(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DbColumn(DbNode):
    name: str
    type: str
    """Canonical type (see `specc.ir.types`)."""
    nullable: bool = True
    default: str | None = None
    autoincrement: bool = False
    enum: str | None = None
    """Name of the enum type when the column's type is an ENUM (or an array of one)."""

    @property
    def sql(self) -> SqlType:
        """The structured type (`sql_type` of the canonical text, cached per distinct text)."""
        return sql_type(self.type)


class DbPrimaryKey(DbNode):
    name: str
    columns: tuple[str, ...]


class DbUnique(DbNode):
    name: str
    columns: tuple[str, ...]


class DbIndex(DbNode):
    name: str
    columns: tuple[str, ...]
    unique: bool = False
    method: str = "btree"


class DbCheck(DbNode):
    name: str
    expression: str


class DbForeignKey(DbNode):
    name: str
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: ReferentialAction | None = None
    on_update: ReferentialAction | None = None


class DbTable(DbNode):
    name: str
    columns: tuple[DbColumn, ...] = ()
    primary_key: DbPrimaryKey | None = None
    uniques: tuple[DbUnique, ...] = ()
    indexes: tuple[DbIndex, ...] = ()
    checks: tuple[DbCheck, ...] = ()
    foreign_keys: tuple[DbForeignKey, ...] = ()

    def column(self, name: str) -> DbColumn | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


class DbEnum(DbNode):
    name: str
    values: tuple[str, ...]


class DbSchema(DbNode):
    tables: tuple[DbTable, ...] = ()
    enums: tuple[DbEnum, ...] = ()

    def table(self, name: str) -> DbTable | None:
        for table in self.tables:
            if table.name == name:
                return table
        return None

    def enum(self, name: str) -> DbEnum | None:
        for enum in self.enums:
            if enum.name == name:
                return enum
        return None

    def canonical(self) -> DbSchema:
        """Order-insensitive form for comparing: columns sorted by name (a database appends added columns
        at the end whatever their place in the spec)."""
        tables = tuple(
            t.model_copy(update={"columns": tuple(sorted(t.columns, key=lambda c: c.name))})
            for t in self.tables
        )
        return self.model_copy(update={"tables": tables})
