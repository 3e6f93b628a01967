"""Hypothesis strategies: random small schemas, and random edits of them the way a spec author edits.

Self-contained (names from small fixed pools, types PostgreSQL accepts, defaults valid for their types),
so every generated spec is one PostgreSQL can hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Spec, Table

TABLES = ("accounts", "boards", "cards", "docs")
COLUMNS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
ACTIONS = (None, "CASCADE", "SET NULL", "RESTRICT")

DEFAULTS: dict[str, tuple[str, ...]] = {
    "BIGINT": ("0", "42"),
    "INTEGER": ("0", "7"),
    "SMALLINT": ("1",),
    "VARCHAR(20)": ("'x'", "''"),
    "VARCHAR(200)": ("'hello'",),
    "TEXT": ("''", "'none'"),
    "BOOLEAN": ("false", "true"),
    "TIMESTAMPTZ": ("now()",),
    "DATE": ("CURRENT_DATE",),
    "NUMERIC(10,2)": ("0",),
    "UUID": ("gen_random_uuid()",),
    "JSONB": ("'{}'",),
    "TEXT[]": (),
    "ENUM('a','b')": ("'a'",),
}
TYPES = tuple(DEFAULTS)
ORDERABLE = ("BIGINT", "INTEGER", "SMALLINT", "VARCHAR(20)", "VARCHAR(200)", "TEXT", "DATE", "NUMERIC(10,2)")
NUMBERS = ("BIGINT", "INTEGER", "SMALLINT", "NUMERIC(10,2)")

WIDENINGS: dict[str, tuple[str, ...]] = {
    "SMALLINT": ("INTEGER", "BIGINT"),
    "INTEGER": ("BIGINT", "NUMERIC(12,2)"),
    "VARCHAR(20)": ("VARCHAR(200)", "TEXT"),
    "VARCHAR(200)": ("TEXT",),
    "ENUM('a','b')": ("ENUM('a','b','c')", "TEXT"),
}
NARROWINGS: dict[str, tuple[str, ...]] = {
    "BIGINT": ("INTEGER",),
    "TEXT": ("VARCHAR(200)",),
    "VARCHAR(200)": ("VARCHAR(20)",),
    "BOOLEAN": ("TEXT",),
    "TIMESTAMPTZ": ("DATE",),
}


def is_number(type_: str) -> bool:
    return type_ in NUMBERS or type_.startswith("NUMERIC")


def fits(type_: str, default: str | None) -> bool:
    """Whether `default` is a valid default for a column of `type_` (after a type change)."""
    if default is None:
        return True
    if is_number(type_):
        return default.isdigit()
    if type_.startswith(("VARCHAR", "TEXT", "ENUM")) and not type_.endswith("[]"):
        return default.startswith("'") and (not type_.startswith("ENUM") or default == "'a'")
    return default in DEFAULTS.get(type_, ())


@st.composite
def columns(draw: st.DrawFn, name: str) -> Column:
    type_ = draw(st.sampled_from(TYPES))
    default = draw(st.sampled_from((None, *DEFAULTS[type_])))
    nullable = draw(st.booleans())
    unique = type_ in ORDERABLE and draw(st.booleans())
    indexed = type_ in ORDERABLE and draw(st.booleans())
    check = f"{name} >= 0" if type_ in NUMBERS and draw(st.booleans()) else None
    return Column(
        name=name,
        type=type_,
        nullable=nullable,
        default=default,
        unique=unique,
        indexed=indexed,
        check=check,
    )


def _id() -> Column:
    return Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True)


@st.composite
def tables(draw: st.DrawFn, name: str, earlier: tuple[str, ...]) -> Table:
    names = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4, unique=True))
    cols = [_id(), *(draw(columns(n)) for n in names)]
    if len(earlier) > 0 and draw(st.booleans()):
        target = draw(st.sampled_from(earlier))
        action = draw(st.sampled_from(ACTIONS))
        cols.append(
            Column(
                name=f"{target}_id",
                type="BIGINT",
                nullable=True,
                foreign_key=ForeignKey(table=target, column="id", on_delete=action),
            )
        )
    indexes: list[Index] = []
    orderable = [c.name for c in cols[1:] if c.type in ORDERABLE or c.foreign_key is not None]
    if len(orderable) >= 2 and draw(st.booleans()):
        pair = tuple(draw(st.permutations(orderable))[:2])
        indexes.append(Index(columns=pair, unique=draw(st.booleans())))
    for col in cols:
        if col.type == "JSONB" and draw(st.booleans()):
            indexes.append(Index(columns=(col.name,), method="gin"))
    checks = (CheckConstraint(expression="id > 0"),) if draw(st.booleans()) else ()
    return Table(name=name, columns=tuple(cols), indexes=tuple(indexes), checks=checks)


@st.composite
def schemas(draw: st.DrawFn) -> Spec:
    names = draw(st.lists(st.sampled_from(TABLES), min_size=1, max_size=3, unique=True))
    result: list[Table] = []
    for i, name in enumerate(names):
        result.append(draw(tables(name, tuple(names[:i]))))
    return Spec(tables=tuple(result))


# --- edits --------------------------------------------------------------------------------------------


def _replace(spec: Spec, table: Table, old_name: str | None = None) -> Spec:
    name = old_name or table.name
    return spec.model_copy(update={"tables": tuple(table if t.name == name else t for t in spec.tables)})


def _with_columns(spec: Spec, table: Table, cols: list[Column]) -> Spec:
    return _replace(spec, table.model_copy(update={"columns": tuple(cols)}))


def _plain(table: Table) -> list[Column]:
    """Columns an edit may touch: not the key, not a foreign key."""
    return [c for c in table.columns if not c.primary_key and c.foreign_key is None]


def _referenced(spec: Spec, name: str) -> bool:
    return any(
        c.foreign_key is not None and c.foreign_key.table == name and t.name != name
        for t in spec.tables
        for c in t.columns
    )


@st.composite
def _edit_add_column(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    free = [n for n in COLUMNS if table.column(n) is None]
    if not free:
        return spec
    return _with_columns(spec, table, [*table.columns, draw(columns(draw(st.sampled_from(free))))])


@st.composite
def _edit_drop_column(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    candidates = [c for c in _plain(table) if not any(c.name in i.columns for i in table.indexes)]
    if len(candidates) < 1 or len(table.columns) <= 2:
        return spec
    gone = draw(st.sampled_from(candidates)).name
    return _with_columns(spec, table, [c for c in table.columns if c.name != gone])


def rename_column(spec: Spec, table: Table, old: str, new: str) -> Spec:
    cols = []
    for col in table.columns:
        if col.name == old:
            check = col.check.replace(old, new) if col.check else None
            col = col.model_copy(update={"name": new, "renamed_from": old, "check": check})
        cols.append(col)
    indexes = tuple(
        i.model_copy(update={"columns": tuple(new if c == old else c for c in i.columns)})
        for i in table.indexes
    )
    return _replace(spec, table.model_copy(update={"columns": tuple(cols), "indexes": indexes}))


@st.composite
def _edit_rename_column(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    free = [n for n in COLUMNS if table.column(n) is None]
    plain = _plain(table)
    if not free or not plain:
        return spec
    return rename_column(spec, table, draw(st.sampled_from(plain)).name, draw(st.sampled_from(free)))


def rename_table(spec: Spec, old: str, new: str) -> Spec:
    tables_: list[Table] = []
    for table in spec.tables:
        cols = tuple(
            c.model_copy(update={"foreign_key": c.foreign_key.model_copy(update={"table": new})})
            if c.foreign_key is not None and c.foreign_key.table == old
            else c
            for c in table.columns
        )
        update: dict[str, object] = {"columns": cols}
        if table.name == old:
            update |= {"name": new, "renamed_from": old}
        tables_.append(table.model_copy(update=update))
    return spec.model_copy(update={"tables": tuple(tables_)})


@st.composite
def _edit_rename_table(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    free = [n for n in TABLES if spec.table(n) is None]
    if not free:
        return spec
    return rename_table(spec, table.name, draw(st.sampled_from(free)))


@st.composite
def _edit_type(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    options = [c for c in _plain(table) if c.type in WIDENINGS or c.type in NARROWINGS]
    if not options:
        return spec
    col = draw(st.sampled_from(options))
    new_type = draw(st.sampled_from(WIDENINGS.get(col.type, ()) + NARROWINGS.get(col.type, ())))
    default = col.default if fits(new_type, col.default) else None
    check = col.check if is_number(new_type) else None
    cols = [
        c.model_copy(update={"type": new_type, "default": default, "check": check})
        if c.name == col.name
        else c
        for c in table.columns
    ]
    return _with_columns(spec, table, cols)


@st.composite
def _edit_flags(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    plain = _plain(table)
    if not plain:
        return spec
    col = draw(st.sampled_from(plain))
    change = draw(st.sampled_from(("nullable", "default", "unique", "indexed")))
    if change == "nullable":
        update: dict[str, object] = {"nullable": not col.nullable}
    elif change == "default":
        update = {
            "default": draw(st.sampled_from((None, *DEFAULTS[col.type]))) if col.type in DEFAULTS else None
        }
    elif col.type in ORDERABLE:
        update = {change: not getattr(col, change)}
    else:
        return spec
    cols = [c.model_copy(update=update) if c.name == col.name else c for c in table.columns]
    return _with_columns(spec, table, cols)


@st.composite
def _edit_foreign_key(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    fks = [c for c in table.columns if c.foreign_key is not None]
    if not fks:
        return spec
    col = draw(st.sampled_from(fks))
    assert col.foreign_key is not None
    fk = col.foreign_key.model_copy(update={"on_delete": draw(st.sampled_from(ACTIONS))})
    cols = [c.model_copy(update={"foreign_key": fk}) if c.name == col.name else c for c in table.columns]
    return _with_columns(spec, table, cols)


@st.composite
def _edit_add_table(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    free = [n for n in TABLES if spec.table(n) is None]
    if not free:
        return spec
    new = draw(tables(draw(st.sampled_from(free)), tuple(t.name for t in spec.tables)))
    return spec.model_copy(update={"tables": (*spec.tables, new)})


@st.composite
def _edit_drop_table(draw: st.DrawFn, spec: Spec, table: Table) -> Spec:
    droppable = [t for t in spec.tables if not _referenced(spec, t.name)]
    if len(spec.tables) < 2 or not droppable:
        return spec
    gone = draw(st.sampled_from(droppable)).name
    return spec.model_copy(update={"tables": tuple(t for t in spec.tables if t.name != gone)})


SCHEMA_EDITS = (
    _edit_add_column,
    _edit_drop_column,
    _edit_rename_column,
    _edit_rename_table,
    _edit_type,
    _edit_flags,
    _edit_foreign_key,
    _edit_add_table,
    _edit_drop_table,
)


@st.composite
def edited(draw: st.DrawFn, spec: Spec, max_edits: int = 3) -> Spec:
    """`spec` after 1..max_edits random edits (each on a random table)."""
    result = spec
    for _ in range(draw(st.integers(min_value=1, max_value=max_edits))):
        table = draw(st.sampled_from(result.tables))
        edit = draw(st.sampled_from(SCHEMA_EDITS))
        result = draw(edit(result, table))
    return result


@dataclass(frozen=True)
class DataEdit:
    """A data-preserving edit: renames and widenings, with where each old column went."""

    spec: Spec
    columns: dict[tuple[str, str], tuple[str, str]]
    """(old table, old column) → (new table, new column)."""


@st.composite
def data_preserving_edits(draw: st.DrawFn, spec: Spec) -> DataEdit:
    mapping = {(t.name, c.name): (t.name, c.name) for t in spec.tables for c in t.columns}
    result = spec
    table = draw(st.sampled_from(result.tables))
    old_table = table.name
    if draw(st.booleans()):
        free = [n for n in TABLES if result.table(n) is None]
        if free:
            new_name = draw(st.sampled_from(free))
            result = rename_table(result, table.name, new_name)
            mapping = {k: (new_name if v[0] == old_table else v[0], v[1]) for k, v in mapping.items()}
            table = result.table(new_name) or table
    plain = _plain(table)
    free_cols = [n for n in COLUMNS if table.column(n) is None]
    if plain and free_cols and draw(st.booleans()):
        col = draw(st.sampled_from(plain))
        new_col = draw(st.sampled_from(free_cols))
        result = rename_column(result, table, col.name, new_col)
        mapping = {k: (v[0], new_col) if v == (table.name, col.name) else v for k, v in mapping.items()}
        table = result.table(table.name) or table
    wide = [c for c in _plain(table) if c.type in WIDENINGS]
    if wide:
        col = draw(st.sampled_from(wide))
        new_type = draw(st.sampled_from(WIDENINGS[col.type]))
        default = col.default if fits(new_type, col.default) else None
        cols = [
            c.model_copy(update={"type": new_type, "default": default}) if c is col else c
            for c in table.columns
        ]
        result = _with_columns(result, table, cols)
    return DataEdit(spec=result, columns=mapping)
