"""Names as the document writes them: what a table or column name may contain, and the codes for names
specc cannot read faithfully.

A name is read as written or reported, never silently changed into another name. Names may use letters of
any script, digits, `_`, `$` and `-` (PostgreSQL accepts all of these; a name that needs quoting in SQL is
reported by the checker as a warning, R018). Invisible and control characters are never part of a name: a
heading or cell holding one is an error (P030), because the database would store a name nobody can see
or type. A column name cell must hold one name or a list of plain names (P031); a heading that names a
table with characters no name has is an error (P032) rather than a reason to take the name of an enclosing
heading.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from specc.diagnostics import Code, Severity, register_code

INVISIBLE_IN_NAME = register_code(
    "P030",
    Severity.ERROR,
    "Invisible or control character in a name",
    "A table heading or column name contains a character that is not visible: a zero-width space or joiner "
    "(U+200B, U+200C, U+200D), a byte-order mark (U+FEFF), a bidirectional control (U+202A–U+202E, "
    "U+2066–U+2069), a soft hyphen, a line or paragraph separator, or a control character. PostgreSQL would "
    "store the name with it, so `users` and `us` + U+200B + `ers` would be two different tables that look "
    "the same. Delete the character (the column of the diagnostic points at it).",
    "### us\u200bers\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |",
)
COLUMN_NAME_NOT_ONE_NAME = register_code(
    "P031",
    Severity.ERROR,
    "Column name cell holds more than one name",
    "The name cell of a column row holds several words (`first name`) that are not a list of names. specc "
    "does not guess which one is meant: write one name per row, with `_` between words (`first_name`). A "
    "cell that lists plain names (`created_at, updated_at`, `` `a` / `b` ``) is read as one column per name "
    "and is not this error. A trailing note in "
    "parentheses (`id (PK)`, `status (enum)`) is allowed and is not part of the name; so is one name in "
    "backticks followed by prose (`` `email` — login ``).",
    "| Column | Type | Constraints |\n| --- | --- | --- |\n| first name | TEXT | NOT NULL |",
)
COLUMN_NAME_CHARACTER = register_code(
    "P033",
    Severity.ERROR,
    "Column name contains a character a name cannot have",
    "A column name is one word of letters (any script), digits, `_`, `$` and `-`; `.` and `[]` are accepted "
    "for the nested paths of document stores (`history[].type`). Quotes, backslashes, `;`, `:`, `,`, `/` "
    "and other punctuation are not: PostgreSQL could hold such a name only quoted, every hand-written "
    "statement and many tools would have to escape it, and it is far more often a typo or prose than a "
    "name. Rename the column.",
    "| Column | Type | Constraints |\n| --- | --- | --- |\n| user's_id | BIGINT | NOT NULL |",
)
HEADING_NOT_A_NAME = register_code(
    "P032",
    Severity.ERROR,
    "Heading above a column table is not a table name",
    "The heading right above a column table is one word, so it names the table, but it contains characters "
    "a table name cannot have (only letters, digits, `_`, `$` and `-` are read). specc reports it instead "
    "of taking the name of an enclosing heading. Write the table name as an identifier (`### user_accounts`) "
    "or put a generic sub-heading such as `### Columns` under the table's own heading.",
    "## Schema\n\n### users?\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |",
)

_COLUMN_NAME = re.compile(r"[\w$.\[\]-]+")


def column_name_problem(name: str) -> NameProblem | None:
    """P033 for a one-word column name with a character outside `_COLUMN_NAME`."""
    if _COLUMN_NAME.fullmatch(name) or any(ch.isspace() for ch in name):
        return None
    bad = dict.fromkeys(
        ch for ch in name if not _COLUMN_NAME.fullmatch(ch) and not unicodedata.category(ch).startswith("M")
    )
    if not bad:
        return None
    return NameProblem(
        COLUMN_NAME_CHARACTER,
        f"column name {name!r} contains {', '.join(repr(ch) for ch in bad)}, which a column name cannot have",
        next(iter(bad)),
        hint="use letters, digits and `_` (for example `user_id`)",
    )


_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def invisible_at(text: str) -> int | None:
    """Index of the first invisible or control character of `text` (a space does not count), or None."""
    if text.isascii() and text.isprintable():
        return None
    for i, ch in enumerate(text):
        if unicodedata.category(ch) in _INVISIBLE_CATEGORIES or (ch.isspace() and ch != " "):
            return i
    return None


def describe_char(ch: str) -> str:
    """`U+200B (ZERO WIDTH SPACE)`."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


_NAME_TOKEN = re.compile(r"[\w$-]*[^\W\d_][\w$-]*")
"""Letters (any script), digits, `_`, `$`, `-`, with at least one letter."""


def is_name_token(text: str) -> bool:
    """True when `text` is one name specc reads as written: see `_NAME_TOKEN` (combining marks allowed)."""
    if _NAME_TOKEN.fullmatch(text):
        return True
    stripped = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    return bool(stripped) and stripped != text and _NAME_TOKEN.fullmatch(stripped) is not None


@dataclass(frozen=True)
class NameProblem:
    """Why a name could not be read as written; `needle` is the text to point the diagnostic at."""

    code: Code
    message: str
    needle: str
    hint: str | None = None


def invisible_problem(name: str, what: str) -> NameProblem | None:
    """P030 for `name` (a `what`: "table name", "column name") when it holds an invisible character."""
    at = invisible_at(name)
    if at is None:
        return None
    ch = name[at]
    return NameProblem(
        INVISIBLE_IN_NAME,
        f"{what} {name!r} contains the invisible character {describe_char(ch)}",
        ch,
        hint="delete the character; names must be visible",
    )


def source_name_problem(name: str, what: str) -> NameProblem | None:
    """For a name read from SQL or a diagram, where quoting allows anything: an empty name or one with
    characters a name written in a column table or heading cannot have is an error there too (P031 for a
    table or column name that is several words or none, P032/P033 otherwise), so every schema source
    obeys the same name rules."""
    invisible = invisible_problem(name, what)
    if invisible is not None:
        return invisible
    if not name.strip() or any(ch.isspace() for ch in name):
        return NameProblem(
            COLUMN_NAME_NOT_ONE_NAME,
            f"{what} {name!r} is {'empty' if not name.strip() else 'several words'}; a {what} is one name",
            name[:1] or '"',
            hint="write the name with letters, digits and `_`",
        )
    if what == "column name":
        return column_name_problem(name)
    if not is_name_token(name):
        return NameProblem(
            HEADING_NOT_A_NAME,
            f"{what} {name!r} has characters no table name may have",
            next((ch for ch in name if not is_name_token("a" + ch)), name[0]),
            hint="write the name with letters, digits and `_`",
        )
    return None
