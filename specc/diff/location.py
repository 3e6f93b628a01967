"""Where a change shows in the spec: the seam through which a difference becomes a located finding.

The differ works on database-level models, which carry no source positions. A finding about a change (a
destructive migration step today, a drift finding later) is reported at the spec's place for it: the
column's type cell, else its row, else the table's heading, else the start of the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.diff.changes import AlterEnumValues, Change
from specc.ir.model import Span, Spec


@dataclass(frozen=True)
class SpecLocation:
    file: str
    line: int
    column: int


def _column_name(change: Change) -> str | None:
    found: str | None = None
    for attr in ("column", "new"):
        name = getattr(getattr(change, attr, None), "name", None)
        if isinstance(name, str):
            found = name
    return found


def locate(spec: Spec, change: Change, source: str) -> SpecLocation:
    """The spec location of `change`; `source` names the file when the spec has no source of its own."""
    file = spec.source or source
    table_name, column_name = change.table_name, _column_name(change)
    if isinstance(change, AlterEnumValues) and change.usages:
        table_name, column_name = change.usages[0].table, change.usages[0].column
    span: Span | None = None
    table = spec.table(table_name)
    if table is not None:
        span = table.span
        column = table.column(column_name) if column_name else None
        if column is not None:
            span = column.type_span or column.span or span
    if span is None:
        return SpecLocation(file, 1, 1)
    return SpecLocation(span.file, span.line, span.column)
