"""The document being read: its lines, its tokens, spans and cell positions.

markdown-it-py gives line maps for blocks but nothing for table cells, so cells are split here from the raw
source lines (unescaped `|`), which also yields each cell's column. Inline parsing is switched off: the parser
only needs the raw text of inline content, and skipping it makes reading much faster than rendering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from specc.diagnostics import Code, Reporter
from specc.ir.model import Span


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table")
    md.disable("inline")
    return md


@dataclass(frozen=True)
class Cell:
    text: str
    """Cell content, stripped, with `\\|` unescaped."""
    column: int
    """1-based column of the first non-blank character (or of the cell start when empty)."""


def split_row(line: str) -> list[Cell]:
    """Split a raw table row into cells with their 1-based columns."""
    cells: list[Cell] = []
    n = len(line)
    i = 0
    # leading indentation / container prefix up to the first pipe or content
    while i < n and line[i] in " \t>":
        i += 1
    if i < n and line[i] == "|":
        i += 1
    start = i
    escaped = False
    pieces: list[tuple[int, int]] = []
    while i < n:
        ch = line[i]
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            pieces.append((start, i))
            start = i + 1
        i += 1
    tail = line[start:].strip()
    if tail:
        pieces.append((start, n))
    for a, b in pieces:
        raw = line[a:b]
        stripped = raw.strip()
        offset = len(raw) - len(raw.lstrip())
        col = a + offset + 1 if stripped else a + 1
        cells.append(Cell(text=stripped.replace("\\|", "|"), column=col))
    return cells


_DELIM_CELL = re.compile(r"^:?-+:?$")


def is_delimiter_row(line: str) -> bool:
    cells = split_row(line)
    return bool(cells) and all(_DELIM_CELL.match(c.text.replace(" ", "")) for c in cells)


class Document:
    """One source file: text lines, tokens, and helpers to make spans and report problems."""

    def __init__(
        self,
        text: str,
        file: str,
        reporter: Reporter,
        *,
        line_offset: int = 0,
        tokens: list[Token] | None = None,
    ) -> None:
        """`line_offset`: where `text` starts in its file (a section of a larger document); spans and
        diagnostics are reported at file lines, everything else works in `text`'s own lines. `tokens`: already
        tokenized (a section checked to tokenize as it does inside the whole document)."""
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")
        self.file = file
        self.text = text
        self.lines = text.split("\n")
        self.reporter = reporter
        self.line_offset = line_offset
        self.tokens: list[Token] = markdown().parse(text) if tokens is None else tokens

    def span(self, line0: int, column: int = 1) -> Span:
        """Span for a 0-based line index and a 1-based column."""
        return Span(file=self.file, line=line0 + 1 + self.line_offset, column=column)

    def line_column(self, line0: int) -> int:
        """1-based column of the first non-blank character of a line."""
        if 0 <= line0 < len(self.lines):
            line = self.lines[line0]
            return len(line) - len(line.lstrip()) + 1
        return 1

    def report(self, code: Code, message: str, line0: int, column: int = 1, hint: str | None = None) -> None:
        self.reporter.report(code, message, self.file, line0 + 1 + self.line_offset, column, hint)


_MD_MARKUP = re.compile(r"(\*\*|(?<!\w)__|__(?!\w)|\*|`|~~)")


def plain(text: str) -> str:
    """Inline markdown reduced to plain text: links to their label, emphasis and code marks removed."""
    if "<!--" in text:
        text = without_comments(text)
    if "](" in text:
        text = links_to_labels(text)
    text = _MD_MARKUP.sub("", text)
    return " ".join(text.split())


def without_comments(text: str) -> str:
    r"""`text` without `<!-- ... -->` comments (each to the first `-->`). What `re.sub(r"<!--.*?-->", "",
    text, flags=re.S)` does, in linear time: that pattern rescans the rest of the text from every `<!--` when
    no `-->` follows."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            break
        out.append(text[pos:start])
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def links_to_labels(text: str) -> str:
    r"""`[label](target)` → `label`. What `re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)` does, in linear time
    (that pattern rescans the rest of the text from every `[` when no `]` or `)` follows): a link starts at
    a `[`, its label runs to the first `]`, which must be followed by `(`, and its target to the first `)`."""
    out: list[str] = []
    pos = 0
    start = text.find("[")
    while start != -1:
        close = text.find("]", start + 1)
        if close == -1:
            break  # no `]` after this `[`, nor after any later one
        if not text.startswith("(", close + 1):
            start = text.find("[", close + 1)  # every `[` before `close` has the same first `]`
            continue
        end = text.find(")", close + 2)
        if end == -1:
            break  # no `)` after this link start, nor after any later one
        out.append(text[pos:start])
        out.append(text[start + 1 : close])
        pos = end + 1
        start = text.find("[", pos)
    out.append(text[pos:])
    return "".join(out)
