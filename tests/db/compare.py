"""Comparing two `DbSchema`s in a test, with a readable account of what differs.

`schema_differences(actual, expected)` is `[]` exactly when the two are equal after `canonical()` (column
order ignored); otherwise it lists the differ's changes that would turn `actual` into `expected` (`add
column ...`, `rename constraint ...`), or, for a difference the differ has no change for, the two tables.
Assert `schema_differences(...) == []` so that pytest prints the list on failure.
"""

from __future__ import annotations

from specc.db.model import DbSchema
from specc.diff import diff_db_schemas


def schema_differences(actual: DbSchema, expected: DbSchema) -> list[str]:
    """What `actual` lacks or has too much, compared with `expected`; empty when they are equal."""
    have, want = actual.canonical(), expected.canonical()
    if have == want:
        return []
    described = [change.describe() for change in diff_db_schemas(have, want)]
    if described:
        return described
    tables = {t.name for t in have.tables} | {t.name for t in want.tables}
    for name in sorted(tables):
        got, wanted = have.table(name), want.table(name)
        if got is not None and wanted is not None and got != wanted:
            described.append(f"table {name}: actual {got!r} != expected {wanted!r}")
    if have.enums != want.enums:
        described.append(f"enums: actual {have.enums!r} != expected {want.enums!r}")
    return described
