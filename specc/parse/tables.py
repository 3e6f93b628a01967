"""The parser's records of a table (`RawTable`, `RawColumn`, `InlineIndex`), shared by every schema source
(column tables, `specc.parse.columnrows`; SQL, `specc.parse.ddl`; diagrams, `specc.parse.mermaid`), and the
body rows of a markdown table."""

from __future__ import annotations

from dataclasses import dataclass, field

from specc.diagnostics import Code
from specc.ir.model import CheckConstraint, Column, IndexMethod, Span
from specc.ir.types import TypeProblem
from specc.limits import MAX_CELL_LENGTH
from specc.parse import codes
from specc.parse.document import Cell, Document, split_row


@dataclass
class RawColumn:
    column: Column
    fk_target: str | None
    """FK target as written, resolved once all tables are known."""
    fk_column: str | None
    fk_span: Span | None
    fk_weak: bool = False
    """The reference is prose (a Notes mention, or a bare word followed by more words): it is a foreign key
    only if a table of that name exists."""
    stated_null: bool | None = None
    """What the row itself says about nullability: True (marked nullable), False (marked NOT NULL or
    required), None (nothing). Read for the document's nullability rule (P041)."""


@dataclass(frozen=True)
class InlineIndex:
    """An index written with its table rather than in an index table."""

    columns: tuple[str, ...]
    unique: bool
    method: IndexMethod
    span: Span


@dataclass
class RawTable:
    name: str
    span: Span
    renamed_from: str | None
    description: str | None
    columns: list[RawColumn] = field(default_factory=list)
    checks: list[CheckConstraint] = field(default_factory=list)
    inline_indexes: list[InlineIndex] = field(default_factory=list)
    """From notations under the table (`**Indexes:**`, a UNIQUE in SQL, ...)."""
    source: str = "table"
    """Where the definition comes from: `table` (a column table), `sql` (a CREATE TABLE statement in a
    ```sql fence) or `diagram` (a mermaid erDiagram entity). A table defined by more than one keeps the first
    by that precedence (P037 for what the others say differently)."""


@dataclass(frozen=True)
class TypeProblemReport:
    """The diagnostic for a recognised type that cannot be used."""

    code: Code
    message: str
    hint: str | None


def type_problem_diagnostic(problem: TypeProblem, name: str) -> TypeProblemReport:
    """The diagnostic for a recognised type that cannot be used: the column keeps the type text verbatim and
    nothing is built. Shared by every schema source."""
    if problem.kind == "no_values":
        return TypeProblemReport(
            codes.ENUM_WITHOUT_VALUES,
            f"column {name!r}: {problem.message}; the migration cannot create the type",
            "write the values: ENUM('a','b')",
        )
    if problem.kind == "limit":
        return TypeProblemReport(
            codes.OVER_LIMIT,
            f"column {name!r}: {problem.message}",
            "PostgreSQL arrays hold at most 6 dimensions; use JSONB for deeper data",
        )
    return TypeProblemReport(codes.TYPE_OUT_OF_RANGE, f"column {name!r}: {problem.message}", problem.hint)


@dataclass(slots=True)
class Row:
    """A body row of a table (or a list item read as one)."""

    line0: int
    cells: list[Cell]


def read_rows(doc: Document, start: int, end: int) -> list[Row]:
    """The body rows of the table on lines start..end-1."""
    header = split_row(doc.lines[start])
    rows: list[Row] = []
    for line0 in range(start + 2, end):
        line = doc.lines[line0]
        if not line.strip():
            continue
        cells = split_row(line)
        long_cell = next((c for c in cells if len(c.text) > MAX_CELL_LENGTH), None)
        if long_cell is not None:
            doc.report(
                codes.OVER_LIMIT,
                f"table cell of {len(long_cell.text):,} characters (the limit is {MAX_CELL_LENGTH:,}); "
                "row not read",
                line0,
                long_cell.column,
                hint="shorten the cell; text this long belongs outside the table",
            )
            continue
        if len(cells) != len(header):
            doc.report(
                codes.RAGGED_ROW,
                f"row has {len(cells)} cells, the header has {len(header)}",
                line0,
                doc.line_column(line0),
                hint="escape a literal pipe as \\|",
            )
        rows.append(Row(line0, cells))
    return rows
