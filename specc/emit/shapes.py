"""Field types for generated Pydantic schemas: from table columns and from JSON body shapes.

A `FieldType` is the annotation text of one field plus what it needs (imports, `Field(...)` arguments).
Column types start from the shared type registry (`specc.emit.sqltypes.python_type`) and are sharpened for
API validation: `TIMESTAMPTZ` → `AwareDatetime`, `VARCHAR(n)` → `max_length=n`, e-mail columns → `EmailStr`,
`NUMERIC(p,s)` → `Decimal` with `max_digits`/`decimal_places`, `ENUM(...)` → `Literal[...]`.
JSON example shapes map by kind and string format; a column with the same name in the resource table wins
when its JSON kind is compatible with the example (`"email": "string"` + `VARCHAR(255)` → `EmailStr`, 255).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from specc.emit import sqltypes
from specc.emit.naming import words
from specc.ir.model import Column, ScalarShape
from specc.ir.types import SqlType, sql_type
from specc.pycode import literals
from specc.pycode.imports import PyImport


@dataclass(frozen=True, order=True)
class FieldArg:
    """One keyword argument of `Field(...)`: `name=<value>` where value is Python literal text."""

    name: str
    value: str


@dataclass(frozen=True)
class FieldType:
    """Annotation text (without `| None`) with its imports and `Field(...)` constraint arguments."""

    annotation: str
    imports: frozenset[PyImport] = frozenset()
    args: tuple[FieldArg, ...] = ()
    json_kinds: frozenset[str] = field(default_factory=frozenset)
    """JSON kinds the type accepts from an example (`string`, `integer`, `number`, `boolean`, ...)."""
    literal: tuple[str, ...] = ()
    """The values of the `Literal[...]` in `annotation` (an `ENUM` column), in order; the annotation text
    is never split to recover them (a value may hold `", "`)."""


ANY = FieldType("Any", frozenset({PyImport("typing", "Any")}), (), frozenset({"any"}))

_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "secret", "salt", "token", "apikey", "otp", "totp"})
_SECRET_PAIRS = (("api", "key"), ("private", "key"), ("secret", "key"), ("pass", "hash"))


def is_secret(column_name: str) -> bool:
    """Secret-like columns (`password_hash`, `api_key`, `reset_token`, ...) never appear in responses."""
    parts = words(column_name)
    if any(p in _SECRET_WORDS for p in parts):
        return True
    pairs = set(pairwise(parts))
    return any(pair in pairs for pair in _SECRET_PAIRS)


def is_email_name(name: str) -> bool:
    return "email" in words(name) or name.lower().endswith("email")


# --- JSON kinds per SQL base: which example values a column type is compatible with ------------------------

_JSON_KINDS: dict[str, frozenset[str]] = {}


def _kinds(kinds: frozenset[str], *bases: str) -> None:
    for base in bases:
        if base in _JSON_KINDS:
            raise ValueError(f"JSON kinds for {base} registered twice")
        _JSON_KINDS[base] = kinds


_STRING = frozenset({"string"})
_kinds(frozenset({"integer"}), "BIGINT", "INTEGER", "SMALLINT")
_kinds(frozenset({"number", "integer", "string"}), "NUMERIC", "MONEY")
_kinds(frozenset({"number", "integer"}), "REAL", "DOUBLE PRECISION")
_kinds(frozenset({"boolean"}), "BOOLEAN")
_kinds(
    _STRING,
    "VARCHAR",
    "CHAR",
    "TEXT",
    "TIMESTAMPTZ",
    "TIMESTAMP",
    "DATE",
    "TIME",
    "TIMETZ",
    "INTERVAL",
    "UUID",
    "BYTEA",
    "INET",
    "CIDR",
    "MACADDR",
    "ENUM",
    "TSVECTOR",
)
_kinds(frozenset({"any"}), "JSON", "JSONB")
_kinds(frozenset({"array"}), "VECTOR")

_STRING_LIKE = frozenset({"VARCHAR", "CHAR", "TEXT"})


_AWARE = PyImport("pydantic", "AwareDatetime")
_EMAIL = PyImport("pydantic", "EmailStr")
_LITERAL = PyImport("typing", "Literal")


def py_str(value: str) -> str:
    """A Python string literal for schemas: every non-ASCII character escaped (`specc.pycode.literals`)."""
    return literals.py_str(value, ascii_only=True)


@lru_cache(maxsize=8192)
def column_type(column: Column) -> FieldType:
    """Field type of a table column, constraints included."""
    sql = sql_type(column.type)
    if not sql.known:
        return ANY
    kinds = frozenset({"array"}) if sql.array_dims else _JSON_KINDS.get(sql.base, frozenset({"any"}))
    element = _pydantic_element(sql, column.name)
    if element is None:
        base = sqltypes.python_type(sql)
        annotation, imports = base.annotation, frozenset(base.imports)
    else:
        annotation, imports = element
        annotation = "list[" * sql.array_dims + annotation + "]" * sql.array_dims
    args: list[FieldArg] = []
    if not sql.array_dims:
        if sql.base in _STRING_LIKE and sql.length is not None:
            args.append(FieldArg("max_length", str(sql.length)))
        if sql.base == "NUMERIC" and sql.precision is not None:
            args.append(FieldArg("max_digits", str(sql.precision)))
            args.append(FieldArg("decimal_places", str(sql.scale or 0)))
    literal = tuple(sql.enum_values) if sql.base == "ENUM" and element is not None else ()
    return FieldType(annotation, imports, tuple(args), kinds, literal)


DECIMAL_NUMBER = "DecimalNumber"
"""Annotation of a `NUMERIC(p,s)` field with p ≤ 15: a `Decimal` in Python, a JSON number on the wire.
The alias is defined in each module that uses it (`specc.emit.schemas.render.DECIMAL_NUMBER_ALIAS`)."""
MAX_NUMBER_DIGITS = 15
"""Up to 15 significant digits survive the float a JSON number is read into (IEEE 754 double)."""


def _pydantic_element(sql: SqlType, name: str) -> tuple[str, frozenset[PyImport]] | None:
    """Pydantic-specific sharpening of the element type; None means: the shared registry's type."""
    if sql.base == "NUMERIC" and sql.precision is not None and sql.precision <= MAX_NUMBER_DIGITS:
        return DECIMAL_NUMBER, frozenset()
    if sql.base == "ENUM" and sql.enum_values:
        return "Literal[" + ", ".join(py_str(v) for v in sql.enum_values) + "]", frozenset({_LITERAL})
    if sql.base == "TIMESTAMPTZ":
        return "AwareDatetime", frozenset({_AWARE})
    if sql.base in _STRING_LIKE and is_email_name(name):
        return "EmailStr", frozenset({_EMAIL})
    return None


