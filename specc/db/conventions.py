"""Schema conventions shared by the models writer and the MetaData/database reader.

Both directions must agree on these rules, or IR → models → database → IR is not the identity:

- Constraint and index names follow `NAMING_CONVENTION` (in generated `models/base.py`). A name equal to
  the conventional one is "no name" in the IR.
- PostgreSQL keeps at most 63 bytes of an identifier (UTF-8, NAMEDATALEN - 1) and silently cuts longer
  ones, so two long names could become one. Every name specc derives (constraints, indexes, enum types,
  sequences) goes through `fit_identifier`: kept when it fits, else its longest prefix of at most 54 bytes
  (whole characters) + `_` + the first 8 hex digits of the SHA-1 of the whole name. The models writer
  spells out a derived name that does not fit (SQLAlchemy's own shortening counts characters and uses
  another hash), so models, migrations, the lock and the readers all use the same name. Names the document
  gives (tables, columns, index names) are never shortened: longer ones are errors (R014).
- Every CHECK constraint gets a name (the `ck` convention needs one): a column check is named after its
  column (`ck_<table>_<column>`); an unnamed table check after a hash of its normalised expression.
- The autoincrement column of a table is the first primary-key column marked autoincrement whose type is a
  plain integer and which has no default (PostgreSQL: a serial column); every other integer primary-key
  column is emitted with `autoincrement=False` so SQLAlchemy does not make it serial on its own.
- Server defaults, CHECK expressions and types are compared in a normalised spelling (`normalize_default`,
  `normalize_check`, `normalize_type`) that both the IR side and the database side are mapped to.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from specc.db.identifiers import fit_identifier
from specc.ir.model import ForeignKey, Index, ReferentialAction, Spec, Table
from specc.ir.types import sql_type

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

INTEGER_BASES = frozenset({"SMALLINT", "INTEGER", "BIGINT"})


def pk_name(table: str) -> str:
    return fit_identifier(f"pk_{table}")


def index_name(table: str, columns: tuple[str, ...]) -> str:
    return fit_identifier(f"ix_{table}_{'_'.join(columns)}")


def unique_name(table: str, columns: tuple[str, ...]) -> str:
    return fit_identifier(f"uq_{table}_{'_'.join(columns)}")


def fk_name(table: str, columns: tuple[str, ...], ref_table: str) -> str:
    return fit_identifier(f"fk_{table}_{'_'.join(columns)}_{ref_table}")


def conventional_names(table: str, columns: tuple[str, ...], unique: bool) -> frozenset[str]:
    """Names that mean "no name given" for an index on `columns`: ours (`ix_`/`uq_`) and PostgreSQL's own
    defaults (`<table>_<columns>_idx`, `<table>_<columns>_key`)."""
    joined = "_".join(columns)
    names = {index_name(table, columns), f"{table}_{joined}_idx"}
    if unique:
        names |= {unique_name(table, columns), f"{table}_{joined}_key"}
    return frozenset(names)


def is_conventional(name: str | None, table: str, columns: tuple[str, ...], unique: bool) -> bool:
    return name is None or name in conventional_names(table, columns, unique)


def check_constraint_name(table: str, name: str) -> str:
    """Database name of the CHECK constraint called `name` in the IR."""
    return fit_identifier(f"ck_{table}_{name}")


def check_label(table: str, database_name: str) -> str:
    """The IR-level name a reader gives the CHECK constraint `database_name` of `table`: without the
    `ck_<table>_` prefix when it has it (a shortened name may not; it is then kept whole). For every IR name
    `n`, `check_label(t, check_constraint_name(t, n))` is `n` unless the database name had to be shortened."""
    prefix = f"ck_{table}_"
    return database_name[len(prefix) :] if database_name.startswith(prefix) else database_name


def table_check_name(expression: str, name: str | None) -> str:
    """IR-level name of a table CHECK: its own, else `c` + a hash of the normalised expression."""
    if name:
        return name
    return "c" + hashlib.sha1(normalize_check(expression).encode()).hexdigest()[:8]


def is_integer(type_text: str) -> bool:
    t = sql_type(type_text)
    return t.known and t.base in INTEGER_BASES and t.array_dims == 0


def autoincrement_column(table: Table) -> str | None:
    """The column PostgreSQL makes serial, or None."""
    for col in table.columns:
        if col.primary_key and col.autoincrement and col.default is None and is_integer(col.type):
            return col.name
    return None


def referenced_column(spec: Spec, fk: ForeignKey) -> str:
    """The referenced column: explicit, else the referenced table's single primary-key column, else `id`."""
    if fk.column is not None:
        return fk.column
    target = spec.table(fk.table)
    if target is not None and len(target.primary_key) == 1:
        return target.primary_key[0]
    return "id"


