"""PostgreSQL's lexical rules, for telling where a SQL fragment from the document begins and ends.

A DEFAULT or CHECK written in the document ends up inside a `CREATE TABLE` / `ALTER TABLE` statement. Where
the fragment's strings, quoted identifiers and comments end decides whether a `;` or a `)` in it ends the
statement or the clause, so the tokenizer must agree with PostgreSQL's own (src/backend/parser/scan.l) on
every boundary. Where PostgreSQL's reading depends on a setting or a server version, the fragment is refused
instead of guessed:

- `'...'` strings are read twice, as PostgreSQL reads them with `standard_conforming_strings` on (backslash
  is an ordinary character) and off (backslash escapes, as in `E'...'`); if the two readings end a string
  at different places, the fragment is ambiguous.
- A string prefix (`E`, `B`, `X`, `N`, `U&`) counts only when it starts a token; a quote glued to a word
  (`x'..'`, `1e'..'`, which PostgreSQL 15+ rejects and older servers read as two tokens) is refused.
- `$` continues an identifier (`a$$` is one identifier in PostgreSQL), so a dollar quote starts only where
  no word character precedes it; a `$` after a digit is read as part of the word too (PostgreSQL would
  start a dollar quote there: reading more tokens than the server can only refuse more, never less).

The lexer never raises; an unterminated string, identifier, dollar quote or comment is an `ERROR` token that
runs to the end of the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    SPACE = "space"
    WORD = "word"
    """An identifier or keyword (letters, digits, `_`, `$`, any non-ASCII character), or a number."""
    QUOTED_IDENTIFIER = "quoted identifier"
    STRING = "string"
    """A string constant of any form: `'..'`, `E'..'`, `B'..'`, `X'..'`, `N'..'`, `U&'..'`, `$tag$..$tag$`."""
    PARAMETER = "parameter"
    """`$1`: a positional parameter."""
    COMMENT = "comment"
    OPEN = "open"
    """`(` or `[`."""
    CLOSE = "close"
    """`)` or `]`."""
    COMMA = "comma"
    SEMICOLON = "semicolon"
    OPERATOR = "operator"
    """Operator characters, `::`, `:`, `.` and any other single character."""
    ERROR = "error"
    """Unterminated string, identifier, dollar quote or comment (runs to the end), or a glued quote."""


@dataclass(frozen=True)
class Token:
    kind: Kind
    start: int
    end: int
    problem: str | None = None
    """For ERROR tokens: what is wrong, in words."""


_SPACE = frozenset(" \t\n\r\f\v")
_OPERATOR_CHARS = frozenset("~!@#^&|`?+-*/%<>=")


def is_word_char(ch: str) -> bool:
    """A character PostgreSQL lets continue an identifier (ASCII letters, digits, `_`, `$`, non-ASCII)."""
    return (ch.isascii() and (ch.isalnum() or ch in "_$")) or not ch.isascii()


def _is_tag_start(ch: str) -> bool:
    return (ch.isascii() and (ch.isalpha() or ch == "_")) or not ch.isascii()


def _string_end(text: str, i: int, backslash_escapes: bool) -> int:
    """End (just past the closing quote) of the quoted string whose opening quote is at text[i]; -1 when it
    is not closed. `''` is a quote inside the string; with `backslash_escapes`, so is `\\'`."""
    n = len(text)
    j = i + 1
    while j < n:
        ch = text[j]
        if ch == "\\" and backslash_escapes:
            j += 2
            continue
        if ch == "'":
            if j + 1 < n and text[j + 1] == "'":
                j += 2
                continue
            return j + 1
        j += 1
    return -1


def _simple_string_end(text: str, i: int) -> int:
    """End of a bit or hex string (`B'..'`, `X'..'`): the first quote closes it."""
    j = text.find("'", i + 1)
    return -1 if j < 0 else j + 1


def _quoted_identifier_end(text: str, i: int) -> int:
    n = len(text)
    j = i + 1
    while j < n:
        if text[j] == '"':
            if j + 1 < n and text[j + 1] == '"':
                j += 2
                continue
            return j + 1
        j += 1
    return -1


def _dollar_tag(text: str, i: int) -> str | None:
    """The dollar-quote delimiter (`$$`, `$tag$`) starting at text[i] == '$', or None."""
    n = len(text)
    j = i + 1
    if j < n and text[j] == "$":
        return "$$"
    if j >= n or not _is_tag_start(text[j]):
        return None
    j += 1
    while j < n and (is_word_char(text[j]) and text[j] != "$"):
        j += 1
    if j < n and text[j] == "$":
        return text[i : j + 1]
    return None


def _block_comment_end(text: str, i: int) -> int:
    """End of the (nested) block comment opening at text[i:i+2] == '/*'; -1 when it is not closed."""
    depth = 0
    n = len(text)
    j = i
    while j < n - 1:
        pair = text[j : j + 2]
        if pair == "/*":
            depth += 1
            j += 2
        elif pair == "*/":
            depth -= 1
            j += 2
            if depth == 0:
                return j
        else:
            j += 1
    return -1


def _prefix_at(text: str, i: int) -> str | None:
    """The string prefix starting a token at i (`e`, `b`, `x`, `n`, `u&`), lowercased, or None."""
    ch = text[i].lower()
    if ch in "ebxn" and i + 1 < len(text) and text[i + 1] == "'":
        return ch
    if ch == "u" and text[i + 1 : i + 3] in ("&'", '&"'):
        return "u&"
    return None


def tokenize(text: str, standard_conforming_strings: bool = True) -> list[Token]:
    """Tokens of `text` as PostgreSQL's lexer reads them (see the module note for where it is stricter)."""
    return list(iter_tokens(text, 0, standard_conforming_strings))


