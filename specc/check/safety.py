"""Safety rules: document text that would reach generated SQL must stay exactly where it is put.

The document is untrusted input (any contributor can change it in a pull request) and what specc generates
runs against production databases. A DEFAULT, a CHECK and an unknown type name are copied into DDL as SQL
text, so each must be one expression (one type name) by PostgreSQL's lexical rules (`specc.sql.expression`).
The rules run on the final IR, whatever produced it (the parser, the section cache), and their errors cannot
be disabled, suppressed or downgraded.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.db.dialect import POSTGRESQL
from specc.db.model import DbTable
from specc.diagnostics import Severity
from specc.ir.model import Column, Spec, Table
from specc.ir.types import sql_type
from specc.sql.expression import Problem, expression_problem, type_problem


def _expressions(table: Table) -> Iterator[tuple[str, str, Column | None, str]]:
    """(kind, expression, column or None, what) of every SQL expression a table carries."""
    for column in table.columns:
        if column.default is not None:
            yield "default", column.default, column, f"DEFAULT of {table.name}.{column.name}"
        if column.check is not None:
            yield "check", column.check, column, f"CHECK of {table.name}.{column.name}"
    for check in table.checks:
        yield "check", check.expression, None, f"CHECK {check.expression[:40]!r} of table {table.name}"


def _excerpt(text: str, offset: int) -> str:
    piece = text[max(0, offset - 10) : offset + 20]
    return piece.encode("unicode_escape").decode("ascii")


@check_rule(
    "S001",
    Severity.ERROR,
    "DEFAULT or CHECK is not exactly one SQL expression",
    "A DEFAULT and a CHECK are copied into the generated CREATE TABLE / ALTER TABLE statements as SQL, so "
    "each must be one expression read by PostgreSQL's own rules: every string, quoted identifier and "
    "dollar quote closed; no `;`, no comment, no `$1` parameter, no control character; brackets balanced and "
    "never closing what the expression did not open; no comma outside brackets; and in a DEFAULT no "
    "`NOT NULL`, `REFERENCES`, `CHECK`, `COLLATE`, … outside parentheses (PostgreSQL would read them as "
    "column constraints). A backslash in a `'...'` string must not change where the string ends with "
    "`standard_conforming_strings` on or off: write `E'...'` for escapes. Anything else could carry a "
    "second statement into the migration that runs against your database, so the build stops. This error "
    "cannot be disabled.",
    "| note | TEXT | DEFAULT ($$'$$); DROP TABLE users; --) |",
)
def single_expression(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for kind, text, column, what in _expressions(table):
            problem = expression_problem(text, "default" if kind == "default" else "check")
            if problem is None or problem.dangerous_call:
                continue
            yield _finding(what, text, problem, column, table)


@check_rule(
    "S002",
    Severity.ERROR,
    "Column type is not a plain SQL type name",
    "A type specc does not know is kept verbatim and copied into the generated DDL, so it must look like a "
    'type: a name (`citext`, `public.money_amount`, `"MyType"`) with optional modifiers of numbers or '
    "words (`vector(1536)`, `geometry(Point, 4326)`) and array brackets (`name[]`). Anything else could "
    "carry SQL into the migration. This error cannot be disabled.",
    "| embedding | vector(3); DROP TABLE users | |",
)
def plain_type_name(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            if sql_type(column.type).known:
                continue
            problem = type_problem(column.type)
            if problem is not None:
                yield Finding(
                    _type_message(table.name, column.name, column.type, problem),
                    (column.type_span, column.span, table.span),
                    hint="write a PostgreSQL type name such as TEXT, or the name of a type your database has",
                )


@check_rule(
    "S003",
    Severity.ERROR,
    "Expression calls a function that must not run in a migration",
    "A DEFAULT or CHECK runs inside the migration (ADD COLUMN fills existing rows with the default; ADD "
    "CONSTRAINT checks every row) with the migration's privileges, and again on every insert. Functions "
    "that run SQL given as text (`query_to_xml`, `dblink_exec`), read or write the server's files "
    "(`pg_read_file`, `lo_import`), or act on other sessions or the server (`pg_terminate_backend`, "
    "`set_config`, `pg_sleep`) are refused by name. The list cannot know every extension: review "
    "expressions that call unfamiliar functions. This error cannot be disabled.",
    "| note | TEXT | DEFAULT pg_read_file('/etc/passwd') |",
)
def refused_function(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for kind, text, column, what in _expressions(table):
            problem = expression_problem(text, "default" if kind == "default" else "check")
            if problem is not None and problem.dangerous_call:
                yield _finding(what, text, problem, column, table)


def _expression_message(what: str, text: str, problem: Problem) -> str:
    return f"{what}: {problem.message} (at {_excerpt(text, problem.offset)!r})"


def _type_message(table: str, column: str, type_text: str, problem: Problem) -> str:
    return (
        f"type {type_text!r} of {table}.{column} is not a plain SQL type name: "
        f"{problem.message} (at {_excerpt(type_text, problem.offset)!r})"
    )


def _finding(what: str, text: str, problem: Problem, column: Column | None, table: Table) -> Finding:
    spans = (column.constraints_span, column.span) if column is not None else ()
    check_span = next((c.span for c in table.checks if c.expression == text), None)
    return Finding(
        _expression_message(what, text, problem),
        (*spans, check_span, table.span),
        hint="write one expression; put prose in a Description column",
    )


def recorded_sql_problems(table: DbTable) -> Iterator[str]:
    """S001, S002 and S003 over a database-level table (what the lock file records), one message each, and
    index methods: a recorded method reaches DDL unquoted (`USING <method>`), so it must be one the dialect
    has."""
    for column in table.columns:
        default = column.default
        problem = expression_problem(default, "default") if default is not None else None
        if default is not None and problem is not None:
            yield _expression_message(f"DEFAULT of {table.name}.{column.name}", default, problem)
        type_error = None if column.sql.known else type_problem(column.type)
        if type_error is not None:
            yield _type_message(table.name, column.name, column.type, type_error)
    for check in table.checks:
        problem = expression_problem(check.expression, "check")
        if problem is not None:
            what = f"CHECK {check.expression[:40]!r} of table {table.name}"
            yield _expression_message(what, check.expression, problem)
    for index in table.indexes:
        if index.method not in POSTGRESQL.index_methods:
            known = ", ".join(sorted(POSTGRESQL.index_methods))
            yield (
                f"index {index.name[:60]!r} of {table.name} has the method {index.method[:40]!r}, which is "
                f"not one of {known}"
            )
