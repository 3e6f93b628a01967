"""IR → schema plan: which Pydantic models exist, in which module, with which fields.

The plan is the single source of the generated `schemas/` package and of the OpenAPI components (which are
the JSON Schemas of the rendered models), so the two cannot disagree.

Only contract models are generated (module `api/<tag>.py`): one per request body and success body, named by
`specc.emit.schemas.names` (`UserCreate`, `RoomUpdate`, `LoginRequest`, `RoomResponse`, `RoomPage`, ...).
There are no per-table Create/Update models: a client sends what the contract shows, so no schema a client
sends can carry a column the document never offered (`password_hash`, `created_by`, `id`).

Field types come from the JSON example sharpened by the columns of the table that covers the object best
(see `names`). Request models (`ConfigDict(extra="forbid")`): a nullable column, a column with an SQL
default, a `null` example or a `Fields:` entry marked optional makes the field optional (`T | None = None`);
a field is named by the model attribute of its column (`metadata_`, alias `metadata`), so `model_dump()` gives
the model's attribute names;
a literal column default becomes the field default; constraints come from `specc.emit.schemas.constraints`.
A PATCH body is a partial update: every field `T | None = None` (so `model_dump(exclude_unset=True)` tells
absent from null), and a field of a NOT NULL column rejects an explicit null. Response models
(`ConfigDict(from_attributes=True)`): a nullable column or `null` example gives `T | None`; a key the prose
says may be absent ("`next_cursor` is absent on the last page") gives `T | None = None`; a column the models
writer renamed (`metadata` → `metadata_`) is read from the model's attribute and serialised under its name.
A key whose column is `JSON`/`JSONB` is free-form (`dict[str, Any]`, `list[Any]`), whatever its example holds.
A body that is not an object becomes a `RootModel`. Error responses use `ErrorResponse` (`common.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from specc.emit.models.names import ModelNames, model_names
from specc.emit.naming import pascal, singular, snake
from specc.emit.schemas import names
from specc.emit.schemas.constraints import check_args, declared_args, field_args
from specc.emit.shapes import ANY, FieldType, column_type, py_str, scalar_type
from specc.ir.model import (
    ArrayShape,
    Body,
    BodyField,
    Column,
    Endpoint,
    ObjectField,
    ObjectShape,
    ScalarShape,
    Shape,
    Spec,
    Table,
)
from specc.ir.types import sql_type


@dataclass(frozen=True)
class FieldSpec:
    key: str
    """JSON key / column name."""
    attr: str
    """Python attribute (differs from `key` only when `key` is not usable; then `key` is the alias)."""
    type: FieldType
    nullable: bool = False
    required: bool = True
    default: str = "None"
    """Python literal text of the default when not required."""
    read_from: str | None = None
    """Response models: the model attribute to read from an ORM object when it is not `key`."""
    ref: str | None = None
    """The nested model the type refers to, if any."""
    not_null: bool = False
    """Partial updates: the field may be omitted but not sent as null (a NOT NULL column)."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    doc: str
    fields: tuple[FieldSpec, ...] = ()
    root: FieldType | None = None
    """Set for a `RootModel[...]` (a body that is not a JSON object)."""
    from_attributes: bool = False
    """Response models: `ConfigDict(from_attributes=True)`."""
    forbid_extra: bool = False
    """Request models: `ConfigDict(extra="forbid")`."""
    root_ref: str | None = None
    """The nested model a root type refers to, if any."""


@dataclass(frozen=True)
class ExternalModule:
    """A request/response body given as an external JSON Schema file, compiled by datamodel-code-generator."""

    class_name: str
    schema_path: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class ModuleSpec:
    path: str
    """Posix path relative to the `schemas/` package: `tables/users.py`, `api/auth.py`, `common.py`."""
    models: tuple[ModelSpec, ...] = ()
    external: ExternalModule | None = None

    @property
    def exports(self) -> tuple[str, ...]:
        if self.external is not None:
            return (self.external.class_name,)
        return tuple(m.name for m in self.models)


@dataclass(frozen=True)
class OperationSchemas:
    """Which component names an endpoint uses."""

    endpoint: Endpoint
    operation_id: str
    tag: str
    request: str | None
    response: str | None


