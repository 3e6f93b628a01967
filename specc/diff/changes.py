"""Typed, reversible schema changes: one class per kind of change.

Every change knows its inverse (`reverse()`), a short human description (`describe()`), a slug for revision
file names (`slug()`), the data it puts at risk when it is destructive (`risk()`), and its `phase`: the
position of its kind in an upgrade, chosen so that foreign keys never point at missing tables or columns.
A list of changes sorted by phase is a valid upgrade; the reversed list of reversed changes is a valid
downgrade (phases mirror each other: what an upgrade creates late, a downgrade removes early).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from specc.diff.change_base import (
    ADD_COLUMN,
    ADD_CONSTRAINT,
    ADD_FOREIGN_KEY,
    ADD_PRIMARY_KEY,
    ALTER_COLUMN_DEFAULT,
    ALTER_COLUMN_NULLABLE,
    ALTER_COLUMN_TYPE,
    ALTER_ENUM,
    CREATE_ENUM,
    CREATE_INDEX,
    CREATE_TABLE,
    DROP_COLUMN,
    DROP_CONSTRAINT,
    DROP_ENUM,
    DROP_FOREIGN_KEY,
    DROP_INDEX,
    DROP_PRIMARY_KEY,
    DROP_TABLE,
    RENAME_COLUMN,
    RENAME_OBJECT,
    RENAME_TABLE,
    BaseChange,
)
from specc.diff.change_constraints import (
    AddCheck,
    AddForeignKey,
    AddPrimaryKey,
    AddUnique,
    CreateIndex,
    DropCheck,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropUnique,
    RenameConstraint,
    RenameIndex,
)
from specc.diff.change_tables import (
    AddColumn,
    AlterColumnAutoincrement,
    AlterColumnDefault,
    AlterColumnNullable,
    AlterColumnType,
    AlterEnumValues,
    CreateEnum,
    CreateTable,
    DropColumn,
    DropEnum,
    DropTable,
    EnumUsage,
    RenameColumn,
    RenameEnum,
    RenameTable,
    is_widening,
)

__all__ = [
    "ADD_COLUMN",
    "ADD_CONSTRAINT",
    "ADD_FOREIGN_KEY",
    "ADD_PRIMARY_KEY",
    "ALTER_COLUMN_DEFAULT",
    "ALTER_COLUMN_NULLABLE",
    "ALTER_COLUMN_TYPE",
    "ALTER_ENUM",
    "CREATE_ENUM",
    "CREATE_INDEX",
    "CREATE_TABLE",
    "DROP_COLUMN",
    "DROP_CONSTRAINT",
    "DROP_ENUM",
    "DROP_FOREIGN_KEY",
    "DROP_INDEX",
    "DROP_PRIMARY_KEY",
    "DROP_TABLE",
    "RENAME_COLUMN",
    "RENAME_OBJECT",
    "RENAME_TABLE",
    "AddCheck",
    "AddColumn",
    "AddForeignKey",
    "AddPrimaryKey",
    "AddUnique",
    "AlterColumnAutoincrement",
    "AlterColumnDefault",
    "AlterColumnNullable",
    "AlterColumnType",
    "AlterEnumValues",
    "BaseChange",
    "Change",
    "CreateEnum",
    "CreateIndex",
    "CreateTable",
    "DropCheck",
    "DropColumn",
    "DropEnum",
    "DropForeignKey",
    "DropIndex",
    "DropPrimaryKey",
    "DropTable",
    "DropUnique",
    "EnumUsage",
    "RenameColumn",
    "RenameConstraint",
    "RenameEnum",
    "RenameIndex",
    "RenameTable",
    "is_widening",
    "reverse_all",
]

Change = Annotated[
    CreateEnum
    | DropEnum
    | RenameEnum
    | AlterEnumValues
    | CreateTable
    | DropTable
    | RenameTable
    | AddColumn
    | DropColumn
    | RenameColumn
    | AlterColumnType
    | AlterColumnNullable
    | AlterColumnDefault
    | AlterColumnAutoincrement
    | AddPrimaryKey
    | DropPrimaryKey
    | AddUnique
    | DropUnique
    | AddCheck
    | DropCheck
    | CreateIndex
    | DropIndex
    | AddForeignKey
    | DropForeignKey
    | RenameConstraint
    | RenameIndex,
    Field(discriminator="kind"),
]
"""Any change; JSON-serialisable through its `kind` discriminator."""


def reverse_all(changes: list[Change]) -> list[Change]:
    """The downgrade of an upgrade: each change reversed, in reverse order."""
    return [change.reverse() for change in reversed(changes)]
