"""The OpenAPI 3.1 writer: IR → `openapi.json`.

Every API contract becomes an operation: path parameters (typed from the column they stand for, see
`specc.emit.schemas.names.param_column`), query parameters, the request body, the success response (none for
204), and every documented error response with the `ErrorResponse` body. Operations requiring auth use the
`bearerAuth` scheme; public ones say `security: []`. `operationId`s and tags follow
`specc.emit.schemas.names`.

Components are the JSON Schemas of the generated Pydantic models, taken from the rendered `schemas/` modules
themselves (`model_json_schema(ref_template="#/components/schemas/{model}")`), so the document and the
schemas cannot disagree. Nested definitions of models compiled from external JSON Schema files are prefixed
with their root model's name (`PostUploadRequest_Meta`), which no specc-named model can take.

The document is validated with openapi-spec-validator; an invalid one is reported (B042) and not written.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from pydantic import BaseModel

from specc.diagnostics import Reporter
from specc.emit import schemas
from specc.emit.base import GENERATED_MARKER, GeneratedFiles
from specc.emit.schemas import names
from specc.emit.schemas.codes import OPENAPI_INVALID
from specc.emit.schemas.load import load_models
from specc.emit.schemas.plan import OperationSchemas, SchemaPlan
from specc.emit.shapes import column_type
from specc.ir.model import Endpoint, QueryParam, Spec

OPENAPI_VERSION = "3.1.0"
REF = "#/components/schemas/{model}"
SECURITY_SCHEME = "bearerAuth"
JSON_MEDIA = "application/json"
_TEMPLATE_PARAM = re.compile(r"\{([^{}]+)\}")

_QUERY_TYPES: dict[str, dict[str, Any]] = {}


def _query_type(schema: dict[str, Any], *spellings: str) -> None:
    for spelling in spellings:
        if spelling in _QUERY_TYPES:
            raise ValueError(f"query parameter type {spelling!r} registered twice")
        _QUERY_TYPES[spelling] = schema


_query_type({"type": "integer"}, "integer", "int", "bigint", "long")
_query_type({"type": "number"}, "number", "float", "double", "decimal", "numeric")
_query_type({"type": "boolean"}, "boolean", "bool")
_query_type({"type": "string", "format": "date-time"}, "datetime", "date-time", "timestamp", "timestamptz")
_query_type({"type": "string", "format": "date"}, "date")
_query_type({"type": "string", "format": "uuid"}, "uuid")
_query_type({"type": "string"}, "string", "str", "text")


def component_schemas(models: dict[str, dict[str, type[BaseModel]]], plan: SchemaPlan) -> dict[str, Any]:
    """Component name → JSON Schema, for every model of every generated module."""
    components: dict[str, Any] = {}
    for module in plan.modules:
        classes = models[module.path]
        if module.external is not None:
            root = module.external.class_name
            schema = classes[root].model_json_schema(ref_template=f"#/components/schemas/{root}_{{model}}")
            for name, definition in schema.pop("$defs", {}).items():
                components[f"{root}_{name}"] = definition
            components[root] = schema
            continue
        for model in module.models:
            schema = classes[model.name].model_json_schema(ref_template=REF)
            schema.pop("$defs", None)
            components[model.name] = schema
    return dict(sorted(components.items()))


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": REF.format(model=name)}


def _json_content(name: str) -> dict[str, Any]:
    return {JSON_MEDIA: {"schema": _ref(name)}}


def _status_text(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"Status {status}"


def _column_schema(table_column_type: str) -> dict[str, Any]:
    ftype_schema: dict[str, Any] = {"type": "string"}
    if table_column_type in ("int",):
        ftype_schema = {"type": "integer"}
    elif table_column_type == "uuid.UUID":
        ftype_schema = {"type": "string", "format": "uuid"}
    return ftype_schema


def _path_parameters(endpoint: Endpoint, index: names.TableIndex, api_prefix: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for param in [*_TEMPLATE_PARAM.findall(endpoint.path)]:
        if param in seen:
            continue
        seen.add(param)
        column = names.param_column(index, endpoint, api_prefix, param)
        if column is not None:
            schema = _column_schema(column_type(column).annotation)
        elif param == "id" or param.endswith("_id"):
            schema = {"type": "integer"}
        else:
            schema = {"type": "string"}
        result.append({"name": param, "in": "path", "required": True, "schema": schema})
    return result


def _query_default(param: QueryParam, schema: dict[str, Any]) -> Any:
    if param.default is None:
        return None
    text = param.default.strip().strip("`").strip()
    kind = schema.get("type")
    try:
        value: Any = json.loads(text)
    except ValueError:
        value = text
    if kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "string" and "format" not in schema:
        return value if isinstance(value, str) else text
    return None


def _query_parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    seen: set[str] = set()
    for param in endpoint.query_params:
        if param.name in seen:
            continue
        seen.add(param.name)
        schema = dict(_QUERY_TYPES.get(param.type.strip().lower(), {"type": "string"}))
        default = _query_default(param, schema)
        if default is not None:
            schema["default"] = default
        entry: dict[str, Any] = {
            "name": param.name,
            "in": "query",
            "required": param.required,
            "schema": schema,
        }
        if param.description:
            entry["description"] = param.description
        result.append(entry)
    return result


def _responses(op: OperationSchemas) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    success = op.endpoint.success
    for response in op.endpoint.responses:
        if not 100 <= response.status <= 599:
            continue
        key = str(response.status)
        description = response.description or _status_text(response.status)
        if key in responses:
            responses[key]["description"] += f"; {description}"
            continue
        entry: dict[str, Any] = {"description": description}
        if response.status >= 400:
            entry["content"] = _json_content("ErrorResponse")
        elif response is success and op.response is not None and response.status != 204:
            entry["content"] = _json_content(op.response)
        responses[key] = entry
    if not any(int(k) < 400 for k in responses):
        responses["200"] = {"description": _status_text(200)}
    return dict(sorted(responses.items()))


def _operation(op: OperationSchemas, index: names.TableIndex, api_prefix: str) -> dict[str, Any]:
    endpoint = op.endpoint
    operation: dict[str, Any] = {"operationId": op.operation_id, "tags": [op.tag]}
    if endpoint.summary:
        operation["summary"] = endpoint.summary
    parameters = _path_parameters(endpoint, index, api_prefix) + _query_parameters(endpoint)
    if parameters:
        operation["parameters"] = parameters
    if op.request is not None:
        operation["requestBody"] = {"required": True, "content": _json_content(op.request)}
    operation["responses"] = _responses(op)
    operation["security"] = [] if endpoint.auth == "public" else [{SECURITY_SCHEME: []}]
    return operation


def build_openapi(
    spec: Spec,
    api_prefix: str = "/api",
    root: Path | None = None,
    reporter: Reporter | None = None,
    source: str = "ARCHITECTURE.md",
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of `spec` (not validated; `render_openapi` validates)."""
    report = reporter or Reporter()
    plan = schemas.plan(spec, source, root, report, api_prefix)
    files = schemas.render_plan(plan, source)
    return document_from_plan(spec, plan, files, api_prefix)