# --- JSON example shapes ----------------------------------------------------------------------------------

_DATETIME_MODULE = PyImport("datetime")
_BY_FORMAT: dict[str, FieldType] = {
    "email": FieldType("EmailStr", frozenset({_EMAIL}), (), _STRING),
    "date-time": FieldType("AwareDatetime", frozenset({_AWARE}), (), _STRING),
    "date": FieldType("datetime.date", frozenset({_DATETIME_MODULE}), (), _STRING),
    "uuid": FieldType("uuid.UUID", frozenset({PyImport("uuid")}), (), _STRING),
    "uri": FieldType("AnyUrl", frozenset({PyImport("pydantic", "AnyUrl")}), (), _STRING),
}

_BY_KIND: dict[str, FieldType] = {
    "string": FieldType("str", frozenset(), (), _STRING),
    "integer": FieldType("int", frozenset(), (), frozenset({"integer"})),
    "number": FieldType("float", frozenset(), (), frozenset({"number", "integer"})),
    "boolean": FieldType("bool", frozenset(), (), frozenset({"boolean"})),
}


def scalar_type(shape: ScalarShape, name: str, column: Column | None) -> FieldType:
    """Field type of a scalar example value; `column` (same name in the resource table) sharpens it."""
    if column is not None:
        from_column = column_type(column)
        if shape.kind == "null" or shape.kind in from_column.json_kinds or "any" in from_column.json_kinds:
            return from_column
    if shape.kind == "null":
        return ANY
    if shape.kind == "string":
        if shape.format is not None and shape.format in _BY_FORMAT:
            return _BY_FORMAT[shape.format]
        if is_email_name(name):
            return _BY_FORMAT["email"]
    return _BY_KIND[shape.kind]