@dataclass(frozen=True)
class SchemaPlan:
    modules: tuple[ModuleSpec, ...]
    operations: tuple[OperationSchemas, ...]


ERROR_RESPONSE = ModelSpec(
    name="ErrorResponse",
    doc="Error body of every documented error response.",
    fields=(FieldSpec(key="detail", attr="detail", type=FieldType("str", json_kinds=frozenset({"string"}))),),
)

ExternalLoader = Callable[[Body, str, Endpoint], "dict[str, object] | None"]
"""Reads and checks `Body.schema_ref` (reporting problems); None when it cannot be used."""


def method_order(endpoint: Endpoint) -> tuple[str, int]:
    order = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
    return (endpoint.path, order.index(endpoint.method))


def sorted_endpoints(spec: Spec) -> list[Endpoint]:
    return sorted(spec.endpoints, key=method_order)


# --- tables -----------------------------------------------------------------------------------------------

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


# --- contracts --------------------------------------------------------------------------------------------

Role = Literal["request", "update", "response"]

PAGINATION_KEYS = frozenset(
    {
        "total",
        "count",
        "next_cursor",
        "prev_cursor",
        "previous_cursor",
        "cursor",
        "offset",
        "limit",
        "page",
        "page_size",
        "per_page",
        "total_pages",
        "next_page",
        "has_more",
        "next",
        "previous",
    }
)
"""Keys that make an `items` wrapper a page (`<R>Page`) rather than a list (`<R>List`)."""

_ABSENT = re.compile(
    r"(?<![\w`])`?([A-Za-z_]\w{0,199})`?\s+(?:is|are|may be|can be|will be)\s+(?:absent|omitted|missing|"
    r"not present|null|left out)\b",
    re.I,
)
"""Prose saying a response field may be missing: "`next_cursor` is absent on the last page"."""


_EMPTY = re.compile(r"(?<![\w`])(?:empty|blank)\s+`?([A-Za-z_]\w{0,199})`?", re.I)
"""A documented validation error for an empty field: "422: Validation error (empty name, ...)"."""


def empty_keys(endpoint: Endpoint) -> frozenset[str]:
    """Request keys whose empty value the contract lists as a 400/422 error (they get `min_length=1`)."""
    texts = [r.description or "" for r in endpoint.responses if r.status in (400, 422)]
    return frozenset(m.group(1) for text in texts for m in _EMPTY.finditer(text))


def absent_keys(endpoint: Endpoint) -> frozenset[str]:
    texts = [endpoint.summary or ""] + [r.description or "" for r in endpoint.responses]
    return frozenset(m.group(1) for text in texts for m in _ABSENT.finditer(text))


