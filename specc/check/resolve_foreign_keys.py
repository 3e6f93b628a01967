"""Resolution: every foreign key must point at an existing, unique column of a compatible type."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import foreign_keys, referenced_column, suggestion
from specc.diagnostics import Severity
from specc.ir.model import Column, Spec, Table
from specc.ir.types import sql_type

_FK_EXAMPLE_HEAD = "### posts\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"


@check_rule(
    "R003",
    Severity.ERROR,
    "Foreign key references an unknown table",
    "A foreign key names a table that the Database Schema section does not define. The constraint cannot "
    "be created. Fix the spelling (table names are usually plural) or add the missing table.",
    _FK_EXAMPLE_HEAD + "| author_id | BIGINT | FK → user.id, ON DELETE CASCADE |",
)
def fk_unknown_table(spec: Spec) -> Iterator[Finding]:
    names = [t.name for t in spec.tables]
    for ref in foreign_keys(spec):
        if spec.table(ref.fk.table) is None:
            yield Finding(
                f'foreign key {ref.table.name}.{ref.column.name} references unknown table "{ref.fk.table}"',
                (ref.fk.span, ref.column.constraints_span, ref.column.span, ref.table.span),
                hint=suggestion(ref.fk.table, names),
            )


@check_rule(
    "R004",
    Severity.ERROR,
    "Foreign key references an unknown column",
    "A foreign key names a column that the referenced table does not have. The constraint cannot be "
    "created. Fix the column name, or write just the table (`FK → users`) to reference its primary key.",
    _FK_EXAMPLE_HEAD + "| author_id | BIGINT | FK → users.uid, ON DELETE CASCADE |",
)
def fk_unknown_column(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        target = spec.table(ref.fk.table)
        if target is None or ref.fk.column is None or target.column(ref.fk.column) is not None:
            continue
        yield Finding(
            f"foreign key {ref.table.name}.{ref.column.name} references unknown column "
            f'"{ref.fk.column}" of table "{target.name}"',
            (ref.fk.span, ref.column.constraints_span, ref.column.span, ref.table.span),
            hint=suggestion(ref.fk.column, [c.name for c in target.columns]),
        )


@check_rule(
    "R005",
    Severity.ERROR,
    "Foreign key target has no single-column primary key",
    'A foreign key names only a table (`FK → users`), which means "its primary key", but that table has '
    "no primary key or a composite one. Name the referenced column explicitly (`FK → users.id`).",
    "### memberships\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| user_id | BIGINT | PK, FK → users |\n| room_id | BIGINT | PK, FK → rooms |\n\n"
    "### badges\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| membership | BIGINT | FK → memberships |",
)
def fk_implicit_target(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        target = spec.table(ref.fk.table)
        if target is None or ref.fk.column is not None or len(target.primary_key) == 1:
            continue
        what = "no primary key" if not target.primary_key else "a composite primary key"
        yield Finding(
            f'foreign key {ref.table.name}.{ref.column.name} references table "{target.name}", which has '
            f"{what}",
            (ref.fk.span, ref.column.constraints_span, ref.column.span, ref.table.span),
            hint=f"name the referenced column: FK → {target.name}.<column>",
        )


def _is_unique(table: Table, column: Column) -> bool:
    if column.unique or table.primary_key == (column.name,):
        return True
    return any(ix.unique and ix.columns == (column.name,) for ix in table.indexes)


@check_rule(
    "R006",
    Severity.ERROR,
    "Foreign key references a non-unique column",
    "PostgreSQL only accepts a foreign key to columns with a primary key or unique constraint "
    '("there is no unique constraint matching given keys"). Reference the primary key, or mark the '
    "referenced column UNIQUE.",
    _FK_EXAMPLE_HEAD + "| author_email | VARCHAR(255) | FK → users.email, ON DELETE CASCADE |\n\n"
    "(where users.email is not UNIQUE)",
)
def fk_target_not_unique(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        target = spec.table(ref.fk.table)
        if target is None or ref.fk.column is None:
            continue
        column = target.column(ref.fk.column)
        if column is None or _is_unique(target, column):
            continue
        yield Finding(
            f"foreign key {ref.table.name}.{ref.column.name} references {target.name}.{column.name}, "
            "which is neither the primary key nor unique",
            (ref.fk.span, ref.column.constraints_span, ref.column.span, ref.table.span),
            hint=f"mark {target.name}.{column.name} UNIQUE or reference the primary key",
        )


def _comparable(type_text: str) -> tuple[str, int]:
    structured = sql_type(type_text)
    base = structured.base if structured.known else type_text.strip().upper()
    return base, structured.array_dims


@check_rule(
    "R007",
    Severity.WARNING,
    "Foreign key type differs from the referenced column",
    "A foreign key column should have the same type as the column it references; an INTEGER column "
    "pointing at a BIGINT primary key overflows once ids pass 2^31, and mixed text/number keys force casts "
    "on every join. Give the column the referenced column's type.",
    _FK_EXAMPLE_HEAD
    + "| author_id | INTEGER | FK → users.id, ON DELETE CASCADE |\n\n(where users.id is BIGINT)",
)
def fk_type_mismatch(spec: Spec) -> Iterator[Finding]:
    for ref in foreign_keys(spec):
        target_column = referenced_column(spec, ref.fk)
        if target_column is None:
            continue
        if _comparable(ref.column.type) == _comparable(target_column.type):
            continue
        yield Finding(
            f"foreign key {ref.table.name}.{ref.column.name} is {ref.column.type} but references "
            f"{ref.fk.table}.{target_column.name}, which is {target_column.type}",
            (ref.column.type_span, ref.column.span, ref.table.span),
            hint=f"declare {ref.column.name} as {target_column.type}",
        )
