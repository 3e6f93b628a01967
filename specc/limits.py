"""Documented limits on what specc reads: sizes no real document reaches, so that hostile or broken input is
reported as a located diagnostic instead of exhausting the stack, Python's integer conversion or the time
budget. docs/guide/document-format.md lists them ("Limits"); tests/parse/test_limits.py pins each one.

Every reader stays linear in the size of its input below these limits; the limits bound what would
otherwise be unbounded (nesting, which costs stack; digits, which cost quadratic conversions) or what the
generated code cannot hold (array dimensions, which become nested Python expressions).
"""

from __future__ import annotations

MAX_JSON_DEPTH = 32
"""Nesting of objects and arrays in a JSON body; the outermost object or array is level 1 (P021)."""

MAX_NUMBER_LENGTH = 100
"""Characters of one number in a JSON body: sign, digits, fraction and exponent (P021)."""

MAX_ARRAY_DIMENSIONS = 6
"""`[]` suffixes of a column type; PostgreSQL's own limit on the dimensions of an array value (P021)."""

MAX_CELL_LENGTH = 1_048_576
"""Characters of one table cell (P021)."""

MAX_BODY_LENGTH = 1_048_576
"""Characters of one JSON body fence (P021)."""

MAX_LOCK_DEPTH = 32
"""Nesting of arrays and objects in `specc.lock.json`; specc writes at most 6 levels (M005)."""

MAX_LOCK_NUMBER_LENGTH = 20
"""Characters of one number in `specc.lock.json`; specc writes only the format version there (M005)."""

MAX_CONFIG_VALUE_LENGTH = 4096
"""Characters of one string in `[tool.specc]` (a path's length limit on Linux; exit code 2)."""
