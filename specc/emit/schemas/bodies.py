"""JSON example shapes → Pydantic models (`specc.emit.schemas.plan`): each field's type sharpened by the
column that stands for its key, with the defaults, optionality and constraints its role (request, partial
update, response) gives it."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Literal

from specc.emit.models.names import ModelNames
from specc.emit.naming import pascal
from specc.emit.schemas import names
from specc.emit.schemas.constraints import check_args, declared_args, field_args
from specc.emit.schemas.specs import FieldSpec, ModelSpec
from specc.emit.shapes import ANY, FieldType, column_type, py_str, scalar_type
from specc.ir.model import (
    ArrayShape,
    BodyField,
    Column,
    ObjectField,
    ObjectShape,
    ScalarShape,
    Shape,
    Table,
)
from specc.ir.types import sql_type

_SQL_CALL = re.compile(r"(?<!\w)\w+\s*\(")
r"""A word followed by `(`. Tried only where a word starts: `\w+\s*\(` alone rescans every suffix of a long
word, which made a 100 KB default take minutes."""
_CAST = re.compile(r"::[\w\s\[\]()]+$")
_INT = re.compile(r"^[+-]?\d+$")
_MAX_INT_TEXT = 40
"""Longer integer defaults are beyond every integer column (and CPython refuses to convert 4,300 digits)."""
_DEC = re.compile(r"^[+-]?(\d+\.\d*|\.\d+|\d+)$")


def literal_default(column: Column, ftype: FieldType) -> str | None:
    """Python literal for a column's literal SQL default, when it fits the field type; else None."""
    text = column.default
    if text is None or _SQL_CALL.search(text):
        return None
    text = _CAST.sub("", text.strip()).strip()
    ann = ftype.annotation
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        value = text[1:-1].replace("''", "'")
        if ann == "str" and not any(a.name == "max_length" and int(a.value) < len(value) for a in ftype.args):
            return py_str(value)
        if ann.startswith("Literal[") and value in ftype.literal:
            return py_str(value)
        return None
    lower = text.lower()
    if ann == "bool" and lower in ("true", "false"):
        return "True" if lower == "true" else "False"
    if ann == "int" and _INT.match(text) and len(text) <= _MAX_INT_TEXT:
        return str(int(text))
    if ann == "float" and _DEC.match(text) and math.isfinite(float(text)):
        return repr(float(text))
    if ann in ("decimal.Decimal", "DecimalNumber") and _DEC.match(text):
        return f"decimal.Decimal({py_str(text)})"
    return None


def is_server_generated(column: Column) -> bool:
    """Values the database makes: auto-increment keys and defaults that are SQL expressions."""
    if column.primary_key and column.autoincrement:
        return True
    if column.default is None:
        return False
    return literal_default(column, column_type(column)) is None


Role = Literal["request", "update", "response"]


@dataclass(frozen=True, slots=True)
class ColumnRef:
    """The column a JSON key stands for, and its table."""

    table: Table
    column: Column


@dataclass
class ShapeContext:
    index: names.TableIndex
    registry: names.NameRegistry
    fallback: dict[str, ColumnRef | None]
    """Per JSON key: the column all tables agree on (None when none or ambiguous); shared across endpoints."""
    model_attrs: ModelNames | None
    """The models writer's names (response fields read renamed attributes; request fields are named so)."""
    role: Role
    path_table: Table | None = None
    absent: frozenset[str] = frozenset()
    non_empty: frozenset[str] = frozenset()
    declared: dict[str, BodyField] = field(default_factory=dict)
    preset: dict[str, FieldType] = field(default_factory=dict)
    """Top-level keys whose type is already decided (the `items` of a wrapper)."""
    models: list[ModelSpec] = field(default_factory=list)

    def column(self, table: Table | None, key: str) -> ColumnRef | None:
        return resolve_column(self.index, self.fallback, table, key)

    def nested(self, registry: names.NameRegistry | None = None) -> ShapeContext:
        return ShapeContext(
            index=self.index,
            registry=registry or self.registry,
            fallback=self.fallback,
            model_attrs=self.model_attrs,
            role="request" if self.role == "update" else self.role,
            path_table=self.path_table,
            models=self.models,
        )


def resolve_column(
    index: names.TableIndex,
    fallback: dict[str, ColumnRef | None],
    table: Table | None,
    key: str,
) -> ColumnRef | None:
    """The column a JSON key stands for: `table`'s column of that name, else the column of that name all
    tables agree on (memoised in `fallback`)."""
    if table is not None:
        column = table.column(key)
        if column is not None:
            return ColumnRef(table, column)
    if key not in fallback:
        candidates = index.owned_columns_named(key)
        first = column_type(candidates[0][1]) if candidates else None
        agreed = first is not None and all(_same_type(column_type(c), first) for _, c in candidates[1:])
        fallback[key] = ColumnRef(*candidates[0]) if agreed else None
    return fallback[key]


