"""SQL types as runtime SQLAlchemy objects, for readers and tests that work with a live MetaData.

`sa_type` evaluates the expression `specc.emit.sqltypes.sa_type_code` writes into generated code, in a
namespace holding exactly the names those expressions use (`sa`, `postgresql`, `PgType`), so a runtime type
and the generated code for it are the same by construction. The expressions are built by the registry from
canonical IR types, with every user-supplied string quoted by `py_str`.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import TypeEngine

from specc.db.rawtype import PgType
from specc.emit.sqltypes import sa_type_code
from specc.ir.types import SqlType

_NAMESPACE: dict[str, Any] = {"__builtins__": {}, "sa": sa, "postgresql": postgresql, "PgType": PgType}


def sa_type(t: SqlType, enum_name: str | None) -> TypeEngine[Any]:
    """The SQLAlchemy type object for `t` (PostgreSQL dialect types where SQLAlchemy has no generic one)."""
    value = eval(sa_type_code(t, enum_name).code, _NAMESPACE)
    assert isinstance(value, TypeEngine)
    return value
