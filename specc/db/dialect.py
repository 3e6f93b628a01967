"""The database's facts, as declarative maps in one object: what a second SQL dialect must provide.

Everything specc knows about PostgreSQL that is not the IR's own vocabulary lives here: how long a name may
be, the largest type parameters, which SQLAlchemy type each canonical type becomes, which type changes
keep every value, which casts the server makes directly, which index methods exist and under which
SQLAlchemy keyword, and how the server names a constraint nobody named. Modules read these maps instead of
spelling the facts themselves, in the manner of sqlglot's per-dialect `TYPE_MAPPING`.

`POSTGRESQL` is the one implementation. A second dialect is another `Dialect(...)`: every field is
required (no defaults), and `missing_types` lists the canonical types it has no SQLAlchemy type for
(`tests/db/test_dialect.py` shows a sketch of one). This module imports nothing from specc, so the IR's
type reader can use its limits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

ConstraintKind = Literal["primary_key", "unique", "foreign_key", "check", "index"]
"""A field of `ConstraintNames`."""
TypeParameters = Literal["none", "length", "precision_scale"]
"""How a type's parameters become SQLAlchemy arguments: none; `(length)` when given; `(precision[, scale])`
when given."""


@dataclass(frozen=True)
class SaType:
    """The SQLAlchemy type a canonical base becomes: `cls` (`sa.String`, `postgresql.JSONB`), fixed keyword
    arguments (`timezone=True`), and how the base's own parameters are passed."""

    cls: str
    fixed: str = ""
    parameters: TypeParameters = "none"


@dataclass(frozen=True)
class ConstraintNames:
    """The names the server gives constraints created without one (`{table}`, `{columns}` joined by `_`,
    `{column}` the first column)."""

    primary_key: str
    unique: str
    foreign_key: str
    check: str
    index: str


@dataclass(frozen=True)
class Dialect:
    name: str
    """SQLAlchemy's name for the dialect (`postgresql`): the prefix of its dialect options."""
    max_identifier_bytes: int
    """The server keeps this many bytes of a name (UTF-8) and silently cuts the rest."""
    max_string_length: int
    """Largest VARCHAR(n) / CHAR(n)."""
    max_numeric_precision: int
    max_vector_dimensions: int
    max_enum_label_bytes: int
    type_mapping: Mapping[str, SaType]
    """Canonical base (`specc.ir.types`) → SQLAlchemy type for models and migrations. A base without a row
    is written as the raw-type class (`PgType`), rendered verbatim in DDL."""
    array_type: str
    """The SQLAlchemy array type wrapping an element type (`postgresql.ARRAY`)."""
    integer_rank: Mapping[str, int]
    """Integer types from narrowest to widest: a change up the ranking keeps every value."""
    integer_digits: Mapping[str, int]
    """Decimal digits every value of an integer type fits in (for integer → NUMERIC(p, s))."""
    float_rank: Mapping[str, int]
    text_types: frozenset[str]
    """Character types: they cast directly to and from every type, and widen by length."""
    lossless_conversions: frozenset[tuple[str, str]]
    """Other (old, new) base pairs where every value converts without loss."""
    cast_families: tuple[frozenset[str], ...]
    """Bases the server casts between directly (`USING col::new`); any other pair goes through text."""
    index_methods: frozenset[str]
    default_index_method: str
    index_method_option: str
    """The SQLAlchemy/Alembic keyword that chooses an index's method (`postgresql_using`)."""
    serial_default_prefix: str
    """How a sequence-backed column's reflected default starts (`nextval(`): it is autoincrement."""
    default_names: ConstraintNames

    def fits(self, name: str) -> bool:
        """True when the server keeps `name` whole."""
        limit = self.max_identifier_bytes
        return len(name) <= limit // 4 or len(name.encode("utf-8", "surrogatepass")) <= limit

    def missing_types(self, bases: frozenset[str]) -> frozenset[str]:
        """The canonical bases among `bases` this dialect has no SQLAlchemy type for."""
        return frozenset(b for b in bases if b not in self.type_mapping)

    def default_name(self, kind: ConstraintKind, table: str, columns: tuple[str, ...]) -> str:
        """The name the server gives an unnamed constraint of `kind` (a field of `ConstraintNames`)."""
        template: str = getattr(self.default_names, kind)
        return template.format(table=table, columns="_".join(columns), column=columns[0] if columns else "")


