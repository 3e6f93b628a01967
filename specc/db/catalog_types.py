"""Column types of the direct catalog reader (`specc.db.catalog`): `format_type` text → canonical type.

The SQLAlchemy path (`specc.db.reflect`) reads a column's `format_type` into a SQLAlchemy type (the
PostgreSQL dialect's `ischema_names`, an enum or a domain looked up by name, an `ARRAY` around it) and
`specc.db.metadata.type_text` turns that into the canonical spelling. To give exactly the same text, this
module reads `format_type` by the same rules into the same SQLAlchemy type and hands it to the same
`type_text`; a type SQLAlchemy does not know becomes `PgType` with the database's spelling, as in
`reflect_metadata`. It is done once per distinct spelling (a database has a few dozen), not per column:
building and compiling a type object is cheap next to a table's worth of SQLAlchemy objects.

The rules, as the dialect applies them: the arguments are the text between the first `(` and the last `)`,
split at commas; each trailing `[]` is an array dimension (one `ARRAY` whatever their number); the rest is
the name looked up in `ischema_names` (lower-cased). `numeric` takes (precision, scale) when both are
given; the time types take their zone and precision;
`bit varying` its length; `interval` (and `interval <fields>`) its fields and precision. Any other name
not in `ischema_names` is looked up among the enums and domains: by `(name,)` when the type is visible on
the search path (`format_type` does not qualify it), else by `(schema, name)`. A column whose collation is
not its type's own passes it (and its schema, when not visible) to the type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.sql.type_api import TypeEngine

from specc.db.metadata import type_text
from specc.db.rawtype import PgType

_ISCHEMA_NAMES: dict[str, Any] = postgresql.dialect().ischema_names  # type: ignore[no-untyped-call]
_ARGS = re.compile(r"\((.*)\)")
_ARGS_SPLIT = re.compile(r"\s*,\s*")
_ARRAY = re.compile(r"((?:\[\])*)$")


@dataclass(frozen=True)
class NamedEnum:
    name: str
    schema: str
    labels: tuple[str, ...]
    visible: bool


@dataclass(frozen=True)
class NamedDomain:
    name: str
    schema: str
    visible: bool
    not_null: bool
    default: str | None


@dataclass(frozen=True)
class ColumnType:
    """What a column's type contributes to its `DbColumn`."""

    text: str
    """Canonical type (what `type_text` gives the type the SQLAlchemy path reflects)."""
    enum: str | None = None
    """The enum type's name, for an enum or an array of one."""
    domain: NamedDomain | None = None
    """The domain, for a column of a domain type (not an array of one): its NOT NULL and default apply."""


@dataclass(frozen=True)
class _Built:
    """The SQLAlchemy type the dialect reflects for a spelling, with its enum or domain."""

    type: TypeEngine[Any]
    enum: str | None
    domain: NamedDomain | None


def _key(name: str) -> tuple[str, ...]:
    """A dotted, possibly double-quoted name split into its parts (`"My"."T"` → `("My", "T")`), `""` in a
    quoted part read as one `"`."""
    if '"' not in name:
        return tuple(name.split("."))
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    i = 0
    while i < len(name):
        char = name[i]
        if char == '"':
            if quoted and i + 1 < len(name) and name[i + 1] == '"':
                current.append('"')
                i += 1
            else:
                quoted = not quoted
        elif char == "." and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return tuple(parts)


class TypeReader:
    """Reads `format_type` spellings, knowing the database's enums and domains; one per catalog read."""

    def __init__(self, enums: list[NamedEnum], domains: list[NamedDomain]) -> None:
        self._enums = {(e.name,) if e.visible else (e.schema, e.name): e for e in enums}
        self._domains = {(d.name,) if d.visible else (d.schema, d.name): d for d in domains}
        self._read: dict[tuple[str, str | None, str | None], ColumnType] = {}

    def read(self, format_type: str, collation: str | None, collation_schema: str | None) -> ColumnType:
        key = (format_type, collation, collation_schema)
        found = self._read.get(key)
        if found is None:
            found = self._read[key] = self._column_type(format_type, collation, collation_schema)
        return found

    def _column_type(
        self, format_type: str, collation: str | None, collation_schema: str | None
    ) -> ColumnType:
        built = self._sa_type(format_type, collation, collation_schema)
        if built is None:  # a type SQLAlchemy does not know: the database's own spelling
            return ColumnType(text=type_text(PgType(format_type)))
        domain = built.domain
        if isinstance(built.type, sa.ARRAY):
            domain = None  # an array of a domain is not the domain: its NOT NULL and default do not apply
        return ColumnType(text=type_text(built.type), enum=built.enum, domain=domain)

    def _sa_type(
        self, format_type: str, collation: str | None, collation_schema: str | None
    ) -> _Built | None:
        args_match = _ARGS.search(format_type)
        sizes: tuple[str, ...] = ()
        if args_match and args_match.group(1):
            sizes = tuple(_ARGS_SPLIT.split(args_match.group(1)))
        array_match = _ARRAY.search(format_type)
        dimensions = len(array_match.group(1) if array_match else "") // 2
        name = _ARRAY.sub("", _ARGS.sub("", format_type))
        cls = _ISCHEMA_NAMES.get(name.lower())
        kwargs: dict[str, Any] = {}
        enum: str | None = None
        domain: NamedDomain | None = None
        args: tuple[Any, ...] = ()
        if name == "numeric":
            if len(sizes) == 2:
                args = (int(sizes[0]), int(sizes[1]))
        elif name in ("timestamp with time zone", "time with time zone"):
            kwargs["timezone"] = True
            if len(sizes) == 1:
                kwargs["precision"] = int(sizes[0])
        elif name in ("timestamp without time zone", "time without time zone", "time"):
            kwargs["timezone"] = False
            if len(sizes) == 1:
                kwargs["precision"] = int(sizes[0])
        elif name == "bit varying":
            kwargs["varying"] = True
            if len(sizes) == 1:
                args = (int(sizes[0]),)
        elif name == "interval" or name.startswith("interval "):
            cls = postgresql.INTERVAL
            if name != "interval":
                kwargs["fields"] = name[len("interval ") :]
            if len(sizes) == 1:
                kwargs["precision"] = int(sizes[0])
        else:
            named = _key(name)
            if cls is None and named in self._enums:
                found = self._enums[named]
                cls, enum, args = postgresql.ENUM, found.name, found.labels
                kwargs["name"] = found.name
            elif cls is None and named in self._domains:
                domain = self._domains[named]
                cls, args = postgresql.DOMAIN, (domain.name, sa.types.NULLTYPE)
                if not domain.visible:
                    kwargs["schema"] = domain.schema
            else:
                try:
                    args = (int(sizes[0]), *sizes[1:])
                except (ValueError, IndexError):
                    args = sizes
        if cls is None:
            return None
        if collation is not None:
            kwargs["collation"] = collation
            if collation_schema is not None:
                kwargs["collation_schema"] = collation_schema
        sa_type: TypeEngine[Any] = cls(*args, **kwargs)
        if dimensions >= 1:
            sa_type = postgresql.ARRAY(sa_type)
        return _Built(type=sa_type, enum=enum, domain=domain)
