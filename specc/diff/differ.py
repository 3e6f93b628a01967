"""`DbSchema` × `DbSchema` → ordered list of typed changes.

Both sides are database-level models (`specc.db.model`): the old one from the lock file (or a database),
the new one lowered from the spec (`specc.db.lower`). Renames come only from the new spec's `renamed_from`
hints (`Renames.from_spec`); a hint whose old name is unknown (or still in use) is ignored, so a
hint left in the document after its rename landed is harmless. Constraints and indexes are matched by
definition, not by name: one whose definition is unchanged but whose derived name changed (because its
table or column was renamed) is renamed, never dropped and re-created.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from specc.db.lower import lower
from specc.db.model import DbCheck, DbColumn, DbForeignKey, DbIndex, DbSchema, DbTable, DbUnique
from specc.diff.changes import (
    RENAME_COLUMN,
    RENAME_OBJECT,
    RENAME_TABLE,
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AddUnique,
    AlterColumnAutoincrement,
    AlterColumnDefault,
    AlterColumnNullable,
    AlterColumnType,
    AlterEnumValues,
    Change,
    CreateEnum,
    CreateIndex,
    CreateTable,
    DropCheck,
    DropColumn,
    DropEnum,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    DropUnique,
    EnumUsage,
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameIndex,
    RenameTable,
)
from specc.ir.model import Spec

Named = TypeVar("Named", DbUnique, DbCheck, DbForeignKey, DbIndex)


def resolve_moves(old_names: set[str], new_items: list[tuple[str, str | None]]) -> dict[str, str]:
    """Old name → new name for the rename hints (`(new name, renamed_from)`) that describe real renames.

    A hint counts when its old name exists, is not kept under that name, and is claimed once; and the new
    name is free (or its old owner is itself renamed away: `a → b, b → c` chains work). Hints forming a
    cycle (`a ↔ b` swaps) are ignored: no single rename order exists for them.
    """
    new_names = {name for name, _ in new_items}
    candidates = {
        name: hint for name, hint in new_items if hint is not None and hint != name and hint in old_names
    }
    claims: dict[str, int] = {}
    for hint in candidates.values():
        claims[hint] = claims.get(hint, 0) + 1
    candidates = {n: h for n, h in candidates.items() if claims[h] == 1}
    while True:
        sources = set(candidates.values())
        valid = {
            n: h
            for n, h in candidates.items()
            if not (h in new_names and h not in candidates) and not (n in old_names and n not in sources)
        }
        moves = {h: n for n, h in valid.items()}
        for start in list(moves):
            seen, current = {start}, moves[start]
            while current in moves and current not in seen:
                seen.add(current)
                current = moves[current]
            if current == start:
                valid = {n: h for n, h in valid.items() if h not in seen}
        if valid == candidates:
            return {h: n for n, h in sorted(valid.items())}
        candidates = valid


def rename_order(moves: dict[str, str]) -> list[tuple[str, str]]:
    """Renames in an order where every target name is free when its turn comes (`b → c` before `a → b`)."""
    pending = dict(sorted(moves.items()))
    ordered: list[tuple[str, str]] = []
    while pending:
        ready = [old for old, new in pending.items() if new not in pending] or list(pending)[:1]
        for old in ready:
            ordered.append((old, pending.pop(old)))
    return ordered


class Renames:
    """Old name → new name for tables and (per new table name) columns, read from the new spec's hints."""

    def __init__(self, tables: dict[str, str], columns: dict[str, dict[str, str]]) -> None:
        self.tables = tables
        self.columns = columns

    @classmethod
    def from_spec(cls, old: DbSchema, new: Spec) -> Renames:
        """The `renamed_from` hints of `new` that describe real renames of `old`'s tables and columns."""
        old_tables = {t.name: t for t in old.tables}
        tables = resolve_moves(set(old_tables), [(t.name, t.renamed_from) for t in new.tables])
        sources = {new_name: old_name for old_name, new_name in tables.items()}
        columns: dict[str, dict[str, str]] = {}
        for table in new.tables:
            source = sources.get(table.name)
            if source is None and table.name in tables:
                continue  # a new table taking the name of one that was renamed away
            old_table = old_tables.get(source or table.name)
            if old_table is None:
                continue
            old_columns = {c.name for c in old_table.columns}
            columns[table.name] = resolve_moves(
                old_columns, [(c.name, c.renamed_from) for c in table.columns]
            )
        return cls(tables, columns)

    def affects(self, table: DbTable, new_name: str) -> bool:
        """Whether renaming touches `table`: its own name or columns, or a table its foreign keys point at."""
        if new_name != table.name or self.columns.get(new_name):
            return True
        return any(fk.ref_table in self.tables or self.columns.get(fk.ref_table) for fk in table.foreign_keys)

    def table(self, old_name: str) -> str:
        return self.tables.get(old_name, old_name)

    def column(self, new_table: str, old_column: str) -> str:
        return self.columns.get(new_table, {}).get(old_column, old_column)


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|[A-Za-z_][A-Za-z0-9_$]*")


