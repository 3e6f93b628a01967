"""The app's OpenAPI document against the one specc generates from the spec: findings (D201–D208).

Both documents are first normalised alike by `specc.read.fastapi_openapi.comparable` (what FastAPI writes
by itself and cannot be told otherwise, and what says one thing in two spellings; its docstring lists each
normalisation). Operations are then matched by method and path shape: parameters are compared by
position, so `/api/rooms/{id}` against `/api/rooms/{room_id}` is one endpoint with a renamed path
parameter, not a missing and an extra endpoint. An exact path match is preferred to a match by shape.

For each matched operation: the effective security requirement (D203), path and query parameters (D204),
whether there is a request body and its fields (D208, D205), the documented status codes (D207), whether
the success response has a body and its fields (D208, D206). Header and cookie parameters are not
compared: the document has no way to describe them. Each difference is one finding, located at the
contract's heading or at the document's row for the field or parameter when it has one, and at the route's
endpoint function in the app.

The work is linear in the number of operations (and in the size of their bodies): operations are matched
through dictionaries, never by scanning the other side.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specc.diagnostics import Code, Reporter
from specc.drift import codes
from specc.drift.app_fields import BodyContext, Schemas, SchemaType, compare_bodies
from specc.drift.app_routes import RouteKey, RouteLocator, path_shape
from specc.drift.model import Finding, Location
from specc.emit.openapi import build_openapi
from specc.ir.model import Endpoint, Span, Spec
from specc.read.fastapi_openapi import METHODS, comparable

_PARAM_NAME = re.compile(r"\{([^{}]*)\}")
_JSON = "application/json"
_BEARER_TYPES = frozenset({"oauth2", "openIdConnect"})
"""Security scheme types whose credentials are bearer tokens (besides `http` with scheme `bearer`)."""


def _at(span: Span | None) -> Location | None:
    return None if span is None else Location(file=span.file, line=span.line, column=span.column)


@dataclass(frozen=True)
class _Operation:
    """One operation of the spec matched with the app's."""

    method: str
    path: str
    """The spec's path template (subjects and messages name the spec's)."""
    app_path: str
    spec: Mapping[str, Any]
    app: Mapping[str, Any]
    endpoint: Endpoint | None
    heading: Location
    actual: Location

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


class _Findings:
    def __init__(self, spec_schemas: Schemas, app_schemas: Schemas) -> None:
        self.items: list[Finding] = []
        self.spec_schemas = spec_schemas
        self.app_schemas = app_schemas

    def add(
        self,
        code: Code,
        subject: str,
        message: str,
        spec: Location,
        actual: Location,
        hint: str | None = None,
    ) -> None:
        self.items.append(
            Finding(
                code=code.code,
                severity=code.severity,
                source="app",
                subject=subject,
                message=message,
                spec=spec,
                actual=actual,
                hint=hint,
            )
        )

    def reporter(self, op: _Operation) -> Callable[[Code, str, str, Location, str | None], None]:
        def report(code: Code, subject: str, message: str, spec: Location, hint: str | None) -> None:
            self.add(code, subject, message, spec, op.actual, hint)

        return report


