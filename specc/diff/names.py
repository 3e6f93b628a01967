"""Constraint, index and enum-type names: the names the generated models' naming convention gives.

The models writer puts `NAMING_CONVENTION` on `Base.metadata`; migrations must create exactly those names, or
Alembic's comparison would see every constraint as dropped and re-added. The rules live in
`specc.emit.models.conventions` (shared with the database reader) and `specc.emit.sqltypes`; this module is
the differ's single doorway to them. Every name here fits PostgreSQL's 63 bytes
(`conventions.fit_identifier`).
"""

from __future__ import annotations

from specc.emit.models import conventions
from specc.emit.sqltypes import enum_type_name


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


def enum_name(table: str, column: str) -> str:
    return enum_type_name(table, column)
