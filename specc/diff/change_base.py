"""The base of every schema change and the phases that order an upgrade (`specc.diff.changes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from specc.diff.changes import Change


class BaseChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    phase: ClassVar[int]

    def reverse(self) -> Change:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def slug(self) -> str:
        raise NotImplementedError

    def risk(self) -> str | None:
        """What data this change can destroy, or None when it keeps every row and value."""
        return None

    @property
    def table_name(self) -> str:
        """The table the change is about (enum changes: the enum's name), for sorting and locations."""
        raise NotImplementedError

    def sort_key(self) -> tuple[int, str, str]:
        return (self.phase, self.table_name, self.describe())


# Phases of an upgrade, in order. A downgrade runs the reversed list, so phase N's inverse runs where the
# mirror phase would: renames first (upgrade) / last (downgrade), creation before use, removal after.
RENAME_TABLE = 10
RENAME_COLUMN = 20
RENAME_OBJECT = 30
CREATE_ENUM = 40
ALTER_ENUM = 45
DROP_FOREIGN_KEY = 50
DROP_INDEX = 60
DROP_CONSTRAINT = 61
DROP_PRIMARY_KEY = 62
CREATE_TABLE = 70
ADD_COLUMN = 80
ALTER_COLUMN_TYPE = 90
ALTER_COLUMN_DEFAULT = 91
ALTER_COLUMN_NULLABLE = 92
ADD_PRIMARY_KEY = 100
ADD_CONSTRAINT = 101
CREATE_INDEX = 102
ADD_FOREIGN_KEY = 110
DROP_COLUMN = 120
DROP_TABLE = 130
DROP_ENUM = 140
