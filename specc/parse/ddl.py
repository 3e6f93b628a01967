"""`CREATE TABLE` statements in a ```sql fence → raw tables, as a column table gives them.

The fence is split into statements here (PostgreSQL's quoting rules, so a `;` inside a string, quoted name,
dollar quote or comment does not end one). Each `CREATE TABLE` is parsed with sqlglot — PostgreSQL first,
then MySQL for `AUTO_INCREMENT`, backticks, `ENUM(...)` and `ENGINE=` — and read from the syntax tree;
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

import bisect
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Literal, cast, get_args

from specc.diagnostics import Code
from specc.ir.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    IndexMethod,
    ReferentialAction,
    Span,
    construct,
)
from specc.ir.types import TypeProblem, read_type, sql_type
from specc.parse import codes
from specc.parse.constraints import normalise_default, sql_default
from specc.parse.document import Document
from specc.parse.names import NameProblem, source_name_problem
from specc.parse.tables import InlineIndex, RawColumn, RawTable, type_problem_diagnostic
from specc.sql.expression import expression_problem

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ParseError
    from sqlglot.parser import Parser

__all__ = [
    "MAX_SQL_FENCE_LENGTH",
    "MAX_SQL_NESTING",
    "ColumnType",
    "FencePlaces",
    "looks_like_schema_sql",
    "read_column_type",
    "read_create_tables",
]

_log = logging.getLogger(__name__)

MAX_SQL_FENCE_LENGTH = 1_000_000
"""Characters of one ```sql fence read for `CREATE TABLE` statements; a longer fence is not read (P035)."""
MAX_SQL_NESTING = 24
"""Parentheses and brackets nested in one statement; sqlglot's parser recurses about twenty frames per
level, so a deeper statement is reported (P035) instead of being parsed."""

_SQL_INFOS = frozenset({"", "sql", "postgresql", "postgres", "pgsql", "mysql", "plpgsql"})
_CREATE_TABLE_WORDS = re.compile(
    r"\bCREATE\s+(?:(?:OR\s+REPLACE|GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\b", re.IGNORECASE
)
_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:(?:OR\s+REPLACE|GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\b", re.IGNORECASE
)
_CREATE_TYPE = re.compile(r"CREATE\s+TYPE\b", re.IGNORECASE)
_CREATE_INDEX = re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\b", re.IGNORECASE)
_SPECIAL = re.compile(r"[;'\"`$]|--|/\*")
_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$")
_NOT_BLANK = re.compile(r"\S")
_TRAILING_GOT = re.compile(r"\s*(?:but\s+)?got\s*$")
_ACTION = re.compile(
    r"ON\s+(DELETE|UPDATE)\s+(CASCADE|SET\s+NULL|SET\s+DEFAULT|RESTRICT|NO\s+ACTION)$", re.IGNORECASE
)
_DEFAULT_REFERENCE_OPTIONS = frozenset({"NOT DEFERRABLE", "INITIALLY IMMEDIATE", "MATCH SIMPLE"})
"""Foreign-key options that say what PostgreSQL does anyway: nothing is left out by not reading them."""
_CONSTRAINT_WORDS = frozenset(
    {
        "NOT",
        "NULL",
        "DEFAULT",
        "CHECK",
        "UNIQUE",
        "PRIMARY",
        "REFERENCES",
        "CONSTRAINT",
        "GENERATED",
        "COLLATE",
        "DEFERRABLE",
        "INITIALLY",
        "ON",
        "AUTO_INCREMENT",
        "AUTOINCREMENT",
        "IDENTITY",
        "COMMENT",
        "KEY",
        "AS",
        "VISIBLE",
        "INVISIBLE",
        "STORAGE",
        "COMPRESSION",
        "CHARSET",
    }
)
"""Words that end a column's type or a DEFAULT expression when they stand outside brackets (and
`CHARACTER SET`): each starts a column constraint or option."""
_HARMLESS_TYPE_WORDS = frozenset({"SIGNED", "UNSIGNED", "ZEROFILL"})
"""MySQL words after a type that change nothing PostgreSQL stores."""
_MAX_LISTED = 6
"""How many left-out parts one P035 message names."""
_MAX_QUOTED = 60
"""Characters of SQL quoted in a message."""


def looks_like_schema_sql(info: str, content: str) -> bool:
    """True when a fence with this info string and content holds `CREATE TABLE` statements to read: the
    info string is empty or names a SQL dialect (sql, postgresql, postgres, pgsql, mysql, plpgsql)."""
    words = info.split()
    language = words[0].lower() if words else ""
    return language in _SQL_INFOS and _CREATE_TABLE_WORDS.search(content) is not None


