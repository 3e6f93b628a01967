"""What validating the units of an OpenAPI document cannot see (splitting or renaming hides it), checked on
the whole document (see `specc.emit.schemas.openapi_check`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specc.emit.schemas.openapi_refs import MISSING, refs, resolve

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9._-]+$")
_TEMPLATE = re.compile(r"\{([^{}]*)\}")


def whole_document_problem(document: dict[str, Any]) -> str | None:
    """What unit validation cannot see (splitting or renaming hides it), checked on the whole document:
    component names, path keys and their template parameters, unique operation ids, `$ref`s that resolve."""
    for check in (_component_name_problem, _path_problem, _operation_id_problem, _ref_problem):
        problem = check(document)
        if problem is not None:
            return problem
    return None


def _component_name_problem(document: dict[str, Any]) -> str | None:
    components = document.get("components")
    if not isinstance(components, dict):
        return None
    for section in sorted(k for k in components if isinstance(k, str) and not k.startswith("x-")):
        entries = components[section]
        for name in sorted(map(str, entries)) if isinstance(entries, dict) else ():
            if not COMPONENT_NAME.match(name):
                return (
                    f"component name {name!r} in components.{section} does not match {COMPONENT_NAME.pattern}"
                )
    return None


@dataclass(frozen=True)
class _Operation:
    path: str
    method: str
    operation: dict[str, Any]
    item: dict[str, Any]
    """The path item holding it."""


def _operations(document: dict[str, Any]) -> Iterator[_Operation]:
    """Every operation, in path and method order."""
    raw = document.get("paths")
    paths: dict[str, Any] = raw if isinstance(raw, dict) else {}
    for path in sorted(paths):
        item = paths[path]
        if not isinstance(item, dict) or not isinstance(path, str) or path.startswith("x-"):
            continue
        for method in sorted(item):
            operation = item[method]
            if method in HTTP_METHODS and isinstance(operation, dict):
                yield _Operation(path, method, operation, item)


def _path_problem(document: dict[str, Any]) -> str | None:
    paths = document.get("paths")
    for path in sorted(paths) if isinstance(paths, dict) else ():
        if isinstance(path, str) and not path.startswith(("/", "x-")):
            return f"path {path!r} does not start with '/'"
    for op in _operations(document):
        where = f"{op.method.upper()} {op.path}"
        template = set(_TEMPLATE.findall(op.path))
        declared: set[str] = set()
        for parameter in _parameters(document, op.item) + _parameters(document, op.operation):
            if parameter.get("in") != "path":
                continue
            name = parameter.get("name")
            if parameter.get("required") is not True:
                return f"path parameter {name!r} of {where} is not `required: true`"
            if isinstance(name, str):
                declared.add(name)
        for name in sorted(template - declared):
            return f"path parameter {name!r} of {where} is not declared as an `in: path` parameter"
        for name in sorted(declared - template):
            return f"path parameter {name!r} of {where} is not in the path template"
    return None


def _parameters(document: dict[str, Any], owner: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameter objects of a path item or operation, local `$ref`s followed."""
    found: list[dict[str, Any]] = []
    raw = owner.get("parameters")
    for parameter in raw if isinstance(raw, list) else ():
        ref = parameter.get("$ref") if isinstance(parameter, dict) else None
        if isinstance(ref, str):
            parameter = resolve(document, ref)
        if isinstance(parameter, dict):
            found.append(parameter)
    return found


def _operation_id_problem(document: dict[str, Any]) -> str | None:
    seen: dict[str, str] = {}
    for op in _operations(document):
        op_id = op.operation.get("operationId")
        if not isinstance(op_id, str):
            continue
        where = f"{op.method.upper()} {op.path}"
        if op_id in seen:
            return f"operationId {op_id!r} is used by both {seen[op_id]} and {where}"
        seen[op_id] = where
    return None


def _ref_problem(document: dict[str, Any]) -> str | None:
    for ref in sorted(set(refs(document))):
        if resolve(document, ref) is MISSING:
            return f"$ref {ref!r} does not resolve"
    return None
