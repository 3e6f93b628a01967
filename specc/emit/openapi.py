"""The OpenAPI 3.1 writer: IR → `openapi.json`.

Every API contract becomes an operation: path parameters (typed from the column they stand for, see
`specc.emit.schemas.names.param_column`), query parameters, the request body, the success response (none for
204), and every documented error response with the `ErrorResponse` body. Operations requiring auth use the
`bearerAuth` scheme; public ones say `security: []`. `operationId`s and tags follow
`specc.emit.schemas.names`.

Components are the JSON Schemas of the generated Pydantic models, computed from the schema plan
(`specc.emit.schemas.components`) without executing the generated modules; the tests pin them equal to
`model_json_schema(ref_template="#/components/schemas/{model}")` of the imported classes. Only bodies compiled
from external JSON Schema files are loaded as classes. Nested definitions of those are prefixed with their
root model's name (`PostUploadRequest_Meta`), which no specc-named model can take.

The document is validated with openapi-spec-validator, incrementally (`specc.emit.schemas.openapi_check`);
an invalid one is reported (B042) and not written. Top-level keys start with `openapi` and `info` (whose
first key is `x-generated-by`), so the generated marker is at the top of the file.
"""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from pathlib import Path
from typing import Any

from specc.diagnostics import Reporter
from specc.emit import schemas
from specc.emit.base import GENERATED_MARKER, GeneratedFiles
from specc.emit.schemas import names
from specc.emit.schemas.codes import OPENAPI_INVALID
from specc.emit.schemas.components import UnknownAnnotation, component
from specc.emit.schemas.openapi_check import check_document
from specc.emit.schemas.plan import ModuleSpec, OperationSchemas, SchemaPlan
from specc.emit.shapes import column_type
from specc.ir.model import Endpoint, QueryParam, Spec
from specc.jsontext import dumps_indented

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


def component_schemas(plan: SchemaPlan, files: GeneratedFiles | None = None) -> dict[str, Any]:
    """Component name → JSON Schema for every model of the plan, computed from the plan itself.

    Only bodies compiled from external JSON Schema files (rare; their classes are datamodel-code-generator's),
    and, as a safety net, a module with an annotation `components` does not know, are loaded as classes from
    their rendered modules (`files`, rendered on demand when not given)."""
    components: dict[str, Any] = {}
    loaded: list[ModuleSpec] = []
    for module in plan.modules:
        if module.external is not None:
            loaded.append(module)
            continue
        try:
            components.update((model.name, component(model)) for model in module.models)
        except UnknownAnnotation:
            loaded.append(module)
    if loaded:
        components.update(_loaded_components(loaded, files))
    return dict(sorted(components.items()))


def _module_text(module: ModuleSpec, files: GeneratedFiles | None) -> str:
    from specc.emit.schemas.external import compile_external
    from specc.emit.schemas.render import render_module

    key = f"{schemas.PACKAGE}/{module.path}"
    if files is not None and key in files:
        return files[key]
    return compile_external(module.external, "") if module.external is not None else render_module(module, "")


def _loaded_components(modules: list[ModuleSpec], files: GeneratedFiles | None) -> dict[str, Any]:
    from specc.emit.schemas.load import load_models

    texts = {f"{schemas.PACKAGE}/{module.path}": _module_text(module, files) for module in modules}
    models = load_models(texts, schemas.PACKAGE)
    components: dict[str, Any] = {}
    for module in modules:
        classes = models[module.path]
        if module.external is None:
            for model in module.models:
                schema = classes[model.name].model_json_schema(ref_template=REF)
                schema.pop("$defs", None)
                components[model.name] = schema
            continue
        root = module.external.class_name
        schema = classes[root].model_json_schema(ref_template=f"#/components/schemas/{root}_{{model}}")
        for name, definition in schema.pop("$defs", {}).items():
            components[f"{root}_{name}"] = definition
        components[root] = schema
    return components


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
        if schema.get("type") in ("integer", "number"):
            if param.minimum is not None:
                schema["minimum"] = param.minimum
            if param.maximum is not None:
                schema["maximum"] = param.maximum
        elif schema.get("type") == "string":
            if param.minimum is not None:
                schema["minLength"] = max(param.minimum, 0)
            if param.maximum is not None:
                schema["maxLength"] = max(param.maximum, 0)
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


VALIDATION_ERROR = "Validation error"
"""Description of the 422 response an operation with parameters or a body declares when the document does
not list one (FastAPI answers 422 to every request it cannot validate)."""


def _responses(op: OperationSchemas, validated: bool) -> dict[str, Any]:
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
    if validated and "422" not in responses:
        responses["422"] = {"description": VALIDATION_ERROR, "content": _json_content("ErrorResponse")}
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
    operation["responses"] = _responses(op, bool(parameters) or op.request is not None)
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
    return document_from_plan(spec, plan, api_prefix)