class FencePlaces:
    """Document positions of offsets in the content of a fence whose first content line is the document's
    0-based line `line0`. A content line that sits indented in the document (a fence in a list item or a
    block quote) is found at the end of its document line, so columns count the indentation too."""

    def __init__(self, doc: Document, line0: int, text: str) -> None:
        self.doc = doc
        self.line0 = line0
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))
        self._indent: dict[int, int] = {}

    def line_start(self, k: int) -> int:
        """Offset of the start of content line `k` (0-based)."""
        return self.starts[k]

    def position(self, offset: int) -> tuple[int, int]:
        """(0-based document line, 1-based column) of an offset in the fence content."""
        k = bisect.bisect_right(self.starts, offset) - 1
        return self.line0 + k, self._indentation(k) + offset - self.starts[k] + 1

    def span(self, offset: int) -> Span:
        line0, column = self.position(offset)
        return self.doc.span(line0, column)

    def report(self, code: Code, message: str, offset: int, hint: str | None = None) -> None:
        line0, column = self.position(offset)
        self.doc.report(code, message, line0, column, hint)

    def _indentation(self, k: int) -> int:
        known = self._indent.get(k)
        if known is not None:
            return known
        end = self.starts[k + 1] - 1 if k + 1 < len(self.starts) else len(self.text)
        content = self.text[self.starts[k] : end]
        doc_line0 = self.line0 + k
        indent = 0
        if 0 <= doc_line0 < len(self.doc.lines):
            line = self.doc.lines[doc_line0]
            if line.endswith(content):
                indent = len(line) - len(content)
        self._indent[k] = indent
        return indent


@dataclass(frozen=True)
class ColumnType:
    type: str
    """The canonical spelling (`specc.ir.types`), or the type as written when it is unknown or rejected."""
    autoincrement: bool
    """The type itself says so (`SERIAL`, `BIGSERIAL`, `INT AUTO_INCREMENT`)."""


def read_column_type(
    places: FencePlaces, text: str, column: str, offset: int, alternative: str | None = None
) -> ColumnType:
    """The type of column `column` as written at fence offset `offset`; `alternative` is another spelling
    of the same type, used when `read_type` does not know `text`. A type `read_type` does not know is kept
    verbatim (P005); one it knows but PostgreSQL rejects is kept verbatim and reported."""
    read = read_type(text)
    if (read is None or _loose_rest(read.rest)) and alternative is not None:
        other = read_type(alternative)
        if other is not None and other.problem is None and not _loose_rest(other.rest):
            read = other
    if read is None or _loose_rest(read.rest):
        verbatim = " ".join(text.split())
        places.report(
            codes.UNKNOWN_TYPE,
            f"unknown type {verbatim!r} for column {column!r}; kept verbatim",
            offset,
            hint="use a PostgreSQL type such as TEXT, BIGINT, TIMESTAMPTZ, JSONB",
        )
        return ColumnType(verbatim, autoincrement=False)
    if read.problem is not None:
        _report_type_problem(places, read.problem, column, offset)
        return ColumnType(" ".join(text.split()), autoincrement=False)
    return ColumnType(read.type.render(), read.autoincrement)


def _loose_rest(rest: str) -> bool:
    """True when text follows a type that is not a harmless MySQL word (`UNSIGNED`, `ZEROFILL`): the
    type was only a prefix of what is written (`bit varying` is not `bit`)."""
    return any(word.upper() not in _HARMLESS_TYPE_WORDS for word in rest.split())


def _report_type_problem(places: FencePlaces, problem: TypeProblem, column: str, offset: int) -> None:
    found = type_problem_diagnostic(problem, column)
    places.report(found.code, found.message, offset, found.hint)


# --- statements ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Statement:
    start: int
    """Offset in the fence of the statement's first character that is not blank or a comment."""
    text: str
    """The statement from `start` on, without its `;`."""
    kind: Literal["table", "type", "index"]


def _split(sql: str) -> list[tuple[int, int]]:
    """(start, end) of each `;`-separated piece of `sql`. Strings (`''` doubled, backslash escapes in
    `E'...'`), quoted names (`"..."` and MySQL's backticks), dollar quotes and comments are skipped, so a
    `;` inside them does not end a statement; an unterminated one runs to the end. Linear."""
    pieces: list[tuple[int, int]] = []
    n = len(sql)
    start = 0
    i = 0
    while True:
        m = _SPECIAL.search(sql, i)
        if m is None:
            break
        at = m.start()
        token = m.group(0)
        if token == ";":
            pieces.append((start, at))
            start = i = at + 1
        elif token == "--":
            newline = sql.find("\n", at)
            i = n if newline < 0 else newline + 1
        elif token == "/*":
            close = sql.find("*/", at + 2)
            i = n if close < 0 else close + 2
        elif token == "$":
            tag = _DOLLAR_TAG.match(sql, at)
            if tag is None or (at > 0 and (sql[at - 1].isalnum() or sql[at - 1] == "_")):
                i = at + 1
            else:
                close = sql.find(tag.group(0), tag.end())
                i = n if close < 0 else close + len(tag.group(0))
        else:
            escapes = (
                token == "'" and at > 0 and sql[at - 1] in "eE" and (at < 2 or not sql[at - 2].isalnum())
            )
            i = _quoted_end(sql, at, token, escapes)
    pieces.append((start, n))
    return pieces


