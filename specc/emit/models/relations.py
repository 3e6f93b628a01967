"""Relationship attributes of the generated models, planned for both sides at once.

Sources:

- Every foreign-key column `T.c → R` gives a many-to-one attribute on `T` and its one-to-many (one-to-one
  when `c` is unique) partner on `R`, linked with `back_populates`.
- Every many-to-many relationship of the spec with a `through` table that has exactly one foreign key to
  each side gives a collection on both sides (`secondary=`); `overlaps=` names the association table's own
  relationships, which write the same columns.

Names (deterministic, never colliding with columns or each other):

- many-to-one: the column without `_id` (`sender_id` → `sender`), else `<column>_<singular target>`.
- one-to-many: the source table (`messages`) when `T` has one foreign key to `R` and it is called
  `<singular R>_id`, else `<table>_<many-to-one name>` (`messages_sender`); one-to-one uses the singular.
- many-to-many: the other table's name (`rooms`, `users`).

Loading and deleting (see docs/ARCHITECTURE.md, Key Decisions): every relationship is `lazy="raise_on_sql"`,
so code loads related rows explicitly (`selectinload` in the query) instead of an implicit lazy load that
fails with MissingGreenlet under asyncio (the unit of work still loads what a flush needs). A one-to-many (or
one-to-one) side over a foreign key with ON DELETE CASCADE or SET NULL, and a many-to-many side whose
association row is deleted by ON DELETE CASCADE, has `passive_deletes=True`: the database does the work, and
the ORM neither loads the rows nor blanks out their key column (a primary-key column of an association table:
the delete fails). Over ON DELETE CASCADE the side also has `cascade="all, delete"`, so related objects
already loaded are deleted with it.

Skipped (the linter reports them): foreign keys to tables not in the spec, self-referential many-to-many,
and through tables without exactly one foreign key to each side.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from specc.db.conventions import normalize_action, referenced_column
from specc.emit.models.names import ModelNames
from specc.emit.naming import singular, snake
from specc.ir.model import Column, Spec, Table


@dataclass
class RelAttr:
    """One `relationship()` attribute on the model of `table`."""

    table: str
    name: str
    target: str
    collection: bool
    optional: bool
    back_populates: str = ""
    foreign_keys: str | None = None
    """Attribute path (`Message.sender_id`) when the join is ambiguous."""
    remote_side: str | None = None
    secondary: str | None = None
    overlaps: list[str] = field(default_factory=list)
    passive_deletes: bool = False
    """The database removes (ON DELETE CASCADE) or unlinks (ON DELETE SET NULL) the related rows when a row
    of `table` is deleted: the ORM must not load them to do it itself."""
    cascade_delete: bool = False
    """ON DELETE CASCADE: loaded related objects are deleted with their parent (`cascade="all, delete"`), as
    the database deletes the unloaded ones; without it the ORM would blank out their foreign key."""


@dataclass(frozen=True)
class _ForeignKeyEdge:
    source: Table
    column: Column
    target: Table
    target_column: str


def _edges(spec: Spec) -> list[_ForeignKeyEdge]:
    edges: list[_ForeignKeyEdge] = []
    seen: set[str] = set()
    for table in sorted(spec.tables, key=lambda t: t.name):
        if table.name in seen:
            continue
        seen.add(table.name)
        columns_seen: set[str] = set()
        for col in table.columns:
            if col.foreign_key is None or col.name in columns_seen:
                continue
            columns_seen.add(col.name)
            target = spec.table(col.foreign_key.table)
            if target is None:
                continue
            target_column = referenced_column(spec, col.foreign_key)
            if target.column(target_column) is None:
                continue
            edges.append(_ForeignKeyEdge(table, col, target, target_column))
    return edges


def _on_delete(column: Column) -> str | None:
    return normalize_action(column.foreign_key.on_delete) if column.foreign_key is not None else None


def _many_to_one_stem(column: str, target: str) -> str:
    if column.endswith("_id") and len(column) > 3:
        return column[:-3]
    return f"{column}_{singular(snake(target))}"


def plan_relationships(spec: Spec, names: ModelNames) -> dict[str, list[RelAttr]]:
    """table → its relationship attributes, in a deterministic order."""
    plan: dict[str, list[RelAttr]] = {t.name: [] for t in spec.tables}
    edges = _edges(spec)
    pair_count = Counter(frozenset((e.source.name, e.target.name)) for e in edges)
    per_direction = Counter((e.source.name, e.target.name) for e in edges)
    by_column: dict[tuple[str, str], RelAttr] = {}
    partners: dict[tuple[str, str], RelAttr] = {}

    for edge in edges:
        src, dst = edge.source.name, edge.target.name
        stem = _many_to_one_stem(edge.column.name, dst)
        forward = RelAttr(
            table=src,
            name=names.claim(src, stem),
            target=dst,
            collection=False,
            optional=edge.column.nullable and not edge.column.primary_key,
        )
        one_to_one = edge.column.unique or edge.source.primary_key == (edge.column.name,)
        canonical = edge.column.name == f"{singular(snake(dst))}_id"
        if per_direction[(src, dst)] == 1 and src != dst and canonical:
            back_wanted = singular(snake(src)) if one_to_one else snake(src)
        else:
            back_wanted = f"{snake(src)}_{stem}"
            if one_to_one:
                back_wanted = f"{singular(snake(src))}_{stem}"
        backward = RelAttr(
            table=dst,
            name=names.claim(dst, back_wanted),
            target=src,
            collection=not one_to_one,
            optional=one_to_one,
        )
        forward.back_populates = backward.name
        backward.back_populates = forward.name
        action = _on_delete(edge.column)
        if action in ("CASCADE", "SET NULL"):
            backward.passive_deletes = True
            backward.cascade_delete = action == "CASCADE"
        src_class = names.classes[src]
        if pair_count[frozenset((src, dst))] > 1 or src == dst:
            path = f"{src_class}.{names.attribute(src, edge.column.name)}"
            forward.foreign_keys = path
            backward.foreign_keys = path
        if src == dst:
            forward.remote_side = f"{src_class}.{names.attribute(dst, edge.target_column)}"
        plan[src].append(forward)
        plan[dst].append(backward)
        by_column[(src, edge.column.name)] = forward
        partners[(src, edge.column.name)] = backward

    _plan_many_to_many(spec, names, edges, plan, by_column, partners)
    return plan


def _plan_many_to_many(
    spec: Spec,
    names: ModelNames,
    edges: list[_ForeignKeyEdge],
    plan: dict[str, list[RelAttr]],
    by_column: dict[tuple[str, str], RelAttr],
    partners: dict[tuple[str, str], RelAttr],
) -> None:
    done: set[tuple[frozenset[str], str]] = set()
    for rel in spec.relationships:
        if rel.kind != "many-to-many" or rel.through is None:
            continue
        a, b, through = rel.from_, rel.to, rel.through
        key = (frozenset((a, b)), through)
        if a == b or key in done or spec.table(a) is None or spec.table(b) is None:
            continue
        to_a = [e for e in edges if e.source.name == through and e.target.name == a]
        to_b = [e for e in edges if e.source.name == through and e.target.name == b]
        if len(to_a) != 1 or len(to_b) != 1:
            continue
        done.add(key)
        overlapping: list[str] = []
        for edge in (to_a[0], to_b[0]):
            overlapping.append(by_column[(through, edge.column.name)].name)
            overlapping.append(partners[(through, edge.column.name)].name)
        side_a = RelAttr(table=a, name=names.claim(a, snake(b)), target=b, collection=True, optional=False)
        side_b = RelAttr(table=b, name=names.claim(b, snake(a)), target=a, collection=True, optional=False)
        side_a.back_populates = side_b.name
        side_b.back_populates = side_a.name
        for side, edge in ((side_a, to_a[0]), (side_b, to_b[0])):
            side.secondary = through
            side.overlaps = sorted(set(overlapping))
            # Deleting this side's row: the database deletes its association rows (ON DELETE CASCADE).
            side.passive_deletes = _on_delete(edge.column) == "CASCADE"
        plan[a].append(side_a)
        plan[b].append(side_b)
