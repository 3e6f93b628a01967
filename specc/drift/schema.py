"""A database-level schema (from models, a database or the migrations' head) against the spec: findings.

The other side is diffed against the lowered spec through the one differ (`specc.diff.diff_db_schemas`,
the spec's `renamed_from` hints understood): the changes that would bring the other side to the spec are
exactly what differs. Each change becomes one finding, except pairs that say one thing: a foreign key
dropped and added on the same columns is one "foreign key differs"; an index dropped and created under the
same name is one "index differs"; a CHECK dropped and added under the same name is one "CHECK differs"; a
check the differ re-creates only because its column is retyped is not reported at all. A column missing
beside an extra column of the same type in the same table is reported as both, with a suggested rename:
never assumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from specc.db.lower import lower
from specc.db.model import DbColumn, DbIndex, DbSchema
from specc.diagnostics import Code
from specc.diff.changes import (
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
    RenameColumn,
    RenameConstraint,
    RenameEnum,
    RenameIndex,
    RenameTable,
)
from specc.diff.differ import Renames, diff_db_schemas
from specc.drift import codes
from specc.drift.model import Finding, Location, SourceName
from specc.drift.schema_places import SpecPlaces
from specc.ir.model import Spec

ActualLocator = Callable[[str, str | None], Location]
"""(table, column or None) → where the other side defines it."""


@dataclass(frozen=True)
class SchemaSide:
    """One side to compare with the spec: its schema, its name and how to point into it."""

    source: SourceName
    label: str
    """How findings name the other side: `the models`, `the database`, `the migrations' head`."""
    schema: DbSchema
    locate: ActualLocator
    missing_hint: str | None = None
    """What to run when the spec has something the other side lacks (`run specc build`...)."""
    extra_hint: str | None = None
    """What to do when the other side has something the spec lacks."""


def _columns(columns: Iterable[str]) -> str:
    return "(" + ", ".join(columns) + ")"


def _default(value: str | None) -> str:
    return "no default" if value is None else f"DEFAULT {value}"


def _null(nullable: bool) -> str:
    return "nullable" if nullable else "NOT NULL"


class _Findings:
    def __init__(self, side: SchemaSide, places: SpecPlaces) -> None:
        self.side = side
        self.places = places
        self.items: list[Finding] = []

    def add(
        self,
        code: Code,
        subject: str,
        message: str,
        spec: Location,
        table: str,
        column: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(
            Finding(
                code=code.code,
                severity=code.severity,
                source=self.side.source,
                subject=subject,
                message=message,
                spec=spec,
                actual=self.side.locate(table, column),
                hint=hint,
            )
        )


def _paired(changes: list[Change]) -> tuple[list[Change], list[tuple[Change, Change]]]:
    """Changes with add/drop pairs of one object taken out: (single changes, (drop, add) pairs)."""
    drops: dict[tuple[str, str, object], Change] = {}
    for change in changes:
        key = _pair_key(change, "drop")
        if key is not None:
            drops[key] = change
    pairs: list[tuple[Change, Change]] = []
    paired: set[int] = set()
    for change in changes:
        key = _pair_key(change, "add")
        if key is not None and key in drops and id(drops[key]) not in paired:
            pairs.append((drops[key], change))
            paired.update({id(drops[key]), id(change)})
    return [c for c in changes if id(c) not in paired], pairs


def _pair_key(change: Change, side: str) -> tuple[str, str, object] | None:
    if side == "drop":
        if isinstance(change, DropForeignKey):
            return ("fk", change.table, change.foreign_key.columns)
        if isinstance(change, DropIndex):
            return ("index", change.table, change.index.name)
        if isinstance(change, DropCheck):
            return ("check", change.table, change.check.name)
        if isinstance(change, DropUnique):
            return ("unique", change.table, change.unique.name)
        if isinstance(change, DropPrimaryKey):
            return ("pk", change.table, None)
        return None
    if isinstance(change, AddForeignKey):
        return ("fk", change.table, change.foreign_key.columns)
    if isinstance(change, CreateIndex):
        return ("index", change.table, change.index.name)
    if isinstance(change, AddCheck):
        return ("check", change.table, change.check.name)
    if isinstance(change, AddUnique):
        return ("unique", change.table, change.unique.name)
    if isinstance(change, AddPrimaryKey):
        return ("pk", change.table, None)
    return None


_SAME_AS_NOW = frozenset({"CURRENT_TIMESTAMP", "transaction_timestamp()"})
"""Defaults PostgreSQL evaluates exactly like `now()` (the transaction's start, as timestamptz)."""


def _with_equal_defaults(schema: DbSchema) -> DbSchema:
    """`schema` with defaults that mean the same written one way (`CURRENT_TIMESTAMP` → `now()`), so two
    spellings of one default are no drift. Only for comparing: generated code keeps the spec's spelling."""
    if not any(c.default in _SAME_AS_NOW for t in schema.tables for c in t.columns):
        return schema
    tables = tuple(
        t.model_copy(
            update={
                "columns": tuple(
                    c.model_copy(update={"default": "now()"}) if c.default in _SAME_AS_NOW else c
                    for c in t.columns
                )
            }
        )
        for t in schema.tables
    )
    return schema.model_copy(update={"tables": tables})


def compare_schema(spec: Spec, spec_file: str, side: SchemaSide) -> list[Finding]:
    """Findings for everything `side.schema` has that differs from what `spec` describes."""
    wanted = _with_equal_defaults(lower(spec))
    actual = _with_equal_defaults(side.schema)
    changes = diff_db_schemas(actual, wanted, Renames.from_spec(actual, spec))
    singles, pairs = _paired(changes)
    out = _Findings(side, SpecPlaces(spec, spec_file))
    for drop, add in pairs:
        _pair(out, drop, add)
    added_columns = [c for c in singles if isinstance(c, AddColumn)]
    for change in singles:
        _single(out, change, wanted, added_columns)
    return out.items


def _pair(out: _Findings, drop: Change, add: Change) -> None:
    places, label = out.places, out.side.label
    if isinstance(drop, DropForeignKey) and isinstance(add, AddForeignKey):
        old, new = drop.foreign_key, add.foreign_key
        cols = _columns(new.columns)
        details = []
        if (old.ref_table, old.ref_columns) != (new.ref_table, new.ref_columns):
            details.append(
                f"references {old.ref_table}{_columns(old.ref_columns)}, the spec "
                f"{new.ref_table}{_columns(new.ref_columns)}"
            )
        if old.on_delete != new.on_delete:
            details.append(
                f"ON DELETE {old.on_delete or 'NO ACTION'}, the spec {new.on_delete or 'NO ACTION'}"
            )
        if old.on_update != new.on_update:
            details.append(
                f"ON UPDATE {old.on_update or 'NO ACTION'}, the spec {new.on_update or 'NO ACTION'}"
            )
        if old.name != new.name:
            details.append(f"named {old.name}, the spec {new.name}")
        column = new.columns[0] if len(new.columns) == 1 else None
        spec_place = places.column(add.table, column, "constraints") if column else places.table(add.table)
        out.add(
            codes.FOREIGN_KEY_DIFFERS,
            f"{add.table}.{'.'.join(new.columns)} foreign key",
            f"foreign key {add.table}{cols} in {label}: " + "; ".join(details or ["differs"]),
            spec_place,
            add.table,
            column,
        )
    elif isinstance(drop, DropIndex) and isinstance(add, CreateIndex):
        old_i, new_i = drop.index, add.index
        out.add(
            codes.INDEX_DIFFERS,
            f"{add.table} index {new_i.name}",
            f"index {new_i.name} in {label} is {_index_text(old_i)}, the spec says {_index_text(new_i)}",
            places.index(add.table, new_i.columns),
            add.table,
            old_i.columns[0] if old_i.columns else None,
        )
    elif isinstance(drop, DropCheck) and isinstance(add, AddCheck):
        if drop.check.expression == add.check.expression:
            return  # re-created only because a column it mentions is retyped: the type finding says it
        out.add(
            codes.CHECK_MISSING,
            f"{add.table} check {add.check.name}",
            f"CHECK {add.check.name} in {label} is ({drop.check.expression}), the spec says "
            f"({add.check.expression})",
            places.check(add.table, add.check.expression),
            add.table,
        )
    elif isinstance(drop, DropUnique) and isinstance(add, AddUnique):
        out.add(
            codes.UNIQUE_MISSING,
            f"{add.table} unique {add.unique.name}",
            f"UNIQUE {add.unique.name} in {label} is on {_columns(drop.unique.columns)}, the spec says "
            f"{_columns(add.unique.columns)}",
            places.table(add.table),
            add.table,
        )
    elif isinstance(drop, DropPrimaryKey) and isinstance(add, AddPrimaryKey):
        out.add(
            codes.PRIMARY_KEY,
            f"{add.table} primary key",
            f"the primary key of {add.table} in {label} is {_columns(drop.primary_key.columns)}, the spec "
            f"says {_columns(add.primary_key.columns)}",
            places.table(add.table),
            add.table,
        )


def _index_text(index: DbIndex) -> str:
    return f"{'UNIQUE ' if index.unique else ''}{index.method} {_columns(index.columns)}"


def _rename_suggestion(column: DbColumn, table: str, added: list[AddColumn]) -> str | None:
    same = [a.column.name for a in added if a.table == table and a.column.type == column.type]
    if len(same) != 1:
        return None
    return (
        f"if {table}.{column.name} is {table}.{same[0]} renamed, write `renamed from {column.name}` on "
        f"{same[0]}'s row in the document (drift does not assume a rename)"
    )


def _single(out: _Findings, change: Change, wanted: DbSchema, added: list[AddColumn]) -> None:
    places, side = out.places, out.side
    label = side.label
    if isinstance(change, CreateTable):
        name = change.table.name
        out.add(
            codes.TABLE_MISSING,
            name,
            f"table {name} is missing from {label}",
            places.table(name),
            name,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropTable):
        name = change.table.name
        out.add(
            codes.TABLE_EXTRA,
            name,
            f"{label} has table {name}, which the spec does not describe",
            Location(file=places.file, line=1, column=1),
            name,
            hint=side.extra_hint or "describe it in the document, or drop it",
        )
    elif isinstance(change, RenameTable):
        out.add(
            codes.RENAME_PENDING,
            change.new_name,
            f"the spec renames table {change.old_name} to {change.new_name}; {label} still has "
            f"{change.old_name}",
            places.table(change.new_name),
            change.old_name,
            hint=side.missing_hint,
        )
    elif isinstance(change, RenameColumn):
        out.add(
            codes.RENAME_PENDING,
            f"{change.table}.{change.new_name}",
            f"the spec renames column {change.table}.{change.old_name} to {change.new_name}; {label} still "
            f"has {change.old_name}",
            places.column(change.table, change.new_name),
            change.table,
            change.old_name,
            hint=side.missing_hint,
        )
    elif isinstance(change, AddColumn):
        col = change.column
        out.add(
            codes.COLUMN_MISSING,
            f"{change.table}.{col.name}",
            f"column {change.table}.{col.name} ({col.type}) is missing from {label}",
            places.column(change.table, col.name),
            change.table,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropColumn):
        col = change.column
        suggestion = _rename_suggestion(col, change.table, added)
        out.add(
            codes.COLUMN_EXTRA,
            f"{change.table}.{col.name}",
            f"{label} has column {change.table}.{col.name} ({col.type}), which the spec does not list",
            places.table(change.table),
            change.table,
            col.name,
            hint=suggestion or side.extra_hint or "document it, or drop it",
        )
    elif isinstance(change, AlterColumnType):
        old, new = change.old, change.new
        out.add(
            codes.COLUMN_TYPE,
            f"{change.table}.{new.name}",
            f"column {change.table}.{new.name} is {old.type} in {label}, the spec says {new.type}",
            places.column(change.table, new.name),
            change.table,
            new.name,
        )
        if old.default != new.default:
            _default_finding(out, change.table, new.name, old.default, new.default)
    elif isinstance(change, AlterColumnNullable):
        col = change.column
        out.add(
            codes.COLUMN_NULLABLE,
            f"{change.table}.{col.name}",
            f"column {change.table}.{col.name} is {_null(change.old_nullable)} in {label}, the spec says "
            f"{_null(col.nullable)}",
            places.column(change.table, col.name, "constraints"),
            change.table,
            col.name,
        )
    elif isinstance(change, AlterColumnDefault):
        _default_finding(out, change.table, change.column.name, change.old_default, change.column.default)
    elif isinstance(change, AlterColumnAutoincrement):
        col = change.column
        state = "autoincrementing" if col.autoincrement else "not autoincrementing"
        out.add(
            codes.COLUMN_AUTOINCREMENT,
            f"{change.table}.{col.name}",
            f"column {change.table}.{col.name} in {label} differs: the spec says {state}",
            places.column(change.table, col.name),
            change.table,
            col.name,
        )
    else:
        _single_object(out, change, wanted)


def _default_finding(out: _Findings, table: str, column: str, old: str | None, new: str | None) -> None:
    out.add(
        codes.COLUMN_DEFAULT,
        f"{table}.{column} default",
        f"column {table}.{column} has {_default(old)} in {out.side.label}, the spec says {_default(new)}",
        out.places.column(table, column, "constraints"),
        table,
        column,
    )


def _enum_table(wanted: DbSchema, name: str) -> tuple[str, str | None]:
    for table in wanted.tables:
        for column in table.columns:
            if column.enum == name:
                return table.name, column.name
    return name, None


def _single_object(out: _Findings, change: Change, wanted: DbSchema) -> None:
    places, side = out.places, out.side
    label = side.label
    if isinstance(change, CreateEnum):
        table, column = _enum_table(wanted, change.enum.name)
        out.add(
            codes.ENUM_MISSING,
            f"enum {change.enum.name}",
            f"enum type {change.enum.name} is missing from {label}",
            places.enum(change.enum.name, wanted),
            table,
            column,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropEnum):
        out.add(
            codes.ENUM_EXTRA,
            f"enum {change.enum.name}",
            f"{label} has enum type {change.enum.name} ({', '.join(change.enum.values)}), which no "
            "documented column uses",
            Location(file=places.file, line=1, column=1),
            change.enum.name,
        )
    elif isinstance(change, AlterEnumValues):
        usage = change.usages[0] if change.usages else None
        table, column = (usage.table, usage.column) if usage else _enum_table(wanted, change.name)
        added = [v for v in change.old_values if v not in change.new_values]
        missing = [v for v in change.new_values if v not in change.old_values]
        parts = []
        if added:
            parts.append("has " + ", ".join(repr(v) for v in added) + " the spec does not list")
        if missing:
            parts.append("lacks " + ", ".join(repr(v) for v in missing))
        if not parts:
            parts.append(f"orders them ({', '.join(change.old_values)})")
        out.add(
            codes.ENUM_VALUES,
            f"enum {change.name}",
            f"enum type {change.name} in {label} " + " and ".join(parts) + f"; the spec says "
            f"({', '.join(change.new_values)})",
            places.column(table, column) if column else places.enum(change.name, wanted),
            table,
            column,
        )
    elif isinstance(change, AddPrimaryKey | DropPrimaryKey):
        pk = change.primary_key
        state = "lacks the primary key" if isinstance(change, AddPrimaryKey) else "has a primary key"
        out.add(
            codes.PRIMARY_KEY,
            f"{change.table} primary key",
            f"table {change.table} in {label} {state} {_columns(pk.columns)}"
            + ("" if isinstance(change, AddPrimaryKey) else " the spec does not declare"),
            places.table(change.table),
            change.table,
        )
    elif isinstance(change, AddUnique):
        out.add(
            codes.UNIQUE_MISSING,
            f"{change.table} unique {_columns(change.unique.columns)}",
            f"UNIQUE {change.table}{_columns(change.unique.columns)} is missing from {label}",
            places.index(change.table, change.unique.columns),
            change.table,
            change.unique.columns[0],
            hint=side.missing_hint,
        )
    elif isinstance(change, DropUnique):
        out.add(
            codes.UNIQUE_EXTRA,
            f"{change.table} unique {_columns(change.unique.columns)}",
            f"{label} has UNIQUE {change.unique.name} {_columns(change.unique.columns)}, which the spec does "
            "not declare",
            places.table(change.table),
            change.table,
            change.unique.columns[0],
        )
    elif isinstance(change, AddCheck):
        out.add(
            codes.CHECK_MISSING,
            f"{change.table} check ({change.check.expression})",
            f"CHECK ({change.check.expression}) on {change.table} is missing from {label}",
            places.check(change.table, change.check.expression),
            change.table,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropCheck):
        out.add(
            codes.CHECK_EXTRA,
            f"{change.table} check ({change.check.expression})",
            f"{label} has CHECK {change.check.name} ({change.check.expression}), which the spec does not "
            "declare",
            places.table(change.table),
            change.table,
        )
    else:
        _index_or_key(out, change)


def _index_or_key(out: _Findings, change: Change) -> None:
    places, side = out.places, out.side
    label = side.label
    if isinstance(change, CreateIndex):
        index = change.index
        out.add(
            codes.INDEX_MISSING,
            f"{change.table} index {_columns(index.columns)}",
            f"index {index.name} {_index_text(index)} on {change.table} is missing from {label}",
            places.index(change.table, index.columns),
            change.table,
            index.columns[0] if index.columns else None,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropIndex):
        index = change.index
        out.add(
            codes.INDEX_EXTRA,
            f"{change.table} index {_columns(index.columns)}",
            f"{label} has index {index.name} {_index_text(index)} on {change.table}, which the spec does "
            "not list",
            places.table(change.table),
            change.table,
            index.columns[0] if index.columns else None,
        )
    elif isinstance(change, AddForeignKey):
        fk = change.foreign_key
        column = fk.columns[0] if len(fk.columns) == 1 else None
        out.add(
            codes.FOREIGN_KEY_MISSING,
            f"{change.table}.{'.'.join(fk.columns)} foreign key",
            f"foreign key {change.table}{_columns(fk.columns)} → {fk.ref_table}{_columns(fk.ref_columns)} "
            f"is missing from {label}",
            places.column(change.table, column, "constraints") if column else places.table(change.table),
            change.table,
            column,
            hint=side.missing_hint,
        )
    elif isinstance(change, DropForeignKey):
        fk = change.foreign_key
        column = fk.columns[0] if len(fk.columns) == 1 else None
        out.add(
            codes.FOREIGN_KEY_EXTRA,
            f"{change.table}.{'.'.join(fk.columns)} foreign key",
            f"{label} has foreign key {fk.name} {change.table}{_columns(fk.columns)} → "
            f"{fk.ref_table}{_columns(fk.ref_columns)}, which the spec does not declare",
            places.column(change.table, column, "constraints") if column else places.table(change.table),
            change.table,
            column,
        )
    elif isinstance(change, RenameConstraint | RenameIndex | RenameEnum):
        what = {RenameConstraint: "constraint", RenameIndex: "index", RenameEnum: "enum type"}[type(change)]
        table = change.table if isinstance(change, RenameConstraint | RenameIndex) else change.new_name
        out.add(
            codes.NAME_DIFFERS,
            f"{table} {what} {change.new_name}",
            f"{what} {change.old_name} in {label} is named {change.new_name} by the spec's naming convention",
            places.table(table),
            table,
        )
