"""Column types: one canonical spelling per PostgreSQL type, and a lenient reader of common spellings.

The IR stores a column type as its canonical string (`VARCHAR(255)`, `NUMERIC(10,2)`, `TEXT[]`,
`ENUM('a','b')`, `TIMESTAMPTZ`). Writers get the structured form from `sql_type(canonical)`.
Unknown types are kept verbatim and reported by the parser as a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from specc.db.dialect import POSTGRESQL
from specc.limits import MAX_ARRAY_DIMENSIONS

# Canonical base names. Parameterised ones say which parameters they take.
KNOWN_BASES: frozenset[str] = frozenset(
    {
        "BIGINT",
        "INTEGER",
        "SMALLINT",
        "VARCHAR",
        "CHAR",
        "TEXT",
        "BOOLEAN",
        "TIMESTAMPTZ",
        "TIMESTAMP",
        "DATE",
        "TIME",
        "TIMETZ",
        "INTERVAL",
        "NUMERIC",
        "REAL",
        "DOUBLE PRECISION",
        "UUID",
        "JSON",
        "JSONB",
        "BYTEA",
        "INET",
        "CIDR",
        "MACADDR",
        "ENUM",
        "VECTOR",
        "MONEY",
        "TSVECTOR",
    }
)


@dataclass(frozen=True)
class SqlType:
    """Structured form of a canonical column type."""

    base: str
    length: int | None = None
    """VARCHAR(n), CHAR(n), VECTOR(n)."""
    precision: int | None = None
    scale: int | None = None
    array_dims: int = 0
    enum_values: tuple[str, ...] = field(default=())
    known: bool = True

    def render(self) -> str:
        if not self.known:
            return self.base
        text = self.base
        if self.base == "ENUM":
            text = "ENUM(" + ",".join(_quote(v) for v in self.enum_values) + ")"
        elif self.length is not None:
            text = f"{self.base}({self.length})"
        elif self.precision is not None:
            text = (
                f"{self.base}({self.precision})"
                if self.scale is None
                else f"{self.base}({self.precision},{self.scale})"
            )
        return text + "[]" * self.array_dims


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


@dataclass(frozen=True)
class TypeRead:
    """Result of reading a type from the start of a cell."""

    type: SqlType
    rest: str
    """Text after the type (constraint words some documents put in the Type cell)."""
    autoincrement: bool = False
    nullable_hint: bool = False
    """A trailing `?` (EF Core / TypeScript style: `nvarchar(max)?`)."""
    problem: TypeProblem | None = None
    """Set when the type is recognised but cannot be used as written (`type` is then meaningless)."""


@dataclass(frozen=True)
class TypeProblem:
    kind: Literal["range", "limit", "no_values"]
    """`range`: a parameter PostgreSQL rejects; `limit`: over specc's array-dimension limit; `no_values`: an
    enum without values."""
    message: str
    hint: str = "use a value PostgreSQL accepts"


MAX_LENGTH = POSTGRESQL.max_string_length
"""PostgreSQL's largest VARCHAR(n) / CHAR(n)."""
MAX_NUMERIC_PRECISION = POSTGRESQL.max_numeric_precision
MAX_VECTOR_DIMENSIONS = POSTGRESQL.max_vector_dimensions
"""pgvector's largest VECTOR(n)."""
MAX_ENUM_LABEL_BYTES = POSTGRESQL.max_enum_label_bytes