def named_unique_columns(table: Table) -> frozenset[str]:
    """Columns that a named single-column unique btree index covers: their `unique` flag is redundant (the
    database keeps one constraint), so writer and readers drop it."""
    return frozenset(
        i.columns[0]
        for i in table.indexes
        if len(i.columns) == 1
        and i.unique
        and i.method == "btree"
        and not is_conventional(i.name, table.name, i.columns, unique=True)
    )


def foreign_key_resolves(spec: Spec, fk: ForeignKey) -> bool:
    """True when the referenced table and column are in the spec. Models and `lower` leave out
    foreign keys that do not resolve (the linter reports them): no database built from the spec has them."""
    target = spec.table(fk.table)
    return target is not None and target.column(referenced_column(spec, fk)) is not None


def normalize_action(action: str | None) -> ReferentialAction | None:
    """`NO ACTION` is the default: the same as no action given."""
    if action is None:
        return None
    upper = " ".join(action.upper().split())
    for known in ("CASCADE", "SET NULL", "RESTRICT", "SET DEFAULT"):
        if upper == known:
            return known
    return None


def normalize_type(type_text: str) -> str:
    """Canonical type as PostgreSQL holds it: one array dimension, NUMERIC(p) = NUMERIC(p,0), CHAR(1);
    unknown types in lower case (as `format_type` prints them)."""
    t = sql_type(type_text)
    if not t.known:
        return " ".join(type_text.lower().split())
    if t.array_dims > 1:
        t = replace(t, array_dims=1)
    if t.base == "NUMERIC" and t.precision is not None and t.scale is None:
        t = replace(t, scale=0)
    if t.base == "CHAR" and t.length is None:
        t = replace(t, length=1)
    return t.render()


_CAST_LITERAL = re.compile(
    r"^\(?('(?:[^']|'')*')\)?::(?:\"[^\"]+\"|[A-Za-z_][\w .]*)(?:\([\d, ]*\))?(?:\[\])*$"
)
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_CALL = re.compile(r"^([A-Za-z_][\w.]*)\(\)$")
_KEYWORDS = {
    "true": "true",
    "false": "false",
    "null": "NULL",
    "current_timestamp": "CURRENT_TIMESTAMP",
    "current_date": "CURRENT_DATE",
    "current_time": "CURRENT_TIME",
    "localtimestamp": "LOCALTIMESTAMP",
    "localtime": "LOCALTIME",
}


def normalize_default(text: str | None) -> str | None:
    """Server default in the spelling PostgreSQL reports it, without casts on literals."""
    if text is None:
        return None
    value = text.strip()
    value = _strip_outer_parens(value)
    cast = _CAST_LITERAL.match(value)
    if cast is not None:
        value = cast.group(1)
        inner = value[1:-1]
        if _NUMBER.match(inner):
            value = inner
    if value.lower() in _KEYWORDS:
        return _KEYWORDS[value.lower()]
    call = _CALL.match(value)
    if call is not None:
        return call.group(1).lower() + "()"
    return value


def _strip_outer_parens(value: str) -> str:
    """`value` without the parentheses that enclose all of it (`((now()))` → `now()`), stripped of blanks.

    A pair is peeled while the text between the first `(` and the last `)` is balanced (parentheses inside
    single quotes do not count). One pass, linear in the length (a default or a check can be a long
    literal): for each `)`, the innermost `(` still open just before it; the first `(` and the last `)`
    enclose a balanced text exactly when that `(` is the first one."""
    open_before: dict[int, int] = {}
    opened: list[int] = []
    quoted = False
    for i, ch in enumerate(value):
        if ch == "'":
            quoted = not quoted
        elif ch == ")":
            if opened:
                open_before[i] = opened[-1]
                if not quoted:
                    opened.pop()
        elif not quoted and ch == "(":
            opened.append(i)
    start, end = 0, len(value)
    while True:
        while start < end and value[start].isspace():
            start += 1
        while end > start and value[end - 1].isspace():
            end -= 1
        if end - start < 2 or value[start] != "(" or open_before.get(end - 1) != start:
            return value[start:end]
        start += 1
        end -= 1


