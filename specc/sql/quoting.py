"""Text from the document written into SQL that specc composes itself (identifiers, string constants,
dollar-quoted bodies), quoted so that it can only be data for PostgreSQL."""

from __future__ import annotations


def identifier(name: str) -> str:
    """A quoted identifier: `"name"`, with `"` doubled."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string constant that reads the same whatever `standard_conforming_strings` says: `'...'` with `'`
    doubled, or `E'...'` with backslashes doubled when the text holds a backslash."""
    body = text.replace("'", "''")
    if "\\" in text:
        return "E'" + body.replace("\\", "\\\\") + "'"
    return "'" + body + "'"


def dollar_quoted(body: str) -> str:
    """`body` between dollar quotes whose tag does not occur in it (`$specc$`, `$specc1$`, …)."""
    tag = "$specc$"
    n = 0
    while tag in body:
        n += 1
        tag = f"$specc{n}$"
    return tag + body + tag