@dataclass
class _Names:
    """Every class name handed out, and the structural signature of each shareable one."""

    registry: names.NameRegistry
    signatures: dict[str, tuple[object, ...]] = field(default_factory=dict)
    modules: dict[str, list[ModelSpec]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class _ShapeContext:
    index: names.TableIndex
    registry: names.NameRegistry
    fallback: dict[str, tuple[Table, Column] | None]
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

    def column(self, table: Table | None, key: str) -> tuple[Table, Column] | None:
        return resolve_column(self.index, self.fallback, table, key)

    def nested(self, registry: names.NameRegistry | None = None) -> _ShapeContext:
        return _ShapeContext(
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
    fallback: dict[str, tuple[Table, Column] | None],
    table: Table | None,
    key: str,
) -> tuple[Table, Column] | None:
    """The column a JSON key stands for: `table`'s column of that name, else the column of that name all
    tables agree on (memoised in `fallback`)."""
    if table is not None:
        column = table.column(key)
        if column is not None:
            return table, column
    if key not in fallback:
        candidates = index.owned_columns_named(key)
        first = column_type(candidates[0][1]) if candidates else None
        agreed = first is not None and all(_same_type(column_type(c), first) for _, c in candidates[1:])
        fallback[key] = candidates[0] if agreed else None
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


def _field(
    ctx: _ShapeContext, name: str, item: ObjectField, table: Table | None, used: set[str]
) -> FieldSpec:
    key = item.name
    found = ctx.column(table, key)
    column = found[1] if found is not None else None
    if key in ctx.preset:
        ftype, nullable = ctx.preset[key], False
        ref: str | None = ctx.preset[key].annotation.removeprefix("list[").rstrip("]")
    else:
        ftype, nullable, ref = _shape_type(ctx, name, f"{name}{pascal(key)}", key, item.shape, table)
    column_nullable = column is not None and column.nullable and not column.primary_key
    orm_attr = key
    if found is not None and ctx.model_attrs is not None:
        orm_attr = ctx.model_attrs.attributes.get(found[0].name, {}).get(key, key)
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
        ftype = field_args(ftype, check_args(column, found[0] if found else None, ftype))
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


def _object_model(ctx: _ShapeContext, name: str, doc: str, shape: ObjectShape, table: Table | None) -> str:
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


def _shape_type(
    ctx: _ShapeContext, parent: str, nested_name: str, key: str, shape: Shape, table: Table | None
) -> tuple[FieldType, bool, str | None]:
    """(type, nullable, nested model name) of a field whose example is `shape`."""
    free = _json_column_type(ctx, key, shape, table)
    if free is not None:
        return free, False, None
    if isinstance(shape, ScalarShape):
        found = ctx.column(table, key)
        return scalar_type(shape, key, found[1] if found else None), shape.kind == "null", None
    if isinstance(shape, ArrayShape):
        found = ctx.column(table, key)
        if (
            found is not None
            and sql_type(found[1].type).array_dims
            and not isinstance(shape.items, ObjectShape)
        ):
            return column_type(found[1]), False, None
        if shape.items is None:
            return FieldType("list[Any]", ANY.imports, (), frozenset({"array"})), False, None
        inner, _, ref = _shape_type(
            ctx.nested(),
            parent,
            f"{nested_name}Item",
            key,
            shape.items,
            ctx.index.for_word(key) or table,
        )
        kinds = frozenset({"array"})
        listed = FieldType(f"list[{inner.annotation}]", inner.imports, (), kinds, inner.literal)
        return listed, False, ref
    nested_table = ctx.index.for_word(key)
    if nested_table is None:
        nested_table, _ = covering_table(ctx.index, shape, table)
    model = _object_model(
        ctx.nested(), ctx.registry.claim(nested_name), f"The `{key}` object in {parent}.", shape, nested_table
    )
    return FieldType(model, frozenset(), (), frozenset({"object"})), False, model


_JSON_TYPES = frozenset({"JSON", "JSONB"})
_JSON_OBJECT = FieldType("dict[str, Any]", ANY.imports, (), frozenset({"object"}))
_JSON_ARRAY = FieldType("list[Any]", ANY.imports, (), frozenset({"array"}))


def _json_column_type(ctx: _ShapeContext, key: str, shape: Shape, table: Table | None) -> FieldType | None:
    """A key whose column is `JSON`/`JSONB` holds any JSON the column does: `dict[str, Any]` for an object
    example, `list[Any]` for an array, `Any` for another value (the example shows one value, not a schema);
    None for any other key (and for a `null` example, typed by the column)."""
    if not key or (isinstance(shape, ScalarShape) and shape.kind == "null"):
        return None
    found = ctx.column(table, key)
    if found is None:
        return None
    sql = sql_type(found[1].type)
    if sql.base not in _JSON_TYPES or sql.array_dims:
        return None
    if isinstance(shape, ObjectShape):
        return _JSON_OBJECT
    return _JSON_ARRAY if isinstance(shape, ArrayShape) else ANY


def _root_model(ctx: _ShapeContext, name: str, doc: str, shape: Shape, table: Table | None) -> str:
    if isinstance(shape, ArrayShape) and isinstance(shape.items, ObjectShape) and "items" in ctx.preset:
        items = ctx.preset["items"]
        element = items.annotation.removeprefix("list[").removesuffix("]")
        ctx.models.append(ModelSpec(name=name, doc=doc, root=items, root_ref=element))
        return name
    ftype, nullable, ref = _shape_type(ctx, name, f"{name}Item", "", shape, table)
    if nullable:
        if ftype.annotation == "Any":
            ftype = ANY
        else:
            ftype = FieldType(f"{ftype.annotation} | None", ftype.imports, literal=ftype.literal)
    ctx.models.append(ModelSpec(name=name, doc=doc, root=ftype, root_ref=ref))
    return name


def body_models(ctx: _ShapeContext, name: str, doc: str, shape: Shape, table: Table | None) -> str:
    """Models for a request or response body; returns the top model's name."""
    if isinstance(shape, ObjectShape):
        return _object_model(ctx, name, doc, shape, table)
    return _root_model(ctx, name, doc, shape, table)


def _signature(models: dict[str, ModelSpec], name: str) -> tuple[object, ...]:
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
            _signature(models, f.ref) if f.ref in models else f.ref,
        )
        for f in model.fields
    )
    root = None
    if model.root is not None:
        ref = model.root_ref
        root = (
            model.root.annotation.replace(ref, "#") if ref else model.root.annotation,
            _signature(models, ref) if ref in models else ref,
        )
    return (model.from_attributes, model.forbid_extra, root, fields)


