"""SQL identifiers the database keeps whole: the rule that fits every name specc derives.

The dialect says how many bytes of a name the server keeps (`Dialect.max_identifier_bytes`, 63 for
PostgreSQL) and it cuts longer ones silently, so two long derived names could become one. Names specc
derives (constraints, indexes, enum types, sequences) go through `fit_identifier`; names the document gives
are checked instead (`specc.check.names`).
"""

from __future__ import annotations

import hashlib

from specc.db.dialect import POSTGRESQL

MAX_IDENTIFIER_BYTES = POSTGRESQL.max_identifier_bytes
"""PostgreSQL keeps this many bytes of an identifier (NAMEDATALEN - 1) and cuts longer ones silently."""
_FITTED_PREFIX_BYTES = MAX_IDENTIFIER_BYTES - 9
"""Room for `_` and 8 hex digits."""


def identifier_bytes(name: str) -> int:
    return len(name.encode("utf-8", "surrogatepass"))


def fits(name: str) -> bool:
    """True when PostgreSQL keeps `name` whole."""
    return POSTGRESQL.fits(name)


def fit_identifier(name: str) -> str:
    """`name` when PostgreSQL keeps it whole (63 bytes of UTF-8), else its longest prefix of at most 54
    bytes (whole characters) + `_` + the first 8 hex digits of the SHA-1 of the whole name: 63 bytes at
    most, and two names that differ anywhere stay different (up to a 32-bit hash collision, which the
    checker reports: R015)."""
    if fits(name):
        return name
    data = name.encode("utf-8", "surrogatepass")
    prefix = data[:_FITTED_PREFIX_BYTES].decode("utf-8", "ignore")
    return f"{prefix}_{hashlib.sha1(data).hexdigest()[:8]}"
