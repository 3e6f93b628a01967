"""Column attributes and `__table_args__` of one generated model, as layout expressions plus imports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specc.db.conventions import (
    autoincrement_column,
    check_constraint_name,
    fk_name,
    foreign_key_resolves,
    index_name,
    is_integer,
    named_unique_columns,
    normalize_default,
    pk_name,
    referenced_column,
    table_check_name,
    table_indexes,
    unique_name,
)
from specc.db.dialect import POSTGRESQL
from specc.db.identifiers import fits
from specc.db.names import enum_type_name
from specc.emit.models.names import ModelNames
from specc.emit.models.relations import RelAttr
from specc.emit.sqltypes import SA, python_type, sa_type_code
from specc.ir.model import Column, Spec, Table
from specc.ir.types import sql_type
from specc.pycode.imports import PyImport
from specc.pycode.layout import LINE_LENGTH, Call, Expr, flat, splittable
from specc.pycode.literals import comment_text, py_str
from specc.sql.textclause import parameter_like


@dataclass
class Statement:
    """One class-body statement: `prefix` (`name: Mapped[int] = `) and the expression assigned."""

    prefix: str
    expr: Expr
    comments: list[str] = field(default_factory=list)
    """Comment lines (with `#`) written above the statement."""


@dataclass
class ModelBody:
    table_args: list[Expr] = field(default_factory=list)
    mapper_primary_key: list[str] = field(default_factory=list)
    columns: list[Statement] = field(default_factory=list)
    relationships: list[Statement] = field(default_factory=list)
    imports: set[PyImport] = field(default_factory=set)
    related_tables: set[str] = field(default_factory=set)
    width: int = LINE_LENGTH
    """The line length the module is laid out for."""
    eager_defaults: bool = False
    """A column gets a new value from the database on UPDATE (`onupdate`): fetch it with RETURNING."""


UPDATED_AT = "updated_at"
"""Convention: a column of this name with DEFAULT now() is also set to now() by every ORM UPDATE."""


def _server_default(default: str) -> Expr:
    if normalize_default(default) == "now()":
        return "server_default=sa.func.now()"
    text = default.strip()
    construct = "sa.literal_column" if parameter_like(text) else "sa.text"
    return Call(f"server_default={construct}(", (py_str(text),))


def _check_sql(expression: str) -> Expr:
    """A CHECK's SQL as `sa.CheckConstraint` takes it (see `specc.sql.textclause`)."""
    text = expression.strip()
    return Call("sa.literal_column(", (py_str(text),)) if parameter_like(text) else py_str(text)


def _column(
    spec: Spec, table: Table, col: Column, names: ModelNames, auto: str | None, body: ModelBody
) -> None:
    attr = names.attribute(table.name, col.name)
    t = sql_type(col.type)
    py = python_type(t)
    code = sa_type_code(t, enum_type_name(table.name, col.name) if t.base == "ENUM" else None)
    body.imports.update(py.imports)
    body.imports.update(code.imports)
    sole_pk = table.primary_key == (col.name,)
    args: list[Expr] = []
    if attr != col.name:
        args.append(py_str(col.name))
    args.append(splittable(code.code))
    comments: list[str] = []
    if col.foreign_key is not None and not foreign_key_resolves(spec, col.foreign_key):
        target = comment_text(f"{col.foreign_key.table}.{referenced_column(spec, col.foreign_key)}")
        comment = f"# specc: foreign key to {target} left out: not in the spec"
        comments.append(
            comment
            if len(comment) + 4 <= body.width
            else "# specc: foreign key left out: its target is not in the spec"
        )
    elif col.foreign_key is not None:
        fk = col.foreign_key
        fk_args: list[Expr] = [py_str(f"{fk.table}.{referenced_column(spec, fk)}")]
        if fk.on_delete is not None:
            fk_args.append(f"ondelete={py_str(fk.on_delete)}")
        if fk.on_update is not None:
            fk_args.append(f"onupdate={py_str(fk.on_update)}")
        if not fits(f"fk_{table.name}_{col.name}_{fk.table}"):
            fk_args.append(f"name={py_str(fk_name(table.name, (col.name,), fk.table))}")
        args.append(Call("sa.ForeignKey(", tuple(fk_args)))
    if col.check:
        check = Call("sa.CheckConstraint(", (_check_sql(col.check), _check_name_arg(table.name, col.name)))
        # `sa.literal_column` inside a column's constraint would be taken for a column reference; at table
        # level the same constraint gets the same name (`ck_<table>_<column>`).
        (body.table_args if parameter_like(col.check) else args).append(check)
    if col.primary_key:
        args.append("primary_key=True")
        if col.name == auto:
            args.append("autoincrement=True")
        elif is_integer(col.type):
            args.append("autoincrement=False")
    else:
        args.append(f"nullable={col.nullable}")
    unique = col.unique and not sole_pk and col.name not in named_unique_columns(table)
    indexed = col.indexed and not sole_pk
    spelled_out = _long_flag_constraint(table.name, col.name, unique, indexed)
    if spelled_out is not None:
        body.table_args.append(spelled_out)
    else:
        if unique:
            args.append("unique=True")
        if indexed:
            args.append("index=True")
    if col.default is not None and col.name != auto:
        args.append(_server_default(col.default))
        if col.name == UPDATED_AT and normalize_default(col.default) == "now()":
            args.append("onupdate=sa.func.now()")
            body.eager_defaults = True
    annotation = py.annotation
    if col.nullable and not col.primary_key:
        annotation += " | None"
    if any(_USES_SA.search(flat(arg)) for arg in args):
        body.imports.add(SA)  # not for a column whose type is a PgType and has nothing else from `sa`
    statement = Statement(f"{attr}: Mapped[{annotation}] = ", Call("mapped_column(", tuple(args)), comments)
    body.columns.append(statement)