def _action(endpoint: Endpoint, api_prefix: str) -> str:
    statics = [s for s in names.path_segments(endpoint.path, api_prefix) if names.param_name(s) is None]
    return pascal(statics[-1]) if statics else "Root"


def _resource_word(table: Table | None, endpoint: Endpoint, api_prefix: str) -> str:
    if table is not None:
        return pascal(singular(snake(table.name)))
    statics = [s for s in names.path_segments(endpoint.path, api_prefix) if names.param_name(s) is None]
    return pascal(singular(snake(statics[-1]))) if statics else "Root"


def _is_item_path(endpoint: Endpoint, api_prefix: str) -> bool:
    segments = names.path_segments(endpoint.path, api_prefix)
    return bool(segments) and names.param_name(segments[-1]) is not None


def _wrapper_items(shape: Shape | None) -> ObjectShape | None:
    """The item object of `{"items": [{...}], ...}` (or of a bare `[{...}]`), else None."""
    if isinstance(shape, ArrayShape) and isinstance(shape.items, ObjectShape):
        return shape.items
    if isinstance(shape, ObjectShape):
        for item in shape.fields:
            if (
                item.name == "items"
                and isinstance(item.shape, ArrayShape)
                and isinstance(item.shape.items, ObjectShape)
            ):
                return item.shape.items
    return None


class _Planner:
    def __init__(self, spec: Spec, api_prefix: str) -> None:
        self.api_prefix = api_prefix
        self.spec = spec
        self.index = names.table_index(spec.tables)
        self.fallback: dict[str, tuple[Table, Column] | None] = {}
        self._model_attrs: ModelNames | None = None
        self.names = _Names(registry=names.NameRegistry({ERROR_RESPONSE.name}))

    @property
    def model_attrs(self) -> ModelNames:
        """The models writer's attribute names (response fields read renamed columns from them)."""
        if self._model_attrs is None:
            self._model_attrs = model_names(self.spec)
        return self._model_attrs

    def context(self, role: Role, endpoint: Endpoint, registry: names.NameRegistry) -> _ShapeContext:
        return _ShapeContext(
            index=self.index,
            registry=registry,
            fallback=self.fallback,
            model_attrs=self.model_attrs,
            role=role,
            path_table=names.resource_table(self.index, endpoint, self.api_prefix),
            absent=absent_keys(endpoint) if role == "response" else frozenset(),
            non_empty=empty_keys(endpoint) if role != "response" else frozenset(),
            declared={f.name: f for f in endpoint.request_body.fields}
            if role != "response" and endpoint.request_body is not None
            else {},
        )

    def _probe(
        self,
        role: Role,
        endpoint: Endpoint,
        build: Callable[[_ShapeContext, str], str],
        preset: dict[str, FieldType] | None,
    ) -> tuple[object, ...]:
        """The structure `build` would make (under throwaway names)."""
        probe = self.context(role, endpoint, names.NameRegistry())
        probe.preset = dict(preset or {})
        build(probe, "\x00")
        return _signature({m.name: m for m in probe.models}, "\x00")

    def place(
        self,
        candidates: list[str],
        role: Role,
        endpoint: Endpoint,
        tag: str,
        label: str,
        build: Callable[[_ShapeContext, str], str],
        preset: dict[str, FieldType] | None = None,
    ) -> str:
        """Names and adds the models `build` makes: the first candidate that is free, or taken by a model of
        the same structure (which is then shared); the last candidate with a numeric suffix otherwise."""
        signature: tuple[object, ...] | None = None
        chosen: str | None = None
        for candidate in candidates:
            known = self.names.signatures.get(candidate)
            if known is not None:
                if signature is None:
                    signature = self._probe(role, endpoint, build, preset)
                if known == signature:
                    self.names.labels[candidate].append(label)
                    return candidate
                continue
            if self.names.registry.is_free(candidate):
                chosen = self.names.registry.claim(candidate)
                break
        if chosen is None:
            chosen = self.names.registry.claim(candidates[-1])
        ctx = self.context(role, endpoint, self.names.registry)
        ctx.preset = dict(preset or {})
        build(ctx, chosen)
        if signature is None:
            signature = _signature({m.name: m for m in ctx.models}, chosen)
        self.names.signatures[chosen] = signature
        self.names.labels[chosen] = [label]
        self.names.modules.setdefault(tag, []).extend(ctx.models)
        return chosen


