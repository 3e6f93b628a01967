"""IR × IR → typed, reversible changes. Used by migrations (last built IR → current IR) and drift."""

from specc.diff.changes import BaseChange, Change, reverse_all
from specc.diff.differ import diff_db_schemas, diff_schemas
from specc.diff.schema import DbSchema, lower

__all__ = ["BaseChange", "Change", "DbSchema", "diff_db_schemas", "diff_schemas", "lower", "reverse_all"]