def _quoted_end(sql: str, at: int, quote: str, escapes: bool) -> int:
    """Offset just past the quoted text opened at `at` (a doubled quote stays inside); len(sql) when it is
    not closed."""
    n = len(sql)
    j = at + 1
    while True:
        close = sql.find(quote, j)
        if close < 0:
            return n
        if escapes:
            slashes = 0
            k = close - 1
            while k > at and sql[k] == "\\":
                slashes += 1
                k -= 1
            if slashes % 2 == 1:
                j = close + 1
                continue
        if close + 1 < n and sql[close + 1] == quote:
            j = close + 2
            continue
        return close + 1


def _skip_blank(sql: str, i: int, end: int) -> int:
    """Offset of the first character at or after `i` that is not blank or inside a comment."""
    while i < end:
        visible = _NOT_BLANK.search(sql, i, end)
        if visible is None:
            return end
        i = visible.start()
        if sql.startswith("--", i):
            newline = sql.find("\n", i, end)
            i = end if newline < 0 else newline + 1
        elif sql.startswith("/*", i):
            close = sql.find("*/", i + 2, end)
            i = end if close < 0 else close + 2
        else:
            break
    return min(i, end)


def _statements(sql: str) -> list[_Statement]:
    found: list[_Statement] = []
    for start, end in _split(sql):
        head = _skip_blank(sql, start, end)
        if head >= end:
            continue
        kind: Literal["table", "type", "index"] | None = None
        if _CREATE_TABLE.match(sql, head, end):
            kind = "table"
        elif _CREATE_TYPE.match(sql, head, end):
            kind = "type"
        elif _CREATE_INDEX.match(sql, head, end):
            kind = "index"
        if kind is not None:
            found.append(_Statement(head, sql[head:end], kind))
    return found


# --- sqlglot -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _SqlReader:
    dialect: Dialect
    parser: type[Parser]


@cache
def _readers() -> tuple[_SqlReader, ...]:
    """PostgreSQL, then MySQL. sqlglot is imported on first use: a document without SQL never pays for it.
    Each parser raises where sqlglot would fall back to an opaque `Command` (and log a warning)."""
    from sqlglot.dialects.mysql import MySQL
    from sqlglot.dialects.postgres import Postgres

    return tuple(_SqlReader(dialect, _strict(dialect.parser_class)) for dialect in (Postgres(), MySQL()))


def _strict(base: type[Parser]) -> type[Parser]:
    """`base` raising a ParseError where it would read the rest of a statement as an opaque `Command`."""
    from sqlglot.errors import ParseError

    def _warn_unsupported(self: Parser) -> None:
        raise ParseError("syntax sqlglot does not read")

    return cast(
        "type[Parser]", type(f"Strict{base.__name__}", (base,), {"_warn_unsupported": _warn_unsupported})
    )


@dataclass(frozen=True)
class _Parsed:
    tree: exp.Create
    starts: list[int]
    """Start offset (in the statement) of each token."""
    ends: list[int]
    """End offset (exclusive) of each token."""
    words: list[str]
    """Each token as written, upper-cased (quotes included, so `"NULL"` is not the word NULL)."""


@dataclass(frozen=True)
class _Failure:
    message: str
    line: int = 0
    """With `column`: how far the parser got in the statement; the failure that got furthest is shown."""
    column: int = 0


def _parse(text: str) -> _Parsed | _Failure:
    """One statement parsed by the first dialect that reads it as one `CREATE`, or why none does."""
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError

    failures: list[_Failure] = []
    for reader in _readers():
        try:
            tokens = reader.dialect.tokenize(text)
        except Exception:  # sqlglot's TokenError, or any defect of the tokenizer: the text is not read
            _log.debug("sqlglot could not tokenize a statement", exc_info=True)
            failures.append(
                _Failure("it cannot be split into SQL tokens (an unterminated quote or comment?)")
            )
            continue
        starts = [t.start for t in tokens]
        ends = [t.end + 1 for t in tokens]
        words = [text[a:b].upper() for a, b in zip(starts, ends, strict=True)]
        deepest = _deepest(words)
        if deepest > MAX_SQL_NESTING:
            return _Failure(f"parentheses nested {deepest} deep (the limit is {MAX_SQL_NESTING})")
        try:
            trees = reader.parser(error_level=ErrorLevel.IMMEDIATE, dialect=reader.dialect).parse(
                tokens, text
            )
        except ParseError as error:
            failures.append(_parse_failure(error))
            continue
        except Exception:  # RecursionError or a defect of the parser: the statement is not read
            _log.debug("sqlglot could not parse a statement", exc_info=True)
            failures.append(_Failure("sqlglot could not parse it"))
            continue
        real = [t for t in trees if t is not None]
        if len(real) == 1 and isinstance(real[0], exp.Create):
            return _Parsed(real[0], starts, ends, words)
        failures.append(_Failure("it is not one CREATE statement"))
    return max(failures, key=lambda f: (f.line, f.column))