def _same_type(a: FieldType, b: FieldType) -> bool:
    return a.annotation == b.annotation and a.args == b.args


def covering_table(
    index: names.TableIndex, shape: ObjectShape, path_table: Table | None
) -> tuple[Table | None, int]:
    """The table whose columns cover most of the object's keys (ties: the path's table, then by name)."""
    keys = {f.name for f in shape.fields}
    if path_table is not None and keys and all(path_table.column(key) is not None for key in keys):
        return path_table, len(keys)  # nothing can cover more, and ties go to the path's table
    counts: dict[str, int] = {}
    tables: dict[str, Table] = {}
    for key in keys:
        for table, _ in index.owned_columns_named(key):
            counts[table.name] = counts.get(table.name, 0) + 1
            tables[table.name] = table
    if not counts:
        return None, 0
    best_count = max(counts.values())
    if path_table is not None and counts.get(path_table.name) == best_count:
        return path_table, best_count
    best = min(name for name, count in counts.items() if count == best_count)
    return tables[best], best_count


def _field(ctx: ShapeContext, name: str, item: ObjectField, table: Table | None, used: set[str]) -> FieldSpec:
    key = item.name
    found = ctx.column(table, key)
    column = found.column if found is not None else None
    if key in ctx.preset:
        ftype, nullable = ctx.preset[key], False
        ref: str | None = ctx.preset[key].annotation.removeprefix("list[").rstrip("]")
    else:
        typed = _shape_type(ctx, name, f"{name}{pascal(key)}", key, item.shape, table)
        ftype, nullable, ref = typed.type, typed.nullable, typed.ref
    column_nullable = column is not None and column.nullable and not column.primary_key
    orm_attr = key
    if found is not None and ctx.model_attrs is not None:
        orm_attr = ctx.model_attrs.attributes.get(found.table.name, {}).get(key, key)
    if ctx.role == "response":
        attr = names.attr_name(key, used)
        read_from = orm_attr if orm_attr != key else None
        absent = key in ctx.absent
        return FieldSpec(
            key=key,
            attr=attr,
            type=ftype,
            nullable=nullable or column_nullable or absent,
            required=not absent,
            read_from=read_from,
            ref=ref,
        )
    attr = names.attr_name(key, used, orm_attr)
    if column is not None and ref is None:
        ftype = field_args(ftype, check_args(column, found.table if found else None, ftype))
    if (
        key in ctx.non_empty
        and ftype.annotation == "str"
        and not any(a.name == "min_length" for a in ftype.args)
    ):
        ftype = field_args(ftype, {"min_length": 1})
    declared = ctx.declared.get(key)
    if declared is not None and ref is None:
        ftype = field_args(ftype, declared_args(declared, ftype), override=True)
    if ctx.role == "update":
        return FieldSpec(
            key=key,
            attr=attr,
            type=ftype,
            nullable=True,
            required=False,
            ref=ref,
            not_null=not (nullable or column_nullable) and ftype.annotation != "Any",
        )
    if declared is not None and declared.required:
        # a `Fields:` entry wins over the column: required means sent, with a value, even when the column
        # is nullable or has a default
        return FieldSpec(key=key, attr=attr, type=ftype, nullable=nullable, required=True, ref=ref)
    default: str | None = None
    server_made = False
    if column is not None and ref is None:
        default = literal_default(column, column_type(column))
        server_made = default is None and is_server_generated(column)
    optional = nullable or column_nullable or server_made or declared is not None
    if default is not None:
        return FieldSpec(key=key, attr=attr, type=ftype, required=False, default=default, ref=ref)
    return FieldSpec(key=key, attr=attr, type=ftype, nullable=optional, required=not optional, ref=ref)


def object_model(ctx: ShapeContext, name: str, doc: str, shape: ObjectShape, table: Table | None) -> str:
    """Adds the model for `shape` (and its nested models, first) to ctx; returns its name."""
    fields: list[FieldSpec] = []
    used: set[str] = set()
    seen_keys: set[str] = set()
    for item in shape.fields:
        if item.name in seen_keys:
            continue
        seen_keys.add(item.name)
        fields.append(_field(ctx, name, item, table, used))
    ctx.models.append(
        ModelSpec(
            name=name,
            doc=doc,
            fields=tuple(fields),
            from_attributes=ctx.role == "response",
            forbid_extra=ctx.role != "response",
        )
    )
    return name


@dataclass(frozen=True, slots=True)
class _Typed:
    """The type of a field whose example is a shape."""

    type: FieldType
    nullable: bool = False
    ref: str | None = None
    """The nested model the type refers to, if any."""


