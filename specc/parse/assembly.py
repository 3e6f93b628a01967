"""What a walk read (`specc.parse.reading.Reading`) assembled into the IR.

A table defined by several schema sources keeps one definition (P037), index rows find their tables,
references read from prose become foreign keys only when they name a table, a document's nullability
convention applies (P041), and `<!-- specc: ignore -->` comments become suppressions over their sections."""

from __future__ import annotations

import bisect

from specc.diagnostics import Reporter, Suppression
from specc.ir.model import Column, ForeignKey, Index, Spec, Table, construct
from specc.parse import codes
from specc.parse.reading import Reading
from specc.parse.tables import RawTable

_MARKS_PER_EXCEPTION = 5
"""P041: a document marks only its nullable columns when it marks no column NOT NULL, or at least three
nullable and at least this many nullable marks for each NOT NULL one (an exception to its convention)."""


def _one_definition_each(reading: Reading, file: str, reporter: Reporter) -> None:
    """A table defined by several schema sources keeps the first by precedence (column table, SQL,
    diagram); what another says differently is reported (P037) at that definition."""
    rank = {"table": 0, "sql": 1, "diagram": 2}
    kept: dict[str, RawTable] = {}
    for raw in sorted(reading.tables, key=lambda t: rank[t.source]):
        first = kept.get(raw.name)
        if first is None or raw.source == first.source:
            kept.setdefault(raw.name, raw)
            continue
        for difference in _differences(first, raw):
            reporter.report(
                codes.TABLE_DEFINED_TWICE,
                f"table {raw.name!r} is also defined by a {_SOURCE_WORDS[first.source]} "
                f"(line {first.span.line}), which wins: {difference}",
                file,
                raw.span.line,
                raw.span.column,
                hint="make the definitions agree, or keep one",
            )
        _adopt_references(first, raw)
        raw.columns = []
        raw.source = "dropped"
    reading.tables = [t for t in reading.tables if t.source != "dropped"]
    reading.tables.sort(key=lambda t: t.span.line)


def assemble(reading: Reading, file: str, reporter: Reporter) -> Spec:
    _one_definition_each(reading, file, reporter)
    table_names = {t.name for t in reading.tables}
    tables: list[Table] = []
    indexes_by_table: dict[str, list[Index]] = {}
    for row in reading.index_rows:
        if row.table not in table_names:
            reporter.report(
                codes.INDEX_UNKNOWN_TABLE,
                f"index on {', '.join(row.columns)} names table {row.table!r}, which is not defined",
                file,
                row.table_span.line,
                row.table_span.column,
                hint="define the table or fix the name",
            )
            continue
        indexes_by_table.setdefault(row.table, []).append(
            construct(
                Index,
                columns=row.columns,
                unique=row.unique,
                method=row.method,
                name=row.name,
                description=row.description,
                span=row.span,
            )
        )
    _unclear_references(reading, table_names, file, reporter)
    _nullability_rule(reading, file, reporter)
    for raw in reading.tables:
        columns = tuple(_resolve_fk(rc.column, table_names) for rc in raw.columns)
        inline = [
            construct(
                Index,
                columns=index.columns,
                unique=index.unique,
                method=index.method,
                name=None,
                description=None,
                span=index.span,
            )
            for index in raw.inline_indexes
        ]
        tables.append(
            construct(
                Table,
                name=raw.name,
                columns=columns,
                indexes=tuple(inline + indexes_by_table.get(raw.name, [])),
                checks=tuple(raw.checks),
                description=raw.description,
                renamed_from=raw.renamed_from,
                span=raw.span,
            )
        )
    return construct(
        Spec,
        version=1,
        source=file,
        title=reading.title,
        overview="\n\n".join(reading.overview) or None,
        tech_stack=tuple(reading.tech),
        system_diagram=reading.diagram,
        tables=tuple(tables),
        relationships=tuple(reading.relationships),
        endpoints=tuple(reading.endpoints),
        decisions=tuple(reading.decisions),
        test_plan=None,
    )


def _unclear_references(reading: Reading, table_names: set[str], file: str, reporter: Reporter) -> None:
    """A reference read from prose (`References the invoice this pays`) is a foreign key only when it
    names a table of the document; otherwise it is dropped with an info (never an invented table)."""
    for raw in reading.tables:
        for rc in raw.columns:
            fk = rc.column.foreign_key
            if not rc.fk_weak or fk is None:
                continue
            target = _resolve_fk(rc.column, table_names).foreign_key
            if target is not None and target.table in table_names:
                continue
            span = fk.span or rc.column.span
            reporter.report(
                codes.UNCLEAR_REFERENCE,
                f"column {raw.name}.{rc.column.name} mentions {fk.table!r}, which is no table of the "
                "document; no foreign key made",
                file,
                span.line if span else 1,
                span.column if span else 1,
                hint=f"write `FK → <table>.<column>` in the Constraints cell of {rc.column.name!r}",
            )
            rc.column = rc.column.model_copy(update={"foreign_key": None})
            rc.fk_target = rc.fk_column = None


