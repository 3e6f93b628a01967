"""Where a schema difference shows in the spec: the table heading, the column's type or constraints cell,
the Indexes row, the CHECK, or the column that uses an enum type (falling back to the table, then the file).
"""

from __future__ import annotations

from specc.db.model import DbSchema
from specc.drift.model import Location
from specc.ir.model import Span, Spec


def _span_location(span: Span | None, fallback: str) -> Location:
    if span is None:
        return Location(file=fallback, line=1, column=1)
    return Location(file=span.file, line=span.line, column=span.column)


class SpecPlaces:
    """Spec locations by table, column and part of a column row."""

    def __init__(self, spec: Spec, spec_file: str) -> None:
        self.spec = spec
        self.file = spec.source or spec_file

    def table(self, name: str) -> Location:
        table = self.spec.table(name)
        return _span_location(table.span if table else None, self.file)

    def column(self, table_name: str, column_name: str, part: str = "type") -> Location:
        table = self.spec.table(table_name)
        column = table.column(column_name) if table else None
        if column is None:
            return self.table(table_name)
        span = {"type": column.type_span, "constraints": column.constraints_span}.get(part)
        return _span_location(span or column.span, self.file)

    def index(self, table_name: str, columns: tuple[str, ...]) -> Location:
        table = self.spec.table(table_name)
        if table is not None:
            for index in table.indexes:
                if index.columns == columns and index.span is not None:
                    return _span_location(index.span, self.file)
            if len(columns) == 1 and table.column(columns[0]) is not None:
                return self.column(table_name, columns[0], "constraints")
        return self.table(table_name)

    def check(self, table_name: str, expression: str) -> Location:
        table = self.spec.table(table_name)
        if table is not None:
            for check in table.checks:
                if check.span is not None and _squash(check.expression) == _squash(expression):
                    return _span_location(check.span, self.file)
            for column in table.columns:
                if column.check and _squash(column.check) in _squash(expression):
                    return self.column(table_name, column.name, "constraints")
        return self.table(table_name)

    def enum(self, name: str, schema: DbSchema) -> Location:
        for table in schema.tables:
            for column in table.columns:
                if column.enum == name:
                    return self.column(table.name, column.name)
        return Location(file=self.file, line=1, column=1)


def _squash(text: str) -> str:
    return "".join(text.split()).lower().strip("()")
