"""SQL text in generated Python: how it reaches SQLAlchemy without being rewritten.

`sa.text(...)` (and a string given to `sa.CheckConstraint` or to Alembic's `op.execute`, which SQLAlchemy
wraps in `text()`) reads `:name` as a bind parameter, even inside a SQL string constant:
`DEFAULT '{"a":1}'` would be rendered `'{"a"NULL}'`. Which colons count, and when a backslash before one is
removed, differs between SQLAlchemy releases (2.0 treats `$` as part of a name, 2.1 does not), so no
escaping is right for every release. A colon that is part of a run of two or more (`::text` casts) is never
read as a parameter by any release; text with a lone colon goes through a construct SQLAlchemy does not
parse: `sa.literal_column(...)` for an expression, `sa.DDL(...)` for a statement (whose only rule is
`%` → `%%`, as it is %-formatted).
"""

from __future__ import annotations


def has_lone_colon(sql: str) -> bool:
    """True when `sql` holds a colon that is not part of a run of two or more colons."""
    n = len(sql)
    i = 0
    while i < n:
        if sql[i] == ":":
            j = i
            while j < n and sql[j] == ":":
                j += 1
            if j - i == 1:
                return True
            i = j
        else:
            i += 1
    return False


def ddl_statement(sql: str) -> str:
    """`sql` as the argument of `sa.DDL()`, which %-formats its statement: percent signs doubled."""
    return sql.replace("%", "%%")