def _nullability_rule(reading: Reading, file: str, reporter: Reporter) -> None:
    """Documents that mark only the nullable columns (P041): the unmarked ones are NOT NULL."""
    tables = [raw for raw in reading.tables if raw.source == "table"]  # SQL and diagrams say it themselves
    stated = [rc for raw in tables for rc in raw.columns if rc.stated_null is not None]
    nullable = [rc for rc in stated if rc.stated_null]
    not_null = len(stated) - len(nullable)
    if not nullable or (not_null and (len(nullable) < 3 or len(nullable) < _MARKS_PER_EXCEPTION * not_null)):
        return
    first = nullable[0].column.span
    reporter.report(
        codes.NULLABILITY_RULE,
        f"the document marks {len(nullable)} column(s) nullable (this is the first) and {not_null} "
        "NOT NULL; columns that say nothing are read as NOT NULL",
        file,
        first.line if first else 1,
        first.column if first else 1,
        hint="mark columns NOT NULL or required where they are, to read unmarked ones as nullable",
    )
    for raw in tables:
        for rc in raw.columns:
            if rc.stated_null is None and rc.column.nullable:
                rc.column = rc.column.model_copy(update={"nullable": False})


def suppressions(reading: Reading, file: str, last: int) -> list[Suppression]:
    """The reading's suppression comments over their lines: `ignore` from the heading before it to the next
    heading, `ignore-file` the whole file (`last`: its last line)."""
    result: list[Suppression] = []
    lines = sorted(reading.heading_lines)
    for comment in reading.comments:
        found = comment.codes
        if comment.kind == "ignore-file":
            result.append(Suppression(codes=found, file=file, first_line=1, last_line=last))
            continue
        nxt = bisect.bisect_right(lines, comment.line0)
        start = lines[nxt - 1] + 1 if nxt > 0 else 1
        end = lines[nxt] if nxt < len(lines) else last
        result.append(Suppression(codes=found, file=file, first_line=start, last_line=end))
    return result


_SOURCE_WORDS = {"table": "column table", "sql": "CREATE TABLE statement", "diagram": "diagram entity"}


def _adopt_references(first: RawTable, other: RawTable) -> None:
    """What the other definition adds without contradicting the kept one is kept: a foreign key on a
    column the kept one gives none (a diagram's `FK` under a row that says only `INTEGER`), and the SQL's
    table CHECKs, composite UNIQUEs and indexes on the kept table's columns."""
    theirs = {rc.column.name.lower(): rc for rc in other.columns}
    for rc in first.columns:
        source = theirs.get(rc.column.name.lower())
        if rc.column.foreign_key is not None or source is None or source.column.foreign_key is None:
            continue
        rc.column = rc.column.model_copy(update={"foreign_key": source.column.foreign_key})
        rc.fk_target, rc.fk_column, rc.fk_span = source.fk_target, source.fk_column, source.fk_span
        rc.fk_weak = source.fk_weak
    names = {rc.column.name.lower() for rc in first.columns}
    expressions = {" ".join(c.expression.split()) for c in first.checks}
    first.checks += [c for c in other.checks if " ".join(c.expression.split()) not in expressions]
    indexed = {(tuple(c.lower() for c in index.columns), index.unique) for index in first.inline_indexes}
    first.inline_indexes += [
        index
        for index in other.inline_indexes
        if (tuple(c.lower() for c in index.columns), index.unique) not in indexed
        and all(c.lower() in names for c in index.columns)
    ]


def _differences(first: RawTable, other: RawTable) -> list[str]:
    """What `other` says about a table differently from `first`: columns only one has, and for SQL also a
    different type, key or nullability (a diagram's types are generic, so only its columns and keys count)."""
    mine = {rc.column.name.lower(): rc.column for rc in first.columns}
    theirs = {rc.column.name.lower(): rc.column for rc in other.columns}
    found = [f"column {name!r} is only here" for name in theirs if name not in mine]
    found += [f"column {name!r} is missing here" for name in mine if name not in theirs]
    for name, column in theirs.items():
        kept = mine.get(name)
        if kept is None:
            continue
        if column.primary_key != kept.primary_key:
            found.append(f"column {name!r} is {'' if column.primary_key else 'not '}a primary key here")
        if other.source == "sql" and column.type != kept.type:
            found.append(f"column {name!r} is {column.type} here, {kept.type} there")
        if other.source == "sql" and column.nullable != kept.nullable:
            found.append(f"column {name!r} is {'nullable' if column.nullable else 'NOT NULL'} here")
    return found


def _resolve_fk(column: Column, table_names: set[str]) -> Column:
    """Interpret `a.b` / `a.b.c` FK targets once every table name is known."""
    fk = column.foreign_key
    if fk is None:
        return column
    parts = fk.table.split(".")
    table = parts[0].lower()
    target_column = fk.column
    if len(parts) >= 3:
        table, target_column = parts[-2].lower(), parts[-1]
    elif len(parts) == 2:
        first, second = parts[0].lower(), parts[1]
        if first in table_names or second.lower() not in table_names:
            table, target_column = first, target_column or second
        else:
            table = second.lower()
    return column.model_copy(
        update={
            "foreign_key": construct(
                ForeignKey,
                table=table,
                column=target_column,
                on_delete=fk.on_delete,
                on_update=fk.on_update,
                span=fk.span,
            )
        }
    )
