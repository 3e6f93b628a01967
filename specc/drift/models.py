"""The models source: the user's SQLAlchemy models, imported (this runs their code) and read as a `DbSchema`.

`--models package.module` finds the `MetaData` of the declarative base the module defines or imports
(`Base.metadata`, or a module-level `metadata`); `package.module:Name` names the base, a `MetaData` or a
`registry` directly. Findings point at the mapped class's line, or the column attribute's line in it.
"""

from __future__ import annotations

import ast
import inspect
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from specc.db.metadata import db_from_metadata
from specc.db.model import DbSchema
from specc.drift.model import Location
from specc.drift.userimport import UserCodeError, import_module


def _metadata_of(value: object) -> sa.MetaData | None:
    if isinstance(value, sa.MetaData):
        return value
    if isinstance(value, orm.registry):
        return value.metadata
    if isinstance(value, type):
        metadata = getattr(value, "metadata", None)
        if isinstance(metadata, sa.MetaData) and hasattr(value, "registry"):
            return metadata
    return None


def _find_metadata(module: object, reference: str) -> sa.MetaData:
    name, _, attribute = reference.partition(":")
    if attribute:
        if not hasattr(module, attribute):
            raise UserCodeError(f"models: module {name} has no attribute {attribute!r}")
        found = _metadata_of(getattr(module, attribute))
        if found is None:
            kind = type(getattr(module, attribute)).__name__
            raise UserCodeError(
                f"models: {reference} is not a declarative base, registry or MetaData (it is a {kind})"
            )
        return found
    candidates: dict[int, sa.MetaData] = {}
    for value in vars(module).values():
        metadata = _metadata_of(value)
        if metadata is not None and metadata.tables:
            candidates[id(metadata)] = metadata
    if not candidates:
        raise UserCodeError(
            f"models: module {name} defines no SQLAlchemy models (no declarative base with tables); name "
            f"one: --models {name}:Base"
        )
    if len(candidates) > 1:
        raise UserCodeError(
            f"models: module {name} has several MetaData objects; name one: --models {name}:Base"
        )
    return next(iter(candidates.values()))


class ModelLocator:
    """Table (and column) → the mapped class's line (and the attribute's line in its body)."""

    def __init__(self, metadata: sa.MetaData, module: object, root: Path) -> None:
        self.root = root
        self.places: dict[tuple[str, str | None], Location] = {}
        self._trees: dict[str, ast.Module | None] = {}
        for cls in _mapped_classes(metadata, module):
            self._add(cls)

    def _tree(self, file: str) -> ast.Module | None:
        if file not in self._trees:
            try:
                self._trees[file] = ast.parse(Path(file).read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
                self._trees[file] = None
        return self._trees[file]

    def _add(self, cls: type[Any]) -> None:
        table = getattr(cls, "__table__", None)
        if not isinstance(table, sa.Table):
            return
        try:
            file = inspect.getsourcefile(cls)
            _, first = inspect.getsourcelines(cls)
        except (OSError, TypeError):
            return
        if file is None:
            return
        shown = _relative(file, self.root)
        logical = f"class {cls.__name__}"
        self.places.setdefault((table.name, None), Location(file=shown, line=first, logical=logical))
        tree = self._tree(file)
        node = _class_node(tree, cls.__name__, first) if tree else None
        if node is None:
            return
        lines = _attribute_lines(node)
        mapper = sa.inspect(cls)
        for column in table.columns:
            try:
                key = mapper.get_property_by_column(column).key
            except (sa.exc.InvalidRequestError, orm.exc.UnmappedColumnError):
                key = column.key
            line = lines.get(key)
            if line is not None:
                where = f"{cls.__name__}.{key}"
                self.places[(table.name, column.name)] = Location(file=shown, line=line, logical=where)

    def __call__(self, table: str, column: str | None) -> Location:
        found = self.places.get((table, column)) or self.places.get((table, None))
        if found is not None:
            return found
        what = f"table {table}" + (f", column {column}" if column else "")
        return Location(logical=f"models: {what} (no mapped class)")


def _relative(file: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(file, root)).as_posix()
    except ValueError:
        return Path(file).as_posix()


def _mapped_classes(metadata: sa.MetaData, module: object) -> list[type[Any]]:
    """The classes mapped to `metadata`'s tables, through the registries the module's names lead to."""
    registries: dict[int, orm.registry] = {}
    for value in vars(module).values():
        registry = value if isinstance(value, orm.registry) else getattr(value, "registry", None)
        if isinstance(value, type | orm.registry) and isinstance(registry, orm.registry):
            registries[id(registry)] = registry
    tables = set(metadata.tables.values())
    found: dict[int, type[Any]] = {}
    for registry in registries.values():
        for mapper in registry.mappers:
            if mapper.local_table in tables:
                found[id(mapper.class_)] = mapper.class_
    return sorted(found.values(), key=lambda c: (c.__module__, c.__qualname__))


def _class_node(tree: ast.Module, name: str, line: int) -> ast.ClassDef | None:
    best: ast.ClassDef | None = None
    for node in ast.walk(tree):
        closer = best is None or abs(getattr(node, "lineno", 0) - line) < abs(best.lineno - line)
        if isinstance(node, ast.ClassDef) and node.name == name and closer:
            best = node
    return best


def _attribute_lines(node: ast.ClassDef) -> dict[str, int]:
    lines: dict[str, int] = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            lines[statement.target.id] = statement.lineno
        elif isinstance(statement, ast.Assign):
            for target in statement.targets:
                if isinstance(target, ast.Name):
                    lines[target.id] = statement.lineno
    return lines


def read_models(reference: str, root: Path, path: list[Path]) -> tuple[DbSchema, ModelLocator]:
    """Import the models named by `reference` and read their schema (UserCodeError on failure)."""
    name = reference.partition(":")[0]
    module = import_module(name, f"the models {name}", root, path)
    metadata = _find_metadata(module, reference)
    try:
        schema = db_from_metadata(metadata)
    except Exception as exc:  # a model SQLAlchemy cannot compile is the user's error
        raise UserCodeError(f"models: cannot read {reference}: {type(exc).__name__}: {exc}") from None
    return schema, ModelLocator(metadata, module, root)
