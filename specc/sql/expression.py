"""Is a SQL fragment from the document exactly one expression that cannot leave its place in a statement?

specc puts a column's DEFAULT into `... DEFAULT <expr>` and a CHECK into `... CHECK (<expr>)` of the DDL it
generates, and an unknown type name into `<column> <type>`. The document is untrusted input, so each fragment
must be one expression (one type name) by PostgreSQL's own lexical rules (`specc.sql.lexer`):

- every string, quoted identifier and dollar quote is closed, and reads the same with
  `standard_conforming_strings` on and off;
- no `;` (it would end the statement), no comment (`--` would swallow the rest of a one-line statement),
  no parameter (`$1`), no control character but tab and newline;
- parentheses and brackets balance and never close what the fragment did not open, so a CHECK cannot leave
  its `CHECK ( ... )`; no comma outside them, so a DEFAULT cannot start another column;
- in a DEFAULT, no word outside parentheses that starts a column constraint (`NOT NULL`, `REFERENCES`,
  `CHECK`, `COLLATE`, …): PostgreSQL would read it as part of the column definition, not of the default.

A fragment that passes can only be one expression or a syntax error for PostgreSQL — never a second
statement or clause. Beyond structure, calls to functions that run SQL given as text, touch the server's
files or signal other sessions are refused by name (a deny list: it cannot know every extension).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from specc.sql.lexer import Kind, Token, same_boundaries, tokenize

Context = Literal["default", "check"]


@dataclass(frozen=True)
class Problem:
    offset: int
    """0-based offset in the fragment of the first character at fault."""
    message: str
    dangerous_call: bool = False
    """True when the fragment is well formed but calls a refused function."""


CONSTRAINT_WORDS = frozenset(
    {
        "constraint",
        "not",
        "null",
        "check",
        "default",
        "unique",
        "primary",
        "references",
        "generated",
        "collate",
        "deferrable",
        "initially",
    }
)
"""Words that end a DEFAULT's expression and start a column constraint when they stand outside parentheses."""

REFUSED_FUNCTIONS = frozenset(
    {
        # run SQL given as text
        "query_to_xml",
        "query_to_xmlschema",
        "query_to_xml_and_xmlschema",
        "cursor_to_xml",
        "cursor_to_xmlschema",
        "dblink",
        "dblink_exec",
        "dblink_open",
        "dblink_fetch",
        "dblink_send_query",
        "dblink_connect",
        "dblink_connect_u",
        # the server's file system and large objects
        "pg_read_file",
        "pg_read_binary_file",
        "pg_ls_dir",
        "pg_stat_file",
        "pg_file_write",
        "pg_file_rename",
        "pg_file_unlink",
        "lo_import",
        "lo_export",
        "lo_unlink",
        # other sessions, the server, settings
        "pg_terminate_backend",
        "pg_cancel_backend",
        "pg_reload_conf",
        "pg_rotate_logfile",
        "pg_promote",
        "pg_switch_wal",
        "pg_create_restore_point",
        "set_config",
        "pg_sleep",
        "pg_sleep_for",
        "pg_sleep_until",
        "pg_notify",
        "pg_logical_emit_message",
        "setval",
        "pg_advisory_lock",
        "pg_advisory_xact_lock",
    }
)
"""Functions a DEFAULT or CHECK may not call: they run SQL given as text, read or write the server's files,
or act on other sessions or the server. A deny list: review expressions that call unfamiliar functions."""

_OPENERS = {"(": ")", "[": "]"}


def _significant(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.kind is not Kind.SPACE]


def _control(text: str) -> int:
    for i, ch in enumerate(text):
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n") or 0x7F <= code <= 0x9F:
            return i
    return -1


def _structure(text: str, tokens: list[Token], what: str) -> Problem | None:
    """Lexical problems every fragment is checked for."""
    if not _significant(tokens):
        return Problem(0, f"the {what} is empty")
    at = _control(text)
    if at >= 0:
        return Problem(at, f"control character U+{ord(text[at]):04X} in the {what}")
    if not same_boundaries(text):
        return Problem(
            _first_backslash(text),
            f"a backslash in a '...' string makes the {what} read differently depending on the server "
            "setting standard_conforming_strings; write E'...' for escapes or double a quote ('')",
        )
    for token in tokens:
        if token.kind is Kind.ERROR:
            return Problem(token.start, f"{token.problem or 'unreadable text'} in the {what}")
    for token in tokens:
        if token.kind is Kind.SEMICOLON:
            return Problem(token.start, f"';' would end the SQL statement; a {what} is one expression")
        if token.kind is Kind.COMMENT:
            return Problem(token.start, f"comments are not allowed in a {what}")
        if token.kind is Kind.PARAMETER:
            return Problem(token.start, f"parameters such as $1 are not allowed in a {what}")
    return None


