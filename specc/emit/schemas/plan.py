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

from collections.abc import Callable
from dataclasses import replace

from specc.emit.naming import pascal, singular, snake
from specc.emit.schemas import names
from specc.emit.schemas.bodies import (
    Role,
    ShapeContext,
    body_models,
    covering_table,
    is_server_generated,
    literal_default,
    object_model,
)
from specc.emit.schemas.planner import Planner
from specc.emit.schemas.specs import (
    ERROR_RESPONSE,
    ExternalLoader,
    ExternalModule,
    FieldSpec,
    ModelSpec,
    ModuleSpec,
    OperationSchemas,
    SchemaPlan,
    module_dotted,
)
from specc.emit.schemas.unbounded import UnboundedString, unbounded_request_strings
from specc.emit.shapes import ANY, FieldType
from specc.ir.model import (
    ArrayShape,
    Endpoint,
    ObjectShape,
    Shape,
    Spec,
    Table,
)

__all__ = [
    "ExternalLoader",
    "ExternalModule",
    "FieldSpec",
    "ModelSpec",
    "ModuleSpec",
    "OperationSchemas",
    "SchemaPlan",
    "UnboundedString",
    "covering_table",
    "is_server_generated",
    "literal_default",
    "module_dotted",
    "plan_schemas",
    "unbounded_request_strings",
]
"""The plan's records (`specc.emit.schemas.specs`), its shape helpers (`specc.emit.schemas.bodies`) and the
lint's search (`specc.emit.schemas.unbounded`) are importable from here, where they were first defined."""


def method_order(endpoint: Endpoint) -> tuple[str, int]:
    order = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
    return (endpoint.path, order.index(endpoint.method))


def sorted_endpoints(spec: Spec) -> list[Endpoint]:
    return sorted(spec.endpoints, key=method_order)


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
    planner = Planner(spec, api_prefix)
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


def _builder(shape: Shape, table: Table | None) -> Callable[[ShapeContext, str], str]:
    def build(ctx: ShapeContext, name: str) -> str:
        return body_models(ctx, name, "", shape, table)

    return build


def _wrapper(planner: Planner, endpoint: Endpoint, op: str) -> str:
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
        lambda ctx, name: object_model(ctx, name, "", item, table),
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
