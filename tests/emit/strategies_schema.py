"""A small, self-contained hypothesis strategy for schema IRs (tables, columns, keys, indexes, checks).

Every generated spec is valid for PostgreSQL: foreign keys point at earlier tables' single-column primary
keys with the same type, defaults and checks fit their column types, GIN indexes sit on JSONB/array columns.
Names include awkward ones (Python keywords, names the generated modules import, SQL keywords).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Relationship, Spec, Table


@dataclass(frozen=True)
class TypeCase:
    type: str
    defaults: tuple[str, ...] = ()
    check: str | None = None
    """Check template with `{c}` for the quoted column name."""
    gin: bool = False
    pk: bool = False


TYPES: tuple[TypeCase, ...] = (
    TypeCase("BIGINT", ("0", "42"), "{c} >= 0", pk=True),
    TypeCase("INTEGER", ("0", "-1"), "{c} > -10", pk=True),
    TypeCase("SMALLINT", ("1",), pk=True),
    TypeCase("VARCHAR(40)", ("'x'", "''"), "char_length({c}) < 41", pk=True),
    TypeCase("TEXT", ("'hello'",)),
    TypeCase("CHAR(2)", ("'ab'",)),
    TypeCase("BOOLEAN", ("true", "false")),
    TypeCase("TIMESTAMPTZ", ("now()", "CURRENT_TIMESTAMP")),
    TypeCase("TIMESTAMP", ("now()",)),
    TypeCase("DATE", ("CURRENT_DATE",)),
    TypeCase(
        "TIME",
    ),
    TypeCase(
        "TIMETZ",
    ),
    TypeCase(
        "INTERVAL",
    ),
    TypeCase("NUMERIC(10,2)", ("0",), "{c} >= 0"),
    TypeCase(
        "NUMERIC",
    ),
    TypeCase(
        "REAL",
    ),
    TypeCase("DOUBLE PRECISION", ("1.5",)),
    TypeCase("UUID", ("gen_random_uuid()",), pk=True),
    TypeCase(
        "JSON",
    ),
    TypeCase("JSONB", ("'{}'",), gin=True),
    TypeCase(
        "BYTEA",
    ),
    TypeCase(
        "INET",
    ),
    TypeCase(
        "CIDR",
    ),
    TypeCase(
        "MACADDR",
    ),
    TypeCase(
        "MONEY",
    ),
    TypeCase("TSVECTOR", gin=True),
    TypeCase("TEXT[]", ("'{}'",), gin=True),
    TypeCase("INTEGER[]", ("'{}'",), gin=True),
    TypeCase("ENUM('a','b','c d')", ("'a'",)),
)

NAMES = (
    "users",
    "rooms",
    "items",
    "order",
    "base",
    "people",
    "statuses",
    "user_profiles",
    "t1",
    "audit log",
)
COLUMN_NAMES = (
    "name",
    "title",
    "amount",
    "created_at",
    "data",
    "from",
    "class",
    "type",
    "date",
    "text",
    "sa",
    "metadata",
    "datetime",
    "Mapped",
    "user",
    "select",
    "value",
    "count",
    "payload",
    "flag",
)


PG_RESERVED = frozenset({"from", "select", "user", "order", "table", "check", "default"})


def _sql_name(name: str) -> str:
    """The column name as PostgreSQL prints it in a stored expression (quoted only when it must be)."""
    plain = name.isidentifier() and name == name.lower() and name not in PG_RESERVED
    return name if plain else '"' + name + '"'


@st.composite
def columns(draw: st.DrawFn, taken: set[str]) -> Column:
    case = draw(st.sampled_from(TYPES))
    name = draw(st.sampled_from([n for n in COLUMN_NAMES if n not in taken]))
    taken.add(name)
    default = draw(st.sampled_from((None, *case.defaults))) if case.defaults else None
    check = None
    if case.check is not None and draw(st.booleans()):
        check = case.check.format(c=_sql_name(name))
    return Column(
        name=name,
        type=case.type,
        nullable=draw(st.booleans()),
        unique=draw(st.booleans()) and not case.gin and case.type not in ("JSON", "MONEY", "TSVECTOR"),
        indexed=draw(st.booleans()) and not case.gin and case.type not in ("JSON",),
        default=default,
        check=check,
    )


@st.composite
def tables(draw: st.DrawFn, name: str, earlier: list[Table]) -> Table:
    pk_case = draw(st.sampled_from([c for c in TYPES if c.pk]))
    composite = draw(st.booleans()) and len(earlier) >= 1
    taken: set[str] = set()
    cols: list[Column] = []
    pk_auto = pk_case.type in ("BIGINT", "INTEGER", "SMALLINT") and draw(st.booleans())
    cols.append(
        Column(
            name="id",
            type=pk_case.type,
            nullable=False,
            primary_key=True,
            autoincrement=pk_auto,
            default=None if pk_auto else (pk_case.defaults[-1] if pk_case.type == "UUID" else None),
        )
    )
    taken.add("id")
    for target in earlier:
        if len(target.primary_key) != 1 or not draw(st.booleans()):
            continue
        target_pk = target.columns[0]
        fk_name = f"{target.name.replace(' ', '_')}_id"
        if fk_name in taken:
            continue
        taken.add(fk_name)
        cols.append(
            Column(
                name=fk_name,
                type=target_pk.type,
                nullable=not composite,
                primary_key=composite,
                foreign_key=ForeignKey(
                    table=target.name,
                    column=draw(st.sampled_from((None, "id"))),
                    on_delete=draw(st.sampled_from((None, "CASCADE", "SET NULL", "RESTRICT", "NO ACTION"))),
                ),
            )
        )
    n_more = draw(st.integers(min_value=0, max_value=4))
    for _ in range(n_more):
        cols.append(draw(columns(taken)))
    plain = [c for c in cols if not c.primary_key]
    indexes: list[Index] = []
    want_index: bool = draw(st.booleans())
    if plain and want_index:
        picked = draw(st.lists(st.sampled_from(plain), min_size=1, max_size=3, unique_by=lambda c: c.name))
        gin_ok = len(picked) == 1 and any(t.gin and t.type == picked[0].type for t in TYPES)
        method = "gin" if gin_ok else "btree"
        unique = (
            method == "btree"
            and draw(st.booleans())
            and all(
                c.type not in ("JSON", "JSONB", "TSVECTOR", "MONEY") and not c.type.endswith("[]")
                for c in picked
            )
        )
        if method == "btree" and any(c.type in ("JSON",) for c in picked):
            picked = []
        if picked:
            index_label = draw(st.sampled_from((None, f"idx_{len(earlier)}_custom")))
            indexes.append(
                Index(columns=tuple(c.name for c in picked), unique=unique, method=method, name=index_label)
            )
    checks: list[CheckConstraint] = []
    if draw(st.booleans()):
        checks.append(
            CheckConstraint(expression="id IS NOT NULL", name=draw(st.sampled_from((None, "id_set"))))
        )
    return Table(name=name, columns=tuple(cols), indexes=tuple(indexes), checks=tuple(checks))


@st.composite
def schema_specs(draw: st.DrawFn) -> Spec:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    built: list[Table] = []
    for name in names:
        built.append(draw(tables(name, list(built))))
    relationships: list[Relationship] = []
    for table in built:
        targets = [c.foreign_key.table for c in table.columns if c.foreign_key is not None]
        if len(targets) == 2 and draw(st.booleans()):
            relationships.append(
                Relationship.model_validate(
                    {"from": targets[0], "to": targets[1], "kind": "many-to-many", "through": table.name}
                )
            )
    return Spec(tables=tuple(built), relationships=tuple(relationships))
