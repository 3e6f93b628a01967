"""Changes to enum types, tables and columns (see `specc.diff.changes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from specc.db.dialect import POSTGRESQL, Dialect
from specc.db.model import (
    DbColumn,
    DbEnum,
    DbTable,
)
from specc.diff.change_base import (
    ADD_COLUMN,
    ALTER_COLUMN_DEFAULT,
    ALTER_COLUMN_NULLABLE,
    ALTER_COLUMN_TYPE,
    ALTER_ENUM,
    CREATE_ENUM,
    CREATE_TABLE,
    DROP_COLUMN,
    DROP_ENUM,
    DROP_TABLE,
    RENAME_COLUMN,
    RENAME_OBJECT,
    RENAME_TABLE,
    BaseChange,
)
from specc.ir.types import SqlType, sql_type

if TYPE_CHECKING:
    from specc.diff.changes import Change


# --- enums --------------------------------------------------------------------------------------------


class CreateEnum(BaseChange):
    kind: Literal["create_enum"] = "create_enum"
    phase: ClassVar[int] = CREATE_ENUM
    enum: DbEnum

    def reverse(self) -> Change:
        return DropEnum(enum=self.enum)

    def describe(self) -> str:
        return f"create enum type {self.enum.name}"

    def slug(self) -> str:
        return f"create_enum_{self.enum.name}"

    @property
    def table_name(self) -> str:
        return self.enum.name


class DropEnum(BaseChange):
    kind: Literal["drop_enum"] = "drop_enum"
    phase: ClassVar[int] = DROP_ENUM
    enum: DbEnum

    def reverse(self) -> Change:
        return CreateEnum(enum=self.enum)

    def describe(self) -> str:
        return f"drop enum type {self.enum.name}"

    def slug(self) -> str:
        return f"drop_enum_{self.enum.name}"

    @property
    def table_name(self) -> str:
        return self.enum.name


class RenameEnum(BaseChange):
    kind: Literal["rename_enum"] = "rename_enum"
    phase: ClassVar[int] = RENAME_OBJECT
    old_name: str
    new_name: str

    def reverse(self) -> Change:
        return RenameEnum(old_name=self.new_name, new_name=self.old_name)

    def describe(self) -> str:
        return f"rename enum type {self.old_name} to {self.new_name}"

    def slug(self) -> str:
        return f"rename_enum_{self.old_name}"

    @property
    def table_name(self) -> str:
        return self.new_name


class EnumUsage(BaseModel):
    """A column whose type is the enum (or an array of it): it is converted when the values change."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str
    column: str
    array_dims: int = 0
    default: str | None = None


class AlterEnumValues(BaseChange):
    kind: Literal["alter_enum_values"] = "alter_enum_values"
    phase: ClassVar[int] = ALTER_ENUM
    name: str
    old_values: tuple[str, ...]
    new_values: tuple[str, ...]
    usages: tuple[EnumUsage, ...] = ()

    def reverse(self) -> Change:
        return AlterEnumValues(
            name=self.name, old_values=self.new_values, new_values=self.old_values, usages=self.usages
        )

    def describe(self) -> str:
        return f"change the values of enum type {self.name}"

    def slug(self) -> str:
        return f"alter_enum_{self.name}"

    def risk(self) -> str | None:
        removed = [v for v in self.old_values if v not in self.new_values]
        if not removed:
            return None
        where = ", ".join(f"{u.table}.{u.column}" for u in self.usages) or "no column"
        return f"rows of {where} holding the removed value(s) {', '.join(removed)} of enum type {self.name}"

    @property
    def table_name(self) -> str:
        return self.name


# --- tables -------------------------------------------------------------------------------------------


class CreateTable(BaseChange):
    """Create a table with its columns, primary key, unique and check constraints.

    Indexes and foreign keys are separate changes so that tables referring to each other (even in a cycle)
    can be created in any order.
    """

    kind: Literal["create_table"] = "create_table"
    phase: ClassVar[int] = CREATE_TABLE
    table: DbTable

    def reverse(self) -> Change:
        return DropTable(table=self.table)

    def describe(self) -> str:
        return f"create table {self.table.name}"

    def slug(self) -> str:
        return f"create_{self.table.name}"

    @property
    def table_name(self) -> str:
        return self.table.name


