"""Resolution: names PostgreSQL can hold as written, and no two objects under one name.

PostgreSQL keeps 63 bytes of a name (NAMEDATALEN - 1) and cuts longer ones without an error, allows at
most 1,600 columns in a table and 32 in an index, reserves the names of its system columns, and keeps
tables, indexes and types in namespaces shared by the whole schema. A spec that breaks one of these
builds and then fails at upgrade, or worse, upgrades into a database that is not the spec. Names specc
derives itself are fitted into 63 bytes (`specc.db.identifiers.fit_identifier`); names the document gives
are never changed, so the ones that do not fit are errors here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.db.conventions import referenced_column
from specc.db.identifiers import MAX_IDENTIFIER_BYTES, identifier_bytes
from specc.db.names import RELATION, TYPE, NamedObject, table_objects
from specc.diagnostics import Severity
from specc.ir.model import ForeignKey, Spec, Table
from specc.ir.types import sql_type

MAX_COLUMNS = 1600
"""PostgreSQL's MaxHeapAttributeNumber."""
MAX_INDEX_COLUMNS = 32
"""PostgreSQL's INDEX_MAX_KEYS: columns in one index, unique constraint or primary key."""
SYSTEM_COLUMNS = frozenset({"tableoid", "xmin", "cmin", "xmax", "cmax", "ctid"})
"""Names every PostgreSQL table already has (`oid` stopped being one in PostgreSQL 12)."""


def _tables(spec: Spec) -> Iterator[Table]:
    """Each table once (R001 reports duplicates), as the writers see them."""
    seen: set[str] = set()
    for table in spec.tables:
        if table.name not in seen:
            seen.add(table.name)
            yield table


def _too_long(what: str, name: str) -> str:
    return (
        f"{what} {name!r} is {identifier_bytes(name)} bytes long; PostgreSQL keeps only 63 and cuts the rest"
    )


@check_rule(
    "R014",
    Severity.ERROR,
    "Name longer than PostgreSQL's 63 bytes",
    "PostgreSQL keeps the first 63 bytes of a name (UTF-8: a Cyrillic or Greek letter takes 2 bytes, most "
    "CJK characters 3) and silently cuts the rest. The database table, column, index or enum value would "
    "then not be called what the spec and the generated models call it, and two long names sharing their "
    "first 63 bytes would become one. specc shortens the names it derives itself (constraints, indexes, "
    "enum types) with a hash; a name the document gives must fit. Shorten the name.",
    "### orders\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"
    "| external_reference_number_assigned_by_the_upstream_fulfilment_partner | TEXT | |",
)
def names_too_long(spec: Spec) -> Iterator[Finding]:
    for table in _tables(spec):
        if identifier_bytes(table.name) > MAX_IDENTIFIER_BYTES:
            yield Finding(_too_long("table name", table.name), (table.span,), hint="shorten the table name")
        for column in table.columns:
            if identifier_bytes(column.name) > MAX_IDENTIFIER_BYTES:
                yield Finding(
                    _too_long(f"column name in table {table.name!r}:", column.name),
                    (column.span, table.span),
                    hint="shorten the column name",
                )
            labels = sql_type(column.type).enum_values
            for label in labels:
                if identifier_bytes(label) > MAX_IDENTIFIER_BYTES:
                    yield Finding(
                        _too_long(f"enum value of {table.name}.{column.name}:", label),
                        (column.type_span, column.span),
                        hint="shorten the enum value",
                    )
        for index in table.indexes:
            if index.name is not None and identifier_bytes(index.name) > MAX_IDENTIFIER_BYTES:
                yield Finding(
                    _too_long("index name", index.name),
                    (index.span, table.span),
                    hint="shorten the index name",
                )
        for check in table.checks:
            if check.name is not None and identifier_bytes(check.name) > MAX_IDENTIFIER_BYTES:
                yield Finding(
                    _too_long("check constraint name", check.name),
                    (check.span, table.span),
                    hint="shorten the constraint name",
                )


def _targets(spec: Spec) -> dict[str, Table]:
    return {t.name: t for t in reversed(spec.tables)}


def named_objects(spec: Spec) -> list[NamedObject]:
    """Every named object the migrations of `spec` create, tables with columns only (as the writers)."""
    tables = _targets(spec)

    def target(fk: ForeignKey) -> tuple[str, str] | None:
        ref = tables.get(fk.table)
        if ref is None:
            return None
        column = referenced_column(spec, fk)
        return (fk.table, column) if ref.column(column) is not None else None

    objects: list[NamedObject] = []
    for table in _tables(spec):
        if table.columns:
            objects.extend(table_objects(table, target))
    return objects


_NAMESPACE_WORDS = {
    RELATION: "tables, indexes and unique constraints share one namespace per schema",
    TYPE: "enum types and the row types of tables share one namespace per schema",
}


@check_rule(
    "R015",
    Severity.ERROR,
    "Two database objects get the same name",
    "Two different objects of the spec would have the same name where PostgreSQL needs names to be unique: "
    "tables, indexes, primary keys and unique constraints share one namespace per schema; enum types share "
    "one with the row type of every table; the constraints of one table (primary key, unique, check, "
    "foreign key) need distinct names. The migration would fail, or one object would silently replace the "
    "other. It happens with explicit index names used twice, a table named like an index or enum type, an "
    "explicit CHECK name equal to a column's, and names that join words with `_` ambiguously (column `a_b` "
    "and columns `a`, `b`). Rename one of them.",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"
    "| role | ENUM('a','b') | NOT NULL |\n\n### users_role\n\n| Column | Type | Constraints |\n"
    "| --- | --- | --- |\n| id | BIGINT | PK |",
)
def name_collisions(spec: Spec) -> Iterator[Finding]:
    first: dict[tuple[str, str], NamedObject] = {}
    reported: set[tuple[str, tuple[object, ...], tuple[object, ...]]] = set()
    for obj in named_objects(spec):
        key = (obj.namespace, obj.name)
        earlier = first.get(key)
        if earlier is None:
            first[key] = obj
            continue
        pair = (obj.name, earlier.definition, obj.definition)
        if earlier.definition == obj.definition or pair in reported:
            continue  # the same object twice, or a pair already reported in another namespace
        reported.add(pair)
        where = _NAMESPACE_WORDS.get(obj.namespace, "the constraints of one table need distinct names")
        line = f" (line {earlier.span.line})" if earlier.span is not None else ""
        yield Finding(
            f"{obj.what} and {earlier.what}{line} are both named {obj.name!r}; {where}",
            (obj.span, earlier.span),
            hint="rename one of them (or give the index an explicit, different name)",
        )


