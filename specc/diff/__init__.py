"""IR × IR → typed, reversible changes. Used by migrations (last built IR → current IR) and drift.

The names below are imported on first use (PEP 562), so a module that needs only `specc.diff.names` (the
name checks of `specc check`) does not pay for the change classes and the differ at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.diff.changes import BaseChange, Change, reverse_all
    from specc.diff.differ import diff_db_schemas, diff_schemas
    from specc.diff.schema import DbSchema, lower

__all__ = ["BaseChange", "Change", "DbSchema", "diff_db_schemas", "diff_schemas", "lower", "reverse_all"]

_HOME = {
    "BaseChange": "specc.diff.changes",
    "Change": "specc.diff.changes",
    "reverse_all": "specc.diff.changes",
    "diff_db_schemas": "specc.diff.differ",
    "diff_schemas": "specc.diff.differ",
    "DbSchema": "specc.diff.schema",
    "lower": "specc.diff.schema",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'specc.diff' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