_USES_SA = re.compile(r"(?<![\w.'\"])sa\.")


def _long_flag_constraint(table: str, column: str, unique: bool, indexed: bool) -> Call | None:
    """The index or unique constraint the `unique=True` / `index=True` flags of `column` would create, spelled
    out with its fitted name when the conventional name is too long for PostgreSQL; else None (the flags
    are kept). As the flags: unique + indexed is one unique index (`ix_`)."""
    cols = (column,)
    if indexed and not fits(f"ix_{table}_{column}"):
        extra = ("unique=True",) if unique else ()
        return Call("sa.Index(", (py_str(index_name(table, cols)), py_str(column), *extra))
    if unique and not indexed and not fits(f"uq_{table}_{column}"):
        return Call("sa.UniqueConstraint(", (py_str(column), f"name={py_str(unique_name(table, cols))}"))
    return None


def _check_name_arg(table: str, name: str) -> Expr:
    """`name=` of a CHECK constraint called `name` in the IR: the naming convention makes it
    `ck_<table>_<name>`; when that is too long, the fitted database name is given whole (`conv`)."""
    if fits(f"ck_{table}_{name}"):
        return f"name={py_str(name)}"
    return Call("name=sa.schema.conv(", (py_str(check_constraint_name(table, name)),))


def _table_args(table: Table, body: ModelBody) -> None:
    for row in table_indexes(table):
        index = row.index
        name = index.name if index.name is not None or row.conventional_fits else row.database_name
        cols = [py_str(c) for c in index.columns]
        if row.constraint:
            extra = [f"name={py_str(name)}"] if name else []
            body.table_args.append(Call("sa.UniqueConstraint(", (*cols, *extra)))
            continue
        args: list[Expr] = [py_str(name) if name else "None", *cols]
        if index.unique:
            args.append("unique=True")
        if index.method != POSTGRESQL.default_index_method:
            args.append(f"{POSTGRESQL.index_method_option}={py_str(index.method)}")
        body.table_args.append(Call("sa.Index(", tuple(args)))
    for check in table.checks:
        name = table_check_name(check.expression, check.name)
        body.table_args.append(
            Call("sa.CheckConstraint(", (_check_sql(check.expression), _check_name_arg(table.name, name)))
        )


def _relationship(rel: RelAttr, names: ModelNames, body: ModelBody) -> None:
    target = names.classes[rel.target]
    if rel.collection:
        annotation = f'list["{target}"]'
    elif rel.optional:
        annotation = f'"{target} | None"'
    else:
        annotation = f'"{target}"'
    args: list[Expr] = []
    if rel.secondary is not None:
        args.append(f"secondary={py_str(rel.secondary)}")
    args.append(f"back_populates={py_str(rel.back_populates)}")
    if rel.foreign_keys is not None:
        args.append(f"foreign_keys={py_str(rel.foreign_keys)}")
    if rel.remote_side is not None:
        args.append(f"remote_side={py_str(rel.remote_side)}")
    if rel.overlaps:
        args.append(f"overlaps={py_str(','.join(rel.overlaps))}")
    if rel.cascade_delete:
        args.append('cascade="all, delete"')
    if rel.passive_deletes:
        args.append("passive_deletes=True")
    args.append('lazy="raise_on_sql"')
    body.relationships.append(
        Statement(f"{rel.name}: Mapped[{annotation}] = ", Call("relationship(", tuple(args)))
    )
    body.related_tables.add(rel.target)


def model_body(
    spec: Spec, table: Table, names: ModelNames, rels: list[RelAttr], width: int = LINE_LENGTH
) -> ModelBody:
    body = ModelBody(width=width)
    auto = autoincrement_column(table)
    seen: list[str] = []
    for col in table.columns:
        if col.name in seen:
            continue
        seen.append(col.name)
        _column(spec, table, col, names, auto, body)
    if not table.primary_key:
        body.mapper_primary_key = [names.attribute(table.name, c) for c in seen]
    elif not fits(f"pk_{table.name}"):
        keys = tuple(py_str(c) for c in table.primary_key)
        name = f"name={py_str(pk_name(table.name))}"
        body.table_args.insert(0, Call("sa.PrimaryKeyConstraint(", (*keys, name)))
    _table_args(table, body)
    for rel in rels:
        _relationship(rel, names, body)
    return body
