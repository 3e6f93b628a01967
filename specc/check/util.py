"""Small helpers the rules share: name tokens, status sets, suggestions, FK iteration."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from specc.ir.model import Column, Endpoint, ForeignKey, Spec, Table

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT_RE = re.compile(r"[^A-Za-z0-9]+")


def name_tokens(name: str) -> tuple[str, ...]:
    """Lowercase words of an identifier: `passwordHash` and `password_hash` → ("password", "hash")."""
    spaced = _CAMEL_RE.sub("_", name)
    return tuple(t.lower() for t in _SPLIT_RE.split(spaced) if t)


def path_tokens(path: str) -> tuple[str, ...]:
    """Lowercase words of the literal (non-parameter) segments of a URL path."""
    literal = re.sub(r"\{[^{}]*\}|<[^<>]*>|:\w+", "/", path)
    return name_tokens(literal)


def statuses(endpoint: Endpoint) -> frozenset[int]:
    return frozenset(r.status for r in endpoint.responses)


def suggestion(name: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt name, or None."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f'did you mean "{matches[0]}"?' if matches else None


@dataclass(frozen=True)
class ForeignKeyRef:
    """A foreign key with the table and column it is declared on."""

    table: Table
    column: Column
    fk: ForeignKey


def foreign_keys(spec: Spec) -> Iterator[ForeignKeyRef]:
    for table in spec.tables:
        for column in table.columns:
            if column.foreign_key is not None:
                yield ForeignKeyRef(table=table, column=column, fk=column.foreign_key)


def referenced_column(spec: Spec, fk: ForeignKey) -> Column | None:
    """The column a foreign key points at, when it resolves (implicit target: single-column PK)."""
    target = spec.table(fk.table)
    if target is None:
        return None
    if fk.column is not None:
        return target.column(fk.column)
    pk = target.primary_key
    return target.column(pk[0]) if len(pk) == 1 else None


_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "secret", "salt"})
_HASH_WORDS = frozenset({"hash", "hashed", "digest"})
_HASHED_THINGS = frozenset({"token", "key", "pin", "otp", "code"})
_KEY_PAIRS = frozenset({("api", "key"), ("private", "key"), ("secret", "key")})
_SINGLE_KEYS = frozenset({"apikey", "privatekey", "secretkey"})
_NOT_A_SECRET_FIRST = frozenset({"has", "is", "must", "requires", "needs"})
_NOT_A_SECRET_LAST = frozenset(
    {"at", "changed", "updated", "expires", "expiry", "required", "set", "length", "policy", "count",
     "attempts", "id", "version", "strength", "hint"}
)  # fmt: skip


def is_secret_name(name: str) -> bool:
    """True for names of secrets and their hashes (`password_hash`, `apiKey`, `token_hash`, `client_secret`).

    Metadata about a secret is not a secret: `password_changed_at`, `has_password`, `api_key_id`.
    Issued tokens (`access_token`, `refresh_token`) are not matched: returning them is the point of a login.
    """
    tokens = name_tokens(name)
    if not tokens or tokens[0] in _NOT_A_SECRET_FIRST or tokens[-1] in _NOT_A_SECRET_LAST:
        return False
    if _SECRET_WORDS.intersection(tokens) or _SINGLE_KEYS.intersection(tokens):
        return True
    if _HASH_WORDS.intersection(tokens) and _HASHED_THINGS.intersection(tokens):
        return True
    return any(pair in _KEY_PAIRS for pair in itertools.pairwise(tokens))


_PLAINTEXT_WORDS = frozenset({"password", "passwd", "pwd"})
_PROTECTED_WORDS = frozenset(
    {"hash", "hashed", "digest", "salt", "encrypted", "crypt", "bcrypt", "argon2", "reset"}
)


def is_plaintext_password_name(name: str) -> bool:
    """True for `password`, `user_password`, `plainPassword`; False for `password_hash`, `has_password`."""
    tokens = name_tokens(name)
    if not tokens or tokens[0] in _NOT_A_SECRET_FIRST or tokens[-1] in _NOT_A_SECRET_LAST:
        return False
    return bool(_PLAINTEXT_WORDS.intersection(tokens)) and not _PROTECTED_WORDS.intersection(tokens)