def _first_backslash(text: str) -> int:
    at = text.find("\\")
    return max(at, 0)


def _word(text: str, token: Token) -> str:
    return text[token.start : token.end].lower()


def _nesting(text: str, tokens: list[Token], what: str, context: Context | None) -> Problem | None:
    """Brackets balance; no comma, and in a DEFAULT no constraint word, outside them (CASE..END nests)."""
    stack: list[str] = []
    significant = _significant(tokens)
    for position, token in enumerate(significant):
        piece = text[token.start : token.end]
        if token.kind is Kind.OPEN:
            stack.append(_OPENERS[piece])
        elif token.kind is Kind.CLOSE:
            if not stack or stack.pop() != piece:
                return Problem(token.start, f"'{piece}' closes a bracket the {what} did not open")
        elif token.kind is Kind.WORD and _word(text, token) == "case":
            stack.append("end")
        elif token.kind is Kind.WORD and _word(text, token) == "end":
            if not stack or stack.pop() != "end":
                return Problem(token.start, f"END without CASE in the {what}")
        elif token.kind is Kind.COMMA and not stack:
            return Problem(token.start, f"a comma outside parentheses: a {what} is one expression")
        elif (
            context == "default"
            and not stack
            and token.kind is Kind.WORD
            and _word(text, token) in CONSTRAINT_WORDS
            and not (position == 0 and _word(text, token) == "null")
        ):
            return Problem(
                token.start,
                f"{piece!r} outside parentheses would start a column constraint after the default",
            )
    if stack:
        closer = stack[-1]
        return Problem(len(text), f"'{closer}' missing: the {what} leaves a bracket or CASE open")
    return None


def _dangerous_call(text: str, tokens: list[Token], what: str) -> Problem | None:
    significant = _significant(tokens)
    for token, following in pairwise(significant):
        if following.kind is not Kind.OPEN or text[following.start] != "(":
            continue
        if token.kind is Kind.WORD:
            name = _word(text, token)
        elif token.kind is Kind.QUOTED_IDENTIFIER:
            name = text[token.start + 1 : token.end - 1].replace('""', '"')
        else:
            continue
        if name in REFUSED_FUNCTIONS:
            return Problem(
                token.start,
                f"the {what} calls {name}(), which runs SQL given as text, touches the server's files or "
                "acts on other sessions",
                dangerous_call=True,
            )
    return None


@lru_cache(maxsize=1 << 14)
def expression_problem(text: str, context: Context) -> Problem | None:
    """Why `text` is not exactly one safe DEFAULT (`context="default"`) or CHECK expression, or None.

    Memoised: a document repeats its defaults (`now()`, `'active'`), and the parser and two rules ask."""
    what = "DEFAULT" if context == "default" else "CHECK expression"
    tokens = tokenize(text)
    return (
        _structure(text, tokens, what)
        or _nesting(text, tokens, what, context)
        or _dangerous_call(text, tokens, what)
    )


@lru_cache(maxsize=1 << 14)
def type_problem(text: str) -> Problem | None:
    """Why `text` is not a plain SQL type name: `name`, `schema.name`, `"Name"`, with optional modifiers of
    numbers or words (`vector(1536)`, `geometry(Point, 4326)`) and array brackets (`name[]`, `name[3]`)."""
    what = "type"
    tokens = tokenize(text)
    problem = _structure(text, tokens, what) or _nesting(text, tokens, what, None)
    if problem is not None:
        return problem
    significant = _significant(tokens)
    i = 0

    def piece(k: int) -> str:
        return text[significant[k].start : significant[k].end]

    def is_name(k: int) -> bool:
        return k < len(significant) and significant[k].kind in (Kind.WORD, Kind.QUOTED_IDENTIFIER)

    if not is_name(0) or piece(0)[0].isdigit():
        return Problem(significant[0].start, "a type starts with its name")
    i = 1
    while i + 1 < len(significant) and piece(i) == "." and is_name(i + 1):
        i += 2
    if i < len(significant) and piece(i) == "(":
        i += 1
        want_word = True
        while i < len(significant) and piece(i) != ")":
            token = significant[i]
            if token.kind is not (Kind.WORD if want_word else Kind.COMMA):
                return Problem(token.start, f"{piece(i)!r} cannot be a type modifier")
            want_word = not want_word
            i += 1
        if want_word:
            return Problem(significant[i].start, "a type modifier is missing")
        i += 1
    while i < len(significant) and piece(i) == "[":
        if i + 1 < len(significant) and significant[i + 1].kind is Kind.WORD and piece(i + 1).isdigit():
            i += 1
        if i + 1 >= len(significant) or piece(i + 1) != "]":
            return Problem(significant[i].start, "array brackets hold at most a number")
        i += 2
    if i < len(significant):
        token = significant[i]
        return Problem(token.start, f"{piece(i)!r} after the type name is not part of a type")
    return None