def compare_app(
    spec: Spec,
    spec_file: str,
    openapi: dict[str, Any],
    routes: RouteLocator,
    api_prefix: str,
    *,
    root: Path | None = None,
) -> list[Finding]:
    """Findings for every difference between the app's OpenAPI document (`openapi`, as `app.openapi()`
    returned it; not changed) and the document specc generates from `spec`.

    `root` is the project root external JSON Schema files of bodies are read from (default: the root the
    routes were located from)."""
    source = spec.source or spec_file
    generated = build_openapi(spec, api_prefix, routes.root if root is None else root, Reporter(), source)
    spec_doc, app_doc = comparable(generated), comparable(openapi)
    out = _Findings(Schemas(spec_doc), Schemas(app_doc))
    endpoints: dict[RouteKey, Endpoint] = {}
    for contract in spec.endpoints:
        endpoints.setdefault((contract.method, _slashed(contract.path)), contract)
    spec_ops, app_ops = _operations(spec_doc), _operations(app_doc)
    unmatched: list[RouteKey] = []
    matched: set[RouteKey] = set()
    for key in spec_ops:
        if key in app_ops:
            matched.add(key)
        else:
            unmatched.append(key)
    by_shape: dict[RouteKey, deque[RouteKey]] = {}
    for key in app_ops:
        if key not in matched:
            by_shape.setdefault((key[0], path_shape(key[1])), deque()).append(key)
    pairs = {key: key for key in matched}
    for key in unmatched:
        candidates = by_shape.get((key[0], path_shape(key[1])))
        if candidates:
            pairs[key] = candidates.popleft()
    for key, spec_op in spec_ops.items():
        method, path = key
        endpoint = endpoints.get(key)
        heading = _at(endpoint.span if endpoint else None) or Location(
            file=source, logical=f"{method} {path}"
        )
        app_key = pairs.get(key)
        if app_key is None:
            _missing_endpoint(out, method, path, spec_op, heading, routes)
            continue
        op = _Operation(
            method, path, app_key[1], spec_op, app_ops[app_key], endpoint, heading, routes.locate(*app_key)
        )
        _compare_operation(out, op, spec_doc, app_doc)
    paired = set(pairs.values())
    for key in app_ops:
        if key not in paired:
            _extra_endpoint(out, key, source, routes)
    return out.items


def _slashed(path: str) -> str:
    return path if path.startswith("/") else "/" + path


def _operations(document: Mapping[str, Any]) -> dict[RouteKey, Mapping[str, Any]]:
    """(METHOD, path) → operation, in path order."""
    paths = document.get("paths")
    result: dict[RouteKey, Mapping[str, Any]] = {}
    for path, item in sorted(paths.items()) if isinstance(paths, dict) else ():
        if not isinstance(item, dict):
            continue
        for method in METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                result[(method.upper(), str(path))] = operation
    return result


def _missing_endpoint(
    out: _Findings,
    method: str,
    path: str,
    spec_op: Mapping[str, Any],
    heading: Location,
    routes: RouteLocator,
) -> None:
    label = f"{method} {path}"
    hidden = routes.hidden_route(method, path)
    if hidden is not None:
        out.add(
            codes.ENDPOINT_MISSING,
            label,
            f"{label} is served by the app as {method} {hidden} but left out of its OpenAPI document "
            "(include_in_schema=False)",
            heading,
            routes.locate(method, hidden),
            hint="an endpoint of the API contract is documented: remove include_in_schema=False",
        )
        return
    operation_id = spec_op.get("operationId")
    contract = f" (`@router.api_route(**contracts.{operation_id})` declares it)" if operation_id else ""
    out.add(
        codes.ENDPOINT_MISSING,
        label,
        f"{label} is in the spec, the app has no route for it",
        heading,
        routes.locate(method, path),
        hint=f"add the route to the app{contract}, or remove the contract from the document",
    )


def _extra_endpoint(out: _Findings, key: RouteKey, source: str, routes: RouteLocator) -> None:
    label = f"{key[0]} {key[1]}"
    out.add(
        codes.ENDPOINT_EXTRA,
        label,
        f"{label} is served by the app, the spec has no contract for it",
        Location(file=source, logical=f"spec: no contract for {label}"),
        routes.locate(*key),
        hint="describe it under the document's API contracts, or remove the route from the app",
    )


def _compare_operation(
    out: _Findings, op: _Operation, spec_doc: Mapping[str, Any], app_doc: Mapping[str, Any]
) -> None:
    _auth(out, op, spec_doc, app_doc)
    _path_parameters(out, op)
    _query_parameters(out, op)
    _request(out, op)
    _statuses(out, op)
    _response(out, op)


# --- authentication ---------------------------------------------------------------------------------