POSTGRESQL = Dialect(
    name="postgresql",
    max_identifier_bytes=63,  # NAMEDATALEN - 1
    max_string_length=10_485_760,
    max_numeric_precision=1000,
    max_vector_dimensions=16_000,  # pgvector
    max_enum_label_bytes=63,
    type_mapping={
        "BIGINT": SaType("sa.BigInteger"),
        "INTEGER": SaType("sa.Integer"),
        "SMALLINT": SaType("sa.SmallInteger"),
        "VARCHAR": SaType("sa.String", parameters="length"),
        "CHAR": SaType("sa.CHAR", parameters="length"),
        "TEXT": SaType("sa.Text"),
        "BOOLEAN": SaType("sa.Boolean"),
        "TIMESTAMPTZ": SaType("sa.DateTime", fixed="timezone=True"),
        "TIMESTAMP": SaType("sa.DateTime"),
        "DATE": SaType("sa.Date"),
        "TIME": SaType("sa.Time"),
        "TIMETZ": SaType("sa.Time", fixed="timezone=True"),
        "INTERVAL": SaType("postgresql.INTERVAL"),
        "NUMERIC": SaType("sa.Numeric", parameters="precision_scale"),
        "REAL": SaType("sa.REAL"),
        "DOUBLE PRECISION": SaType("sa.Double"),
        "UUID": SaType("sa.UUID"),
        "JSON": SaType("postgresql.JSON"),
        "JSONB": SaType("postgresql.JSONB"),
        "BYTEA": SaType("sa.LargeBinary"),
        "INET": SaType("postgresql.INET"),
        "CIDR": SaType("postgresql.CIDR"),
        "MACADDR": SaType("postgresql.MACADDR"),
        "MONEY": SaType("postgresql.MONEY"),
        "TSVECTOR": SaType("postgresql.TSVECTOR"),
        "ENUM": SaType("sa.Enum"),
        # VECTOR (pgvector) has no SQLAlchemy class: the raw-type class renders `vector(n)` verbatim.
    },
    array_type="postgresql.ARRAY",
    integer_rank={"SMALLINT": 1, "INTEGER": 2, "BIGINT": 3},
    integer_digits={"SMALLINT": 5, "INTEGER": 10, "BIGINT": 19},
    float_rank={"REAL": 1, "DOUBLE PRECISION": 2},
    text_types=frozenset({"VARCHAR", "TEXT", "CHAR"}),
    lossless_conversions=frozenset(
        {
            ("TIMESTAMP", "TIMESTAMPTZ"),
            ("TIME", "TIMETZ"),
            ("JSON", "JSONB"),
            ("DATE", "TIMESTAMP"),
            ("DATE", "TIMESTAMPTZ"),
            ("UUID", "TEXT"),
            ("INET", "TEXT"),
            ("CIDR", "INET"),
        }
    ),
    # With the conversion one expects: NUMERIC → INTEGER rounds, TIMESTAMPTZ → DATE truncates.
    cast_families=(
        frozenset({"SMALLINT", "INTEGER", "BIGINT", "NUMERIC", "REAL", "DOUBLE PRECISION"}),
        frozenset({"DATE", "TIMESTAMP", "TIMESTAMPTZ"}),
        frozenset({"TIME", "TIMETZ"}),
        frozenset({"JSON", "JSONB"}),
        frozenset({"INET", "CIDR"}),
        frozenset({"BOOLEAN", "INTEGER"}),
    ),
    index_methods=frozenset({"btree", "hash", "gin", "gist", "brin", "spgist"}),
    default_index_method="btree",
    index_method_option="postgresql_using",
    serial_default_prefix="nextval(",
    default_names=ConstraintNames(
        primary_key="{table}_pkey",
        unique="{table}_{columns}_key",
        foreign_key="{table}_{columns}_fkey",
        check="{table}_{column}_check",
        index="{table}_{columns}_idx",
    ),
)