def _parse_failure(error: ParseError) -> _Failure:
    """A syntax error in words: sqlglot's description without the token it dumps, and the token."""
    if not error.errors:
        return _Failure("syntax error")
    first = error.errors[0]
    description = str(first.get("description") or "")[: _MAX_QUOTED * 4]
    if "<Token" in description:
        description = _TRAILING_GOT.sub("", description[: description.index("<Token")])
    highlight = str(first.get("highlight") or "")
    near = f" near {_quote(highlight)}" if highlight.strip() else ""
    line = first.get("line")
    col = first.get("col")
    message = f"syntax error{near}" + (f": {_clip(description)}" if description.strip() else "")
    if isinstance(line, int) and isinstance(col, int):
        return _Failure(message, line, col)
    return _Failure(message)


def _deepest(words: list[str]) -> int:
    depth = deepest = 0
    for word in words:
        if word in ("(", "["):
            depth += 1
            deepest = max(deepest, depth)
        elif word in (")", "]"):
            depth -= 1
    return deepest


def _clip(text: str) -> str:
    """`text` on one line, without control characters, at most `_MAX_QUOTED` characters."""
    flat = " ".join("".join(ch if ch.isprintable() else " " for ch in text[: _MAX_QUOTED * 4]).split())
    return flat if len(flat) <= _MAX_QUOTED else flat[: _MAX_QUOTED - 1] + "…"


def _quote(text: str) -> str:
    return "`" + _clip(text) + "`"


def _render(node: exp.Expression | None) -> str:
    """sqlglot's PostgreSQL spelling of a node, for messages and as a second reading of a type."""
    if node is None:
        return ""
    try:
        return node.sql(dialect="postgres")
    except Exception:  # a defect or RecursionError of the generator: the node has no spelling
        _log.debug("sqlglot could not spell a node", exc_info=True)
        return ""


def _identifier(node: object) -> str | None:
    """The name a column reference in a key or index list holds (`a`, `"a"`, `` `a` ``, `a ASC`)."""
    from sqlglot import exp

    if isinstance(node, exp.Ordered) and not node.args.get("desc"):
        node = node.this
    if isinstance(node, exp.Column) and not node.table:
        node = node.this
    if isinstance(node, exp.Identifier):
        return str(node.name)
    return None


def _identifiers(nodes: list[Any]) -> list[str] | None:
    names = [_identifier(node) for node in nodes]
    return None if not names or any(name is None for name in names) else [n for n in names if n is not None]


def _table_parts(node: exp.Table) -> list[str]:
    return [str(part.name) for part in node.parts]


# --- reading a CREATE TABLE ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Range:
    """Tokens `first` through `last` (indexes) of a statement."""

    first: int
    last: int


@dataclass
class _Fk:
    target: str
    column: str | None
    on_delete: ReferentialAction | None
    on_update: ReferentialAction | None
    at: int


@dataclass
class _ColumnFacts:
    name: str
    at: int
    type: str
    type_at: int
    autoincrement: bool
    constraints_at: int | None
    not_null: bool = False
    primary_key: bool = False
    unique: bool = False
    default: str | None = None
    default_at: int = 0
    check: str | None = None
    fk: _Fk | None = None
    description: str | None = None

    @property
    def written_at(self) -> int:
        """Where the column's constraints are written (its name when it has none)."""
        return self.at if self.constraints_at is None else self.constraints_at


@dataclass
class _ColumnTokens:
    """Where the parts of a column definition are, as token indexes and text offsets in the statement."""

    type_end: int
    defaults: list[_Range] = field(default_factory=list)
    checks: list[_Range] = field(default_factory=list)
    references: list[int] = field(default_factory=list)


