"""SQL text in generated Python: how it reaches SQLAlchemy without being rewritten.

`sa.text(...)` (and a string given to `sa.CheckConstraint` or to Alembic's `op.execute`, which SQLAlchemy
wraps in `text()`) reads `:name` as a bind parameter, even inside a SQL string constant:
`DEFAULT '{"a":1}'` would be rendered `'{"a"NULL}'`. Which colons count, and when a backslash before one is
removed, differs between SQLAlchemy releases (2.0 treats `$` as part of a name, 2.1 does not), so no
escaping is right for every release. Every release leaves a colon alone unless it stands outside a run of
colons (`::text` casts are safe) and is followed by a name character or preceded by a backslash
(`:=` is safe). Text with such a colon goes through a construct SQLAlchemy does not parse:
`sa.literal_column(...)` for an expression, `sa.DDL(...)` for a statement (whose only rule is `%` → `%%`,
as it is %-formatted).
"""

from __future__ import annotations


def parameter_like(sql: str) -> bool:
    """True when some SQLAlchemy release could read a colon in `sql` as a bind parameter (or eat the
    backslash before it): a colon outside a run of colons, followed by a name character or after `\\`."""
    n = len(sql)
    i = 0
    while i < n:
        if sql[i] != ":":
            i += 1
            continue
        j = i
        while j < n and sql[j] == ":":
            j += 1
        named = j < n and (sql[j].isalnum() or sql[j] in "_$")
        if j - i == 1 and (named or (i > 0 and sql[i - 1] == "\\")):
            return True
        i = j
    return False


def ddl_statement(sql: str) -> str:
    """`sql` as the argument of `sa.DDL()`, which %-formats its statement: percent signs doubled."""
    return sql.replace("%", "%%")