_CHECK_CASTS = (
    (re.compile(r"'(-?\d+(?:\.\d+)?)'::(?:numeric|integer|bigint|smallint|double precision|real)\b"), r"\1"),
    (re.compile(r"\((\"[^\"]+\"|[A-Za-z_]\w*)\)::(?:text|character varying|bpchar)\b"), r"\1"),
    (
        re.compile(r"\((-?\d+(?:\.\d+)?)\)::(?:numeric|integer|bigint|smallint|double precision|real)\b"),
        r"\1",
    ),
    (
        re.compile(
            r"(?<![\w.'])(\d+(?:\.\d+)?)::(?:numeric|integer|bigint|smallint|double precision|real)\b"
        ),
        r"\1",
    ),
    # Every string literal, left to right, with its text cast if it has one. Matching each literal whether or
    # not a cast follows keeps this linear: `'(...)'::text` alone was retried from every quote of a literal
    # without a cast, which is quadratic in a long run of doubled quotes.
    (re.compile(r"('(?:[^']|'')*+')(?:::(?:text|character varying|bpchar)(?:\[\])?)?"), r"\1"),
    (re.compile(r"(\"[^\"]+\"|\b[A-Za-z_]\w*)::(?:text|character varying|bpchar)\b"), r"\1"),
)


_LITERAL_OR_QUOTED = re.compile(r"'(?:[^']|'')*'|\"((?:[^\"]|\"\")*)\"")
_PLAIN_NON_ASCII = re.compile(r"[^\W\dA-Z][\w$]*")


def _unquote_non_ascii(match: re.Match[str]) -> str:
    """`"сумма"` → `сумма`: PostgreSQL quotes every identifier with a non-ASCII letter when it prints an
    expression; the same name unquoted means the same column (unquoted names fold only ASCII letters)."""
    name = match.group(1)
    if name is not None and not name.isascii() and _PLAIN_NON_ASCII.fullmatch(name):
        return name
    return match.group()


def normalize_check(text: str | None) -> str:
    """CHECK expression without outer parentheses, with single spaces, and without the casts PostgreSQL adds
    when it stores the expression (`name::text`, `(0)::numeric`, `'a'::character varying`) or the quotes
    it puts around names with non-ASCII letters (`"сумма"`)."""
    value = " ".join((text or "").split())
    if '"' in value and not value.isascii():
        value = _LITERAL_OR_QUOTED.sub(_unquote_non_ascii, value)
    for pattern, replacement in _CHECK_CASTS:
        value = pattern.sub(replacement, value)
    return _strip_outer_parens(value)


@dataclass(frozen=True)
class TableIndex:
    """An index row of a table that makes a database object, with the name it gets there."""

    index: Index
    constraint: bool
    """A unique btree index is a UNIQUE constraint (`uq_`); any other is an index (`ix_`)."""
    database_name: str
    """The row's own name, else the conventional one fitted into the identifier length."""
    conventional_fits: bool
    """Whether the conventional name (unfitted) fits, so a model may leave the name to its convention."""


def table_indexes(table: Table) -> Iterator[TableIndex]:
    """The index rows of `table` that make a database object, in spec order, each once: not a row naming a
    column the table lacks (the checker reports it), not an unnamed btree row on one column whose own
    `unique` / `indexed` flag already makes it. The models writer and `specc.db.lower` both follow this."""
    known = {c.name for c in table.columns}
    flagged = {(c.name, True) for c in table.columns if c.unique} | {
        (c.name, False) for c in table.columns if c.indexed
    }
    seen: set[tuple[tuple[str, ...], bool, str, str | None]] = set()
    for index in table.indexes:
        if not index.columns or any(c not in known for c in index.columns):
            continue
        key = (index.columns, index.unique, index.method, index.name)
        single_flag = len(index.columns) == 1 and (index.columns[0], index.unique) in flagged
        if key in seen or (single_flag and index.method == "btree" and index.name is None):
            continue
        seen.add(key)
        constraint = index.unique and index.method == "btree"
        prefix = "uq" if constraint else "ix"
        conventional = f"{prefix}_{table.name}_{'_'.join(index.columns)}"
        yield TableIndex(
            index=index,
            constraint=constraint,
            database_name=index.name or fit_identifier(conventional),
            conventional_fits=fit_identifier(conventional) == conventional,
        )