class DropTable(BaseChange):
    kind: Literal["drop_table"] = "drop_table"
    phase: ClassVar[int] = DROP_TABLE
    table: DbTable

    def reverse(self) -> Change:
        return CreateTable(table=self.table)

    def describe(self) -> str:
        return f"drop table {self.table.name}"

    def slug(self) -> str:
        return f"drop_{self.table.name}"

    def risk(self) -> str | None:
        return f"table {self.table.name} and every row in it"

    @property
    def table_name(self) -> str:
        return self.table.name


class RenameTable(BaseChange):
    kind: Literal["rename_table"] = "rename_table"
    phase: ClassVar[int] = RENAME_TABLE
    old_name: str
    new_name: str

    def reverse(self) -> Change:
        return RenameTable(old_name=self.new_name, new_name=self.old_name)

    def describe(self) -> str:
        return f"rename table {self.old_name} to {self.new_name}"

    def slug(self) -> str:
        return f"rename_{self.old_name}_to_{self.new_name}"

    @property
    def table_name(self) -> str:
        return self.new_name


# --- columns ------------------------------------------------------------------------------------------


class AddColumn(BaseChange):
    kind: Literal["add_column"] = "add_column"
    phase: ClassVar[int] = ADD_COLUMN
    table: str
    column: DbColumn

    def reverse(self) -> Change:
        return DropColumn(table=self.table, column=self.column)

    def describe(self) -> str:
        return f"add column {self.table}.{self.column.name}"

    def slug(self) -> str:
        return f"add_{self.table}_{self.column.name}"

    def risk(self) -> str | None:
        """A NOT NULL column without a default (or serial) cannot be added to a table that has rows."""
        column = self.column
        if column.nullable or column.default is not None or column.autoincrement:
            return None
        return (
            f"the upgrade fails when {self.table} has rows (NOT NULL column {column.name} without a default)"
        )

    @property
    def table_name(self) -> str:
        return self.table


class DropColumn(BaseChange):
    kind: Literal["drop_column"] = "drop_column"
    phase: ClassVar[int] = DROP_COLUMN
    table: str
    column: DbColumn

    def reverse(self) -> Change:
        return AddColumn(table=self.table, column=self.column)

    def describe(self) -> str:
        return f"drop column {self.table}.{self.column.name}"

    def slug(self) -> str:
        return f"drop_{self.table}_{self.column.name}"

    def risk(self) -> str | None:
        return f"column {self.table}.{self.column.name} and the value it holds in every row"

    @property
    def table_name(self) -> str:
        return self.table


class RenameColumn(BaseChange):
    kind: Literal["rename_column"] = "rename_column"
    phase: ClassVar[int] = RENAME_COLUMN
    table: str
    old_name: str
    new_name: str
    column: DbColumn
    """The column as it is after the rename (Alembic's alter_column wants its type)."""

    def reverse(self) -> Change:
        return RenameColumn(
            table=self.table,
            old_name=self.new_name,
            new_name=self.old_name,
            column=self.column.model_copy(update={"name": self.old_name}),
        )

    def describe(self) -> str:
        return f"rename column {self.table}.{self.old_name} to {self.new_name}"

    def slug(self) -> str:
        return f"rename_{self.table}_{self.old_name}"

    @property
    def table_name(self) -> str:
        return self.table


def _length_rank(t: SqlType) -> float:
    return float("inf") if t.base == "TEXT" or t.length is None else float(t.length)


def _numeric_fits(old: SqlType, new: SqlType) -> bool:
    if new.precision is None:
        return True
    if old.precision is None:
        return False
    old_scale, new_scale = old.scale or 0, new.scale or 0
    return new_scale >= old_scale and new.precision - new_scale >= old.precision - old_scale


