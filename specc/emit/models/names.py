"""Python names of the generated models: module per table, class per table, attribute per column.

Attribute names are the column names when those are plain identifiers (as Python reads them: NFKC, see
`specc.emit.naming`); otherwise (keywords, spaces, a leading underscore, a name Python would normalise
into another, clashes with names the module uses or SQLAlchemy reserves) a snake_case name, with a `_`
suffix when that is taken, and the column's real name is passed to `mapped_column`. Columns whose names
are usable as they are get them first, so `file` stays `file` when `ﬁle` is also a column (`file_`).
Class names come from `specc.emit.naming.class_names`, with `Model` appended when one would shadow a name
the modules use (`Base`, `PgType`, `Mapped`). Module names are ASCII (`specc.emit.naming.module_name`).
Everything is deterministic and collision-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from specc.emit.naming import class_names, is_identifier, module_name, snake
from specc.ir.model import Spec, Table

RESERVED_MODULES = frozenset({"base", "__init__"})

# Names every generated model module may bind at module level, plus what DeclarativeBase reserves.
RESERVED_ATTRIBUTES = frozenset(
    {
        "sa",
        "postgresql",
        "datetime",
        "decimal",
        "uuid",
        "Any",
        "TYPE_CHECKING",
        "Mapped",
        "mapped_column",
        "relationship",
        "Base",
        "PgType",
        "metadata",
        "registry",
        "query",
        "query_cls",
        "declared_attr",
        # Builtins the generated class bodies use in annotations (`Mapped[int]`, `list["Room"]`).
        "int",
        "str",
        "float",
        "bool",
        "bytes",
        "dict",
        "list",
    }
)


def _identifier(name: str) -> bool:
    return is_identifier(name) and not name.startswith("_")


@dataclass
class ModelNames:
    """Names for every table of a spec."""

    classes: dict[str, str]
    modules: dict[str, str]
    attributes: dict[str, dict[str, str]]
    """table → column → attribute."""
    used: dict[str, set[str]] = field(default_factory=dict)
    """table → attribute names taken so far (columns, relationships, reserved)."""

    def attribute(self, table: str, column: str) -> str:
        return self.attributes[table][column]

    def claim(self, table: str, wanted: str) -> str:
        """A free attribute name on `table` close to `wanted`, now taken."""
        taken = self.used[table]
        base = wanted if _identifier(wanted) else snake(wanted)
        candidate = base
        if candidate in taken or not _identifier(candidate):
            candidate = f"{base}_rel"
        n = 2
        while candidate in taken or not _identifier(candidate):
            candidate = f"{base}_rel{n}"
            n += 1
        taken.add(candidate)
        return candidate


def _module_names(tables: list[str]) -> dict[str, str]:
    modules: dict[str, str] = {}
    taken: set[str] = set(RESERVED_MODULES)
    for table in sorted(tables):
        base = module_name(table)
        if base in RESERVED_MODULES:
            base = f"{base}_table"
        candidate = base
        n = 2
        while candidate in taken:
            candidate = f"{base}_{n}"
            n += 1
        taken.add(candidate)
        modules[table] = candidate
    return modules


def _column_attributes(table: Table, reserved: frozenset[str]) -> tuple[dict[str, str], set[str]]:
    names: dict[str, str] = {}
    taken: set[str] = set(reserved)
    for col in table.columns:
        if col.name not in names and _identifier(col.name) and col.name not in taken:
            names[col.name] = col.name
            taken.add(col.name)
    for col in table.columns:
        if col.name in names:
            continue  # usable as it is, or a duplicate column (the linter reports it; the first is kept)
        base = snake(col.name)
        candidate = base
        if candidate in taken or not _identifier(candidate):
            candidate = f"{base}_"
        n = 2
        while candidate in taken or not _identifier(candidate):
            candidate = f"{base}_{n}"
            n += 1
        taken.add(candidate)
        names[col.name] = candidate
    return names, taken


def model_names(spec: Spec) -> ModelNames:
    tables = sorted({t.name for t in spec.tables})
    classes = class_names(tables)
    taken = set(classes.values())
    for name in tables:
        if classes[name] in RESERVED_ATTRIBUTES:
            candidate = f"{classes[name]}Model"
            n = 2
            while candidate in taken or candidate in RESERVED_ATTRIBUTES:
                candidate = f"{classes[name]}Model{n}"
                n += 1
            taken.add(candidate)
            classes[name] = candidate
    reserved = RESERVED_ATTRIBUTES | frozenset(classes.values())
    attributes: dict[str, dict[str, str]] = {}
    used: dict[str, set[str]] = {}
    for table in spec.tables:
        if table.name in attributes:
            continue
        attributes[table.name], used[table.name] = _column_attributes(table, reserved)
    return ModelNames(classes=classes, modules=_module_names(tables), attributes=attributes, used=used)
