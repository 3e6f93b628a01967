"""IR → schema plan: which Pydantic models exist, in which module, with which fields.

The plan is the single source of the generated `schemas/` package and of the OpenAPI components (which are
the JSON Schemas of the rendered models), so the two cannot disagree.

Table models (module `tables/<table>.py`):

- `<Model>Create`: every column except server-generated ones (auto-increment primary keys, columns whose
  default is an SQL expression such as `now()` or `gen_random_uuid()`). A literal default (`0`, `'active'`,
  `true`) becomes the field default; nullable columns default to None; others are required.
- `<Model>Update`: the same columns minus primary keys, all optional (`T | None = None`).
- `<Model>Response`: every column except secret-like ones (`password_hash`, `api_key`, `*_token`, ...),
  `ConfigDict(from_attributes=True)`, nullable columns typed `T | None`.

Contract models (module `api/<tag>.py`): request body → `<Op>Request`, success body → `<Op>Response`, field
types from the JSON example sharpened by the resource table's columns (see `names`); a JSON `null` example
makes the field optional (`T | None = None`, `T` from the matching column, else `Any`). A body that is not an
object becomes a `RootModel`. Error responses use `ErrorResponse` (module `common.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from specc.emit.naming import class_names, pascal
from specc.emit.schemas import names
from specc.emit.shapes import ANY, FieldType, column_type, is_secret, py_str, scalar_type
from specc.ir.model import ArrayShape, Body, Column, Endpoint, ObjectShape, ScalarShape, Shape, Spec, Table
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


@dataclass(frozen=True)
class ModelSpec:
    name: str
    doc: str
    fields: tuple[FieldSpec, ...] = ()
    root: FieldType | None = None
    """Set for a `RootModel[...]` (a body that is not a JSON object)."""
    from_attributes: bool = False


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
        if ann.startswith("Literal[") and py_str(value) in _literal_values(ann):
            return py_str(value)
        return None
    lower = text.lower()
    if ann == "bool" and lower in ("true", "false"):
        return "True" if lower == "true" else "False"
    if ann == "int" and _INT.match(text) and len(text) <= _MAX_INT_TEXT:
        return str(int(text))
    if ann == "float" and _DEC.match(text) and math.isfinite(float(text)):
        return repr(float(text))
    if ann == "decimal.Decimal" and _DEC.match(text):
        return f"decimal.Decimal({py_str(text)})"
    return None


def _literal_values(annotation: str) -> list[str]:
    return [v.strip() for v in annotation[len("Literal[") : -1].split(", ")]


def is_server_generated(column: Column) -> bool:
    """Values the database makes: auto-increment keys and defaults that are SQL expressions."""
    if column.primary_key and column.autoincrement:
        return True
    if column.default is None:
        return False
    return literal_default(column, column_type(column)) is None


def table_models(table: Table, model: str) -> tuple[ModelSpec, ...]:
    create: list[FieldSpec] = []
    update: list[FieldSpec] = []
    response: list[FieldSpec] = []
    used_create: set[str] = set()
    used_update: set[str] = set()
    used_response: set[str] = set()
    for column in table.columns:
        ftype = column_type(column)
        nullable = column.nullable and not column.primary_key
        if not is_server_generated(column):
            default = literal_default(column, ftype)
            create.append(
                FieldSpec(
                    key=column.name,
                    attr=names.attr_name(column.name, used_create),
                    type=ftype,
                    nullable=nullable,
                    required=not nullable and default is None,
                    default=default or "None",
                )
            )
            if not column.primary_key:
                update.append(
                    FieldSpec(
                        key=column.name,
                        attr=names.attr_name(column.name, used_update),
                        type=ftype,
                        nullable=True,
                        required=False,
                    )
                )
        if not is_secret(column.name):
            response.append(
                FieldSpec(
                    key=column.name,
                    attr=names.attr_name(column.name, used_response),
                    type=ftype,
                    nullable=nullable,
                )
            )
    where = f"`{table.name}`"
    return (
        ModelSpec(
            name=f"{model}Create",
            doc=f"Fields a client sends to create a row in {where}.",
            fields=tuple(create),
        ),
        ModelSpec(
            name=f"{model}Update",
            doc=f"Partial update of a row in {where}: every field optional.",
            fields=tuple(update),
        ),
        ModelSpec(
            name=f"{model}Response",
            doc=f"A row of {where} as returned by the API (no secret columns).",
            fields=tuple(response),
            from_attributes=True,
        ),
    )


# --- contracts --------------------------------------------------------------------------------------------


@dataclass
class _ShapeContext:
    index: names.TableIndex
    registry: names.NameRegistry
    fallback: dict[str, Column | None]
    """Per JSON key: the column all tables agree on (None when none or ambiguous); shared across endpoints."""
    models: list[ModelSpec] = field(default_factory=list)

    def column(self, table: Table | None, key: str) -> Column | None:
        if table is not None:
            column = table.column(key)
            if column is not None:
                return column
        if key not in self.fallback:
            candidates = self.index.columns_named(key)
            first = column_type(candidates[0]) if candidates else None
            agreed = first is not None and all(_same_type(column_type(c), first) for c in candidates[1:])
            self.fallback[key] = candidates[0] if agreed else None
        return self.fallback[key]


def _same_type(a: FieldType, b: FieldType) -> bool:
    return a.annotation == b.annotation and a.args == b.args


def _object_model(ctx: _ShapeContext, name: str, doc: str, shape: ObjectShape, table: Table | None) -> str:
    """Adds the model for `shape` (and its nested models, first) to ctx; returns its name."""
    fields: list[FieldSpec] = []
    used: set[str] = set()
    seen_keys: set[str] = set()
    for item in shape.fields:
        if item.name in seen_keys:
            continue
        seen_keys.add(item.name)
        ftype, nullable = _shape_type(ctx, name, f"{name}{pascal(item.name)}", item.name, item.shape, table)
        fields.append(
            FieldSpec(
                key=item.name,
                attr=names.attr_name(item.name, used),
                type=ftype,
                nullable=nullable,
                required=not nullable,
            )
        )
    ctx.models.append(ModelSpec(name=name, doc=doc, fields=tuple(fields)))
    return name


def _shape_type(
    ctx: _ShapeContext, parent: str, nested_name: str, key: str, shape: Shape, table: Table | None
) -> tuple[FieldType, bool]:
    """(type, nullable) of a field whose example is `shape`."""
    if isinstance(shape, ScalarShape):
        column = ctx.column(table, key)
        return scalar_type(shape, key, column), shape.kind == "null"
    if isinstance(shape, ArrayShape):
        column = ctx.column(table, key)
        if (
            column is not None
            and sql_type(column.type).array_dims
            and not isinstance(shape.items, ObjectShape)
        ):
            return column_type(column), False
        if shape.items is None:
            return FieldType("list[Any]", ANY.imports, (), frozenset({"array"})), False
        inner, _ = _shape_type(
            ctx,
            parent,
            f"{nested_name}Item",
            key,
            shape.items,
            ctx.index.for_word(key) or table,
        )
        return FieldType(f"list[{inner.annotation}]", inner.imports, (), frozenset({"array"})), False
    nested_table = ctx.index.for_word(key)
    model = _object_model(
        ctx, ctx.registry.claim(nested_name), f"The `{key}` object in {parent}.", shape, nested_table
    )
    return FieldType(model, frozenset(), (), frozenset({"object"})), False


def body_models(ctx: _ShapeContext, name: str, doc: str, shape: Shape, table: Table | None) -> str:
    """Models for a request or response body; returns the top model's (already claimed) name."""
    if isinstance(shape, ObjectShape):
        return _object_model(ctx, name, doc, shape, table)
    if isinstance(shape, ArrayShape) and isinstance(shape.items, ObjectShape):
        item = _object_model(
            ctx, ctx.registry.claim(f"{name}Item"), f"One element of {name}.", shape.items, table
        )
        ctx.models.append(ModelSpec(name=name, doc=doc, root=FieldType(f"list[{item}]")))
        return name
    ftype, nullable = _shape_type(ctx, name, f"{name}Item", "", shape, table)
    if nullable:
        ftype = FieldType(f"{ftype.annotation} | None", ftype.imports) if ftype.annotation != "Any" else ANY
    ctx.models.append(ModelSpec(name=name, doc=doc, root=ftype))
    return name


