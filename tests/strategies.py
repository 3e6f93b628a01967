"""Hypothesis strategies for the IR.

Everything generated here is already in the markdown reader's normal form: text is stripped, words are
separated by single spaces, cells hold no `|` and no newlines, and no text starts with a character that
markdown would read as syntax. So `parse(render(ir)) == ir` is a fair property for `specs()`.

`schemas()` / `tables()` / `columns()` default to `db_ready=True`: every type, default, CHECK and index method
is accepted by a stock PostgreSQL 15 (no extensions), so writers' tests can create the schema for real.
`db_ready=False` also draws types that need an extension (VECTOR(n), pgvector).
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from hypothesis import strategies as st

from specc.ir.model import (
    ArrayShape,
    AuthMode,
    Body,
    CaseCategory,
    CheckConstraint,
    Column,
    Decision,
    Endpoint,
    Feature,
    ForeignKey,
    HttpMethod,
    Index,
    IndexMethod,
    ObjectField,
    ObjectShape,
    QueryParam,
    ReferentialAction,
    Relationship,
    RelationshipKind,
    Response,
    ScalarShape,
    Shape,
    Spec,
    Table,
    TechChoice,
    TestCase,
    TestPlan,
)
from specc.ir.types import canonical, sql_type

# --- names ------------------------------------------------------------------------------------------


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SQL_WORDS = _word_set(
    """
    all analyse analyze and any array as asc asymmetric authorization between binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date current_role
    current_schema current_time current_timestamp current_user default deferrable desc distinct do else end
    except exists false fetch for foreign freeze from full grant group having ilike in initially inner
    intersect into is isnull join lateral leading left like limit localtime localtimestamp natural not
    notnull null offset on only or order outer overlaps placing primary references returning right row
    select session_user similar some symmetric table tablesample then to trailing true union unique user
    using values variadic verbose when where window with index key cascade restrict action update delete
    insert set no none by if begin commit rollback
    """
)
_TYPE_WORDS = _word_set(
    """
    bigint int int2 int4 int8 integer smallint serial serial4 serial8 bigserial smallserial mediumint tinyint
    varchar varchar2 nvarchar char nchar character string text longtext mediumtext tinytext citext boolean
    bool bit timestamp timestamptz datetime datetime2 datetimeoffset date time timetz interval numeric
    decimal real float float4 float8 double precision uuid uniqueidentifier json jsonb bytea blob varbinary
    inet cidr macaddr enum vector money tsvector
    """
)
_SPEC_WORDS = _word_set(
    "pk fk nullable indexed autoincrement auto_increment increment identity renamed required optional"
    " indexes relationships"
)
# Attribute names that SQLAlchemy declarative classes or pydantic models reserve.
_FRAMEWORK_WORDS = _word_set(
    "metadata registry query session schema json dict copy validate construct fields parse_obj parse_raw"
)
_FORBIDDEN = _SQL_WORDS | _TYPE_WORDS | _SPEC_WORDS | _FRAMEWORK_WORDS

_LOWER = "abcdefghijklmnopqrstuvwxyz"
_DIGITS = "0123456789"


def _word(first: str, rest: str, max_rest: int) -> st.SearchStrategy[str]:
    """A word: one character of `first`, then up to `max_rest` characters of `rest` (fast; no regex)."""
    return st.builds(lambda a, b: a + b, st.sampled_from(first), st.text(rest, max_size=max_rest))


_WORD = _word(_LOWER, _LOWER + _DIGITS, 7)


def _allowed_identifier(name: str) -> bool:
    return not (
        name in _FORBIDDEN
        or keyword.iskeyword(name)
        or keyword.issoftkeyword(name)
        or name.startswith("model_")
        or any(word in _FORBIDDEN for word in name.split("_"))
    )


@cache
def identifiers() -> st.SearchStrategy[str]:
    """Lowercase snake_case names (1-2 words, at most 17 characters), never a SQL, type or Python keyword."""
    return st.lists(_WORD, min_size=1, max_size=2).map("_".join).filter(_allowed_identifier)


# --- text -------------------------------------------------------------------------------------------

_TEXT_WORD = _word(_LOWER + _LOWER.upper(), _LOWER + _DIGITS, 9)


# Words the reader gives a meaning inside prose cells (a Description mentioning `fk users` or `references
# users` declares a foreign key) and first words that mean "no content" after a response label: the format
# cannot say these as plain prose, so generated text avoids them.
_PROSE_KEYWORDS = frozenset({"fk", "ref", "refs", "references", "foreign"})
_EMPTY_MARKERS = frozenset({"none", "empty", "no"})


def _plain_prose(words: list[str]) -> bool:
    lowered = [w.lower() for w in words]
    return lowered[0] not in _EMPTY_MARKERS and not _PROSE_KEYWORDS.intersection(lowered)


@cache
def texts(max_words: int = 6) -> st.SearchStrategy[str]:
    """Plain prose in normal form: 1..max_words alphanumeric words separated by single spaces."""
    return st.lists(_TEXT_WORD, min_size=1, max_size=max_words).filter(_plain_prose).map(" ".join)


def _optional(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str | None]:
    return st.none() | strategy


_DIAGRAM_LINE = st.builds(
    lambda indent, line: " " * indent + line,
    st.integers(0, 8),
    _word(_LOWER + "[]|>v<-", _LOWER + _DIGITS + " []|>v<()-", 30),
)


@cache
def diagrams() -> st.SearchStrategy[str]:
    """ASCII diagrams: 1-6 lines without trailing spaces or backticks, the first line not indented."""
    return st.lists(_DIAGRAM_LINE.map(str.rstrip), min_size=1, max_size=6).map(
        lambda lines: "\n".join([lines[0].lstrip(), *lines[1:]])
    )


# --- column types -----------------------------------------------------------------------------------

_PLAIN_TYPES = (
    "BIGINT",
    "INTEGER",
    "SMALLINT",
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
    "MONEY",
    "TSVECTOR",
)
_ARRAY_ELEMENTS = ("TEXT", "INTEGER", "BIGINT", "UUID", "BOOLEAN")


def _checked(type_text: str) -> str:
    if canonical(type_text) != type_text:
        raise AssertionError(f"strategy produced a non-canonical type: {type_text!r}")
    return type_text


@cache
def enum_types() -> st.SearchStrategy[str]:
    values = st.lists(_word(_LOWER, _LOWER + _DIGITS + "_", 7), min_size=1, max_size=4, unique=True)
    return values.map(lambda vs: "ENUM(" + ",".join(f"'{v}'" for v in vs) + ")")


@cache
def canonical_types(db_ready: bool = False) -> st.SearchStrategy[str]:
    """Canonical type spellings (`specc.ir.types.canonical(t) == t` for every one).

    `db_ready=True` leaves out types a stock PostgreSQL cannot create (VECTOR needs pgvector).
    """
    options: list[st.SearchStrategy[str]] = [
        st.sampled_from(_PLAIN_TYPES),
        st.integers(1, 500).map(lambda n: f"VARCHAR({n})"),
        st.integers(1, 10).map(lambda n: f"CHAR({n})"),
        st.integers(1, 20).flatmap(lambda p: st.integers(0, p).map(lambda s: f"NUMERIC({p},{s})")),
        st.sampled_from(_ARRAY_ELEMENTS).map(lambda t: f"{t}[]"),
        enum_types(),
    ]
    if not db_ready:
        options.append(st.integers(1, 2000).map(lambda n: f"VECTOR({n})"))
    return st.one_of(options).map(_checked)


# Per canonical base: server defaults and CHECK templates PostgreSQL accepts for that type.
_DEFAULTS: dict[str, tuple[str, ...]] = {
    "BIGINT": ("0", "1"),
    "INTEGER": ("0", "1"),
    "SMALLINT": ("0",),
    "NUMERIC": ("0",),
    "REAL": ("0",),
    "DOUBLE PRECISION": ("0",),
    "MONEY": ("0",),
    "TEXT": ("'a'", "'none'"),
    "VARCHAR": ("'a'",),
    "CHAR": ("'a'",),
    "BOOLEAN": ("true", "false"),
    "TIMESTAMPTZ": ("now()",),
    "TIMESTAMP": ("now()",),
    "DATE": ("CURRENT_DATE",),
    "UUID": ("gen_random_uuid()",),
    "JSON": ("'{}'",),
    "JSONB": ("'{}'", "'[]'"),
    "INTERVAL": ("'1 day'",),
}
_NUMERIC_BASES = frozenset({"BIGINT", "INTEGER", "SMALLINT", "NUMERIC", "REAL", "DOUBLE PRECISION"})
_TEXT_BASES = frozenset({"TEXT", "VARCHAR", "CHAR"})
_CHECKS: dict[str, tuple[str, ...]] = {
    **{base: ("{c} >= 0", "{c} > 0", "{c} <> 1") for base in _NUMERIC_BASES},
    **{base: ("char_length({c}) > 0", "{c} IN ('a', 'b')") for base in _TEXT_BASES},
}
_INDEX_METHODS: dict[str, tuple[IndexMethod, ...]] = {
    "BIGINT": ("btree", "hash", "brin"),
    "INTEGER": ("btree", "hash", "brin"),
    "SMALLINT": ("btree", "brin"),
    "TEXT": ("btree", "hash", "spgist"),
    "VARCHAR": ("btree", "hash"),
    "UUID": ("btree", "hash"),
    "TIMESTAMPTZ": ("btree", "brin"),
    "TIMESTAMP": ("btree", "brin"),
    "DATE": ("btree", "brin"),
    "NUMERIC": ("btree", "brin"),
    "BOOLEAN": ("btree",),
    "JSONB": ("gin", "btree"),
    "TSVECTOR": ("gin", "gist"),
}
_ARRAY_METHODS: tuple[IndexMethod, ...] = ("gin", "btree")


def _base(type_text: str) -> str:
    return sql_type(type_text).base


def _defaults_for(type_text: str) -> tuple[str, ...]:
    sql = sql_type(type_text)
    if sql.array_dims:
        return ("'{}'",)
    if sql.base == "ENUM":
        return (f"'{sql.enum_values[0]}'",)
    return _DEFAULTS.get(sql.base, ())


def _methods_for(type_text: str) -> tuple[IndexMethod, ...]:
    sql = sql_type(type_text)
    if sql.array_dims:
        return _ARRAY_METHODS
    if sql.base == "ENUM":
        return ("btree",)
    return _INDEX_METHODS.get(sql.base, ())


_ACTIONS: tuple[ReferentialAction, ...] = ("CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT")


@st.composite
def columns(draw: st.DrawFn, name: str | None = None, db_ready: bool = True) -> Column:
    """A non-key column: type, nullability, UNIQUE/indexed, DEFAULT and CHECK consistent with the type."""
    col_name = name if name is not None else draw(identifiers())
    type_text = draw(canonical_types(db_ready=db_ready))
    sql = sql_type(type_text)
    nullable = draw(st.booleans())
    indexable = bool(_methods_for(type_text)) and "btree" in _methods_for(type_text)
    unique = indexable and draw(st.booleans())
    indexed = indexable and not unique and draw(st.booleans())
    defaults = _defaults_for(type_text)
    default = draw(st.none() | st.sampled_from(defaults)) if defaults else None
    checks = () if sql.array_dims else _CHECKS.get(sql.base, ())
    check = draw(st.none() | st.sampled_from(checks).map(lambda t: t.format(c=col_name))) if checks else None
    return Column(
        name=col_name,
        type=type_text,
        nullable=nullable,
        unique=unique,
        indexed=indexed,
        default=default,
        check=check,
        description=draw(_optional(texts())),
        renamed_from=draw(_optional(identifiers())),
    )


_PK_TYPES = ("BIGINT", "INTEGER", "UUID", "TEXT", "VARCHAR(64)")


@st.composite
def _primary_key(draw: st.DrawFn, name: str) -> Column:
    type_text = draw(st.sampled_from(_PK_TYPES))
    auto = type_text in ("BIGINT", "INTEGER") and draw(st.booleans())
    default = "gen_random_uuid()" if type_text == "UUID" and draw(st.booleans()) else None
    return Column(
        name=name,
        type=type_text,
        nullable=False,
        primary_key=True,
        autoincrement=auto,
        default=default,
        description=draw(_optional(texts())),
    )


@dataclass(frozen=True)
class _Target:
    """A table a foreign key may point at: its single primary-key column."""

    table: str
    column: str
    type: str


@st.composite
def tables(
    draw: st.DrawFn,
    name: str | None = None,
    targets: tuple[_Target, ...] = (),
    used_names: frozenset[str] = frozenset(),
    db_ready: bool = True,
) -> Table:
    """One table with a primary key (single, sometimes composite), columns, FKs to `targets`, indexes, checks.

    `used_names` are relation names already taken (tables and indexes share PostgreSQL's namespace).
    """
    table_name = name if name is not None else draw(identifiers().filter(lambda n: n not in used_names))
    n_pk = draw(st.sampled_from((1, 1, 1, 2)))
    n_fk = draw(st.integers(0, min(2, len(targets)))) if targets else 0
    n_plain = draw(st.integers(0, 4))
    names = draw(
        st.lists(identifiers(), min_size=n_pk + n_fk + n_plain, max_size=n_pk + n_fk + n_plain, unique=True)
    )
    pk_cols = [draw(_primary_key(n)) for n in names[:n_pk]]
    fk_cols: list[Column] = []
    for col_name in names[n_pk : n_pk + n_fk]:
        target = draw(st.sampled_from(targets))
        nullable = draw(st.booleans())
        actions = tuple(a for a in _ACTIONS if nullable or a != "SET NULL")
        fk = ForeignKey(
            table=target.table,
            column=draw(st.sampled_from((None, target.column))),
            on_delete=draw(st.none() | st.sampled_from(actions)),
            on_update=draw(st.none() | st.sampled_from(actions)),
        )
        fk_cols.append(
            Column(
                name=col_name,
                type=target.type,
                nullable=nullable,
                indexed=draw(st.booleans()),
                foreign_key=fk,
                description=draw(_optional(texts())),
            )
        )
    plain_cols = [draw(columns(name=n, db_ready=db_ready)) for n in names[n_pk + n_fk :]]
    all_cols = tuple(_distinct_renames(draw(st.permutations([*pk_cols, *fk_cols, *plain_cols]))))

    indexes: list[Index] = []
    seen: set[tuple[str, ...]] = set()
    taken = set(used_names) | {table_name}
    for i in range(draw(st.integers(0, 2))):
        index = draw(_index(all_cols, f"{table_name}_{i}", taken))
        if index is not None and index.columns not in seen:
            seen.add(index.columns)
            if index.name is not None:
                taken.add(index.name)
            indexes.append(index)

    checks: list[CheckConstraint] = []
    numeric = [
        c.name for c in all_cols if not sql_type(c.type).array_dims and _base(c.type) in _NUMERIC_BASES
    ]
    if numeric:
        for i in range(draw(st.integers(0, 2))):
            col = draw(st.sampled_from(numeric))
            other = draw(st.sampled_from(numeric))
            expr = f"{col} >= 0" if col == other else f"{col} <= {other}"
            checks.append(
                CheckConstraint(expression=expr, name=draw(st.none() | st.just(f"ck_{table_name}_{i}")))
            )
    return Table(
        name=table_name,
        columns=all_cols,
        indexes=tuple(indexes),
        checks=tuple(checks),
        description=draw(_optional(texts(12))),
        renamed_from=draw(_optional(identifiers().filter(lambda n: n != table_name and n not in used_names))),
    )


def _distinct_renames(cols: list[Column]) -> list[Column]:
    """Drop `renamed_from` where it names a current column or repeats an earlier column's old name."""
    current = {c.name for c in cols}
    seen: set[str] = set()
    result: list[Column] = []
    for col in cols:
        old = col.renamed_from
        if old is not None and (old in current or old in seen):
            col = col.model_copy(update={"renamed_from": None})
        elif old is not None:
            seen.add(old)
        result.append(col)
    return result


@st.composite
def _index(draw: st.DrawFn, cols: tuple[Column, ...], stem: str, taken: set[str]) -> Index | None:
    candidates = [c for c in cols if _methods_for(c.type)]
    if not candidates:
        return None
    first = draw(st.sampled_from(candidates))
    method = draw(st.sampled_from(_methods_for(first.type)))
    names = [first.name]
    if method == "btree":
        btree = [c.name for c in candidates if "btree" in _methods_for(c.type) and c.name != first.name]
        if btree:
            names += draw(st.lists(st.sampled_from(btree), max_size=2, unique=True))
    unique = method == "btree" and draw(st.booleans())
    index_name = draw(st.none() | st.just(f"ix_{stem}"))
    if index_name in taken:
        index_name = None
    if index_name is None and method != "btree" and len(names) == 1 and first.indexed:
        # Unnamed, it would get `ix_<table>_<column>`: the name of the btree index the column's own
        # `indexed` flag creates (two indexes under one name: R015). Name it, as a spec author must.
        index_name = f"ix_{stem}_{method}"
        if index_name in taken:
            return None
    return Index(
        columns=tuple(names),
        unique=unique,
        method=method,
        name=index_name,
        description=draw(_optional(texts())),
    )


@st.composite
def schemas(draw: st.DrawFn, min_tables: int = 1, max_tables: int = 4, db_ready: bool = True) -> Spec:
    """A Spec with only tables: unique names, a PK in each, FKs only to earlier tables' single-column PKs
    (same type), indexes only on existing columns, index names unique across the schema."""
    n = draw(st.integers(min_tables, max_tables))
    built: list[Table] = []
    targets: list[_Target] = []
    used: set[str] = set()
    for _ in range(n):
        table = draw(tables(targets=tuple(targets), used_names=frozenset(used), db_ready=db_ready))
        built.append(table)
        used.add(table.name)
        used.update(ix.name for ix in table.indexes if ix.name is not None)
        pk = [c for c in table.columns if c.primary_key]
        if len(pk) == 1:
            targets.append(_Target(table=table.name, column=pk[0].name, type=pk[0].type))
    return Spec(tables=tuple(built))


# --- JSON body shapes -------------------------------------------------------------------------------

_FORMATTED_STRINGS: tuple[tuple[str | None, str], ...] = (
    ("email", "user@example.com"),
    ("date-time", "2024-01-01T00:00:00Z"),
    ("date", "2024-01-01"),
    ("uuid", "123e4567-e89b-12d3-a456-426614174000"),
    ("uri", "https://example.com/a"),
)


@cache
def _string_shapes() -> st.SearchStrategy[ScalarShape]:
    plain = texts(3).map(lambda t: ScalarShape(kind="string", example=t))
    formatted = st.sampled_from(_FORMATTED_STRINGS).map(
        lambda fe: ScalarShape(kind="string", format=fe[0], example=fe[1])
    )
    return plain | formatted


@cache
def scalar_shapes() -> st.SearchStrategy[ScalarShape]:
    """Scalars with an example value (the reader infers kind and format from it)."""
    return st.one_of(
        _string_shapes(),
        st.integers(-10_000, 10_000).map(lambda n: ScalarShape(kind="integer", example=n)),
        st.integers(-100_000, 100_000)
        .filter(lambda n: n % 100 != 0)
        .map(lambda n: ScalarShape(kind="number", example=n / 100)),
        st.booleans().map(lambda b: ScalarShape(kind="boolean", example=b)),
        st.just(ScalarShape(kind="null")),
    )


def _containers(children: st.SearchStrategy[Shape]) -> st.SearchStrategy[Shape]:
    arrays = st.builds(ArrayShape, items=st.none() | children)
    objects = st.lists(st.tuples(identifiers(), children), max_size=4, unique_by=lambda f: f[0]).map(
        lambda fs: ObjectShape(fields=tuple(ObjectField(name=n, shape=s) for n, s in fs))
    )
    return arrays | objects


@cache
def shapes() -> st.SearchStrategy[Shape]:
    """Any JSON body shape (scalars, arrays, objects; a few levels deep)."""
    return st.recursive(scalar_shapes(), _containers, max_leaves=8)


@cache
def object_shapes() -> st.SearchStrategy[ObjectShape]:
    return st.lists(st.tuples(identifiers(), shapes()), max_size=5, unique_by=lambda f: f[0]).map(
        lambda fs: ObjectShape(fields=tuple(ObjectField(name=n, shape=s) for n, s in fs))
    )


@cache
def bodies() -> st.SearchStrategy[Body]:
    """A body given as a JSON example (mostly an object) or as a reference to a schema file."""
    example = (object_shapes() | shapes()).map(lambda s: Body(shape=s))
    reference = identifiers().map(lambda n: Body(schema_ref=f"schemas/{n}.json"))
    return example | reference


# --- endpoints --------------------------------------------------------------------------------------

_METHODS: tuple[HttpMethod, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
_AUTH: tuple[tuple[AuthMode, str], ...] = (
    ("public", "None (public)"),
    ("required", "Required"),
    ("required", "Bearer token"),
)
_ERROR_STATUSES = (400, 401, 403, 404, 409, 410, 422, 429, 500, 503)
_SUCCESS_STATUSES = (200, 201, 202, 204)


@st.composite
def query_params(draw: st.DrawFn, name: str | None = None) -> QueryParam:
    return QueryParam(
        name=name if name is not None else draw(identifiers()),
        type=draw(st.sampled_from(("string", "integer", "number", "boolean"))),
        required=draw(st.booleans()),
        default=draw(_optional(_word(_LOWER + _DIGITS, _LOWER + _DIGITS, 5))),
        description=draw(_optional(texts())),
    )


def _not_in(names: frozenset[str]) -> Callable[[str], bool]:
    return lambda name: name not in names


@st.composite
def paths(draw: st.DrawFn) -> tuple[str, tuple[str, ...]]:
    """A URL path and its `{parameter}` names in order."""
    segments: list[str] = []
    params: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        as_param: bool = draw(st.booleans())
        if segments and as_param:
            param = draw(identifiers().filter(_not_in(frozenset(params))))
            params.append(param)
            segments.append("{" + param + "}")
        else:
            segments.append(draw(_WORD))
    return "/api/" + "/".join(segments), tuple(params)


@st.composite
def endpoints(draw: st.DrawFn, method: HttpMethod | None = None, path: str | None = None) -> Endpoint:
    """An endpoint in contract form: optional Auth line, summary, query parameters, request body,
    up to two success responses (first) and error responses, statuses distinct."""
    if path is None:
        path, params = draw(paths())
    else:
        params = tuple(re.findall(r"\{([^{}]+)\}", path))
    explicit = draw(st.booleans())
    auth: AuthMode = "required"
    auth_text: str | None = None
    if explicit:
        auth, auth_text = draw(st.sampled_from(_AUTH))
    responses: list[Response] = []
    for status in draw(st.lists(st.sampled_from(_SUCCESS_STATUSES), max_size=2, unique=True)):
        # 204 means "no content": the reader gives it neither body nor description.
        body = None if status == 204 else draw(st.none() | bodies())
        description = None if status == 204 else draw(_optional(texts()))
        responses.append(Response(status=status, description=description, body=body))
    errors = draw(st.lists(st.sampled_from(_ERROR_STATUSES), max_size=3, unique=True))
    responses += [Response(status=s, description=draw(texts())) for s in errors]
    chosen_method = method if method is not None else draw(st.sampled_from(_METHODS))
    return Endpoint(
        method=chosen_method,
        path=path,
        auth=auth,
        auth_explicit=explicit,
        auth_text=auth_text,
        summary=draw(_optional(texts(12))),
        path_params=params,
        query_params=tuple(draw(st.lists(query_params(), max_size=3, unique_by=lambda q: q.name))),
        request_body=draw(st.none() | bodies()) if chosen_method != "GET" else None,
        responses=tuple(responses),
    )


# --- test plans -------------------------------------------------------------------------------------

CATEGORY_ORDER: tuple[CaseCategory, ...] = ("happy_path", "error", "edge", "security", "performance")


def _default_case_id(feature: str, category: CaseCategory, text: str) -> str:
    return f"{feature}/{category}/{text}"  # a derived id (explicit ones hold no `/`)


CaseIdFunction = Callable[[str, CaseCategory, str], str]


@st.composite
def test_plans(draw: st.DrawFn, case_id: CaseIdFunction = _default_case_id) -> TestPlan:
    """Features with unique names; cases grouped in category order (as the document lists them),
    texts unique within a category; ids from `case_id(feature, category, text)`."""
    features: list[Feature] = []
    for name in draw(st.lists(texts(4), max_size=3, unique=True)):
        cases: list[TestCase] = []
        for category in CATEGORY_ORDER:
            for text in draw(st.lists(texts(10), max_size=3, unique=True)):
                cases.append(TestCase(id=case_id(name, category, text), category=category, text=text))
        features.append(Feature(name=name, cases=tuple(cases)))
    return TestPlan(features=tuple(features))


test_plans.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite the name


# --- whole documents --------------------------------------------------------------------------------

_KINDS: tuple[RelationshipKind, ...] = ("one-to-one", "one-to-many", "many-to-one", "many-to-many")


@st.composite
def relationships(draw: st.DrawFn, table_names: tuple[str, ...]) -> Relationship:
    kind = draw(st.sampled_from(_KINDS))
    return Relationship(
        from_=draw(st.sampled_from(table_names)),
        to=draw(st.sampled_from(table_names)),
        kind=kind,
        through=draw(st.none() | st.sampled_from(table_names)) if kind == "many-to-many" else None,
        description=draw(_optional(texts())),
    )


@st.composite
def specs(draw: st.DrawFn, db_ready: bool = False, case_id: CaseIdFunction = _default_case_id) -> Spec:
    """A whole document: title, overview, tech stack, diagram, schema, relationships, endpoints,
    decisions and a test plan. Sections are sometimes empty (the writer omits them)."""
    schema = draw(schemas(min_tables=0, max_tables=4, db_ready=db_ready))
    names = tuple(t.name for t in schema.tables)
    rels = draw(st.lists(relationships(names), max_size=3)) if names else []
    eps: list[Endpoint] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(draw(st.integers(0, 3))):
        endpoint = draw(endpoints())
        if (endpoint.method, endpoint.path) not in seen:
            seen.add((endpoint.method, endpoint.path))
            eps.append(endpoint)
    tech = st.builds(TechChoice, layer=texts(2), technology=texts(3), why=_optional(texts()))
    decision = st.builds(
        Decision,
        decision=texts(4),
        choice=_optional(texts(3)),
        alternatives=_optional(texts(3)),
        why=_optional(texts()),
    )
    return Spec(
        title=draw(texts(4)),
        overview=draw(_optional(texts(20))),
        tech_stack=tuple(draw(st.lists(tech, max_size=3))),
        system_diagram=draw(_optional(diagrams())),
        tables=schema.tables,
        relationships=tuple(rels),
        endpoints=tuple(eps),
        decisions=tuple(draw(st.lists(decision, max_size=3))),
        test_plan=draw(st.none() | test_plans(case_id=case_id)),
    )