@dataclass(frozen=True)
class UnboundedString:
    """A string field of a request body with no maximum length (lint L015)."""

    endpoint: Endpoint
    path: str
    """Dotted path of the field (`user.name`, `tags[]`)."""


def unbounded_request_strings(spec: Spec, api_prefix: str = "/api") -> list[UnboundedString]:
    """Request body string fields that get no `max_length` from a column, a CHECK or a `Fields:` entry."""
    planner = _Planner(spec, api_prefix)
    found: list[UnboundedString] = []
    for endpoint in spec.endpoints:
        body = endpoint.request_body
        if body is None or body.shape is None:
            continue
        path_table = names.resource_table(planner.index, endpoint, api_prefix)
        table = path_table
        if isinstance(body.shape, ObjectShape):
            covering, count = covering_table(planner.index, body.shape, path_table)
            table = covering if count else path_table
        if isinstance(body.shape, ObjectShape) and _plainly_bounded(planner, body, body.shape, table):
            continue
        role: Role = "update" if endpoint.method == "PATCH" else "request"
        ctx = planner.context(role, endpoint, names.NameRegistry())
        top = body_models(ctx, "\x00", "", body.shape, table)
        models = {m.name: m for m in ctx.models}
        found += [UnboundedString(endpoint, path) for path in _unbounded(models, top, "")]
    return found


_BOUNDED_STRINGS = frozenset({"VARCHAR", "CHAR"})


def _plainly_bounded(planner: _Planner, body: Body, shape: ObjectShape, table: Table | None) -> bool:
    """A fast yes: every field is a non-string scalar, or a string with a `Fields:` maximum or a `VARCHAR(n)`
    column (the full plan is built only for the other bodies)."""
    declared = {f.name: f for f in body.fields}
    for item in shape.fields:
        if not isinstance(item.shape, ScalarShape):
            return False
        if item.shape.kind != "string":
            continue
        entry = declared.get(item.name)
        if entry is not None and entry.maximum is not None:
            continue
        found = resolve_column(planner.index, planner.fallback, table, item.name)
        if found is None:
            return False
        sql = sql_type(found[1].type)
        if sql.base not in _BOUNDED_STRINGS or sql.length is None or sql.array_dims:
            return False
    return True


def _unbounded(models: dict[str, ModelSpec], name: str, prefix: str) -> list[str]:
    model = models[name]
    result: list[str] = []
    if model.root is not None:
        if model.root.annotation == "str" and not any(a.name == "max_length" for a in model.root.args):
            result.append(prefix or "(body)")
        if model.root_ref in models and model.root_ref is not None:
            result += _unbounded(models, model.root_ref, prefix + "[]")
        return result
    for spec in model.fields:
        path = f"{prefix}.{spec.key}" if prefix else spec.key
        if spec.ref is not None and spec.ref in models:
            inner = path + "[]" if spec.type.annotation.startswith("list[") else path
            result += _unbounded(models, spec.ref, inner)
        elif spec.type.annotation in ("str", "EmailStr") and not any(
            a.name == "max_length" for a in spec.type.args
        ):
            result.append(path)
    return result


