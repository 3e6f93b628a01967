"""A ```sql fence split into statements (PostgreSQL's quoting rules, so a `;` inside a string, quoted name,
dollar quote or comment does not end one), and document positions of offsets in the fence."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Literal

from specc.diagnostics import Code
from specc.ir.model import Span
from specc.parse.document import Document

_CREATE_TABLE = re.compile(
    r"CREATE\s+(?:(?:OR\s+REPLACE|GLOBAL|LOCAL|TEMP|TEMPORARY|UNLOGGED)\s+)*TABLE\b", re.IGNORECASE
)


_CREATE_TYPE = re.compile(r"CREATE\s+TYPE\b", re.IGNORECASE)


_CREATE_INDEX = re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\b", re.IGNORECASE)


_SPECIAL = re.compile(r"[;'\"`$]|--|/\*")


_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$")


_NOT_BLANK = re.compile(r"\S")


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
class Statement:
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


def split_statements(sql: str) -> list[Statement]:
    found: list[Statement] = []
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
            found.append(Statement(head, sql[head:end], kind))
    return found
