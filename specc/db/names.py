"""Constraint, index and enum-type names: the names the generated models' naming convention gives.

The models writer puts `NAMING_CONVENTION` on `Base.metadata`; migrations must create exactly those names, or
Alembic's comparison would see every constraint as dropped and re-added. The naming rules live in
`specc.db.conventions`; this module names what `specc.db.lower` creates and lists every name a spec puts
into the database for the name checks of `specc check`. Every derived name fits the dialect's identifier
length (`specc.db.identifiers.fit_identifier`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specc.db import conventions
from specc.db.identifiers import fit_identifier
from specc.ir.model import ForeignKey, Span, Table
from specc.ir.types import sql_type


def pk_name(table: str) -> str:
    return conventions.pk_name(table)


def unique_name(table: str, columns: tuple[str, ...]) -> str:
    return conventions.unique_name(table, columns)


def index_name(table: str, columns: tuple[str, ...]) -> str:
    return conventions.index_name(table, columns)


def column_check_name(table: str, column: str) -> str:
    return conventions.check_constraint_name(table, column)


def table_check_name(table: str, expression: str, name: str | None) -> str:
    return conventions.check_constraint_name(table, conventions.table_check_name(expression, name))


def fk_name(table: str, columns: tuple[str, ...], ref_table: str) -> str:
    return conventions.fk_name(table, columns, ref_table)


def enum_type_name(table: str, column: str) -> str:
    """The enum type name for `table.column`: `<table>_<column>` in lower case, shortened with a hash past
    the identifier length (`fit_identifier`, the rule of every derived name)."""
    return fit_identifier(f"{table}_{column}".lower())


# --- every name a spec puts into the database, for the checker --------------------------------------------

RELATION = "relation"
"""Tables, indexes, and the indexes behind primary keys and unique constraints: one namespace per schema."""
TYPE = "type"
"""Enum types and the row type of every table: one namespace per schema."""


def constraint_namespace(table: str) -> str:
    """Constraint names (primary key, unique, check, foreign key): one namespace per table."""
    return f"constraint:{table}"


@dataclass(frozen=True)
class NamedObject:
    """One database object a spec creates, under the name the migrations give it."""

    namespace: str
    name: str
    what: str
    """For messages: `unique constraint on users(email)`."""
    definition: tuple[object, ...]
    """Equal definitions under one name are one object (the lowering keeps one); different ones collide."""
    span: Span | None


ResolvedTarget = Callable[[ForeignKey], "tuple[str, str] | None"]
"""(referenced table, referenced column) of a foreign key whose target is in the spec, else None."""


def table_objects(table: Table, target: ResolvedTarget) -> list[NamedObject]:
    """Every named object `table` creates, by the rules of `specc.db.model.lower` (same names, same
    objects; a test holds the two together)."""
    objects: list[NamedObject] = []
    name = table.name
    constraints = constraint_namespace(name)

    def add(
        namespaces: tuple[str, ...],
        obj_name: str,
        what: str,
        definition: tuple[object, ...],
        span: Span | None,
    ) -> None:
        for namespace in namespaces:
            objects.append(NamedObject(namespace, obj_name, what, definition, span))

    add((RELATION, TYPE), name, f"table {name}", ("table", name), table.span)
    pk = table.primary_key
    if pk:
        add(
            (RELATION, constraints),
            pk_name(name),
            f"primary key of {name}",
            ("primary key", name, pk),
            table.span,
        )
    named_unique = conventions.named_unique_columns(table)
    for col in table.columns:
        cols = (col.name,)
        sole = pk == cols
        unique = col.unique and not sole and col.name not in named_unique
        indexed = col.indexed and not sole
        span = col.constraints_span or col.span
        if unique and indexed:
            add(
                (RELATION,),
                index_name(name, cols),
                f"unique index on {name}({col.name})",
                ("index", name, cols, True, "btree"),
                span,
            )
        elif unique:
            add(
                (RELATION, constraints),
                unique_name(name, cols),
                f"unique constraint on {name}({col.name})",
                ("unique", name, cols),
                span,
            )
        elif indexed:
            add(
                (RELATION,),
                index_name(name, cols),
                f"index on {name}({col.name})",
                ("index", name, cols, False, "btree"),
                span,
            )
        if col.check is not None:
            add(
                (constraints,),
                column_check_name(name, col.name),
                f"check of {name}.{col.name}",
                ("check", conventions.normalize_check(col.check)),
                span,
            )
        if col.foreign_key is not None:
            resolved = target(col.foreign_key)
            if resolved is not None:
                add(
                    (constraints,),
                    fk_name(name, cols, col.foreign_key.table),
                    f"foreign key {name}({col.name}) → {resolved[0]}",
                    ("foreign key", cols, resolved),
                    col.foreign_key.span or span,
                )
        parsed = sql_type(col.type)
        if parsed.known and parsed.base == "ENUM":
            add(
                (TYPE,),
                enum_type_name(name, col.name),
                f"enum type of {name}.{col.name}",
                ("enum", parsed.enum_values),
                col.type_span or span,
            )
    known = {c.name for c in table.columns}
    flagged = {(c.name, True) for c in table.columns if c.unique} | {
        (c.name, False) for c in table.columns if c.indexed
    }
    for index in table.indexes:
        if not index.columns or any(c not in known for c in index.columns):
            continue
        if (
            len(index.columns) == 1
            and (index.columns[0], index.unique) in flagged
            and index.method == "btree"
            and index.name is None
        ):
            continue
        listed = f"{name}({', '.join(index.columns)})"
        if index.unique and index.method == "btree":
            add(
                (RELATION, constraints),
                index.name or unique_name(name, index.columns),
                f"unique constraint on {listed}",
                ("unique", name, index.columns),
                index.span,
            )
        else:
            add(
                (RELATION,),
                index.name or index_name(name, index.columns),
                f"{'unique ' if index.unique else ''}index on {listed}",
                ("index", name, index.columns, index.unique, index.method),
                index.span,
            )
    for check in table.checks:
        add(
            (constraints,),
            table_check_name(name, check.expression, check.name),
            f"check of {name}",
            ("check", conventions.normalize_check(check.expression)),
            check.span or table.span,
        )
    return objects
