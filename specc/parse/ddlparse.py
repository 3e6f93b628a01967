"""One statement parsed with sqlglot (PostgreSQL first, then MySQL), with its tokens' places and the parts of
its definitions, and column types read from the text as written."""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from specc.ir.types import TypeProblem, read_type
from specc.parse import codes
from specc.parse.ddlsplit import FencePlaces, Statement
from specc.parse.tables import type_problem_diagnostic

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ParseError
    from sqlglot.parser import Parser

_log = logging.getLogger(__name__)


MAX_SQL_NESTING = 24
"""Parentheses and brackets nested in one statement; sqlglot's parser recurses about twenty frames per
level, so a deeper statement is reported (P035) instead of being parsed."""


_TRAILING_GOT = re.compile(r"\s*(?:but\s+)?got\s*$")


_MAX_QUOTED = 60
"""Characters of SQL quoted in a message."""


_HARMLESS_TYPE_WORDS = frozenset({"SIGNED", "UNSIGNED", "ZEROFILL"})
"""MySQL words after a type that change nothing PostgreSQL stores."""


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
    if (read is None or loose_rest(read.rest)) and alternative is not None:
        other = read_type(alternative)
        if other is not None and other.problem is None and not loose_rest(other.rest):
            read = other
    if read is None or loose_rest(read.rest):
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


def loose_rest(rest: str) -> bool:
    """True when text follows a type that is not a harmless MySQL word (`UNSIGNED`, `ZEROFILL`): the
    type was only a prefix of what is written (`bit varying` is not `bit`)."""
    return any(word.upper() not in _HARMLESS_TYPE_WORDS for word in rest.split())


def _report_type_problem(places: FencePlaces, problem: TypeProblem, column: str, offset: int) -> None:
    found = type_problem_diagnostic(problem, column)
    places.report(found.code, found.message, offset, found.hint)


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
class Parsed:
    tree: exp.Create
    starts: list[int]
    """Start offset (in the statement) of each token."""
    ends: list[int]
    """End offset (exclusive) of each token."""
    words: list[str]
    """Each token as written, upper-cased (quotes included, so `"NULL"` is not the word NULL)."""


@dataclass(frozen=True)
class ParseFailure:
    message: str
    line: int = 0
    """With `column`: how far the parser got in the statement; the failure that got furthest is shown."""
    column: int = 0


def parse_statement(text: str) -> Parsed | ParseFailure:
    """One statement parsed by the first dialect that reads it as one `CREATE`, or why none does."""
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel, ParseError

    failures: list[ParseFailure] = []
    for reader in _readers():
        try:
            tokens = reader.dialect.tokenize(text)
        except Exception:  # sqlglot's TokenError, or any defect of the tokenizer: the text is not read
            _log.debug("sqlglot could not tokenize a statement", exc_info=True)
            failures.append(
                ParseFailure("it cannot be split into SQL tokens (an unterminated quote or comment?)")
            )
            continue
        starts = [t.start for t in tokens]
        ends = [t.end + 1 for t in tokens]
        words = [text[a:b].upper() for a, b in zip(starts, ends, strict=True)]
        deepest = _deepest(words)
        if deepest > MAX_SQL_NESTING:
            return ParseFailure(f"parentheses nested {deepest} deep (the limit is {MAX_SQL_NESTING})")
        try:
            trees = reader.parser(error_level=ErrorLevel.IMMEDIATE, dialect=reader.dialect).parse(
                tokens, text
            )
        except ParseError as error:
            failures.append(_parse_failure(error))
            continue
        except Exception:  # RecursionError or a defect of the parser: the statement is not read
            _log.debug("sqlglot could not parse a statement", exc_info=True)
            failures.append(ParseFailure("sqlglot could not parse it"))
            continue
        real = [t for t in trees if t is not None]
        if len(real) == 1 and isinstance(real[0], exp.Create):
            return Parsed(real[0], starts, ends, words)
        failures.append(ParseFailure("it is not one CREATE statement"))
    return max(failures, key=lambda f: (f.line, f.column))


def _parse_failure(error: ParseError) -> ParseFailure:
    """A syntax error in words: sqlglot's description without the token it dumps, and the token."""
    if not error.errors:
        return ParseFailure("syntax error")
    first = error.errors[0]
    description = str(first.get("description") or "")[: _MAX_QUOTED * 4]
    if "<Token" in description:
        description = _TRAILING_GOT.sub("", description[: description.index("<Token")])
    highlight = str(first.get("highlight") or "")
    near = f" near {quote(highlight)}" if highlight.strip() else ""
    line = first.get("line")
    col = first.get("col")
    message = f"syntax error{near}" + (f": {_clip(description)}" if description.strip() else "")
    if isinstance(line, int) and isinstance(col, int):
        return ParseFailure(message, line, col)
    return ParseFailure(message)


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