# Spelling → (canonical base, autoincrement). Matched case-insensitively, longest first.
_ALIASES: dict[str, tuple[str, bool]] = {
    "bigserial": ("BIGINT", True),
    "serial8": ("BIGINT", True),
    "serial": ("INTEGER", True),
    "serial4": ("INTEGER", True),
    "smallserial": ("SMALLINT", True),
    "bigint": ("BIGINT", False),
    "int8": ("BIGINT", False),
    "integer": ("INTEGER", False),
    "int": ("INTEGER", False),
    "int4": ("INTEGER", False),
    "mediumint": ("INTEGER", False),
    "smallint": ("SMALLINT", False),
    "int2": ("SMALLINT", False),
    "tinyint": ("SMALLINT", False),
    "character varying": ("VARCHAR", False),
    "varchar": ("VARCHAR", False),
    "nvarchar": ("VARCHAR", False),
    "varchar2": ("VARCHAR", False),
    "string": ("VARCHAR", False),
    "character": ("CHAR", False),
    "char": ("CHAR", False),
    "nchar": ("CHAR", False),
    "text": ("TEXT", False),
    "longtext": ("TEXT", False),
    "mediumtext": ("TEXT", False),
    "tinytext": ("TEXT", False),
    "citext": ("TEXT", False),
    "boolean": ("BOOLEAN", False),
    "bool": ("BOOLEAN", False),
    "bit": ("BOOLEAN", False),
    "timestamp with time zone": ("TIMESTAMPTZ", False),
    "timestamptz": ("TIMESTAMPTZ", False),
    "datetimeoffset": ("TIMESTAMPTZ", False),
    "timestamp without time zone": ("TIMESTAMP", False),
    "timestamp": ("TIMESTAMP", False),
    "datetime2": ("TIMESTAMP", False),
    "datetimetz_immutable": ("TIMESTAMPTZ", False),
    "datetimetz": ("TIMESTAMPTZ", False),
    "datetime_immutable": ("TIMESTAMP", False),
    "date_immutable": ("DATE", False),
    "time_immutable": ("TIME", False),
    "datetime": ("TIMESTAMP", False),
    "date": ("DATE", False),
    "time with time zone": ("TIMETZ", False),
    "timetz": ("TIMETZ", False),
    "time without time zone": ("TIME", False),
    "time": ("TIME", False),
    "interval": ("INTERVAL", False),
    "numeric": ("NUMERIC", False),
    "decimal": ("NUMERIC", False),
    "real": ("REAL", False),
    "float4": ("REAL", False),
    "double precision": ("DOUBLE PRECISION", False),
    "double": ("DOUBLE PRECISION", False),
    "float8": ("DOUBLE PRECISION", False),
    "float": ("DOUBLE PRECISION", False),
    "uuid": ("UUID", False),
    "uniqueidentifier": ("UUID", False),
    "jsonb": ("JSONB", False),
    "json": ("JSON", False),
    "bytea": ("BYTEA", False),
    "blob": ("BYTEA", False),
    "varbinary": ("BYTEA", False),
    "inet": ("INET", False),
    "cidr": ("CIDR", False),
    "macaddr": ("MACADDR", False),
    "enum": ("ENUM", False),
    "vector": ("VECTOR", False),
    "money": ("MONEY", False),
    "tsvector": ("TSVECTOR", False),
}

_ALIAS_RE = re.compile(
    r"(?i)(?P<name>"
    + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_ALIASES, key=len, reverse=True))
    + r")(?![\w])"
)
_ZONED_RE = re.compile(r"(?i)date\s*time\s*\(\s*(?:tz|timezone\s*=\s*true|with\s+time\s+zone)\s*\)")
_PARAMS_RE = re.compile(r"\s*\(([^()]*)\)")
_ENUM_VALUE_RE = re.compile(r"'((?:[^']|'')*)'|\"([^\"]*)\"|([^,\s]+)")
_AUTO_RE = re.compile(r"(?i)^\s*(auto_increment|autoincrement|identity(\s*\(\s*\d+\s*,\s*\d+\s*\))?)(?![\w])")


