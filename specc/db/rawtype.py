"""The runtime SQLAlchemy class for a type SQLAlchemy has none for (pgvector's `vector(n)`, a domain, an
unknown type the document names): its text is rendered verbatim in DDL. Reflection gives such columns this
type with the database's own spelling; generated models carry a copy of the class (`PG_TYPE_SOURCE`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.types import UserDefinedType


class PgType(UserDefinedType[Any]):
    """A PostgreSQL type SQLAlchemy has no class for (extension types: VECTOR(n)), rendered verbatim."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw: Any) -> str:
        return self.spec