def quote(text: str) -> str:
    return "`" + _clip(text) + "`"


def render(node: exp.Expression | None) -> str:
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


def identifiers(nodes: list[Any]) -> list[str] | None:
    names = [_identifier(node) for node in nodes]
    return None if not names or any(name is None for name in names) else [n for n in names if n is not None]


def table_parts(node: exp.Table) -> list[str]:
    return [str(part.name) for part in node.parts]


@dataclass(frozen=True)
class TokenRange:
    """Tokens `first` through `last` (indexes) of a statement."""

    first: int
    last: int


@dataclass
class ColumnTokens:
    """Where the parts of a column definition are, as token indexes and text offsets in the statement."""

    type_end: int
    defaults: list[TokenRange] = field(default_factory=list)
    checks: list[TokenRange] = field(default_factory=list)
    references: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Definitions:
    """The definitions of a CREATE TABLE's column list."""

    items: list[TokenRange]
    """The tokens of each comma-separated definition."""
    stray: list[int]
    """Commas with nothing before them (`, ,` or `,)`: PostgreSQL rejects the statement)."""


class StatementTokens:
    """Where the tokens of a parsed statement are in the fence, and the parts of its definitions."""

    def __init__(self, statement: Statement, parsed: Parsed) -> None:
        self.statement = statement
        self.parsed = parsed

    def at(self, token: int) -> int:
        """Fence offset of token `token` of the statement."""
        return self.statement.start + self.parsed.starts[token]

    def source(self, first: int, last: int) -> str:
        """The statement's text from token `first` through token `last`."""
        return self.statement.text[self.parsed.starts[first] : self.parsed.ends[last]]

    def text(self, tokens: TokenRange) -> str:
        return self.source(tokens.first, tokens.last)

    def close_of(self, opener: int, end: int) -> int:
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

    def token_at(self, node: object) -> int | None:
        from sqlglot import exp

        if not isinstance(node, exp.Identifier):
            return None
        start = node.meta.get("start")
        if not isinstance(start, int):
            return None
        index = bisect.bisect_left(self.parsed.starts, start)
        return index if index < len(self.parsed.starts) and self.parsed.starts[index] == start else None

    def items(self) -> Definitions:
        """The tokens of each comma-separated definition in the statement's column list, and the
        commas with nothing before them."""
        words = self.parsed.words
        n = len(words)
        opener = next((j for j in range(n) if words[j] == "("), n)
        items: list[TokenRange] = []
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
                    items.append(TokenRange(first, j - 1))
                elif word == "," or j > opener + 1:
                    stray.append(j if word == "," else j - 1)
                first = j + 1
                if word == ")":
                    break
        return Definitions(items, stray)

    def scan_column(self, first: int, last: int) -> ColumnTokens:
        words = self.parsed.words
        end = last + 1
        found = ColumnTokens(type_end=end)
        depth = 0
        j = first + 1
        while j < end:
            word = words[j]
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]"):
                depth -= 1
            elif depth == 0 and self.constraint_word(j, end):
                found.type_end = min(found.type_end, j)
                if word == "DEFAULT" and j + 1 < end:
                    stop = self.expression_end(j + 1, end)
                    found.defaults.append(TokenRange(j + 1, stop - 1))
                    j = stop
                    continue
                if word == "CHECK" and j + 1 < end and words[j + 1] == "(":
                    close = self.close_of(j + 1, end)
                    found.checks.append(TokenRange(j + 2, close - 1))
                    j = close + 1
                    continue
                if word == "REFERENCES":
                    found.references.append(self.at(j))
            j += 1
        return found

    def constraint_word(self, j: int, end: int) -> bool:
        words = self.parsed.words
        word = words[j]
        first = word.split(maxsplit=1)[0] if word.strip() else word  # sqlglot's `PRIMARY KEY` is one token
        return first in _CONSTRAINT_WORDS or (word == "CHARACTER" and j + 1 < end and words[j + 1] == "SET")

    def expression_end(self, j: int, end: int) -> int:
        """Index just past a DEFAULT expression starting at token `j`: its first token (a bracketed group
        whole), then everything up to the next constraint word outside brackets."""
        words = self.parsed.words
        k = self.close_of(j, end) + 1 if words[j] in ("(", "[") else j + 1
        depth = 0
        while k < end:
            word = words[k]
            if word in ("(", "["):
                depth += 1
            elif word in (")", "]"):
                depth -= 1
            elif depth == 0 and self.constraint_word(k, end):
                break
            k += 1
        return k