def document_from_plan(
    spec: Spec, plan: SchemaPlan, files: GeneratedFiles, api_prefix: str
) -> dict[str, Any]:
    """The document for an already rendered schema plan (lets `specc build` render the schemas once)."""
    models = load_models(files, schemas.PACKAGE)
    paths: dict[str, dict[str, Any]] = {}
    index = names.TableIndex(spec.tables)
    for op in plan.operations:
        path = op.endpoint.path if op.endpoint.path.startswith("/") else "/" + op.endpoint.path
        method = op.endpoint.method.lower()
        if method in paths.get(path, {}):
            continue  # a duplicated contract: the checker reports it; OpenAPI can hold only one
        paths.setdefault(path, {})[method] = _operation(op, index, api_prefix)
    tags = sorted({op.tag for op in plan.operations})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": spec.title or "API", "version": "0.1.0"},
        "paths": {path: paths[path] for path in sorted(paths)},
        "components": {
            "schemas": component_schemas(models, plan),
            "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{SECURITY_SCHEME: []}],
        "tags": [{"name": tag} for tag in tags],
    }


def dumps(document: dict[str, Any]) -> str:
    """Canonical text: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def validation_problem(document: dict[str, Any]) -> str | None:
    """None when `document` is a valid OpenAPI 3.1 document, else the validator's message."""
    try:
        validate(document)
    except Exception as exc:  # the validator raises several unrelated exception types
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def finish(document: dict[str, Any], source: str, reporter: Reporter) -> GeneratedFiles:
    """Marks, validates and serialises a document; an invalid one is reported (B042) and not returned."""
    document["info"]["x-generated-by"] = f"{GENERATED_MARKER} from {source}"
    problem = validation_problem(document)
    if problem is not None:
        reporter.report(OPENAPI_INVALID, f"generated OpenAPI document is invalid: {problem}", source, 1, 1)
        return {}
    return {"openapi.json": dumps(document)}


def render_openapi(
    spec: Spec, source: str, reporter: Reporter, api_prefix: str = "/api", root: Path | None = None
) -> GeneratedFiles:
    """`openapi.json` for `spec`, or nothing (with an error diagnostic) when the document is invalid.

    Pass the same `root` as to `render_schemas` so bodies referencing external JSON Schema files get the
    same components; problems with those files are reported by the schemas writer only (not twice)."""
    return finish(build_openapi(spec, api_prefix, root, Reporter(), source), source, reporter)


def render_api(
    spec: Spec, source: str, root: Path | None, reporter: Reporter, api_prefix: str = "/api"
) -> GeneratedFiles:
    """`schemas/` and `openapi.json` from one plan (external schema files are read and reported once).

    When the OpenAPI document is invalid (B042) the schemas are still returned, `openapi.json` is not."""
    plan = schemas.plan(spec, source, root, reporter, api_prefix)
    files = schemas.render_plan(plan, source)
    document = document_from_plan(spec, plan, files, api_prefix)
    return {**files, **finish(document, source, reporter)}