class _TableReader:
    def __init__(
        self, places: FencePlaces, statement: _Statement, parsed: _Parsed, enums: dict[str, str]
    ) -> None:
        self.places = places
        self.statement = statement
        self.parsed = parsed
        self.enums = enums
        self.columns: dict[str, _ColumnFacts] = {}
        self.left_out: list[str] = []
        self.checks: list[CheckConstraint] = []
        self.indexes: list[InlineIndex] = []
        self.description: str | None = None

    # positions

    def at(self, token: int) -> int:
        """Fence offset of token `token` of the statement."""
        return self.statement.start + self.parsed.starts[token]

    def source(self, first: int, last: int) -> str:
        """The statement's text from token `first` through token `last`."""
        return self.statement.text[self.parsed.starts[first] : self.parsed.ends[last]]

    def text(self, tokens: _Range) -> str:
        return self.source(tokens.first, tokens.last)

    def _close(self, opener: int, end: int) -> int:
        """Index of the bracket closing the one at `opener` (or `end` when none does before it)."""
        depth = 0
        words = self.parsed.words
        for j in range(opener, end):
            if words[j] in ("(", "["):
                depth += 1
            elif words[j] in (")", "]"):
                depth -= 1
                if depth == 0:
                    return j
        return end

    # the statement

    def read(self) -> RawTable | None:
        from sqlglot import exp

        tree = self.parsed.tree
        where = self.statement.start
        schema = tree.this
        if not isinstance(schema, exp.Schema) or not isinstance(schema.this, exp.Table):
            source = "a query (CREATE TABLE ... AS)" if tree.args.get("expression") else "another table"
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE statement not read: its columns come from {source}, not from column "
                "definitions",
                where,
                hint="write the column definitions, or describe the table with a column table",
            )
            return None
        name = str(schema.this.name).lower()
        name_token = self._token_at(schema.this.this)
        table_problem = source_name_problem(name, "table name")
        if table_problem is not None:
            self._report_name(table_problem, name_token if name_token is not None else 0)
        items, stray = self._items()
        for token in stray:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name}: this comma ends an empty definition, which PostgreSQL rejects; the "
                "other definitions are read",
                self.at(token),
                hint="remove the comma",
            )
        by_start = {self.parsed.starts[item.first]: item for item in items}
        claimed: set[_Range] = set()
        others: list[exp.Expression] = []
        for node in schema.expressions:
            if isinstance(node, exp.ColumnDef):
                start = node.this.meta.get("start") if isinstance(node.this, exp.Identifier) else None
                item = by_start.get(start) if isinstance(start, int) else None
                if item is None:
                    self.left_out.append(f"column {_quote(_render(node))}")
                    continue
                claimed.add(item)
                self._column(node, item)
            else:
                others.append(node)
        rest = [item for item in items if item not in claimed]
        for k, node in enumerate(others):
            self._table_item(node, rest[k] if len(rest) == len(others) else None)
        self._properties(tree)
        if tree.args.get("expression") is not None:
            self.left_out.append("the query after AS")
        if not self.columns:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name} not read: no column definition could be read" + self._listed(),
                where,
                hint="write the column definitions, or describe the table with a column table",
            )
            return None
        if self.left_out:
            self.places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE {name}: left out" + self._listed(),
                where,
                hint="describe what was left out in prose, or remove it from the statement",
            )
        table = RawTable(
            name=name, span=self.places.span(where), renamed_from=None, description=self.description
        )
        table.columns.extend(self._build(facts) for facts in self.columns.values())
        table.checks.extend(self.checks)
        table.inline_indexes.extend(self.indexes)
        return table

    def _listed(self) -> str:
        """` <part>; <part>; and N more`: what `left_out` names, or nothing."""
        if not self.left_out:
            return ""
        shown = self.left_out[:_MAX_LISTED]
        more = len(self.left_out) - len(shown)
        return " " + "; ".join(shown) + (f"; and {more} more" if more else "")

    def _token_at(self, node: object) -> int | None:
        from sqlglot import exp

        if not isinstance(node, exp.Identifier):
            return None
        start = node.meta.get("start")
        if not isinstance(start, int):
            return None
        index = bisect.bisect_left(self.parsed.starts, start)
        return index if index < len(self.parsed.starts) and self.parsed.starts[index] == start else None

    def _report_name(self, problem: NameProblem, token: int) -> None:
        written = self.source(token, token)
        found = written.find(problem.needle)
        self.places.report(problem.code, problem.message, self.at(token) + max(found, 0), problem.hint)

    def _items(self) -> tuple[list[_Range], list[int]]:
        """The tokens of each comma-separated definition in the statement's column list, and the
        commas with nothing before them (`, ,` or `,)`: PostgreSQL rejects the statement)."""
        words = self.parsed.words
        n = len(words)
        opener = next((j for j in range(n) if words[j] == "("), n)
        items: list[_Range] = []
        stray: list[int] = []
        depth = 0
        first = opener + 1
        for j in range(opener + 1, n):
            word = words[j]
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]") and depth > 0:
                depth -= 1
            elif depth == 0 and word in (",", ")"):
                if j > first:
                    items.append(_Range(first, j - 1))
                elif word == "," or j > opener + 1:
                    stray.append(j if word == "," else j - 1)
                first = j + 1
                if word == ")":
                    break
        return items, stray

    # columns

    def _scan_column(self, first: int, last: int) -> _ColumnTokens:
        words = self.parsed.words
        end = last + 1
        found = _ColumnTokens(type_end=end)
        depth = 0
        j = first + 1
        while j < end:
            word = words[j]
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]"):
                depth -= 1
            elif depth == 0 and self._constraint_word(j, end):
                found.type_end = min(found.type_end, j)
                if word == "DEFAULT" and j + 1 < end:
                    stop = self._expression_end(j + 1, end)
                    found.defaults.append(_Range(j + 1, stop - 1))
                    j = stop
                    continue
                if word == "CHECK" and j + 1 < end and words[j + 1] == "(":
                    close = self._close(j + 1, end)
                    found.checks.append(_Range(j + 2, close - 1))
                    j = close + 1
                    continue
                if word == "REFERENCES":
                    found.references.append(self.at(j))
            j += 1
        return found

    def _constraint_word(self, j: int, end: int) -> bool:
        words = self.parsed.words
        word = words[j]
        first = word.split(maxsplit=1)[0] if word.strip() else word  # sqlglot's `PRIMARY KEY` is one token
        return first in _CONSTRAINT_WORDS or (word == "CHARACTER" and j + 1 < end and words[j + 1] == "SET")

    def _expression_end(self, j: int, end: int) -> int:
        """Index just past a DEFAULT expression starting at token `j`: its first token (a bracketed group
        whole), then everything up to the next constraint word outside brackets."""
        words = self.parsed.words
        k = self._close(j, end) + 1 if words[j] in ("(", "[") else j + 1
        depth = 0
        while k < end:
            word = words[k]
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]"):
                depth -= 1
            elif depth == 0 and self._constraint_word(k, end):
                break
            k += 1
        return k

    def _column(self, node: exp.ColumnDef, item: _Range) -> None:
        from sqlglot import exp

        first, last = item.first, item.last
        name = str(node.name)
        if name in self.columns:
            self.left_out.append(f"the second definition of column {name}")
            return
        problem = source_name_problem(name, "column name")
        if problem is not None:
            self._report_name(problem, first)
        kind = node.args.get("kind")
        tokens = self._scan_column(first, last)
        if not isinstance(kind, exp.DataType) or tokens.type_end <= first + 1:
            self.left_out.append(f"column {name}, which has no type")
            return
        type_text = self.source(first + 1, tokens.type_end - 1)
        type_at = self.at(first + 1)
        written = self._enum_spelling(type_text) or type_text
        known = read_type(written)
        alternative = _render(kind) if known is None or _loose_rest(known.rest) else None
        column_type = read_column_type(self.places, written, name, type_at, alternative)
        facts = _ColumnFacts(
            name=name,
            at=self.at(first),
            type=column_type.type,
            type_at=type_at,
            autoincrement=column_type.autoincrement,
            constraints_at=self.at(tokens.type_end) if tokens.type_end <= last else None,
        )
        defaults = iter(tokens.defaults)
        checks = iter(tokens.checks)
        references = iter(tokens.references)
        for constraint in node.args.get("constraints") or []:
            kind_node = constraint.args.get("kind") if isinstance(constraint, exp.ColumnConstraint) else None
            self._column_constraint(facts, kind_node, constraint, defaults, checks, references)
        self.columns[name] = facts

    def _enum_spelling(self, type_text: str) -> str | None:
        """`ENUM('a','b')` for a column typed with an enum created in the same fence (`mood`, `mood[]`)."""
        if read_type(type_text) is not None:
            return None
        stripped = type_text.strip()
        dims = 0
        while stripped.endswith("]") and "[" in stripped:
            stripped = stripped[: stripped.rindex("[")].rstrip()
            dims += 1
        key = stripped.rsplit(".", 1)[-1].strip('"`').lower()
        values = self.enums.get(key)
        return None if values is None else values + "[]" * dims

    def _column_constraint(
        self,
        facts: _ColumnFacts,
        kind: object,
        constraint: exp.Expression,
        defaults: Iterator[_Range],
        checks: Iterator[_Range],
        references: Iterator[int],
    ) -> None:
        from sqlglot import exp

        if isinstance(kind, exp.NotNullColumnConstraint):
            facts.not_null = not kind.args.get("allow_null")
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            facts.primary_key = True
        elif isinstance(kind, exp.UniqueColumnConstraint) and not kind.args.get("nulls"):
            facts.unique = True
        elif isinstance(kind, exp.DefaultColumnConstraint):
            span = next(defaults, None)
            if span is not None:
                facts.default = self.text(span).strip()
                facts.default_at = self.at(span.first)
            else:
                facts.default = _render(kind.this)
                facts.default_at = facts.written_at
        elif isinstance(kind, exp.CheckColumnConstraint):
            span = next(checks, None)
            text = (
                self.text(span).strip()
                if span is not None and span.last >= span.first
                else _render(kind.this)
            )
            if facts.check is None:
                facts.check = text
            else:
                name = constraint.args.get("this")
                self.checks.append(
                    construct(
                        CheckConstraint,
                        expression=text,
                        name=str(name.name) if isinstance(name, exp.Identifier) else None,
                        span=self.places.span(facts.at),
                    )
                )
        elif isinstance(kind, exp.Reference):
            at = next(references, facts.written_at)
            fk = self._reference(kind, at, f"column {facts.name}")
            if fk is not None:
                facts.fk = fk
        elif isinstance(kind, exp.AutoIncrementColumnConstraint) or (
            isinstance(kind, exp.GeneratedAsIdentityColumnConstraint) and kind.args.get("expression") is None
        ):
            facts.autoincrement = True
        elif isinstance(kind, exp.CommentColumnConstraint):
            facts.description = (
                str(kind.this.name) if isinstance(kind.this, exp.Literal) else _render(kind.this)
            )
        elif isinstance(kind, exp.CharacterSetColumnConstraint):
            pass  # MySQL's character set: PostgreSQL stores every text column in the database encoding
        else:
            self.left_out.append(f"{_quote(_render(constraint))} of column {facts.name}")

    def _reference(self, node: exp.Reference, at: int, owner: str) -> _Fk | None:
        """The target of `REFERENCES t(c) ON DELETE ...` for a key of one column."""
        from sqlglot import exp

        target = node.this
        referenced: list[str] = []
        if isinstance(target, exp.Schema):
            referenced = _identifiers(target.expressions) or []
            if len(referenced) != len(target.expressions):
                self.left_out.append(f"the foreign key of {owner}, which references expressions")
                return None
            target = target.this
        if not isinstance(target, exp.Table):
            self.left_out.append(f"the foreign key of {owner}")
            return None
        if len(referenced) > 1:
            self.left_out.append(f"the foreign key of {owner}, which references {len(referenced)} columns")
            return None
        actions: dict[str, ReferentialAction] = {}
        for option in node.args.get("options") or []:
            text = " ".join(str(option).upper().split())
            action = _ACTION.match(text)
            if action is not None:
                actions[action.group(1)] = cast(ReferentialAction, " ".join(action.group(2).split()))
            elif text not in _DEFAULT_REFERENCE_OPTIONS:
                self.left_out.append(f"{_quote(text)} of the foreign key of {owner}")
        return _Fk(
            target=".".join(_table_parts(target)),
            column=referenced[0] if referenced else None,
            on_delete=actions.get("DELETE"),
            on_update=actions.get("UPDATE"),
            at=at,
        )

    # table constraints

    def _table_item(self, node: exp.Expression, item: _Range | None) -> None:
        from sqlglot import exp

        at = self.at(item.first) if item is not None else self.statement.start
        if isinstance(node, exp.Constraint):
            name = str(node.name) or None
            for part in node.expressions:
                self._table_constraint(part, item, at, name)
        else:
            self._table_constraint(node, item, at, None)

    def _table_constraint(self, node: exp.Expression, item: _Range | None, at: int, name: str | None) -> None:
        from sqlglot import exp

        if isinstance(node, exp.PrimaryKey):
            columns = self._key_columns(node.expressions, "PRIMARY KEY", node)
            for column in columns or []:
                self.columns[column].primary_key = True
        elif isinstance(node, exp.UniqueColumnConstraint) and isinstance(node.this, exp.Schema):
            if node.args.get("nulls"):
                self.left_out.append(f"{_quote(self._written(node, item))}: NULLS NOT DISTINCT")
                return
            columns = self._key_columns(node.this.expressions, "UNIQUE", node)
            if columns is not None and len(columns) == 1:
                self.columns[columns[0]].unique = True
            elif columns is not None:
                self.indexes.append(InlineIndex(tuple(columns), True, "btree", self.places.span(at)))
        elif isinstance(node, exp.CheckColumnConstraint):
            text = self._check_text(item) or _render(node.this)
            self.checks.append(
                construct(CheckConstraint, expression=text, name=name, span=self.places.span(at))
            )
        elif isinstance(node, exp.ForeignKey):
            self._foreign_key(node, item, at)
        elif isinstance(node, exp.IndexColumnConstraint) and not node.args.get("kind"):
            columns = self._key_columns(node.expressions, "index", node)
            if columns is not None:
                self.indexes.append(InlineIndex(tuple(columns), False, "btree", self.places.span(at)))
        else:
            self.left_out.append(_quote(self._written(node, item)))

    def _written(self, node: exp.Expression, item: _Range | None) -> str:
        return self.text(item) if item is not None else _render(node)

    def _key_columns(self, nodes: list[Any], what: str, node: exp.Expression) -> list[str] | None:
        names = _identifiers(nodes)
        if names is None:
            self.left_out.append(f"{what} {_quote(_render(node))}, which lists expressions")
            return None
        unknown = [n for n in names if n not in self.columns]
        if unknown:
            self.left_out.append(f"{what} on {', '.join(unknown)}, which the statement does not define")
            return None
        return names

    def _check_text(self, item: _Range | None) -> str | None:
        if item is None:
            return None
        words = self.parsed.words
        first, last = item.first, item.last
        for j in range(first, last):
            if words[j] == "CHECK" and words[j + 1] == "(":
                close = self._close(j + 1, last + 1)
                return self.source(j + 2, close - 1).strip() if close - 1 >= j + 2 else None
        return None

    def _foreign_key(self, node: exp.ForeignKey, item: _Range | None, at: int) -> None:
        from sqlglot import exp

        local = _identifiers(node.expressions)
        reference = node.args.get("reference")
        if local is None or not isinstance(reference, exp.Reference):
            self.left_out.append(_quote(self._written(node, item)))
            return
        if len(local) != 1:
            self.left_out.append(f"the foreign key on ({', '.join(local)}): a key of several columns")
            return
        column = self.columns.get(local[0])
        if column is None:
            self.left_out.append(f"FOREIGN KEY on {local[0]}, which the statement does not define")
            return
        fk = self._reference(reference, at, f"column {column.name}")
        if fk is None:
            return
        for action, key in (("delete", "on_delete"), ("update", "on_update")):
            written = node.args.get(action)
            if written:
                match = " ".join(str(written).upper().split())
                if match in get_args(ReferentialAction):
                    setattr(fk, key, match)
        column.fk = fk

    def _properties(self, tree: exp.Create) -> None:
        from sqlglot import exp

        properties = tree.args.get("properties")
        if not isinstance(properties, exp.Properties):
            return
        harmless = (
            exp.EngineProperty,
            exp.CharacterSetProperty,
            exp.CollateProperty,
            exp.AutoIncrementProperty,
            exp.RowFormatProperty,
            exp.TableSpaceProperty,
        )
        for node in properties.expressions:
            if isinstance(node, exp.SchemaCommentProperty):
                self.description = str(node.this.name) if isinstance(node.this, exp.Literal) else None
            elif not isinstance(node, harmless):
                self.left_out.append(_quote(_render(node)))

    # the IR

    def _build(self, facts: _ColumnFacts) -> RawColumn:
        default = facts.default
        if default is not None:
            default = normalise_default(default)
            if default == "null":
                default = None
        if default is not None and expression_problem(default, "default") is None:
            sql = sql_type(facts.type)
            textual = not sql.known or (
                sql.base in ("VARCHAR", "CHAR", "TEXT", "ENUM") and not sql.array_dims
            )
            value, problem = sql_default(default, textual)
            if problem is not None:
                self.places.report(
                    codes.BAD_DEFAULT,
                    f"default {default!r} of column {facts.name!r} ignored: {problem}",
                    facts.default_at,
                )
            if value in ("0", "1") and sql.base == "BOOLEAN" and not sql.array_dims:
                value = "true" if value == "1" else "false"  # MySQL's TINYINT(1) flags default to 0 and 1
            default = value
        fk = facts.fk
        fk_span = self.places.span(fk.at) if fk is not None else None
        column = construct(
            Column,
            name=facts.name,
            type=facts.type,
            nullable=not (facts.primary_key or facts.not_null),
            primary_key=facts.primary_key,
            unique=facts.unique,
            autoincrement=facts.autoincrement,
            indexed=False,
            default=default,
            check=facts.check,
            foreign_key=None
            if fk is None
            else construct(
                ForeignKey,
                table=fk.target,
                column=fk.column,
                on_delete=fk.on_delete,
                on_update=fk.on_update,
                span=fk_span,
            ),
            description=facts.description,
            renamed_from=None,
            span=self.places.span(facts.at),
            type_span=self.places.span(facts.type_at),
            constraints_span=self.places.span(facts.constraints_at)
            if facts.constraints_at is not None
            else None,
        )
        return RawColumn(
            column=column,
            fk_target=fk.target if fk is not None else None,
            fk_column=fk.column if fk is not None else None,
            fk_span=fk_span,
        )


