"""Lint: foreign keys (WORKFLOW.md §7: explicit ON DELETE; index columns used in joins)."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import foreign_keys
from specc.diagnostics import Severity
from specc.ir.model import Column, Spec, Table


@check_rule(
    "L006",
    Severity.WARNING,
    "Foreign key without ON DELETE",
    "WORKFLOW.md §7: foreign keys always say what happens when the referenced row is deleted (CASCADE, "
    "SET NULL or RESTRICT). The implicit NO ACTION makes deletes fail at run time in ways the design did not "
    "decide.",
    "### rooms\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| created_by | BIGINT | FK → users.id |",
)
def fk_without_on_delete(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        if ref.fk.on_delete is None:
            yield Finding(
                f"foreign key {ref.table.name}.{ref.column.name} → {ref.fk.table} has no ON DELETE action",
                (ref.fk.span, ref.column.constraints_span, ref.column.span, ref.table.span),
                hint="add ON DELETE CASCADE, ON DELETE SET NULL or ON DELETE RESTRICT",
            )


def is_index_covered(table: Table, column: Column) -> bool:
    """True when some index can serve lookups by `column` alone."""
    if column.unique or column.indexed:
        return True
    pk = table.primary_key
    if pk and pk[0] == column.name:
        return True
    return any(ix.columns and ix.columns[0] == column.name for ix in table.indexes)


@check_rule(
    "L007",
    Severity.WARNING,
    "Foreign key column without an index",
    "PostgreSQL does not index foreign-key columns by itself. Without an index, joins and `WHERE fk = ?` "
    "lookups scan the table, and every delete of a referenced row scans it too. A column counts as indexed "
    "when it is the leading primary-key column, UNIQUE, marked `indexed`, or the first column of an index.",
    "### messages\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| room_id | BIGINT | FK → rooms.id, ON DELETE CASCADE |",
)
def fk_without_index(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        if not is_index_covered(ref.table, ref.column):
            yield Finding(
                f"foreign key column {ref.table.name}.{ref.column.name} has no index",
                (ref.column.constraints_span, ref.column.span, ref.table.span),
                hint=f"mark it `indexed` or list `{ref.table.name} | {ref.column.name}` under Indexes",
            )