def _request_candidates(endpoint: Endpoint, resource: str, action: str, op: str) -> list[str]:
    success = endpoint.success
    if endpoint.method in ("PATCH", "PUT"):
        kind = "Update"
    elif endpoint.method == "POST" and success is not None and success.status == 201:
        kind = "Create"
    else:
        return [f"{action}Request", f"{action}Request{op}"]
    return [f"{resource}{kind}", f"{action}{resource}{kind}", f"{resource}{kind}{op}"]


def plan_schemas(spec: Spec, api_prefix: str, load_external: ExternalLoader | None = None) -> SchemaPlan:
    """The full plan. `load_external` resolves `Body.schema_ref` (without it such bodies are untyped).

    Names follow `specc.emit.schemas.names` (module docstring): request and plain response bodies are named
    in document order first, then `items` wrappers and arrays, so a list item can reuse `<R>Response`."""
    planner = _Planner(spec, api_prefix)
    by_name = sorted_endpoints(spec)
    op_ids = dict(zip((id(e) for e in by_name), names.operation_ids(by_name, api_prefix), strict=True))
    requests: dict[int, str | None] = {}
    responses: dict[int, str | None] = {}
    externals: list[ModuleSpec] = []
    used_external: set[str] = set()
    deferred: list[Endpoint] = []
    for endpoint in spec.endpoints:
        key = id(endpoint)
        if key in requests:
            continue
        op = pascal(op_ids[key])
        tag = names.tag(endpoint, api_prefix)
        action = _action(endpoint, api_prefix)
        label = f"{endpoint.method} {endpoint.path}"
        path_table = names.resource_table(planner.index, endpoint, api_prefix)
        requests[key] = None
        body = endpoint.request_body
        if body is not None and (body.shape is not None or body.schema_ref is not None):
            shape = body.shape
            table = path_table
            if isinstance(shape, ObjectShape):
                covering, count = covering_table(planner.index, shape, path_table)
                table = covering if count else path_table
            resource = _resource_word(table, endpoint, api_prefix)
            candidates = _request_candidates(endpoint, resource, action, op)
            role: Role = "update" if endpoint.method == "PATCH" else "request"
            if shape is None:
                requests[key] = planner.names.registry.claim(candidates[0])
            else:
                requests[key] = planner.place(
                    candidates,
                    role,
                    endpoint,
                    tag,
                    f"Request body of {label}",
                    _builder(shape, table),
                )
        responses[key] = None
        success = endpoint.success
        if success is None or success.status == 204 or success.body is None:
            continue
        shape = success.body.shape
        if success.body.schema_ref is not None or shape is None:
            if success.body.schema_ref is not None:
                responses[key] = planner.names.registry.claim(f"{action}Response")
            continue
        if _wrapper_items(shape) is not None:
            deferred.append(endpoint)
            continue
        table = path_table
        candidates = [f"{action}Response", f"{action}Response{op}"]
        if isinstance(shape, ObjectShape):
            covering, count = covering_table(planner.index, shape, path_table)
            if covering is not None and count * 2 >= len({f.name for f in shape.fields}):
                table = covering
                resource = _resource_word(covering, endpoint, api_prefix)
                second = (
                    f"{resource}DetailResponse"
                    if endpoint.method == "GET" and _is_item_path(endpoint, api_prefix)
                    else f"{action}{resource}Response"
                )
                candidates = [f"{resource}Response", second, f"{resource}Response{op}"]
        responses[key] = planner.place(
            candidates,
            "response",
            endpoint,
            tag,
            f"Response body of {label}",
            _builder(shape, table),
        )
    for endpoint in deferred:
        responses[id(endpoint)] = _wrapper(planner, endpoint, pascal(op_ids[id(endpoint)]))

    for endpoint in spec.endpoints:
        key = id(endpoint)
        label = f"{endpoint.method} {endpoint.path}"
        for name, body in (
            (requests[key], endpoint.request_body),
            (responses[key], endpoint.success.body if endpoint.success else None),
        ):
            if name is None or body is None or body.schema_ref is None or name in planner.names.labels:
                continue
            planner.names.labels[name] = []
            schema = load_external(body, name, endpoint) if load_external is not None else None
            tag = names.tag(endpoint, api_prefix)
            if schema is None:
                planner.names.modules.setdefault(tag, []).append(
                    ModelSpec(
                        name=name, doc=f"Body of {label} (schema {body.schema_ref} unavailable).", root=ANY
                    )
                )
                continue
            external = ExternalModule(class_name=name, schema_path=body.schema_ref, schema=schema)
            path = f"external/{names.module_name(name, used_external)}.py"
            externals.append(ModuleSpec(path=path, external=external))

    modules: list[ModuleSpec] = [ModuleSpec(path="common.py", models=(ERROR_RESPONSE,))]
    used_api: set[str] = set()
    for tag in sorted(planner.names.modules):
        module = names.module_name(tag, used_api)
        models = tuple(_with_doc(m, planner.names.labels.get(m.name)) for m in planner.names.modules[tag])
        if models:
            modules.append(ModuleSpec(path=f"api/{module}.py", models=models))
    modules.extend(externals)
    operations = [
        OperationSchemas(
            endpoint=endpoint,
            operation_id=op_ids[id(endpoint)],
            tag=names.tag(endpoint, api_prefix),
            request=requests[id(endpoint)],
            response=responses[id(endpoint)],
        )
        for endpoint in by_name
    ]
    return SchemaPlan(modules=tuple(modules), operations=tuple(operations))


