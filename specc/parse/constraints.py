"""Reading the Constraints cell (and constraint words some documents put in the Type cell).

The cell is scanned left to right; at each position the first matching constraint pattern wins. Separators
(commas, semicolons, whitespace, stray parentheses) are skipped. Anything else is collected as unknown.
Expressions (DEFAULT, CHECK) are read with balanced parentheses and quotes, so commas inside them are safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specc.ir.model import ReferentialAction
from specc.sql.lexer import Kind, Token, iter_tokens, tokenize


@dataclass
class FkRef:
    target: str
    """As written: `users`, `users.id`, `auth.users`, `public.users.id`."""
    column: str | None
    offset: int
    clear: bool = True
    """False when the target is one bare word with prose after it (`References the invoice this pays`):
    then it is taken only if a table of that name exists (`specc.parse` checks once all are known)."""


@dataclass
class Facts:
    """Everything a constraints text says about a column."""

    primary_key: bool = False
    unique: bool = False
    not_null: bool | None = None
    autoincrement: bool = False
    indexed: bool = False
    default: str | None = None
    check: str | None = None
    fk: FkRef | None = None
    bare_fk: bool = False
    on_delete: ReferentialAction | None = None
    on_update: ReferentialAction | None = None
    renamed_from: str | None = None
    unknown: list[tuple[str, int]] = field(default_factory=list)


_ACTIONS: dict[str, ReferentialAction] = {
    "cascade": "CASCADE",
    "set null": "SET NULL",
    "restrict": "RESTRICT",
    "no action": "NO ACTION",
    "set default": "SET DEFAULT",
}

_I = re.IGNORECASE
_SEP = re.compile(r"[\s,;)]+")
_PK = re.compile(r"(primary\s+key|pk)\b", _I)
_NOT_NULL = re.compile(r"(not\s+null|non[-\s]?null|required|obligatorio|requerido|обязательн\w*)(?![\w])", _I)
_NULL = re.compile(r"(nullable|null|optional|opcional)(?![\w])", _I)
_UNIQUE = re.compile(r"(unique|uq|уникальн\w*|único|unico)(?![\w])", _I)
_INDEXED = re.compile(r"(indexed|index|idx)(?![\w])", _I)
_AUTO = re.compile(
    r"(auto[-_\s]?increment(ing)?|autoincrement|ai|serial|identity|generated\s+(always|by\s+default)\s+as\s+"
    r"identity)(?![\w])",
    _I,
)
_DEFAULT = re.compile(r"(defaults?\s+to|default(?![\w])|por\s+defecto)\s*[:=]?\s*", _I)
_CHECK = re.compile(r"check\s*(?=\()", _I)
_CHECK_IN = re.compile(r"check\s*[:]?\s*(?=in\s*\()", _I)
_FK = re.compile(
    r"(fk|foreign[\s_]+key|references|refs?|ссылка\s+на|referencia\s+a)(?![A-Za-z0-9])\s*(\(\s*references\s+)?"
    r"(to\s+)?"
    r"[:→\->=⇒]*>?\s*\(?\s*",
    _I,
)
_ON = re.compile(
    r"on\s+(delete|update)\s+(cascade|set\s+null|restrict|no\s+action|set\s+default)(?![\w])", _I
)
_RENAMED = re.compile(r"renamed\s+from\s+`?([A-Za-z_][\w]*)`?", _I)
_TARGET = re.compile(r"`?([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)`?(?:\s*\(\s*`?([A-Za-z_]\w*)`?\s*\))?")
_WORD = re.compile(r"[^\s,;()]+")
_CAST = re.compile(r"::[A-Za-z_][\w ]*?(\[\])?(?=$|[\s,;)])")


def _group_end(text: str, i: int) -> int | None:
    """Index just past the bracketed group starting at text[i] (`(` or `[`); None if it is not closed.

    Strings, quoted identifiers, dollar quotes and comments are skipped by PostgreSQL's own lexical rules, so
    a `)` or `;` inside `$$...$$` or `E'\\''` is never taken for structure."""
    depth = 0
    for token in iter_tokens(text, i):
        if token.kind is Kind.OPEN:
            depth += 1
        elif token.kind is Kind.CLOSE:
            depth -= 1
            if depth == 0:
                return token.end
        elif token.kind is Kind.ERROR:
            break
    return None


def _balanced(text: str, i: int) -> int:
    """Like `_group_end`, with len(text) for a group that is not closed."""
    end = _group_end(text, i)
    return len(text) if end is None else end


_WORD_OPERATORS = frozenset({".", "+", "-"})


def _word_like(text: str, token: Token) -> bool:
    """A word, or a `.`, `+` or `-` inside a word-like run (`-1.5`, `pg_catalog.now`)."""
    piece = text[token.start : token.end]
    return token.kind is Kind.WORD or (token.kind is Kind.OPERATOR and piece in _WORD_OPERATORS)


def read_expression(text: str, i: int) -> tuple[str, int]:
    """Read one SQL default expression starting at i; returns (expression, end index).

    An expression is a string constant (any PostgreSQL form, dollar quotes included), a bracketed group, or a
    word such as `now`, `-1.5` or `pg_catalog.now` with the call's parentheses, followed by any `::type`
    casts. Text after it is left to the caller. An unterminated string or bracket runs to the end."""
    n = len(text)
    tokens = iter_tokens(text, i)
    first = next(tokens, None)
    if first is None:
        return "", i
    if first.kind is Kind.ERROR:
        end = n
    elif first.kind in (Kind.STRING, Kind.QUOTED_IDENTIFIER):
        end = first.end
    elif first.kind is Kind.OPEN:
        end = _balanced(text, i)
    elif _word_like(text, first):
        end = first.end
        following = next(tokens, None)
        while following is not None and _word_like(text, following):
            end = following.end
            following = next(tokens, None)
        if following is not None and following.kind is Kind.OPEN:
            end = _balanced(text, end)
    else:
        end = first.end
    return text[i:end].strip(), _casts(text, end)


def _casts(text: str, end: int) -> int:
    """End of the `::type` casts (each a dotted name with optional modifiers and `[]`) starting at `end`."""
    while text.startswith("::", end):
        match = _CAST_TYPE.match(text, end + 2)
        if match is None:
            break
        end = match.end()
        if text.startswith("(", end):
            end = _balanced(text, end)
        while text.startswith("[]", end):
            end += 2
    return end


_CAST_TYPE = re.compile(r"[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*")


_PG_FUNCTIONS = frozenset(
    [
        "now",
        "current_timestamp",
        "current_date",
        "current_time",
        "localtimestamp",
        "localtime",
        "clock_timestamp",
        "statement_timestamp",
        "transaction_timestamp",
        "timezone",
        "gen_random_uuid",
        "uuid_generate_v4",
        "uuid_generate_v1",
        "nextval",
        "random",
        "lower",
        "upper",
        "to_jsonb",
        "jsonb_build_object",
        "jsonb_build_array",
        "json_build_object",
        "array",
        "make_interval",
        "date_trunc",
        "extract",
        "coalesce",
        "current_user",
        "session_user",
    ]
)
_KEYWORD_DEFAULTS = frozenset(
    {
        "true",
        "false",
        "null",
        "current_timestamp",
        "current_date",
        "current_time",
        "localtimestamp",
        "localtime",
    }
)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_CALL = re.compile(r"^([A-Za-z_][\w.]*)\s*\(")
_BARE_WORD = re.compile(r"^[A-Za-z_][\w\-]*$")


def sql_default(expr: str, textual: bool) -> tuple[str | None, str | None]:
    """(SQL default, problem). Double-quoted text becomes a SQL string; a bare word becomes a string for
    text-like columns; anything PostgreSQL would not accept as a default is a problem (and no default)."""
    text = expr.strip()
    body = _CAST.sub("", text) if "::" in text else text
    if not text:
        return None, None
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return "'" + text[1:-1].replace("'", "''") + "'", None
    if (text.startswith("'") and text.endswith("'")) or (body.startswith("'") and body.endswith("'")):
        return normalise_default(text), None
    if _one_string(body):
        return text, None
    lowered = body.lower()
    if _NUMBER.match(body) or lowered in _KEYWORD_DEFAULTS or lowered.rstrip("()") in _KEYWORD_DEFAULTS:
        return normalise_default(text), None
    call = _CALL.match(body)
    if call is not None and body.endswith(")"):
        if call.group(1).lower().rsplit(".", 1)[-1] in _PG_FUNCTIONS:
            return normalise_default(text), None
        return None, f"{call.group(1)}() is not a PostgreSQL function"
    if (body.startswith("(") and body.endswith(")")) or lowered.startswith("array["):
        return text, None
    if _BARE_WORD.match(body) and textual:
        return "'" + body + "'", None
    return None, "not a SQL literal or PostgreSQL function call"


def _one_string(text: str) -> bool:
    """True when `text` is a single string constant (`E'..'`, `$$..$$`, `U&'..'`, …)."""
    tokens = [t for t in tokenize(text) if t.kind is not Kind.SPACE]
    return len(tokens) == 1 and tokens[0].kind is Kind.STRING


def normalise_default(expr: str) -> str:
    lowered = expr.lower()
    if lowered in ("true", "false", "null"):
        return lowered
    if lowered in ("now()", "current_timestamp", "current_timestamp()"):
        return "now()"
    return expr


_MAX_GROUP_DEPTH = 32
"""Parenthesised groups nested deeper than this are not read as constraints (they are unknown words)."""


def read_facts(text: str, facts: Facts | None = None) -> Facts:
    """Scan constraint text into `facts` (a new Facts when None)."""
    return _read_facts(text, facts or Facts(), 0)


def _merge(facts: Facts, inner: Facts) -> None:
    """What reading a group's text into `facts` does, given what reading it alone gave (`inner`)."""
    facts.primary_key = facts.primary_key or inner.primary_key
    facts.unique = facts.unique or inner.unique
    facts.autoincrement = facts.autoincrement or inner.autoincrement
    facts.indexed = facts.indexed or inner.indexed
    facts.bare_fk = facts.bare_fk or inner.bare_fk
    if inner.not_null is True or (inner.not_null is False and facts.not_null is None):
        facts.not_null = inner.not_null
    for name in ("default", "check", "fk", "on_delete", "on_update", "renamed_from"):
        if getattr(inner, name) is not None:
            setattr(facts, name, getattr(inner, name))


