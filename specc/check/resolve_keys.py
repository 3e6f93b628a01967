"""Resolution: auto-increment must fit the primary key it is on."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Spec
from specc.ir.types import sql_type

INTEGER_BASES = frozenset({"BIGINT", "INTEGER", "SMALLINT"})


@check_rule(
    "R012",
    Severity.WARNING,
    "Auto-increment column in a composite primary key",
    "A column of a composite primary key is marked auto-increment. Composite keys are usually association "
    "keys made of foreign keys, whose values come from the referenced rows, not from a sequence. Drop the "
    "auto-increment, or give the table its own single-column key.",
    "### room_members\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| room_id | BIGINT | PK, auto-increment |\n| user_id | BIGINT | PK, FK → users.id |",
)
def autoincrement_in_composite_key(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        if len(table.primary_key) < 2:
            continue
        for column in table.columns:
            if column.autoincrement and column.primary_key:
                yield Finding(
                    f"column {table.name}.{column.name} is auto-increment but in the composite primary key "
                    f"({', '.join(table.primary_key)})",
                    (column.constraints_span, column.span, table.span),
                    hint="remove auto-increment or use a single-column primary key",
                )


@check_rule(
    "R013",
    Severity.ERROR,
    "Auto-increment on a non-integer column",
    "Only integer columns can take their values from a sequence (identity/serial). For a UUID key use a "
    "server default (`DEFAULT gen_random_uuid()`) instead of auto-increment.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | UUID | PK, auto-increment |",
)
def autoincrement_not_integer(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            structured = sql_type(column.type)
            if column.autoincrement and (structured.base not in INTEGER_BASES or structured.array_dims):
                hint = (
                    "use DEFAULT gen_random_uuid() instead"
                    if structured.base == "UUID"
                    else "make the column BIGINT or drop auto-increment"
                )
                yield Finding(
                    f"column {table.name}.{column.name} is auto-increment but its type is {column.type}",
                    (column.constraints_span, column.type_span, column.span, table.span),
                    hint=hint,
                )