def plan_schemas(spec: Spec, api_prefix: str, load_external: ExternalLoader | None = None) -> SchemaPlan:
    """The full plan. `load_external` resolves `Body.schema_ref` (without it such bodies are untyped)."""
    registry = names.NameRegistry({ERROR_RESPONSE.name})
    modules: list[ModuleSpec] = [ModuleSpec(path="common.py", models=(ERROR_RESPONSE,))]
    used_modules: set[str] = set()
    table_classes = class_names(t.name for t in spec.tables)
    for table in sorted(spec.tables, key=lambda t: t.name):
        models = table_models(table, table_classes[table.name])
        claimed = tuple(
            ModelSpec(
                name=registry.claim(m.name), doc=m.doc, fields=m.fields, from_attributes=m.from_attributes
            )
            for m in models
        )
        modules.append(
            ModuleSpec(path=f"tables/{names.module_name(table.name, used_modules)}.py", models=claimed)
        )

    endpoints = sorted_endpoints(spec)
    index = names.TableIndex(spec.tables)
    fallback: dict[str, Column | None] = {}
    op_ids = names.operation_ids(endpoints, api_prefix)
    by_tag: dict[str, list[ModelSpec]] = {}
    externals: list[ModuleSpec] = []
    operations: list[OperationSchemas] = []
    used_external: set[str] = set()
    for endpoint, op_id in zip(endpoints, op_ids, strict=True):
        tag = names.tag(endpoint, api_prefix)
        ctx = _ShapeContext(index=index, registry=registry, fallback=fallback)
        resource = names.resource_table(index, endpoint, api_prefix)
        base = names.model_base(op_id)
        label = f"{endpoint.method} {endpoint.path}"
        request = _body(
            ctx, endpoint, endpoint.request_body, f"{base}Request", f"Request body of {label}.", resource
        )
        success = endpoint.success
        response: str | None = None
        if success is not None and success.status != 204:
            response = _body(
                ctx, endpoint, success.body, f"{base}Response", f"Success body of {label}.", resource
            )
        for name, body in ((request, endpoint.request_body), (response, success.body if success else None)):
            if name is None or body is None or body.schema_ref is None:
                continue
            schema = load_external(body, name, endpoint) if load_external is not None else None
            if schema is None:
                ctx.models.append(
                    ModelSpec(
                        name=name, doc=f"Body of {label} (schema {body.schema_ref} unavailable).", root=ANY
                    )
                )
                continue
            external = ExternalModule(class_name=name, schema_path=body.schema_ref, schema=schema)
            path = f"external/{names.module_name(name, used_external)}.py"
            externals.append(ModuleSpec(path=path, external=external))
        by_tag.setdefault(tag, []).extend(ctx.models)
        operations.append(
            OperationSchemas(
                endpoint=endpoint, operation_id=op_id, tag=tag, request=request, response=response
            )
        )
    used_api: set[str] = set()
    for tag in sorted(by_tag):
        module = names.module_name(tag, used_api)
        if by_tag[tag]:
            modules.append(ModuleSpec(path=f"api/{module}.py", models=tuple(by_tag[tag])))
    modules.extend(externals)
    return SchemaPlan(modules=tuple(modules), operations=tuple(operations))


def _body(
    ctx: _ShapeContext, endpoint: Endpoint, body: Body | None, name: str, doc: str, table: Table | None
) -> str | None:
    if body is None:
        return None
    if body.schema_ref is not None:
        return ctx.registry.claim(name)
    if body.shape is None:
        return None
    return body_models(ctx, ctx.registry.claim(name), doc, body.shape, table)


def module_dotted(path: str) -> str:
    """`tables/users.py` → `tables.users`."""
    return path.removesuffix(".py").replace("/", ".")