def iter_tokens(text: str, offset: int = 0, standard_conforming_strings: bool = True) -> Iterator[Token]:
    """The tokens of `text` from `offset` on, one at a time (positions are offsets in `text`), so a
    reader looking for the end of a group stops there instead of tokenizing the rest of the text."""
    n = len(text)
    i = offset
    while i < n:
        ch = text[i]
        start = i
        if ch in _SPACE:
            while i < n and text[i] in _SPACE:
                i += 1
            yield Token(Kind.SPACE, start, i)
            continue
        if text.startswith("--", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            yield Token(Kind.COMMENT, start, i)
            continue
        if text.startswith("/*", i):
            end = _block_comment_end(text, i)
            if end < 0:
                yield Token(Kind.ERROR, start, n, "unterminated /* comment")
                return
            yield Token(Kind.COMMENT, start, end)
            i = end
            continue
        prefix = _prefix_at(text, i)
        if prefix is not None:
            quote = i + len(prefix)
            if text[quote] == '"':
                end = _quoted_identifier_end(text, quote)
                kind = Kind.QUOTED_IDENTIFIER
            elif prefix in ("b", "x"):
                end = _simple_string_end(text, quote)
                kind = Kind.STRING
            else:
                escapes = prefix == "e" or (prefix == "n" and not standard_conforming_strings)
                end = _string_end(text, quote, backslash_escapes=escapes)
                kind = Kind.STRING
            if end < 0:
                yield Token(Kind.ERROR, start, n, f"unterminated {kind}")
                return
            yield Token(kind, start, end)
            i = end
            continue
        if ch == "'":
            end = _string_end(text, i, backslash_escapes=not standard_conforming_strings)
            if end < 0:
                yield Token(Kind.ERROR, start, n, "unterminated string")
                return
            yield Token(Kind.STRING, start, end)
            i = end
            continue
        if ch == '"':
            end = _quoted_identifier_end(text, i)
            if end < 0:
                yield Token(Kind.ERROR, start, n, "unterminated quoted identifier")
                return
            yield Token(Kind.QUOTED_IDENTIFIER, start, end)
            i = end
            continue
        if ch == "$":
            tag = _dollar_tag(text, i)
            if tag is not None:
                close = text.find(tag, i + len(tag))
                if close < 0:
                    yield Token(Kind.ERROR, start, n, f"unterminated {tag}-quoted string")
                    return
                i = close + len(tag)
                yield Token(Kind.STRING, start, i)
                continue
            if i + 1 < n and text[i + 1].isdigit():
                i += 1
                while i < n and is_word_char(text[i]):
                    i += 1
                yield Token(Kind.PARAMETER, start, i)
                continue
            i += 1
            yield Token(Kind.OPERATOR, start, i)
            continue
        if is_word_char(ch):
            while i < n and is_word_char(text[i]):
                i += 1
            if i < n and text[i] in "'":
                yield Token(Kind.ERROR, start, n, "a quote directly after a word")
                return
            yield Token(Kind.WORD, start, i)
            continue
        if ch in "([":
            yield Token(Kind.OPEN, start, i + 1)
            i += 1
            continue
        if ch in ")]":
            yield Token(Kind.CLOSE, start, i + 1)
            i += 1
            continue
        if ch == ",":
            yield Token(Kind.COMMA, start, i + 1)
            i += 1
            continue
        if ch == ";":
            yield Token(Kind.SEMICOLON, start, i + 1)
            i += 1
            continue
        if ch in _OPERATOR_CHARS:
            # An operator stops before a comment start, as in PostgreSQL (`+--x` is `+` and a comment).
            while i < n and text[i] in _OPERATOR_CHARS and not text.startswith(("--", "/*"), i):
                i += 1
            if i == start:
                i += 1
            yield Token(Kind.OPERATOR, start, i)
            continue
        if ch == ":" and text.startswith("::", i):
            yield Token(Kind.OPERATOR, start, i + 2)
            i += 2
            continue
        yield Token(Kind.OPERATOR, start, i + 1)
        i += 1


def same_boundaries(text: str) -> bool:
    """True when `text` tokenizes the same with `standard_conforming_strings` on and off."""
    on = [(t.kind, t.start, t.end) for t in tokenize(text, standard_conforming_strings=True)]
    off = [(t.kind, t.start, t.end) for t in tokenize(text, standard_conforming_strings=False)]
    return on == off
