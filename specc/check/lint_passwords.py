"""Lint: stored credentials (WORKFLOW.md §7 "Never store plaintext passwords")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import is_plaintext_password_name
from specc.diagnostics import Severity
from specc.ir.model import Column, Spec

_HASHED_RE = re.compile(r"(?i)\b(hash(ed)?|bcrypt|argon2(id)?|scrypt|pbkdf2|digest)\b")


def is_plaintext_password(column: Column) -> bool:
    """Named like a password, not like a hash, and not described as hashed ("bcrypt hash")."""
    if not is_plaintext_password_name(column.name):
        return False
    return not any(_HASHED_RE.search(text) for text in (column.description, column.check) if text)


@check_rule(
    "L008",
    Severity.ERROR,
    "Plaintext password column",
    "A column named like a password (`password`, `user_password`), not like a hash, and not described as "
    "hashed, stores the password itself. WORKFLOW.md §7 requires bcrypt hashes: store them in "
    "`password_hash` and never keep the password.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| password | VARCHAR(255) | NOT NULL |",
)
def plaintext_password(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        for column in table.columns:
            if is_plaintext_password(column):
                yield Finding(
                    f"column {table.name}.{column.name} stores a password in plaintext",
                    (column.span, table.span),
                    hint="store a bcrypt hash in a column named password_hash",
                )