def _read_facts(text: str, facts: Facts, depth: int) -> Facts:
    text = text.replace("`", "").replace("**", "")
    n = len(text)
    i = 0
    fk_end = -1
    """End of a bare-word FK target: unknown words right after it make the reference prose."""
    run: tuple[int, int] | None = None
    """The run of unknown words being collected (start, end): one entry of `facts.unknown` when it ends."""
    while i < n:
        sep = _SEP.match(text, i)
        if sep:
            i = sep.end()
            continue
        if text[i] == "(" and depth < _MAX_GROUP_DEPTH:
            end = _balanced(text, i)
            inner = text[i + 1 : end - 1] if end - 1 > i else text[i + 1 :]
            # read once (reading it again into `facts` doubled the work at every level of nesting)
            inner_facts = _read_facts(inner, Facts(), depth + 1)
            if not inner_facts.unknown:
                _merge(facts, inner_facts)
            i = end
            continue
        if text[i] == "(":
            end = _balanced(text, i)
            if run is not None and text[run[1] : i].strip() == "":
                run = (run[0], end)
            else:
                if run is not None:
                    facts.unknown.append((text[run[0] : run[1]], run[0]))
                run = (i, end)
            i = end
            continue
        m = _RENAMED.match(text, i)
        if m:
            facts.renamed_from = m.group(1)
            i = m.end()
            continue
        m = _ON.match(text, i)
        if m:
            action = _ACTIONS[" ".join(m.group(2).lower().split())]
            if m.group(1).lower() == "delete":
                facts.on_delete = action
            else:
                facts.on_update = action
            i = m.end()
            continue
        m = _PK.match(text, i)
        if m:
            facts.primary_key = True
            i = m.end()
            continue
        m = _NOT_NULL.match(text, i)
        if m:
            facts.not_null = True
            i = m.end()
            continue
        m = _AUTO.match(text, i)
        if m:
            facts.autoincrement = True
            i = m.end()
            continue
        m = _DEFAULT.match(text, i)
        if m:
            expr, end = read_expression(text, m.end())
            if expr:
                facts.default = normalise_default(expr)
            i = max(end, m.end())
            continue
        m = _CHECK_IN.match(text, i)
        if m:
            start = m.end()
            paren = text.index("(", start)
            end = _balanced(text, paren)
            facts.check = text[start:end].strip()
            i = end
            continue
        m = _CHECK.match(text, i)
        if m:
            closed = _group_end(text, m.end())
            # An unclosed group keeps its opening parenthesis, so the safety check reports it (S001)
            # instead of a silently shortened expression.
            facts.check = text[m.end() + 1 : closed - 1].strip() if closed else text[m.end() :].strip()
            i = closed or len(text)
            continue
        m = _FK.match(text, i)
        if m:
            target = _TARGET.match(text, m.end())
            if target and target.group(1).lower() not in ("on", "not", "null", "unique", "indexed"):
                arrow = any(mark in m.group(0) for mark in "→>⇒=")
                clear = arrow or target.group(2) is not None or "." in target.group(1)
                facts.fk = FkRef(target=target.group(1), column=target.group(2), offset=i, clear=clear)
                i = target.end()
                if not clear:
                    fk_end = i
            else:
                facts.bare_fk = True
                i = m.end()
            continue
        m = _UNIQUE.match(text, i)
        if m:
            facts.unique = True
            i = m.end()
            continue
        m = _INDEXED.match(text, i)
        if m:
            facts.indexed = True
            i = m.end()
            continue
        m = _NULL.match(text, i)
        if m:
            if facts.not_null is None:
                facts.not_null = False
            i = m.end()
            continue
        word = _WORD.match(text, i)
        assert word is not None  # _SEP did not match, so a word starts here
        if fk_end >= 0 and facts.fk is not None and not text[fk_end:i].strip(" "):
            facts.fk.clear = False
            fk_end = -1
        if run is not None and text[run[1] : i].strip() == "":
            run = (run[0], word.end())  # joined with the previous unknown word (one slice at the end: linear)
        else:
            if run is not None:
                facts.unknown.append((text[run[0] : run[1]], run[0]))
            run = (i, word.end())
        i = word.end()
    if run is not None:
        facts.unknown.append((text[run[0] : run[1]], run[0]))
    return facts