def read_type(text: str) -> TypeRead | None:
    """Read a type from the start of `text`. Returns None when no known type starts there.

    Linear in the length of `text`. A recognised type that cannot be used (a parameter out of PostgreSQL's
    range, more array dimensions than `MAX_ARRAY_DIMENSIONS`, `ENUM()`) comes back with `problem` set."""
    stripped = text.strip().strip("`").strip()
    zoned = _ZONED_RE.match(stripped)
    if zoned is not None:  # SQLAlchemy's `DateTime(timezone=True)`, written `DateTime(tz)` too
        stripped = "TIMESTAMPTZ" + stripped[zoned.end() :]
    match = _ALIAS_RE.match(stripped)
    if match is None:
        return None
    base, auto = _ALIASES[re.sub(r"\s+", " ", match.group("name").lower())]
    pos = match.end()
    length = precision = scale = None
    enum_values: tuple[str, ...] = ()
    problem: TypeProblem | None = None
    params = _PARAMS_RE.match(stripped, pos)
    if params is not None:
        inner = params.group(1).strip()
        pos = params.end()
        if base == "ENUM":
            enum_values = tuple(_enum_values(inner))
            problem = _enum_problem(enum_values)
        elif inner.lower() == "max":
            if base == "VARCHAR":
                base = "TEXT"
        else:
            numbers = [p.strip() for p in inner.split(",")]
            if not all(_DIGITS.fullmatch(n) for n in numbers):
                return None
            if base in ("VARCHAR", "CHAR", "VECTOR"):
                length = _number(numbers[0])
                top = MAX_VECTOR_DIMENSIONS if base == "VECTOR" else MAX_LENGTH
                what = "dimensions" if base == "VECTOR" else "length"
                if len(numbers) > 1:
                    problem = TypeProblem("range", f"{base} takes one parameter (its {what})")
                elif not 1 <= length <= top:
                    problem = TypeProblem(
                        "range",
                        f"{base} {what} must be between 1 and {top:,}",
                        "use a value PostgreSQL accepts"
                        + ("" if base == "VECTOR" else ", or TEXT (no length limit)"),
                    )
            elif base == "NUMERIC":
                precision = _number(numbers[0])
                scale = _number(numbers[1]) if len(numbers) > 1 else None
                if len(numbers) > 2:
                    problem = TypeProblem("range", "NUMERIC takes at most two parameters (precision, scale)")
                elif not 1 <= precision <= MAX_NUMERIC_PRECISION:
                    problem = TypeProblem(
                        "range", f"NUMERIC precision must be between 1 and {MAX_NUMERIC_PRECISION}"
                    )
                elif scale is not None and not 0 <= scale <= MAX_NUMERIC_PRECISION:
                    problem = TypeProblem(
                        "range", f"NUMERIC scale must be between 0 and {MAX_NUMERIC_PRECISION}"
                    )
            elif base == "SMALLINT" and match.group("name").lower() == "tinyint" and numbers == ["1"]:
                base = "BOOLEAN"
            elif base == "BOOLEAN":
                pass  # bit(1)
            elif base in ("TIMESTAMP", "TIMESTAMPTZ", "TIME", "TIMETZ", "INTEGER", "BIGINT", "SMALLINT"):
                pass  # fractional-second precision / MySQL display width: not part of the type
            else:
                return None
    elif base == "ENUM":
        return None
    rest = stripped[pos:]
    # trailing "with time zone" after a precision: timestamp(3) with time zone
    tz = re.match(r"(?i)\s+with(out)?\s+time\s+zone\b", rest)
    if tz and base in ("TIMESTAMP", "TIME"):
        if not tz.group(1):
            base = "TIMESTAMPTZ" if base == "TIMESTAMP" else "TIMETZ"
        rest = rest[tz.end() :]
    arrays = _ARRAYS_RE.match(rest)
    dims = 0
    if arrays is not None:
        dims = arrays.group(0).count("[")
        rest = rest[arrays.end() :]
    if dims > MAX_ARRAY_DIMENSIONS and problem is None:
        problem = TypeProblem(
            "limit", f"{dims} array dimensions (the limit is {MAX_ARRAY_DIMENSIONS}, as in PostgreSQL)"
        )
    nullable_hint = False
    if rest.startswith("?"):
        nullable_hint = True
        rest = rest[1:]
    if rest and (rest[0].isalnum() or rest[0] == "_"):
        return None
    unsigned = re.match(r"(?i)\s+unsigned\b", rest)
    if unsigned:
        rest = rest[unsigned.end() :]
    auto_match = _AUTO_RE.match(rest)
    if auto_match:
        auto = True
        rest = rest[auto_match.end() :]
    sql = SqlType(
        base=base,
        length=length if problem is None else None,
        precision=precision if problem is None else None,
        scale=scale if problem is None else None,
        array_dims=dims if problem is None else 0,
        enum_values=enum_values,
    )
    return TypeRead(
        type=sql, rest=rest.strip(), autoincrement=auto, nullable_hint=nullable_hint, problem=problem
    )


_DIGITS = re.compile(r"[0-9]+")
_ARRAYS_RE = re.compile(r"(?:\s*+\[\s*+[0-9]*+\s*+\])++")
_MAX_DIGITS = 9
"""More digits than this are out of every range (and are never converted: see `_number`)."""


def _number(digits: str) -> int:
    """The value of an ASCII digit string; -1 when it has more than `_MAX_DIGITS` digits (out of range
    everywhere; converting thousands of digits is slow and CPython refuses more than 4,300)."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= _MAX_DIGITS else -1


def _enum_problem(values: tuple[str, ...]) -> TypeProblem | None:
    if not values:
        return TypeProblem("no_values", "ENUM() has no values")
    seen: set[str] = set()
    for value in values:
        if len(value.encode("utf-8", errors="surrogatepass")) > MAX_ENUM_LABEL_BYTES:
            return TypeProblem(
                "range",
                f"enum value {value[:20]!r}… is longer than {MAX_ENUM_LABEL_BYTES} bytes",
                f"PostgreSQL enum values are at most {MAX_ENUM_LABEL_BYTES} bytes long (UTF-8)",
            )
        if value in seen:
            return TypeProblem("range", f"enum value {value!r} appears twice", "list each value once")
        seen.add(value)
    return None


def _enum_values(inner: str) -> list[str]:
    values: list[str] = []
    for m in _ENUM_VALUE_RE.finditer(inner):
        if m.group(1) is not None:
            values.append(m.group(1).replace("''", "'"))
        elif m.group(2) is not None:
            values.append(m.group(2))
        else:
            values.append(m.group(3))
    return values


def unknown_type(text: str) -> SqlType:
    return SqlType(base=text.strip(), known=False)


@lru_cache(maxsize=4096)
def sql_type(canonical: str) -> SqlType:
    """Structured form of a type string as stored in the IR."""
    read = read_type(canonical)
    if read is None or read.rest or read.problem is not None:
        return unknown_type(canonical)
    return read.type


def canonical(text: str) -> str | None:
    """Canonical spelling of `text` when it is exactly a known type, else None."""
    read = read_type(text)
    if read is None or read.rest or read.problem is not None:
        return None
    return read.type.render()