def _requirements(operation: Mapping[str, Any]) -> list[dict[str, Any]]:
    security = operation.get("security")
    return [r for r in security if isinstance(r, dict)] if isinstance(security, list) else []


def _bearer(requirement: Mapping[str, Any], document: Mapping[str, Any]) -> bool:
    components = document.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    for name in requirement:
        scheme = schemes.get(name) if isinstance(schemes, dict) else None
        if not isinstance(scheme, dict):
            continue
        kind = scheme.get("type")
        if kind in _BEARER_TYPES or (kind == "http" and str(scheme.get("scheme", "")).lower() == "bearer"):
            return True
    return False


def _auth(out: _Findings, op: _Operation, spec_doc: Mapping[str, Any], app_doc: Mapping[str, Any]) -> None:
    """The effective requirement: authenticated when every alternative names a scheme (an empty one, `{}`,
    lets anonymous callers in); a bearer token when one of the alternatives takes one."""
    spec_reqs, app_reqs = _requirements(op.spec), _requirements(op.app)
    spec_auth = bool(spec_reqs) and all(spec_reqs)
    app_auth = bool(app_reqs) and all(app_reqs)
    said = f" (**Auth:** {op.endpoint.auth_text})" if op.endpoint and op.endpoint.auth_text else ""
    schemes = ", ".join(sorted({name for r in app_reqs for name in r})) or "none"
    if spec_auth and not app_auth:
        message = f"{op.label}: the spec requires a bearer token{said}, the app's operation asks for none"
        hint = "make the route depend on the bearer scheme, or say **Auth:** None (public) in the document"
    elif app_auth and not spec_auth:
        message = f"{op.label}: public in the spec{said}, the app's operation requires {schemes}"
        hint = "remove the route's security dependency, or say **Auth:** Required in the document"
    elif spec_auth and not any(_bearer(r, app_doc) for r in app_reqs):
        message = (
            f"{op.label}: the spec requires a bearer token{said}, the app's operation asks for {schemes}"
        )
        hint = None
    else:
        return
    out.add(codes.AUTH_DIFFERS, f"{op.label} auth", message, op.heading, op.actual, hint)


# --- parameters -------------------------------------------------------------------------------------


def _parameters(operation: Mapping[str, Any], where: str) -> dict[str, Mapping[str, Any]]:
    params = operation.get("parameters")
    found: dict[str, Mapping[str, Any]] = {}
    for param in params if isinstance(params, list) else ():
        if isinstance(param, dict) and param.get("in") == where and isinstance(param.get("name"), str):
            found.setdefault(param["name"], param)
    return found


def _path_parameters(out: _Findings, op: _Operation) -> None:
    spec_params, app_params = _parameters(op.spec, "path"), _parameters(op.app, "path")
    spec_names, app_names = _PARAM_NAME.findall(op.path), _PARAM_NAME.findall(op.app_path)
    for position, (spec_name, app_name) in enumerate(zip(spec_names, app_names, strict=False), start=1):
        subject = f"{op.label} path {spec_name}"
        if spec_name != app_name:
            out.add(
                codes.PARAMETER_DIFFERS,
                subject,
                f"path parameter {position} of {op.label}: `{spec_name}` in the spec, `{app_name}` in the "
                f"app ({op.method} {op.app_path})",
                op.heading,
                op.actual,
                hint="rename one of them so both agree (a parameter's name is part of the contract)",
            )
        spec_param, app_param = spec_params.get(spec_name), app_params.get(app_name)
        if spec_param is None or app_param is None:
            continue
        spec_t, app_t = _param_type(out.spec_schemas, spec_param), _param_type(out.app_schemas, app_param)
        if spec_t.text != app_t.text:
            out.add(
                codes.PARAMETER_DIFFERS,
                subject,
                f"path parameter `{spec_name}` of {op.label}: {spec_t.text} in the spec, {app_t.text} in "
                "the app",
                op.heading,
                op.actual,
            )


