"""Lint: primary keys (WORKFLOW.md §7 "BIGINT for all primary keys")."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Spec
from specc.ir.types import sql_type

_SMALL_INTEGERS = frozenset({"INTEGER", "SMALLINT"})


@check_rule(
    "L001",
    Severity.WARNING,
    "Primary key is not BIGINT",
    "Integer primary keys should be BIGINT: a 32-bit INTEGER key runs out at about 2.1 billion rows, and "
    "widening a key later rewrites the table and every foreign key to it. UUID keys are fine. Foreign-key "
    "columns inside a composite key follow the referenced column and are checked by R007 instead.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | SERIAL | PK |",
)
def primary_key_not_bigint(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            if not column.primary_key or column.foreign_key is not None:
                continue
            structured = sql_type(column.type)
            if structured.base in _SMALL_INTEGERS and not structured.array_dims:
                yield Finding(
                    f"primary key {table.name}.{column.name} is {column.type}; use BIGINT",
                    (column.type_span, column.span, table.span),
                    hint="BIGINT (or BIGSERIAL / BIGINT auto-increment)",
                )


@check_rule(
    "L002",
    Severity.WARNING,
    "Table without a primary key",
    "A table has no primary key. Rows cannot be addressed or updated reliably, the ORM cannot map the "
    "table, and logical replication refuses UPDATE/DELETE on it. Add an `id BIGINT PK` column, or mark the "
    "natural key (for association tables: both foreign keys) as PK.",
    "### room_members\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| room_id | BIGINT | FK → rooms.id |\n| user_id | BIGINT | FK → users.id |",
)
def table_without_primary_key(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        if table.columns and not table.primary_key:
            yield Finding(
                f'table "{table.name}" has no primary key',
                (table.span,),
                hint="add `id | BIGINT | PK, auto-increment` or mark the natural key columns PK",
            )