# --- other statements ----------------------------------------------------------------------------------


def _read_enum(parsed: _Parsed, enums: dict[str, str]) -> None:
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
    places: FencePlaces, statement: _Statement, parsed: _Parsed, tables: dict[str, RawTable]
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
    columns = _identifiers(params.args.get("columns") or [])
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
    statements = _statements(sql)
    enums: dict[str, str] = {}
    parsed: list[tuple[_Statement, _Parsed | _Failure]] = []
    for statement in statements:
        result = _parse(statement.text)
        parsed.append((statement, result))
        if statement.kind == "type" and isinstance(result, _Parsed):
            _read_enum(result, enums)
    tables: list[RawTable] = []
    by_name: dict[str, RawTable] = {}
    for statement, result in parsed:
        if statement.kind != "table":
            continue
        if isinstance(result, _Failure):
            places.report(
                codes.SQL_SCHEMA_NOT_READ,
                f"CREATE TABLE statement not read: {result.message}",
                statement.start,
                hint="fix the statement, or describe the table with a column table",
            )
            continue
        table = _TableReader(places, statement, result, enums).read()
        if table is not None:
            tables.append(table)
            by_name.setdefault(table.name, table)
    for statement, result in parsed:
        if statement.kind == "index" and isinstance(result, _Parsed):
            _read_index(places, statement, result, by_name)
    return tables
