"""`DbSchema` × `DbSchema` → typed, reversible changes; and where a change shows in the spec.

Used by migrations (the lock's head → the spec's schema), `migrate verify` and, later, drift. A change
becomes a finding at a spec location through `specc.diff.location` (the seam drift reports through).

The names below are imported on first use (PEP 562), so a module that needs only `specc.db.names` (the
name checks of `specc check`) does not pay for the change classes and the differ at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from specc.diff.changes import BaseChange, Change, reverse_all
    from specc.diff.differ import Renames, diff_db_schemas, diff_schemas
    from specc.diff.location import SpecLocation, locate

__all__ = [
    "BaseChange",
    "Change",
    "Renames",
    "SpecLocation",
    "diff_db_schemas",
    "diff_schemas",
    "locate",
    "reverse_all",
]

_HOME = {
    "BaseChange": "specc.diff.changes",
    "Change": "specc.diff.changes",
    "reverse_all": "specc.diff.changes",
    "diff_db_schemas": "specc.diff.differ",
    "diff_schemas": "specc.diff.differ",
    "Renames": "specc.diff.differ",
    "SpecLocation": "specc.diff.location",
    "locate": "specc.diff.location",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'specc.diff' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