def _with_doc(model: ModelSpec, labels: list[str] | None) -> ModelSpec:
    """The docstring names the first operation using the class and counts the others (short enough for
    one line in any project's line length)."""
    if not labels:
        return model
    others = len(labels) - 1
    doc = labels[0] + (f" (and {others} more)" if others else "") + "."
    return replace(model, doc=doc)


def _builder(shape: Shape, table: Table | None) -> Callable[[_ShapeContext, str], str]:
    def build(ctx: _ShapeContext, name: str) -> str:
        return body_models(ctx, name, "", shape, table)

    return build


def _wrapper(planner: _Planner, endpoint: Endpoint, op: str) -> str:
    """Names `{"items": [...], ...}` (`<R>Page` / `<R>List`) and a bare array of objects (`<R>List`)."""
    api_prefix = planner.api_prefix
    assert endpoint.success is not None and endpoint.success.body is not None
    shape = endpoint.success.body.shape
    item = _wrapper_items(shape)
    assert item is not None and shape is not None
    tag = names.tag(endpoint, api_prefix)
    action = _action(endpoint, api_prefix)
    label = f"{endpoint.method} {endpoint.path}"
    path_table = names.resource_table(planner.index, endpoint, api_prefix)
    covering, count = covering_table(planner.index, item, path_table)
    table = covering if count else path_table
    resource = _resource_word(table, endpoint, api_prefix)
    item_name = planner.place(
        [f"{resource}Response", f"{resource}ListItem", f"{resource}ListItem{op}"],
        "response",
        endpoint,
        tag,
        f"Item of the response to {label}",
        lambda ctx, name: _object_model(ctx, name, "", item, table),
    )
    item_type = FieldType(f"list[{item_name}]", frozenset(), (), frozenset({"array"}))
    paged = isinstance(shape, ObjectShape) and any(f.name in PAGINATION_KEYS for f in shape.fields)
    kind = "Page" if paged else "List"
    return planner.place(
        [f"{resource}{kind}", f"{action}{resource}{kind}", f"{resource}{kind}{op}"],
        "response",
        endpoint,
        tag,
        f"Response body of {label}",
        lambda ctx, name: body_models(ctx, name, "", shape, path_table),
        preset={"items": item_type},
    )


def module_dotted(path: str) -> str:
    """`tables/users.py` → `tables.users`."""
    return path.removesuffix(".py").replace("/", ".")