@check_rule(
    "R016",
    Severity.ERROR,
    "Too many columns for PostgreSQL",
    "PostgreSQL allows at most 1,600 columns in a table and 32 columns in one index, unique constraint or "
    "primary key. A spec over either limit builds, and its migration fails at upgrade. Split the table "
    "(for example into a one-to-one side table) or index fewer columns.",
    "### wide\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| c1 | TEXT | |\n| … | | |\n"
    "| c1601 | TEXT | |",
)
def too_many_columns(spec: Spec) -> Iterator[Finding]:
    for table in _tables(spec):
        count = len({c.name for c in table.columns})
        if count > MAX_COLUMNS:
            yield Finding(
                f"table {table.name!r} has {count:,} columns; PostgreSQL allows at most {MAX_COLUMNS:,}",
                (table.span,),
                hint="split the table into tables of at most 1,600 columns",
            )
        if len(table.primary_key) > MAX_INDEX_COLUMNS:
            yield Finding(
                f"the primary key of {table.name!r} has {len(table.primary_key)} columns; PostgreSQL allows "
                f"at most {MAX_INDEX_COLUMNS}",
                (table.span,),
                hint="use a surrogate key",
            )
        for index in table.indexes:
            if len(index.columns) > MAX_INDEX_COLUMNS:
                yield Finding(
                    f"an index on {table.name!r} has {len(index.columns)} columns; PostgreSQL allows at most "
                    f"{MAX_INDEX_COLUMNS}",
                    (index.span, table.span),
                    hint="index fewer columns",
                )


RESERVED_TABLES = frozenset({"alembic_version"})
"""Tables the generated migrations create themselves (Alembic's version table)."""


@check_rule(
    "R017",
    Severity.ERROR,
    "Name PostgreSQL or the migrations already use",
    "Every PostgreSQL table already has the system columns `tableoid`, `xmin`, `cmin`, `xmax`, `cmax` and "
    "`ctid`, so a column with one of these names cannot be created; and the generated migrations keep their "
    "state in the table `alembic_version`, so a table of that name would clash with it (and `specc migrate "
    "verify` would not compare it). Either way the migration fails at upgrade. Rename the column or table.",
    "### jobs\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"
    "| xmin | INTEGER | NOT NULL |",
)
def reserved_names(spec: Spec) -> Iterator[Finding]:
    for table in _tables(spec):
        if table.name in RESERVED_TABLES:
            yield Finding(
                f"table name {table.name!r} is the table the generated migrations keep their state in",
                (table.span,),
                hint="rename the table",
            )
        for column in table.columns:
            if column.name in SYSTEM_COLUMNS:
                yield Finding(
                    f"column {column.name!r} of table {table.name!r} has the name of a PostgreSQL system "
                    "column",
                    (column.span, table.span),
                    hint=f"rename it (for example `{column.name}_value`)",
                )


_PLAIN_SQL_NAME = re.compile(r"[^\W\d][\w$]*")
"""What SQL reads without quotes: a letter or `_`, then letters, digits, `_`, `$` (case aside)."""
_READ_NAME = re.compile(r"[\w$.\[\]-]+")
"""Names the reader accepts without an error (`specc.parse.names`); others are already reported there."""


def _needs_quotes(name: str) -> bool:
    return not _PLAIN_SQL_NAME.fullmatch(name) and _READ_NAME.fullmatch(name) is not None


@check_rule(
    "R018",
    Severity.WARNING,
    "Name needs quoting in SQL",
    "The table or column name contains characters an unquoted SQL name cannot have (`-`, `[`, `.`, a "
    "leading digit). specc reads it as written and quotes it everywhere it generates SQL, and the Python "
    "names of the generated models and schemas are derived from it (`user-accounts` → class "
    "`UserAccount`, module `user_accounts`), with the real name passed explicitly. Every hand-written "
    'query, CHECK or DEFAULT that names it must quote it too (`"user-accounts"`). Prefer letters, '
    "digits and `_`.",
    "### user-accounts\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |",
)
def names_needing_quotes(spec: Spec) -> Iterator[Finding]:
    for table in _tables(spec):
        if _needs_quotes(table.name):
            yield Finding(
                f'table name {table.name!r} must be quoted in SQL ("{table.name}")',
                (table.span,),
                hint=f"prefer `{_suggest(table.name)}`",
            )
        for column in table.columns:
            if _needs_quotes(column.name):
                yield Finding(
                    f"column name {column.name!r} of table {table.name!r} must be quoted in SQL "
                    f'("{column.name}")',
                    (column.span, table.span),
                    hint=f"prefer `{_suggest(column.name)}`",
                )


def _suggest(name: str) -> str:
    words = [w for w in re.split(r"[^\w$]+", name) if w]
    result = "_".join(words) or "name"
    return result if not result[0].isdigit() else f"t_{result}"