def rename_identifiers(expression: str, mapping: dict[str, str]) -> str:
    """`expression` with column names renamed (outside string literals; quoted identifiers too)."""
    if not mapping:
        return expression

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token.startswith("'"):
            return token
        if token.startswith('"'):
            inner = token[1:-1].replace('""', '"')
            return '"' + mapping[inner].replace('"', '""') + '"' if inner in mapping else token
        return mapping.get(token, token)

    return _TOKEN.sub(replace, expression)


def _translate(table: DbTable, renames: Renames) -> DbTable:
    """`table` (old side) with table and column names as the new spec calls them; constraint names kept."""
    name = renames.table(table.name)
    if not renames.affects(table, name):
        return table

    def col(c: str) -> str:
        return renames.column(name, c)

    def cols(cs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(col(c) for c in cs)

    def ref_cols(fk: DbForeignKey) -> tuple[str, ...]:
        target = renames.table(fk.ref_table)
        return tuple(renames.column(target, c) for c in fk.ref_columns)

    return DbTable(
        name=name,
        columns=tuple(c.model_copy(update={"name": col(c.name)}) for c in table.columns),
        primary_key=(
            table.primary_key.model_copy(update={"columns": cols(table.primary_key.columns)})
            if table.primary_key
            else None
        ),
        uniques=tuple(u.model_copy(update={"columns": cols(u.columns)}) for u in table.uniques),
        indexes=tuple(i.model_copy(update={"columns": cols(i.columns)}) for i in table.indexes),
        checks=tuple(
            c.model_copy(
                update={"expression": rename_identifiers(c.expression, renames.columns.get(name, {}))}
            )
            for c in table.checks
        ),
        foreign_keys=tuple(
            fk.model_copy(
                update={
                    "columns": cols(fk.columns),
                    "ref_table": renames.table(fk.ref_table),
                    "ref_columns": ref_cols(fk),
                }
            )
            for fk in table.foreign_keys
        ),
    )


def _core(table: DbTable) -> DbTable:
    """What CREATE TABLE makes: everything except indexes and foreign keys (separate changes)."""
    return table.model_copy(update={"indexes": (), "foreign_keys": ()})


def _match(
    old: Sequence[Named], new: Sequence[Named], key: Callable[[Named], Hashable]
) -> tuple[list[Named], list[Named], list[tuple[str, str]]]:
    """Pair objects by definition: (dropped, added, renamed as (old name, new name))."""
    old_by_key: dict[Hashable, list[Named]] = {}
    for item in old:
        old_by_key.setdefault(key(item), []).append(item)
    dropped: list[Named] = []
    added: list[Named] = []
    renamed: list[tuple[str, str]] = []
    for item in new:
        candidates = old_by_key.get(key(item))
        if not candidates:
            added.append(item)
            continue
        same = next((c for c in candidates if c.name == item.name), candidates[0])
        candidates.remove(same)
        if same.name != item.name:
            renamed.append((same.name, item.name))
    for rest in old_by_key.values():
        dropped.extend(rest)
    dropped.sort(key=lambda i: i.name)
    return dropped, added, renamed


def _unique_key(u: DbUnique) -> Hashable:
    return u.columns


def _check_key(c: DbCheck) -> Hashable:
    return c.expression


def _fk_key(f: DbForeignKey) -> Hashable:
    return (f.columns, f.ref_table, f.ref_columns, f.on_delete, f.on_update)


def _index_key(i: DbIndex) -> Hashable:
    return (i.columns, i.unique, i.method)


def _column_changes(table: str, old: DbColumn, new: DbColumn) -> list[Change]:
    changes: list[Change] = []
    same_enum = old.enum is not None and old.enum == new.enum and old.sql.array_dims == new.sql.array_dims
    if old.type != new.type and not same_enum:
        # The type change carries the default change too: the old default may not fit the new type.
        changes.append(
            AlterColumnType(table=table, old=old.model_copy(update={"nullable": new.nullable}), new=new)
        )
    elif old.autoincrement != new.autoincrement:
        changes.append(
            AlterColumnAutoincrement(table=table, column=new.model_copy(update={"nullable": old.nullable}))
        )
    elif old.default != new.default:
        changes.append(
            AlterColumnDefault(
                table=table, column=new.model_copy(update={"nullable": old.nullable}), old_default=old.default
            )
        )
    if old.nullable != new.nullable:
        changes.append(AlterColumnNullable(table=table, column=new, old_nullable=old.nullable))
    return changes


def _checks_on_retyped_columns(
    new: DbTable, changes: list[Change], added: Sequence[DbCheck]
) -> list[DbCheck]:
    """Checks kept (possibly renamed, e.g. with their column) that mention a column whose type changes.
    PostgreSQL keeps such a check through `ALTER COLUMN ... TYPE` but rewrites its expression with casts
    (`charlie::numeric >= 0` after NUMERIC → INTEGER), so a downgrade would not give back the original check:
    they are dropped before the type change and created again after it."""
    retyped = [c.new.name for c in changes if isinstance(c, AlterColumnType)]
    if not retyped:
        return []
    mentions = re.compile(r"(?<![\w$])(" + "|".join(re.escape(n) for n in retyped) + r")(?![\w$])")
    created = set(added)
    return [c for c in new.checks if c not in created and mentions.search(c.expression)]


def _table_changes(old: DbTable, new: DbTable) -> list[Change]:
    changes: list[Change] = []
    name = new.name
    old_columns = {c.name: c for c in old.columns}
    new_columns = {c.name for c in new.columns}
    for col in new.columns:
        before = old_columns.get(col.name)
        if before is None:
            changes.append(AddColumn(table=name, column=col))
        else:
            changes.extend(_column_changes(name, before, col))
    changes.extend(DropColumn(table=name, column=c) for c in old.columns if c.name not in new_columns)
    if old.primary_key != new.primary_key:
        if old.primary_key and new.primary_key and old.primary_key.columns == new.primary_key.columns:
            changes.append(
                RenameConstraint(table=name, old_name=old.primary_key.name, new_name=new.primary_key.name)
            )
        else:
            if old.primary_key:
                changes.append(DropPrimaryKey(table=name, primary_key=old.primary_key))
            if new.primary_key:
                changes.append(AddPrimaryKey(table=name, primary_key=new.primary_key))
    dropped_u, added_u, renamed_u = _match(old.uniques, new.uniques, _unique_key)
    dropped_c, added_c, renamed_c = _match(old.checks, new.checks, _check_key)
    dropped_f, added_f, renamed_f = _match(old.foreign_keys, new.foreign_keys, _fk_key)
    dropped_i, added_i, renamed_i = _match(old.indexes, new.indexes, _index_key)
    for old_name, new_name in renamed_u + renamed_c + renamed_f:
        changes.append(RenameConstraint(table=name, old_name=old_name, new_name=new_name))
    for old_name, new_name in renamed_i:
        changes.append(RenameIndex(table=name, old_name=old_name, new_name=new_name))
    changes.extend(DropUnique(table=name, unique=u) for u in dropped_u)
    changes.extend(AddUnique(table=name, unique=u) for u in added_u)
    changes.extend(DropCheck(table=name, check=c) for c in dropped_c)
    changes.extend(AddCheck(table=name, check=c) for c in added_c)
    for check in _checks_on_retyped_columns(new, changes, added_c):
        changes.extend((DropCheck(table=name, check=check), AddCheck(table=name, check=check)))
    changes.extend(DropForeignKey(table=name, foreign_key=f) for f in dropped_f)
    changes.extend(AddForeignKey(table=name, foreign_key=f) for f in added_f)
    changes.extend(DropIndex(table=name, index=i) for i in dropped_i)
    changes.extend(CreateIndex(table=name, index=i) for i in added_i)
    return changes


def _enum_changes(
    old: DbSchema, new: DbSchema, translated: list[DbTable]
) -> tuple[list[Change], dict[str, str]]:
    """Enum renames (a renamed table/column renames its enum type), creations, drops and value changes."""
    changes: list[Change] = []
    renamed: dict[str, str] = {}
    new_names = {e.name for e in new.enums}
    old_names = {e.name for e in old.enums}
    new_tables = {t.name: t for t in new.tables}
    for table in translated:
        target = new_tables.get(table.name)
        if target is None:
            continue
        for col in table.columns:
            after = target.column(col.name)
            if after is None or col.enum is None or after.enum is None or col.enum == after.enum:
                continue
            if col.enum not in new_names and after.enum not in old_names and col.enum not in renamed:
                renamed[col.enum] = after.enum
                changes.append(RenameEnum(old_name=col.enum, new_name=after.enum))
    old_enums = {renamed.get(e.name, e.name): e for e in old.enums}
    for enum in new.enums:
        before = old_enums.get(enum.name)
        if before is None:
            changes.append(CreateEnum(enum=enum))
        elif before.values != enum.values:
            usages = tuple(
                EnumUsage(
                    table=table.name,
                    column=col.name,
                    array_dims=col.sql.array_dims,
                    default=col.default,
                )
                for table in translated
                for col in table.columns
                if col.enum is not None and renamed.get(col.enum, col.enum) == enum.name
            )
            changes.append(
                AlterEnumValues(
                    name=enum.name, old_values=before.values, new_values=enum.values, usages=usages
                )
            )
    changes.extend(
        DropEnum(enum=e.model_copy(update={"name": name}))
        for name, e in old_enums.items()
        if name not in new_names
    )
    return changes, renamed


def _with_enum_names(table: DbTable, renamed: dict[str, str]) -> DbTable:
    if not renamed:
        return table
    columns = tuple(
        c.model_copy(update={"enum": renamed.get(c.enum, c.enum)}) if c.enum is not None else c
        for c in table.columns
    )
    return table.model_copy(update={"columns": columns})


def diff_db_schemas(old: DbSchema, new: DbSchema, renames: Renames | None = None) -> list[Change]:
    changes: list[Change] = []
    if renames is not None:
        changes.extend(RenameTable(old_name=o, new_name=n) for o, n in rename_order(renames.tables))
        new_tables = {t.name: t for t in new.tables}
        for table in old.tables:
            new_table = renames.table(table.name)
            target = new_tables.get(new_table)
            for old_col, new_col in rename_order(renames.columns.get(new_table, {})):
                after = target.column(new_col) if target else None
                moved = table.column(old_col)
                if after is not None and moved is not None:
                    changes.append(
                        RenameColumn(
                            table=new_table,
                            old_name=old_col,
                            new_name=new_col,
                            column=moved.model_copy(update={"name": new_col}),
                        )
                    )
        translated = [_translate(t, renames) for t in old.tables]
    else:
        translated = list(old.tables)
    enum_changes, enum_renames = _enum_changes(old, new, translated)
    changes.extend(enum_changes)
    translated = [_with_enum_names(t, enum_renames) for t in translated]
    old_tables = {t.name: t for t in translated}
    for table in new.tables:
        before = old_tables.get(table.name)
        if before is None:
            changes.append(CreateTable(table=_core(table)))
            changes.extend(CreateIndex(table=table.name, index=i) for i in table.indexes)
            changes.extend(AddForeignKey(table=table.name, foreign_key=f) for f in table.foreign_keys)
        elif before != table:
            changes.extend(_table_changes(before, table))
    for name in sorted(set(old_tables) - {t.name for t in new.tables}):
        gone = old_tables[name]
        changes.extend(DropForeignKey(table=name, foreign_key=f) for f in gone.foreign_keys)
        changes.extend(DropIndex(table=name, index=i) for i in gone.indexes)
        changes.append(DropTable(table=_core(gone)))
    # Stable sort: phase first, then table; within a table the emission order (spec order) is kept. Renames
    # keep their emission order (chains must run in it), except object renames, ordered by name clashes.
    ordered = sorted(changes, key=lambda c: (c.phase, "" if c.phase in _RENAME_PHASES else c.table_name))
    return _order_object_renames(ordered)


_RENAME_PHASES = frozenset({RENAME_TABLE, RENAME_COLUMN, RENAME_OBJECT})
_ObjectRename = RenameConstraint | RenameIndex | RenameEnum


def _order_object_renames(changes: list[Change]) -> list[Change]:
    """Constraint, index and enum renames ordered so no rename takes a name another still holds."""
    pending = [c for c in changes if isinstance(c, _ObjectRename)]
    if len(pending) < 2:
        return changes
    ordered: list[_ObjectRename] = []
    while pending:
        held = {c.old_name for c in pending}
        ready = [c for c in pending if c.new_name not in held] or pending[:1]
        ordered.extend(ready)
        pending = [c for c in pending if all(c is not r for r in ready)]
    queue = iter(ordered)
    return [next(queue) if isinstance(c, _ObjectRename) else c for c in changes]


def diff_schemas(old: Spec, new: Spec) -> list[Change]:
    """Changes that turn a database at `old`'s schema into one at `new`'s, in a valid upgrade order.

    Deterministic: the same pair of specs always gives the same list. `reverse_all(result)` is the
    matching downgrade.
    """
    before = lower(old)
    return diff_db_schemas(before, lower(new), Renames.from_spec(before, new))