def _shape_type(
    ctx: ShapeContext, parent: str, nested_name: str, key: str, shape: Shape, table: Table | None
) -> _Typed:
    """The type of a field whose example is `shape`."""
    free = _json_column_type(ctx, key, shape, table)
    if free is not None:
        return _Typed(free)
    if isinstance(shape, ScalarShape):
        found = ctx.column(table, key)
        return _Typed(scalar_type(shape, key, found.column if found else None), shape.kind == "null")
    if isinstance(shape, ArrayShape):
        found = ctx.column(table, key)
        if (
            found is not None
            and sql_type(found.column.type).array_dims
            and not isinstance(shape.items, ObjectShape)
        ):
            return _Typed(column_type(found.column))
        if shape.items is None:
            return _Typed(FieldType("list[Any]", ANY.imports, (), frozenset({"array"})))
        element = _shape_type(
            ctx.nested(),
            parent,
            f"{nested_name}Item",
            key,
            shape.items,
            ctx.index.for_word(key) or table,
        )
        inner = element.type
        kinds = frozenset({"array"})
        listed = FieldType(f"list[{inner.annotation}]", inner.imports, (), kinds, inner.literal)
        return _Typed(listed, ref=element.ref)
    nested_table = ctx.index.for_word(key)
    if nested_table is None:
        nested_table, _ = covering_table(ctx.index, shape, table)
    model = object_model(
        ctx.nested(), ctx.registry.claim(nested_name), f"The `{key}` object in {parent}.", shape, nested_table
    )
    return _Typed(FieldType(model, frozenset(), (), frozenset({"object"})), ref=model)


_JSON_TYPES = frozenset({"JSON", "JSONB"})
_JSON_OBJECT = FieldType("dict[str, Any]", ANY.imports, (), frozenset({"object"}))
_JSON_ARRAY = FieldType("list[Any]", ANY.imports, (), frozenset({"array"}))


def _json_column_type(ctx: ShapeContext, key: str, shape: Shape, table: Table | None) -> FieldType | None:
    """A key whose column is `JSON`/`JSONB` holds any JSON the column does: `dict[str, Any]` for an object
    example, `list[Any]` for an array, `Any` for another value (the example shows one value, not a schema);
    None for any other key (and for a `null` example, typed by the column)."""
    if not key or (isinstance(shape, ScalarShape) and shape.kind == "null"):
        return None
    found = ctx.column(table, key)
    if found is None:
        return None
    sql = sql_type(found.column.type)
    if sql.base not in _JSON_TYPES or sql.array_dims:
        return None
    if isinstance(shape, ObjectShape):
        return _JSON_OBJECT
    return _JSON_ARRAY if isinstance(shape, ArrayShape) else ANY


def _root_model(ctx: ShapeContext, name: str, doc: str, shape: Shape, table: Table | None) -> str:
    if isinstance(shape, ArrayShape) and isinstance(shape.items, ObjectShape) and "items" in ctx.preset:
        items = ctx.preset["items"]
        element = items.annotation.removeprefix("list[").removesuffix("]")
        ctx.models.append(ModelSpec(name=name, doc=doc, root=items, root_ref=element))
        return name
    typed = _shape_type(ctx, name, f"{name}Item", "", shape, table)
    ftype, nullable, ref = typed.type, typed.nullable, typed.ref
    if nullable:
        if ftype.annotation == "Any":
            ftype = ANY
        else:
            ftype = FieldType(f"{ftype.annotation} | None", ftype.imports, literal=ftype.literal)
    ctx.models.append(ModelSpec(name=name, doc=doc, root=ftype, root_ref=ref))
    return name


def body_models(ctx: ShapeContext, name: str, doc: str, shape: Shape, table: Table | None) -> str:
    """Models for a request or response body; returns the top model's name."""
    if isinstance(shape, ObjectShape):
        return object_model(ctx, name, doc, shape, table)
    return _root_model(ctx, name, doc, shape, table)


def model_signature(models: dict[str, ModelSpec], name: str) -> tuple[object, ...]:
    """The structure of a model and its nested models, without their names or docs."""
    model = models[name]
    fields = tuple(
        (
            f.key,
            f.attr,
            f.type.annotation.replace(f.ref, "#") if f.ref else f.type.annotation,
            f.type.args,
            f.nullable,
            f.required,
            f.default,
            f.read_from,
            f.not_null,
            model_signature(models, f.ref) if f.ref in models else f.ref,
        )
        for f in model.fields
    )
    root = None
    if model.root is not None:
        ref = model.root_ref
        root = (
            model.root.annotation.replace(ref, "#") if ref else model.root.annotation,
            model_signature(models, ref) if ref in models else ref,
        )
    return (model.from_attributes, model.forbid_extra, root, fields)