def _param_type(schemas: Schemas, param: Mapping[str, Any]) -> SchemaType:
    return schemas.typed(param.get("schema"))


def _query_parameters(out: _Findings, op: _Operation) -> None:
    spec_params, app_params = _parameters(op.spec, "query"), _parameters(op.app, "query")
    rows = {q.name: _at(q.span) for q in op.endpoint.query_params} if op.endpoint else {}
    spec_types = {name: _param_type(out.spec_schemas, p) for name, p in spec_params.items()}
    app_types = {name: _param_type(out.app_schemas, p) for name, p in app_params.items()}
    missing = _by_type({n: t for n, t in spec_types.items() if n not in app_params})
    extra = _by_type({n: t for n, t in app_types.items() if n not in spec_params})
    for name, spec_param in spec_params.items():
        label, row = f"query parameter `{name}` of {op.label}", rows.get(name) or op.heading
        subject, spec_t = f"{op.label} query {name}", spec_types[name]
        app_param = app_params.get(name)
        if app_param is None:
            others = extra.get(spec_t.text, [])
            message = f"{label}: {spec_t.text} in the spec, missing from the app"
            if len(others) == 1:
                message += f"; the app has `{others[0]}` ({spec_t.text}) not in the spec"
            out.add(codes.PARAMETER_DIFFERS, subject, message, row, op.actual, _rename(others, name))
            continue
        app_t = app_types[name]
        if spec_t.text != app_t.text:
            message = f"{label}: {spec_t.text} in the spec, {app_t.text} in the app"
            out.add(codes.PARAMETER_DIFFERS, subject, message, row, op.actual)
        spec_required, app_required = spec_param.get("required") is True, app_param.get("required") is True
        if spec_required != app_required:
            message = f"{label}: {_required(spec_required)} in the spec, {_required(app_required)} in the app"
            out.add(codes.PARAMETER_DIFFERS, subject, message, row, op.actual)
    for name, app_t in app_types.items():
        if name in spec_params:
            continue
        others = missing.get(app_t.text, [])
        message = f"query parameter `{name}` of {op.label}: {app_t.text} in the app, not in the spec"
        if len(others) == 1:
            message += f"; the spec has `{others[0]}` ({app_t.text}) missing from the app"
        hint = _rename([name], others[0]) if len(others) == 1 else None
        out.add(codes.PARAMETER_DIFFERS, f"{op.label} query {name}", message, op.heading, op.actual, hint)


