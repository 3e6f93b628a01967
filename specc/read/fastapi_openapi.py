"""Compare the OpenAPI document a FastAPI app serves (`app.openapi()`) with specc's `openapi.json`.

`comparable(doc)` returns a normalised deep copy; an app whose routers use the generated route contracts
(`generated/contracts.py`) serves a document with `comparable(app.openapi()) == comparable(generated)`.
It removes only what FastAPI writes by itself and cannot be told to write otherwise, and what says the same
thing in two spellings. Each normalisation, and why it hides no real difference:

1. `info["x-generated-by"]` is dropped: specc's generated-file marker; FastAPI has no way to set an `info`
   extension.
2. Security is made explicit per operation, the top-level `security` is dropped: specc writes a global
   `bearerAuth` requirement and `security: []` on public operations; FastAPI writes no global requirement
   and a requirement on each operation whose dependencies include the bearer scheme. Each operation's
   effective requirement (its own, else the global one, else none) is kept and compared, so an operation
   that lost or gained authentication still differs. Security schemes no operation uses are dropped
   (FastAPI lists only the schemes in use; an unused definition has no effect).
3. Parameters: FastAPI writes every parameter's schema from the handler's Python parameter, adding
   - a `title` made from the name (`room_id` → `"Room Id"`): dropped when it is exactly that title;
   - the parameter's `description` copied into its schema: dropped when equal to the parameter's;
   - for an optional query parameter typed `T | None`, `anyOf: [T, {"type": "null"}]` (and `default: null`):
     reduced to `T` when the parameter is not required (a query string cannot carry a JSON null: an absent
     parameter is the only way to send None). `T` itself is still compared.
   Parameters are sorted by location and name (OpenAPI identifies a parameter by both; order means nothing).
4. A `summary` equal to the one FastAPI makes from the operation id (`get_rooms_by_room_id` →
   `"Get Rooms By Room Id"`) is dropped: FastAPI always writes a summary, for a route without one made
   from the route's name, and a contract names its route after the operation id. (A document that really
   has exactly that summary loses it on both sides alike.)
5. The `HTTPValidationError` and `ValidationError` components are dropped when nothing refers to them:
   FastAPI adds them by itself. (With the contracts, every operation with a parameter or a body declares
   its own 422, so FastAPI does not use them.) A component that the document uses is never dropped.

6. Every object member whose value is `null` is dropped, at any depth (`"default": null` of an optional
   field, mostly): FastAPI serialises its document with `exclude_none=True`, so it can never write one.
   Array items that are `null` are kept, as FastAPI keeps them.

Nothing else changes: paths, methods, status codes, response and request schemas, descriptions, operation
ids, tags and components are compared as they are (dictionaries compare without regard to key order).
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["comparable"]

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
FASTAPI_VALIDATION_COMPONENTS = ("HTTPValidationError", "ValidationError")
"""In this order: `HTTPValidationError` refers to `ValidationError`."""
NULL_SCHEMA = {"type": "null"}


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """A normalised deep copy of an OpenAPI document (see the module docstring); `doc` is not changed."""
    result: dict[str, Any] = _without_nulls(doc)
    info = result.get("info")
    if isinstance(info, dict):
        info.pop("x-generated-by", None)
    global_security = result.pop("security", [])
    used_schemes: set[str] = set()
    for item in _dict(result.get("paths")).values():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            security = operation.get("security", global_security)
            operation["security"] = security
            for requirement in security if isinstance(security, list) else []:
                if isinstance(requirement, dict):
                    used_schemes.update(str(name) for name in requirement)
            operation_id = operation.get("operationId")
            if isinstance(operation_id, str) and operation.get("summary") == fastapi_summary(operation_id):
                del operation["summary"]
            if isinstance(operation.get("parameters"), list):
                operation["parameters"] = sorted(
                    (_parameter(p) for p in operation["parameters"]),
                    key=lambda p: (str(p.get("in")), str(p.get("name"))) if isinstance(p, dict) else ("", ""),
                )
    components = _dict(result.get("components"))
    schemes = components.get("securitySchemes")
    if isinstance(schemes, dict):
        for name in [name for name in schemes if name not in used_schemes]:
            del schemes[name]
        if not schemes:
            del components["securitySchemes"]
    schemas = components.get("schemas")
    if isinstance(schemas, dict):
        for name in FASTAPI_VALIDATION_COMPONENTS:
            if name in schemas and not _referenced(result, name):
                del schemas[name]
    return result


def _without_nulls(value: Any) -> Any:
    """A deep copy of `value` without object members whose value is None (FastAPI's `exclude_none`)."""
    if isinstance(value, dict):
        return {key: _without_nulls(inner) for key, inner in value.items() if inner is not None}
    if isinstance(value, list):
        return [_without_nulls(inner) for inner in value]
    return copy.deepcopy(value)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def fastapi_title(name: str) -> str:
    """The title pydantic gives a field named `name` (FastAPI's parameter titles)."""
    return name.title().replace("_", " ")


def fastapi_summary(route_name: str) -> str:
    """The summary FastAPI writes for a route named `route_name` that has none."""
    return route_name.replace("_", " ").title()


def _parameter(parameter: Any) -> Any:
    if not isinstance(parameter, dict) or not isinstance(parameter.get("schema"), dict):
        return parameter
    schema: dict[str, Any] = parameter["schema"]
    name = parameter.get("name")
    if isinstance(name, str) and schema.get("title") == fastapi_title(name):
        del schema["title"]
    if "description" in schema and schema["description"] == parameter.get("description"):
        del schema["description"]
    variants = schema.get("anyOf")
    if (
        parameter.get("in") == "query"
        and parameter.get("required") is not True
        and isinstance(variants, list)
        and len(variants) == 2
        and NULL_SCHEMA in variants
    ):
        inner = next(v for v in variants if v != NULL_SCHEMA)
        if isinstance(inner, dict):
            del schema["anyOf"]
            if "default" in schema and schema["default"] is None:
                del schema["default"]
            parameter["schema"] = {**inner, **schema}
    return parameter


def _referenced(document: dict[str, Any], component: str) -> bool:
    """Whether anything but the component itself refers to `component`."""
    target = f"#/components/schemas/{component}"
    schemas = _dict(document.get("components")).get("schemas")
    stack: list[Any] = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if value.get("$ref") == target:
                return True
            stack.extend(inner for key, inner in value.items() if not (value is schemas and key == component))
        elif isinstance(value, list):
            stack.extend(value)
    return False
