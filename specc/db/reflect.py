"""Live database → `DbSchema` (the differ's database-level view, constraint names included).

Stricter than the IR reader (`specc.read`): names of constraints, indexes and enum types must match the
naming convention exactly, so a migration that created the right shape under the wrong name is caught.
Used by `migrate verify` and the migration tests.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from specc.db.conventions import normalize_action, normalize_check, normalize_default
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
from specc.read.metadata import type_text

IGNORED_TABLES = frozenset({"alembic_version"})


def _enum_name(sa_type: Any) -> str | None:
    item = sa_type.item_type if isinstance(sa_type, sa.ARRAY) else sa_type
    if isinstance(item, sa.Enum) and item.name:
        return str(item.name)
    return None


def _column(info: Any) -> DbColumn:
    default = normalize_default(info.get("default"))
    serial = default is not None and default.lower().startswith("nextval(")
    if info.get("identity") is not None:
        serial = True
    return DbColumn(
        name=info["name"],
        type=type_text(info["type"]),
        nullable=bool(info["nullable"]),
        default=None if serial else default,
        autoincrement=serial,
        enum=_enum_name(info["type"]),
    )


def _table(inspector: sa.Inspector, name: str) -> DbTable:
    pk = inspector.get_pk_constraint(name)
    uniques = [
        DbUnique(name=u["name"], columns=tuple(u["column_names"]))
        for u in inspector.get_unique_constraints(name)
        if u["name"]
    ]
    indexes = [
        DbIndex(
            name=i["name"],
            columns=tuple(str(c) for c in i["column_names"]),
            unique=bool(i["unique"]),
            method=str(i.get("dialect_options", {}).get("postgresql_using", "btree")),
        )
        for i in inspector.get_indexes(name)
        if i["name"] and not i.get("duplicates_constraint")
    ]
    checks = [
        DbCheck(name=c["name"], expression=normalize_check(c["sqltext"]))
        for c in inspector.get_check_constraints(name)
        if c["name"]
    ]
    fks = [
        DbForeignKey(
            name=f["name"],
            columns=tuple(f["constrained_columns"]),
            ref_table=f["referred_table"],
            ref_columns=tuple(f["referred_columns"]),
            on_delete=normalize_action(f.get("options", {}).get("ondelete")),
            on_update=normalize_action(f.get("options", {}).get("onupdate")),
        )
        for f in inspector.get_foreign_keys(name)
        if f["name"]
    ]
    return DbTable(
        name=name,
        columns=tuple(_column(c) for c in inspector.get_columns(name)),
        primary_key=(
            DbPrimaryKey(name=pk["name"], columns=tuple(pk["constrained_columns"]))
            if pk.get("constrained_columns") and pk.get("name")
            else None
        ),
        uniques=tuple(sorted(uniques, key=lambda u: u.name)),
        indexes=tuple(sorted(indexes, key=lambda i: i.name)),
        checks=tuple(sorted(checks, key=lambda c: c.name)),
        foreign_keys=tuple(sorted(fks, key=lambda f: f.name)),
    )


def reflect_db_schema(connection: sa.Connection) -> DbSchema:
    """The schema of the connection's current schema (search path), as a `DbSchema`."""
    inspector = sa.inspect(connection)
    tables = [_table(inspector, n) for n in sorted(inspector.get_table_names()) if n not in IGNORED_TABLES]
    enums = [
        DbEnum(name=e["name"], values=tuple(e["labels"]))
        for e in inspector.get_enums()  # type: ignore[attr-defined]
        if e.get("visible", True)
    ]
    return DbSchema(tables=tuple(tables), enums=tuple(sorted(enums, key=lambda e: e.name)))
