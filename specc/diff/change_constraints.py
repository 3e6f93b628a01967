"""Changes to keys, constraints and indexes (see `specc.diff.changes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from specc.db.model import (
    DbCheck,
    DbForeignKey,
    DbIndex,
    DbPrimaryKey,
    DbUnique,
)
from specc.diff.change_base import (
    ADD_CONSTRAINT,
    ADD_FOREIGN_KEY,
    ADD_PRIMARY_KEY,
    CREATE_INDEX,
    DROP_CONSTRAINT,
    DROP_FOREIGN_KEY,
    DROP_INDEX,
    DROP_PRIMARY_KEY,
    RENAME_OBJECT,
    BaseChange,
)

if TYPE_CHECKING:
    from specc.diff.changes import Change


# --- keys, constraints, indexes -----------------------------------------------------------------------


class AddPrimaryKey(BaseChange):
    kind: Literal["add_primary_key"] = "add_primary_key"
    phase: ClassVar[int] = ADD_PRIMARY_KEY
    table: str
    primary_key: DbPrimaryKey

    def reverse(self) -> Change:
        return DropPrimaryKey(table=self.table, primary_key=self.primary_key)

    def describe(self) -> str:
        return (
            f"add primary key {self.primary_key.name} on {self.table}({', '.join(self.primary_key.columns)})"
        )

    def slug(self) -> str:
        return f"add_{self.table}_primary_key"

    @property
    def table_name(self) -> str:
        return self.table


class DropPrimaryKey(BaseChange):
    kind: Literal["drop_primary_key"] = "drop_primary_key"
    phase: ClassVar[int] = DROP_PRIMARY_KEY
    table: str
    primary_key: DbPrimaryKey

    def reverse(self) -> Change:
        return AddPrimaryKey(table=self.table, primary_key=self.primary_key)

    def describe(self) -> str:
        return f"drop primary key {self.primary_key.name} of {self.table}"

    def slug(self) -> str:
        return f"drop_{self.table}_primary_key"

    @property
    def table_name(self) -> str:
        return self.table


class AddUnique(BaseChange):
    kind: Literal["add_unique"] = "add_unique"
    phase: ClassVar[int] = ADD_CONSTRAINT
    table: str
    unique: DbUnique

    def reverse(self) -> Change:
        return DropUnique(table=self.table, unique=self.unique)

    def describe(self) -> str:
        return f"add unique constraint {self.unique.name} on {self.table}({', '.join(self.unique.columns)})"

    def slug(self) -> str:
        return f"add_{self.unique.name}"

    @property
    def table_name(self) -> str:
        return self.table


class DropUnique(BaseChange):
    kind: Literal["drop_unique"] = "drop_unique"
    phase: ClassVar[int] = DROP_CONSTRAINT
    table: str
    unique: DbUnique

    def reverse(self) -> Change:
        return AddUnique(table=self.table, unique=self.unique)

    def describe(self) -> str:
        return f"drop unique constraint {self.unique.name} of {self.table}"

    def slug(self) -> str:
        return f"drop_{self.unique.name}"

    @property
    def table_name(self) -> str:
        return self.table


class AddCheck(BaseChange):
    kind: Literal["add_check"] = "add_check"
    phase: ClassVar[int] = ADD_CONSTRAINT
    table: str
    check: DbCheck

    def reverse(self) -> Change:
        return DropCheck(table=self.table, check=self.check)

    def describe(self) -> str:
        return f"add check constraint {self.check.name} on {self.table}"

    def slug(self) -> str:
        return f"add_{self.check.name}"

    @property
    def table_name(self) -> str:
        return self.table


class DropCheck(BaseChange):
    kind: Literal["drop_check"] = "drop_check"
    phase: ClassVar[int] = DROP_CONSTRAINT
    table: str
    check: DbCheck

    def reverse(self) -> Change:
        return AddCheck(table=self.table, check=self.check)

    def describe(self) -> str:
        return f"drop check constraint {self.check.name} of {self.table}"

    def slug(self) -> str:
        return f"drop_{self.check.name}"

    @property
    def table_name(self) -> str:
        return self.table


class CreateIndex(BaseChange):
    kind: Literal["create_index"] = "create_index"
    phase: ClassVar[int] = CREATE_INDEX
    table: str
    index: DbIndex

    def reverse(self) -> Change:
        return DropIndex(table=self.table, index=self.index)

    def describe(self) -> str:
        return f"create index {self.index.name} on {self.table}({', '.join(self.index.columns)})"

    def slug(self) -> str:
        return f"add_{self.index.name}"

    @property
    def table_name(self) -> str:
        return self.table


class DropIndex(BaseChange):
    kind: Literal["drop_index"] = "drop_index"
    phase: ClassVar[int] = DROP_INDEX
    table: str
    index: DbIndex

    def reverse(self) -> Change:
        return CreateIndex(table=self.table, index=self.index)

    def describe(self) -> str:
        return f"drop index {self.index.name} of {self.table}"

    def slug(self) -> str:
        return f"drop_{self.index.name}"

    @property
    def table_name(self) -> str:
        return self.table


class AddForeignKey(BaseChange):
    kind: Literal["add_foreign_key"] = "add_foreign_key"
    phase: ClassVar[int] = ADD_FOREIGN_KEY
    table: str
    foreign_key: DbForeignKey

    def reverse(self) -> Change:
        return DropForeignKey(table=self.table, foreign_key=self.foreign_key)

    def describe(self) -> str:
        fk = self.foreign_key
        return f"add foreign key {fk.name} {self.table}({', '.join(fk.columns)}) → {fk.ref_table}"

    def slug(self) -> str:
        return f"add_{self.foreign_key.name}"

    @property
    def table_name(self) -> str:
        return self.table


class DropForeignKey(BaseChange):
    kind: Literal["drop_foreign_key"] = "drop_foreign_key"
    phase: ClassVar[int] = DROP_FOREIGN_KEY
    table: str
    foreign_key: DbForeignKey

    def reverse(self) -> Change:
        return AddForeignKey(table=self.table, foreign_key=self.foreign_key)

    def describe(self) -> str:
        return f"drop foreign key {self.foreign_key.name} of {self.table}"

    def slug(self) -> str:
        return f"drop_{self.foreign_key.name}"

    @property
    def table_name(self) -> str:
        return self.table


class RenameConstraint(BaseChange):
    """Rename a primary key, unique, check or foreign-key constraint (its definition is unchanged)."""

    kind: Literal["rename_constraint"] = "rename_constraint"
    phase: ClassVar[int] = RENAME_OBJECT
    table: str
    old_name: str
    new_name: str

    def reverse(self) -> Change:
        return RenameConstraint(table=self.table, old_name=self.new_name, new_name=self.old_name)

    def describe(self) -> str:
        return f"rename constraint {self.old_name} of {self.table} to {self.new_name}"

    def slug(self) -> str:
        return f"rename_{self.old_name}"

    @property
    def table_name(self) -> str:
        return self.table


class RenameIndex(BaseChange):
    kind: Literal["rename_index"] = "rename_index"
    phase: ClassVar[int] = RENAME_OBJECT
    table: str
    old_name: str
    new_name: str

    def reverse(self) -> Change:
        return RenameIndex(table=self.table, old_name=self.new_name, new_name=self.old_name)

    def describe(self) -> str:
        return f"rename index {self.old_name} of {self.table} to {self.new_name}"

    def slug(self) -> str:
        return f"rename_{self.old_name}"

    @property
    def table_name(self) -> str:
        return self.table