def _by_type(types: Mapping[str, SchemaType]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in types.items():
        grouped.setdefault(value.text, []).append(name)
    return grouped


def _rename(app_names: list[str], spec_name: str) -> str | None:
    if len(app_names) != 1:
        return None
    return (
        f"if `{app_names[0]}` in the app is the spec's `{spec_name}` renamed, rename one of them so both "
        "agree (drift does not assume a rename)"
    )


def _required(value: bool) -> str:
    return "required" if value else "optional"


# --- bodies and statuses ----------------------------------------------------------------------------


def _body_schema(container: Any) -> Any:
    """The JSON schema of a request body or response (`application/json`, else the first media type's)."""
    content = container.get("content") if isinstance(container, dict) else None
    if not isinstance(content, dict) or not content:
        return None
    media = content.get(_JSON, next(iter(content.values())))
    return media.get("schema", {}) if isinstance(media, dict) else {}


def _request(out: _Findings, op: _Operation) -> None:
    spec_body, app_body = op.spec.get("requestBody"), op.app.get("requestBody")
    body = op.endpoint.request_body if op.endpoint else None
    place = _at(body.span if body else None) or op.heading
    subject = f"{op.label} request body"
    if (spec_body is None) != (app_body is None):
        if spec_body is not None:
            message = f"{op.label}: the spec has a request body, the app's operation takes none"
        else:
            kind = out.app_schemas.typed(_body_schema(app_body)).text
            message = f"{op.label}: the app's operation takes a request body ({kind}), the spec has none"
        out.add(codes.BODY_DIFFERS, subject, message, place, op.actual)
        return
    if not isinstance(spec_body, dict) or not isinstance(app_body, dict):
        return
    spec_required, app_required = spec_body.get("required") is True, app_body.get("required") is True
    if spec_required != app_required:
        message = (
            f"request body of {op.label}: {_required(spec_required)} in the spec, {_required(app_required)} "
            "in the app"
        )
        out.add(codes.REQUEST_FIELD_DIFFERS, subject, message, place, op.actual)
    rows = {f.name: _at(f.span) for f in body.fields} if body else {}

    def request_place(path: str) -> Location:
        return rows.get(path) or place

    ctx = BodyContext(
        codes.REQUEST_FIELD_DIFFERS,
        "request",
        op.label,
        out.spec_schemas,
        out.app_schemas,
        request_place,
        out.reporter(op),
    )
    compare_bodies(ctx, _body_schema(spec_body), _body_schema(app_body))


def _statuses(out: _Findings, op: _Operation) -> None:
    spec_responses, app_responses = _responses(op.spec), _responses(op.app)
    rows = {str(r.status): _at(r.span) for r in reversed(op.endpoint.responses)} if op.endpoint else {}
    for status, response in spec_responses.items():
        if status not in app_responses:
            out.add(
                codes.STATUS_DIFFERS,
                f"{op.label} status {status}",
                f"status {status} of {op.label}: in the spec{_described(response)}, not among the app's "
                "responses",
                rows.get(status) or op.heading,
                op.actual,
            )
    for status, response in app_responses.items():
        if status not in spec_responses:
            out.add(
                codes.STATUS_DIFFERS,
                f"{op.label} status {status}",
                f"status {status} of {op.label}: among the app's responses{_described(response)}, not in the "
                "spec",
                op.heading,
                op.actual,
            )


def _responses(operation: Mapping[str, Any]) -> dict[str, Any]:
    responses = operation.get("responses")
    return {str(k): v for k, v in responses.items()} if isinstance(responses, dict) else {}


def _described(response: Any) -> str:
    text = response.get("description") if isinstance(response, dict) else None
    return f" ({text})" if isinstance(text, str) and text else ""


def _success(responses: Mapping[str, Any]) -> tuple[str, Any] | None:
    """The lowest documented status below 400 (`2XX` counts), with its response."""
    statuses = sorted(s for s in responses if s[:1] in ("1", "2", "3"))
    return (statuses[0], responses[statuses[0]]) if statuses else None


def _response(out: _Findings, op: _Operation) -> None:
    spec_success, app_success = _success(_responses(op.spec)), _success(_responses(op.app))
    if spec_success is None or app_success is None:
        return  # no success status on one side: the status findings say so
    success = op.endpoint.success if op.endpoint else None
    place = _at(success.body.span if success and success.body else None) or _at(
        success.span if success else None
    )
    place = place or op.heading
    spec_body, app_body = _body_schema(spec_success[1]), _body_schema(app_success[1])
    if (spec_body is None) != (app_body is None):
        spec_text = _has_body(out.spec_schemas, spec_body)
        app_text = _has_body(out.app_schemas, app_body)
        message = (
            f"{op.label}: the spec's {spec_success[0]} response {spec_text}, the app's {app_success[0]} "
            f"response {app_text}"
        )
        out.add(codes.BODY_DIFFERS, f"{op.label} response body", message, place, op.actual)
        return
    if spec_body is None:
        return
    ctx = BodyContext(
        codes.RESPONSE_FIELD_DIFFERS,
        "response",
        op.label,
        out.spec_schemas,
        out.app_schemas,
        lambda _: place,
        out.reporter(op),
    )
    compare_bodies(ctx, spec_body, app_body)


def _has_body(schemas: Schemas, body: Any) -> str:
    return "has no body" if body is None else f"has a body ({schemas.typed(body).text})"
