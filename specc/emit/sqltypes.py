"""The SQL type registry: canonical IR type → Python annotation and SQLAlchemy code.

Shared by every writer that needs a column type (models, migrations, pydantic schemas). One row per canonical
base name of `specc.ir.types` (`SqlType.base`); arrays (`array_dims`) wrap the row's result. The SQLAlchemy
side of each row comes from the dialect's declarative `type_mapping` (`specc.db.dialect`); the Python side
is this module's own (`_PYTHON`), since it does not depend on the database.

Public API (stable):

- `python_type(t: SqlType) -> PyType`: the annotation text for `Mapped[...]` / pydantic fields, e.g.
  `int`, `str`, `decimal.Decimal`, `datetime.datetime`, `uuid.UUID`, `list[str]`, `dict[str, Any]`, plus the
  imports it needs. Standard-library types are module-qualified (`import datetime`, `datetime.date`) so a
  column called `date` or `time` cannot shadow them; the writer must keep attribute names clear of the
  imported top-level names (`PyImport.bound_name`).
- `sa_type_code(t: SqlType, enum_name: str | None, raw_type_module: str = ".base") -> TypeCode`: the
  SQLAlchemy type expression for generated code, Alembic style: `sa.String(255)`,
  `sa.DateTime(timezone=True)`, `postgresql.ARRAY(sa.Text())`, `postgresql.JSONB()`,
  `sa.Enum("a", "b", name="users_role")`, with imports `import sqlalchemy as sa` and
  `from sqlalchemy.dialects import postgresql`.
- The same type as a runtime SQLAlchemy object: `specc.emit.sqlruntime.sa_type`, which evaluates the code
  above, so generated code and runtime objects cannot disagree. This module does not import SQLAlchemy
  (writers that only produce text should not pay for it at start-up).
- `enum_type_name(table: str, column: str) -> str`: the PostgreSQL enum type name for a column
  (`<table>_<column>`, at most 63 characters, deterministic).

Decisions:

- Unknown types (`SqlType.known` False) and `VECTOR(n)` have no SQLAlchemy class. They map to `PgType`, a
  `UserDefinedType` that renders its text verbatim in DDL (`PgType("VECTOR(3)")`). Generated code imports it
  from `raw_type_module` (default `.base`: the models writer emits the class into `models/base.py`; its
  source is `PG_TYPE_SOURCE`). The runtime class is `specc.emit.sqlruntime.PgType`. VECTOR needs the pgvector
  extension in the database (`CREATE EXTENSION vector`); its Python type is `list[float]`; unknown types
  are `Any`.
- ENUM maps to `sa.Enum(*values, name=enum_name)` (a native PostgreSQL enum type) with Python type `str`.
- Every expression is called (`sa.Text()`, not `sa.Text`) so the text is the same in models and migrations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from specc.db.dialect import POSTGRESQL as DIALECT
from specc.db.dialect import SaType
from specc.ir.types import SqlType
from specc.pycode.imports import PyImport
from specc.pycode.literals import py_str


@dataclass(frozen=True)
class PyType:
    """A Python annotation (`decimal.Decimal`, `list[str]`) and the imports it needs."""

    annotation: str
    imports: tuple[PyImport, ...] = ()


@dataclass(frozen=True)
class TypeCode:
    """A SQLAlchemy type expression for generated code (`sa.String(255)`) and the imports it needs."""

    code: str
    imports: tuple[PyImport, ...] = ()


SA = PyImport("sqlalchemy", alias="sa")
POSTGRESQL = PyImport("sqlalchemy.dialects", "postgresql")
_DATETIME = PyImport("datetime")
_DECIMAL = PyImport("decimal")
_UUID = PyImport("uuid")
_ANY = PyImport("typing", "Any")

PG_TYPE_SOURCE = '''class PgType(UserDefinedType[Any]):
    """A PostgreSQL type SQLAlchemy has no class for (extension types: VECTOR(n)), rendered verbatim."""

    cache_ok = True

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def get_col_spec(self, **kw: Any) -> str:
        return self.spec
'''
"""Source of the `PgType` class for generated modules (needs `from typing import Any` and
`from sqlalchemy.types import UserDefinedType`)."""

PG_TYPE_SOURCE_IMPORTS: tuple[PyImport, ...] = (_ANY, PyImport("sqlalchemy.types", "UserDefinedType"))


CodeRenderer = Callable[[SqlType, str], str]


@dataclass(frozen=True)
class TypeMapping:
    """One registry row: how a canonical base maps to Python and SQLAlchemy (scalar, before array wrapping).

    `code` receives the type and the enum type name (always a string: a derived one when the caller gave
    none)."""

    base: str
    python: PyType
    code: CodeRenderer
    code_imports: tuple[PyImport, ...]


_REGISTRY: dict[str, TypeMapping] = {}


def register(mapping: TypeMapping) -> None:
    """Add a row; refuses a base that is already registered."""
    if mapping.base in _REGISTRY:
        raise ValueError(f"SQL type {mapping.base!r} is already registered")
    _REGISTRY[mapping.base] = mapping


def registered_bases() -> frozenset[str]:
    return frozenset(_REGISTRY)


def _pg_type_code(t: SqlType, _e: str) -> str:
    return f"PgType({py_str(t.render() if t.known else t.base)})"


def _module(cls: str) -> PyImport:
    """The import a SQLAlchemy type expression needs: `sa.` or the dialect's module (`postgresql.`)."""
    return SA if cls.startswith("sa.") else PyImport("sqlalchemy.dialects", cls.split(".", 1)[0])