def is_widening(old_type: str, new_type: str, dialect: Dialect = POSTGRESQL) -> bool:
    """True when every value of `old_type` converts to `new_type` without loss (compatible widening), by
    the dialect's rankings and lossless pairs."""
    old, new = sql_type(old_type), sql_type(new_type)
    if old == new:
        return True
    if not (old.known and new.known) or old.array_dims != new.array_dims:
        return False
    integers, floats, texts = dialect.integer_rank, dialect.float_rank, dialect.text_types
    if old.base in integers and new.base in integers:
        return integers[new.base] >= integers[old.base]
    if old.base in floats and new.base in floats:
        return floats[new.base] >= floats[old.base]
    if old.base in texts and new.base in texts:
        return new.base != "CHAR" and _length_rank(new) >= _length_rank(old)
    if old.base == "NUMERIC" and new.base == "NUMERIC":
        return _numeric_fits(old, new)
    if old.base == "ENUM" and new.base in texts:
        longest = max((len(v) for v in old.enum_values), default=0)
        return _length_rank(new) >= longest
    if old.base == "ENUM" and new.base == "ENUM":
        return set(old.enum_values) <= set(new.enum_values)
    if old.base in integers and new.base == "NUMERIC":
        digits = dialect.integer_digits[old.base]
        return new.precision is None or new.precision - (new.scale or 0) >= digits
    return (old.base, new.base) in dialect.lossless_conversions


class AlterColumnType(BaseChange):
    kind: Literal["alter_column_type"] = "alter_column_type"
    phase: ClassVar[int] = ALTER_COLUMN_TYPE
    table: str
    old: DbColumn
    new: DbColumn
    """The column before and after; only type (and enum) differ."""

    def reverse(self) -> Change:
        return AlterColumnType(table=self.table, old=self.new, new=self.old)

    def describe(self) -> str:
        return f"change type of {self.table}.{self.new.name} from {self.old.type} to {self.new.type}"

    def slug(self) -> str:
        return f"alter_{self.table}_{self.new.name}_type"

    def risk(self) -> str | None:
        if is_widening(self.old.type, self.new.type):
            return None
        where = f"{self.table}.{self.new.name}"
        return f"values of {where} that do not fit {self.new.type} (narrowing from {self.old.type})"

    @property
    def table_name(self) -> str:
        return self.table


class AlterColumnNullable(BaseChange):
    kind: Literal["alter_column_nullable"] = "alter_column_nullable"
    phase: ClassVar[int] = ALTER_COLUMN_NULLABLE
    table: str
    column: DbColumn
    """The column after the change."""
    old_nullable: bool

    def reverse(self) -> Change:
        return AlterColumnNullable(
            table=self.table,
            column=self.column.model_copy(update={"nullable": self.old_nullable}),
            old_nullable=self.column.nullable,
        )

    def describe(self) -> str:
        state = "nullable" if self.column.nullable else "NOT NULL"
        return f"make {self.table}.{self.column.name} {state}"

    def slug(self) -> str:
        state = "nullable" if self.column.nullable else "not_null"
        return f"make_{self.table}_{self.column.name}_{state}"

    def risk(self) -> str | None:
        if self.column.nullable or self.column.default is not None:
            return None
        return (
            f"rows of {self.table} where {self.column.name} is NULL "
            "(NOT NULL without a default: the upgrade fails on them)"
        )

    @property
    def table_name(self) -> str:
        return self.table


class AlterColumnDefault(BaseChange):
    kind: Literal["alter_column_default"] = "alter_column_default"
    phase: ClassVar[int] = ALTER_COLUMN_DEFAULT
    table: str
    column: DbColumn
    """The column after the change."""
    old_default: str | None

    def reverse(self) -> Change:
        return AlterColumnDefault(
            table=self.table,
            column=self.column.model_copy(update={"default": self.old_default}),
            old_default=self.column.default,
        )

    def describe(self) -> str:
        return f"change server default of {self.table}.{self.column.name}"

    def slug(self) -> str:
        return f"alter_{self.table}_{self.column.name}_default"

    @property
    def table_name(self) -> str:
        return self.table


class AlterColumnAutoincrement(BaseChange):
    """Make an integer key column serial (a sequence owned by the column feeds its default), or plain."""

    kind: Literal["alter_column_autoincrement"] = "alter_column_autoincrement"
    phase: ClassVar[int] = ALTER_COLUMN_DEFAULT
    table: str
    column: DbColumn
    """The column after the change."""

    def reverse(self) -> Change:
        flipped = self.column.model_copy(update={"autoincrement": not self.column.autoincrement})
        return AlterColumnAutoincrement(table=self.table, column=flipped)

    def describe(self) -> str:
        state = "auto-increment" if self.column.autoincrement else "not auto-increment"
        return f"make {self.table}.{self.column.name} {state}"

    def slug(self) -> str:
        return f"alter_{self.table}_{self.column.name}_autoincrement"

    @property
    def table_name(self) -> str:
        return self.table