def document_from_plan(
    spec: Spec, plan: SchemaPlan, api_prefix: str, files: GeneratedFiles | None = None
) -> dict[str, Any]:
    """The document for a schema plan; `files` (the rendered `schemas/`, optional) saves recompiling
    external bodies. Top-level keys: `openapi`, `info` first (see `dumps`)."""
    paths: dict[str, dict[str, Any]] = {}
    index = names.table_index(spec.tables)
    for op in plan.operations:
        path = op.endpoint.path if op.endpoint.path.startswith("/") else "/" + op.endpoint.path
        method = op.endpoint.method.lower()
        if method in paths.get(path, {}):
            continue  # a duplicated contract: the checker reports it; OpenAPI can hold only one
        paths.setdefault(path, {})[method] = _operation(op, index, api_prefix)
    tags = sorted({op.tag for op in plan.operations})
    ordered = {path: paths[path] for path in sorted(paths)}
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": spec.title or "API", "version": "0.1.0"},
        "paths": ordered,
        "components": {
            "schemas": referenced(component_schemas(plan, files), ordered),
            "securitySchemes": {SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "security": [{SECURITY_SCHEME: []}],
        "tags": [{"name": tag} for tag in tags],
    }


def _refs(value: Any, found: list[str]) -> None:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            found.append(ref[len(_REF_PREFIX) :])
        for item in value.values():
            _refs(item, found)
    elif isinstance(value, list):
        for item in value:
            _refs(item, found)


_REF_PREFIX = "#/components/schemas/"


def referenced(components: dict[str, Any], paths: dict[str, Any]) -> dict[str, Any]:
    """The components the operations use, directly or through other components (nothing unused is
    published)."""
    keep: set[str] = set()
    pending: list[str] = []
    _refs(paths, pending)
    while pending:
        name = pending.pop()
        if name in keep or name not in components:
            continue
        keep.add(name)
        _refs(components[name], pending)
    return {name: schema for name, schema in components.items() if name in keep}


FIRST_KEYS = ("openapi", "info")
"""Top-level keys written first (so the generated marker in `info` is near the top of the file)."""
INFO_FIRST = "x-generated-by"


def dumps(document: dict[str, Any]) -> str:
    """Canonical text: `openapi`, then `info` (with `x-generated-by` first), then the other top-level keys
    sorted; everything below sorted; 2-space indent; trailing newline."""
    info = document.get("info")
    entries: list[tuple[str, Any]] = []
    for key in FIRST_KEYS:
        if key in document:
            entries.append((key, document[key]))
    entries += [(key, document[key]) for key in sorted(document) if key not in FIRST_KEYS]
    parts: list[str] = []
    for key, value in entries:
        if key == "info" and isinstance(info, dict) and INFO_FIRST in info:
            inner = [(INFO_FIRST, info[INFO_FIRST])] + [(k, info[k]) for k in sorted(info) if k != INFO_FIRST]
            text = _object(inner, "  ")
        else:
            text = _block(value, "  ")
        parts.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n" if parts else "{}\n"


def _block(value: Any, indent: str) -> str:
    return dumps_indented(value, sort_keys=True).replace("\n", "\n" + indent)


def _object(entries: list[tuple[str, Any]], indent: str) -> str:
    inner = indent + "  "
    lines = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {_block(v, inner)}" for k, v in entries]
    return "{\n" + ",\n".join(lines) + "\n" + indent + "}"


def validation_problem(document: dict[str, Any], validated: set[str] | None = None) -> str | None:
    """None when `document` is a valid OpenAPI 3.1 document, else the problem. Validation is incremental:
    `validated` (digests of units already known valid) is used and extended, see `openapi_check`."""
    return check_document(document, validated).problem


def finish(
    document: dict[str, Any], source: str, reporter: Reporter, validated: set[str] | None = None
) -> GeneratedFiles:
    """Marks, validates and serialises a document; an invalid one is reported (B042) and not returned."""
    document["info"][INFO_FIRST] = f"{GENERATED_MARKER} from {source}"
    problem = validation_problem(document, validated)
    if problem is not None:
        reporter.report(OPENAPI_INVALID, f"generated OpenAPI document is invalid: {problem}", source, 1, 1)
        return {}
    return {"openapi.json": dumps(document)}


def render_openapi(
    spec: Spec,
    source: str,
    reporter: Reporter,
    api_prefix: str = "/api",
    root: Path | None = None,
    validated: set[str] | None = None,
) -> GeneratedFiles:
    """`openapi.json` for `spec`, or nothing (with an error diagnostic) when the document is invalid.

    Pass the same `root` as to `render_schemas` so bodies referencing external JSON Schema files get the
    same components; problems with those files are reported by the schemas writer only (not twice).
    Prefer `render_api`, which plans once for both."""
    document = build_openapi(spec, api_prefix, root, Reporter(), source)
    return finish(document, source, reporter, validated)


def render_api(
    spec: Spec,
    source: str,
    root: Path | None,
    reporter: Reporter,
    api_prefix: str = "/api",
    validated: set[str] | None = None,
    line_length: int = 110,
) -> GeneratedFiles:
    """`schemas/…` and `openapi.json` from one plan: the fast path for `specc build`. Python is formatted for
    `line_length` (the receiving project's setting).

    External schema files are read and reported once. Components come straight from the plan (no generated
    module is executed). `validated` is the cache of validated unit digests (see `openapi_check`): pass the
    set persisted from the last build; it is updated in place. When the document is invalid (B042) the
    schemas are still returned, `openapi.json` is not."""
    plan = schemas.plan(spec, source, root, reporter, api_prefix)
    files, _ = render_api_plan(spec, plan, source, reporter, api_prefix, validated, line_length)
    return files


def render_api_plan(
    spec: Spec,
    plan: SchemaPlan,
    source: str,
    reporter: Reporter,
    api_prefix: str = "/api",
    validated: set[str] | None = None,
    line_length: int = 110,
) -> tuple[GeneratedFiles, dict[str, Any]]:
    """`render_api` for a plan made already, and the OpenAPI document it wrote (`specc build` gives both
    to the runtime modules, so the plan and the document are made once)."""
    files = schemas.render_plan(plan, source, line_length)
    document = document_from_plan(spec, plan, api_prefix, files)
    return {**files, **finish(document, source, reporter, validated)}, document
