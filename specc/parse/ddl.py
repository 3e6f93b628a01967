"""`CREATE TABLE` statements in a ```sql fence → raw tables, as a column table gives them.

The fence is split into statements (`specc.parse.ddlsplit`: PostgreSQL's quoting rules, so a `;` inside a
string, quoted name, dollar quote or comment does not end one). Each `CREATE TABLE` is parsed with sqlglot
(`specc.parse.ddlparse`) — PostgreSQL first, then MySQL for `AUTO_INCREMENT`, backticks, `ENUM(...)` and
`ENGINE=` — and read from the syntax tree (`specc.parse.ddltable`);
the text of types, defaults and checks is taken from the statement as written, so a value reaches the IR
the way the document spells it (sqlglot rewrites `now()` and `'x'::text`). `CREATE TYPE ... AS ENUM` gives
the values of a column typed with that name in the same fence, and a plain `CREATE [UNIQUE] INDEX` on a
table of the fence becomes one of its indexes; every other statement is ignored.

The document is untrusted input: nothing is evaluated, and no SQL is built from it. A statement that cannot
be read, or a part of one that has no place in the IR (`LIKE`, `EXCLUDE`, `PARTITION BY`, a collation, …),
is reported once per statement (P035) with what was left out. Nesting is bounded before sqlglot sees the
statement (its parser recurses once per parenthesis), and a fence over `MAX_SQL_FENCE_LENGTH` characters is
not read at all.
"""

from __future__ import annotations

import re
from typing import cast, get_args

from specc.ir.model import IndexMethod
from specc.parse import codes
from specc.parse.ddlparse import Parsed, ParseFailure, identifiers, parse_statement
from specc.parse.ddlsplit import FencePlaces, Statement, split_statements
from specc.parse.ddltable import TableReader
from specc.parse.document import Document
from specc.parse.tables import InlineIndex, RawTable

__all__ = ["MAX_SQL_FENCE_LENGTH", "looks_like_schema_sql", "read_create_tables"]


MAX_SQL_FENCE_LENGTH = 1_000_000
"""Characters of one ```sql fence read for `CREATE TABLE` statements; a longer fence is not read (P035)."""


_SQL_INFOS = frozenset({"", "sql", "postgresql", "postgres", "pgsql", "mysql", "plpgsql"})


_CREATE_TABLE_WORDS = re.compile(
    r"\bCREATE\s+(?:(?:OR\s+REPLACE|GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\b", re.IGNORECASE
)


def looks_like_schema_sql(info: str, content: str) -> bool:
    """True when a fence with this info string and content holds `CREATE TABLE` statements to read: the
    info string is empty or names a SQL dialect (sql, postgresql, postgres, pgsql, mysql, plpgsql)."""
    words = info.split()
    language = words[0].lower() if words else ""
    return language in _SQL_INFOS and _CREATE_TABLE_WORDS.search(content) is not None


def _read_enum(parsed: Parsed, enums: dict[str, str]) -> None:
    """`CREATE TYPE name AS ENUM ('a', 'b')` → enums[name] = `ENUM('a','b')`."""
    from sqlglot import exp

    tree = parsed.tree
    kind = tree.args.get("kind")
    values = tree.args.get("expression")
    if str(kind).upper() != "TYPE" or not isinstance(tree.this, exp.Table):
        return
    if not isinstance(values, exp.DataType) or not values.is_type(exp.DataType.Type.ENUM):
        return
    literals = values.expressions
    if not all(isinstance(v, exp.Literal) and v.is_string for v in literals):
        return
    quoted = ",".join("'" + str(v.name).replace("'", "''") + "'" for v in literals)
    enums[str(tree.this.name).lower()] = f"ENUM({quoted})"


def _read_index(
    places: FencePlaces, statement: Statement, parsed: Parsed, tables: dict[str, RawTable]
) -> None:
    """A plain `CREATE [UNIQUE] INDEX ... ON t [USING m] (a, b)` on a table of the fence: one of its
    indexes. Expression, partial and covering indexes have no place in the IR and are ignored."""
    from sqlglot import exp

    index = parsed.tree.this
    if not isinstance(index, exp.Index) or not isinstance(index.args.get("table"), exp.Table):
        return
    table = tables.get(str(index.args["table"].name).lower())
    params = index.args.get("params")
    if table is None or not isinstance(params, exp.IndexParameters):
        return
    kinds = [
        k for k in ("where", "include", "partition_by", "with_storage", "tablespace") if params.args.get(k)
    ]
    columns = identifiers(params.args.get("columns") or [])
    using = params.args.get("using")
    named = str(using.name).lower() if using is not None else "btree"
    method = cast(IndexMethod, named) if named in get_args(IndexMethod) else None
    if kinds or columns is None or method is None:
        what = (
            {"where": "partial (WHERE)", "include": "covering (INCLUDE)"}.get(kinds[0], kinds[0])
            if kinds
            else ("expression" if columns is None else "index method")
        )
        places.report(
            codes.SQL_SCHEMA_NOT_READ,
            f"CREATE INDEX on {table.name}: a {what} index has no place in the document's model; left out",
            statement.start,
            hint="list a plain index under Indexes, or create this one in a migration of your own",
        )
        return
    unique = bool(parsed.tree.args.get("unique"))
    table.inline_indexes.append(InlineIndex(tuple(columns), unique, method, places.span(statement.start)))


def read_create_tables(doc: Document, line0: int, sql: str) -> list[RawTable]:
    """The tables the `CREATE TABLE` statements of a ```sql fence define; `sql` is the fence content, whose
    first line is the document's 0-based line `line0`. Never raises for the fence's content: what cannot
    be read is reported (P035) and left out."""
    places = FencePlaces(doc, line0, sql)
    if len(sql) > MAX_SQL_FENCE_LENGTH:
        places.report(
            codes.SQL_SCHEMA_NOT_READ,
            f"SQL fence of {len(sql):,} characters (the limit is {MAX_SQL_FENCE_LENGTH:,}); not read",
            0,
            hint="split the schema into several fences",
        )
        return []
    statements = split_statements(sql)
    enums: dict[str, str] = {}
    parsed: list[tuple[Statement, Parsed | ParseFailure]] = []
    for statement in statements:
        result = parse_statement(statement.text)
        parsed.append((statement, result))
        if statement.kind == "type" and isinstance(result, Parsed):
            _read_enum(result, enums)
    tables: list[RawTable] = []
    by_name: dict[str, RawTable] = {}
    for statement, result in parsed:
        if statement.kind != "table":
            continue
        if isinstance(result, ParseFailure):
            places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE statement not read: {result.message}",
                statement.start,
                hint="fix the statement, or describe the table with a column table",
            )
            continue
        table = TableReader(places, statement, result, enums).read()
        if table is not None:
            tables.append(table)
            by_name.setdefault(table.name, table)
    for statement, result in parsed:
        if statement.kind == "index" and isinstance(result, Parsed):
            _read_index(places, statement, result, by_name)
    return tables
