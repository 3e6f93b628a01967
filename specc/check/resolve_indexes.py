"""Resolution: indexes must name columns of their table (the parser reports unknown index tables)."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import suggestion
from specc.diagnostics import Severity
from specc.ir.model import Spec


@check_rule(
    "R008",
    Severity.ERROR,
    "Index names an unknown column",
    "An entry of the Indexes table names a column its table does not have, so the index cannot be created. "
    "Fix the column name or add the column to the table.",
    "### Indexes\n\n| Table | Column(s) | Type | Why |\n| --- | --- | --- | --- |\n"
    "| messages | room_id, created | BTREE | History queries |",
)
def index_unknown_column(spec: Spec) -> Iterator[Finding]:
    for table in spec.tables:
        names = [c.name for c in table.columns]
        for index in table.indexes:
            for name in index.columns:
                if table.column(name) is None:
                    yield Finding(
                        f'index on table "{table.name}" names unknown column "{name}"',
                        (index.span, table.span),
                        hint=suggestion(name, names),
                    )
