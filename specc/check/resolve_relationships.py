"""Resolution: relationships must connect existing tables, and many-to-many must go through one."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import suggestion
from specc.diagnostics import Severity
from specc.ir.model import Spec


@check_rule(
    "R009",
    Severity.ERROR,
    "Relationship names an unknown table",
    "A line of the Relationships section names a table the Database Schema does not define, so no model "
    "relationship can be generated for it. Fix the spelling or add the table.",
    "### Relationships\n\n- users → post: one-to-many (user writes posts)",
)
def relationship_unknown_table(spec: Spec) -> Iterator[Finding]:
    names = [t.name for t in spec.tables]
    for rel in spec.relationships:
        for side, name in (("from", rel.from_), ("to", rel.to)):
            if spec.table(name) is None:
                yield Finding(
                    f'relationship {rel.from_} → {rel.to} names unknown table "{name}" ({side} side)',
                    (rel.span,),
                    hint=suggestion(name, names),
                )


@check_rule(
    "R010",
    Severity.ERROR,
    "Many-to-many through an unknown table",
    "A many-to-many relationship goes `through` an association table that the Database Schema does not "
    "define. Add the association table (one foreign key to each side) or fix its name.",
    "### Relationships\n\n- users ↔ rooms: many-to-many through room_member",
)
def relationship_unknown_through(spec: Spec) -> Iterator[Finding]:
    names = [t.name for t in spec.tables]
    for rel in spec.relationships:
        if rel.through is not None and spec.table(rel.through) is None:
            yield Finding(
                f"many-to-many relationship {rel.from_} ↔ {rel.to} goes through unknown table "
                f'"{rel.through}"',
                (rel.span,),
                hint=suggestion(rel.through, names),
            )
