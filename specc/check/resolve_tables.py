"""Resolution: table names and column names must be unique."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Spec


def _where(line: int | None) -> str:
    return f" (first defined on line {line})" if line is not None else ""


@check_rule(
    "R001",
    Severity.ERROR,
    "Duplicate table",
    "Two tables have the same name. Every table is generated as one model and one CREATE TABLE, so the "
    "second definition would silently replace the first. Rename one of them or merge the two column lists.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n\n"
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |",
)
def duplicate_tables(spec: Spec) -> Iterator[Finding]:
    first: dict[str, int | None] = {}
    for table in spec.tables:
        if table.name in first:
            yield Finding(
                f'table "{table.name}" is defined more than once{_where(first[table.name])}',
                (table.span,),
                hint="rename one of the tables or merge their columns",
            )
        else:
            first[table.name] = table.span.line if table.span else None


@check_rule(
    "R002",
    Severity.ERROR,
    "Duplicate column",
    "A table lists the same column name twice. A table cannot have two columns with one name, so the "
    "generated model and migration would be invalid. Remove or rename the repeated row.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"
    "| email | VARCHAR(255) | NOT NULL |\n| email | TEXT | |",
)
def duplicate_columns(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        first: dict[str, int | None] = {}
        for column in table.columns:
            if column.name in first:
                yield Finding(
                    f'column "{column.name}" appears more than once in table "{table.name}"'
                    f"{_where(first[column.name])}",
                    (column.span, table.span),
                    hint="remove or rename the repeated row",
                )
            else:
                first[column.name] = column.span.line if column.span else None