def _dialect_code(target: SaType) -> CodeRenderer:
    """The code of the dialect's SQLAlchemy type for a type: its parameters, then its fixed arguments."""

    def code(t: SqlType, enum_name: str) -> str:
        args: list[str] = []
        if t.base == "ENUM":
            args = [*(py_str(v) for v in t.enum_values), f"name={py_str(enum_name)}"]
        elif target.parameters == "length" and t.length is not None:
            args.append(str(t.length))
        elif target.parameters == "precision_scale" and t.precision is not None:
            args.append(str(t.precision) if t.scale is None else f"{t.precision}, {t.scale}")
        if target.fixed:
            args.append(target.fixed)
        return f"{target.cls}({', '.join(args)})"

    return code


_INT = PyType("int")
_STR = PyType("str")
_FLOAT = PyType("float")
_PYTHON: dict[str, PyType] = {
    "BIGINT": _INT,
    "INTEGER": _INT,
    "SMALLINT": _INT,
    "VARCHAR": _STR,
    "CHAR": _STR,
    "TEXT": _STR,
    "BOOLEAN": PyType("bool"),
    "TIMESTAMPTZ": PyType("datetime.datetime", (_DATETIME,)),
    "TIMESTAMP": PyType("datetime.datetime", (_DATETIME,)),
    "DATE": PyType("datetime.date", (_DATETIME,)),
    "TIME": PyType("datetime.time", (_DATETIME,)),
    "TIMETZ": PyType("datetime.time", (_DATETIME,)),
    "INTERVAL": PyType("datetime.timedelta", (_DATETIME,)),
    "NUMERIC": PyType("decimal.Decimal", (_DECIMAL,)),
    "REAL": _FLOAT,
    "DOUBLE PRECISION": _FLOAT,
    "UUID": PyType("uuid.UUID", (_UUID,)),
    "JSON": PyType("dict[str, Any]", (_ANY,)),
    "JSONB": PyType("dict[str, Any]", (_ANY,)),
    "BYTEA": PyType("bytes"),
    "INET": _STR,
    "CIDR": _STR,
    "MACADDR": _STR,
    "MONEY": _STR,
    "TSVECTOR": _STR,
    "ENUM": _STR,
    "VECTOR": PyType("list[float]"),
}
"""The Python side of each canonical type (the dialect says nothing about Python)."""

for _base, _target in DIALECT.type_mapping.items():
    register(TypeMapping(_base, _PYTHON[_base], _dialect_code(_target), (_module(_target.cls),)))
for _base in sorted(DIALECT.missing_types(frozenset(_PYTHON))):
    register(TypeMapping(_base, _PYTHON[_base], _pg_type_code, ()))


_UNKNOWN = TypeMapping("", PyType("Any", (_ANY,)), _pg_type_code, ())


def _mapping(t: SqlType) -> TypeMapping:
    if not t.known:
        return _UNKNOWN
    return _REGISTRY.get(t.base, _UNKNOWN)


def _enum_name(t: SqlType, enum_name: str | None) -> str:
    if enum_name is not None:
        return enum_name
    digest = hashlib.sha1("\x00".join(t.enum_values).encode()).hexdigest()[:8]
    return f"enum_{digest}"


def python_type(t: SqlType) -> PyType:
    """Python annotation for a column of type `t`, without `| None` (the caller adds it when nullable)."""
    scalar = _mapping(t).python
    annotation = scalar.annotation
    for _ in range(t.array_dims):
        annotation = f"list[{annotation}]"
    return PyType(annotation, scalar.imports)


def sa_type_code(t: SqlType, enum_name: str | None, raw_type_module: str = ".base") -> TypeCode:
    """SQLAlchemy type expression for generated code, with its imports (sorted, unique)."""
    mapping = _mapping(t)
    code = mapping.code(t, _enum_name(t, enum_name))
    imports = set(mapping.code_imports)
    if mapping.code is _pg_type_code:
        imports.add(PyImport(raw_type_module, "PgType"))
    if t.array_dims:
        imports.add(POSTGRESQL)
        dims = f", dimensions={t.array_dims}" if t.array_dims > 1 else ""
        code = f"{DIALECT.array_type}({code}{dims})"
    return TypeCode(code, tuple(sorted(imports)))
