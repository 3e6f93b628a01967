"""The canonical form of a validation unit (see `specc.emit.schemas.openapi_check`): names renamed
consistently and injectively, free text replaced, so units of one shape hash and validate once."""

from __future__ import annotations

import json
import re
from typing import Any

from specc.emit.schemas.openapi_refs import SCHEMA_PREFIX, schema_name

PLACEHOLDER = "T"
"""What free text becomes in a canonical unit."""
FREE_TEXT = frozenset({"title", "description", "summary"})
VERBATIM = frozenset({"default", "const", "enum", "example", "examples", "security", "securitySchemes"})
"""Keys whose values are kept exactly as they are (values validated as data, or names not renamed)."""
NAME_SENSITIVE_VALUES = frozenset({"default", "const", "enum"})
"""Verbatim values that may not hold a non-empty object (its keys would have to match renamed properties)."""
MAPS = frozenset(
    {"responses", "content", "headers", "encoding", "$defs", "definitions", "variables", "webhooks", "scopes"}
    | {"requestBodies", "pathItems", "parameters"}
)
"""Keys whose object values map free keys (status codes, media types, names) to objects: keys kept."""
UNSUPPORTED = frozenset(
    {"$id", "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveRef", "$recursiveAnchor", "discriminator"}
    | {"patternProperties", "propertyNames", "dependentRequired", "dependentSchemas", "dependencies"}
    | {"callbacks", "links"}
)
"""Keywords whose meaning depends on names in a way renaming does not follow: such a unit is not renamed."""
_PATH_PARAMETER = re.compile(r"\{([^{}:!]+)\}")


class _NotRenamable(Exception):
    """The unit uses a construct canonicalisation does not rename soundly."""


class _Fresh:
    """A bijection from the names of one kind seen in a unit to `prefix0, prefix1, ...` (first seen first)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        fresh = self.names.get(name)
        if fresh is None:
            fresh = self.names[name] = f"{self.prefix}{len(self.names)}"
        return fresh


class _Canon:
    """Renames one unit (see the module docstring); raises `_NotRenamable`."""

    def __init__(self) -> None:
        self.schemas = _Fresh("S")
        self.properties = _Fresh("p")
        self.literals = _Fresh("s")
        self.path_parameters = _Fresh("v")
        self.operations = _Fresh("o")
        self.tags = _Fresh("t")

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        paths = document.get("paths")
        if isinstance(paths, dict):  # first, so names are numbered in the order the operations use them
            result["paths"] = {self.path(key): self.entry(key, paths[key]) for key in _sorted_keys(paths)}
        for key in _sorted_keys(document):
            if key == "paths" and isinstance(paths, dict):
                continue
            if key == "components" and isinstance(document[key], dict):
                result[key] = self.components(document[key])
            else:
                result[key] = self.entry(key, document[key])
        return result

    def components(self, components: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key in _sorted_keys(components):
            value = components[key]
            if key == "schemas" and isinstance(value, dict):
                result[key] = {self.schemas(name): self.value(value[name]) for name in _by_shape(value)}
            else:
                result[key] = self.entry(key, value)
        return result

    def path(self, key: str) -> str:
        if not key.startswith("/"):
            return key  # an extension (`x-...`) or invalid either way
        segments: list[str] = []
        for segment in key.split("/"):
            if "{" not in segment and "}" not in segment:
                segments.append(self.literals(segment) if segment else segment)
                continue
            match = _PATH_PARAMETER.fullmatch(segment)
            if match is None:
                raise _NotRenamable(f"path segment {segment!r}")
            segments.append("{" + self.path_parameters(match.group(1)) + "}")
        return "/".join(segments)

    def value(self, value: Any) -> Any:
        """`value` in keyword context: object keys are keywords, not names."""
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if not isinstance(value, dict):
            return value
        return {key: self.entry(key, value[key]) for key in _sorted_keys(value)}

    def entry(self, key: str, value: Any) -> Any:
        if key in UNSUPPORTED:
            raise _NotRenamable(key)
        if key in VERBATIM:
            if key in NAME_SENSITIVE_VALUES and _has_object(value):
                raise _NotRenamable(f"{key} holds an object")
            return value
        if key.startswith("x-"):
            return PLACEHOLDER if isinstance(value, str) else value
        if key in FREE_TEXT and isinstance(value, str):
            return PLACEHOLDER
        return self._renamed(key, value)

    def _renamed(self, key: str, value: Any) -> Any:
        if key == "$ref":
            return self.ref(value)
        if key == "properties" and isinstance(value, dict):
            return {self.properties(name): self.value(value[name]) for name in _by_shape(value)}
        if key == "required" and isinstance(value, list):
            return [self.properties(name) if isinstance(name, str) else name for name in value]
        if key == "operationId" and isinstance(value, str):
            return self.operations(value)
        if key == "tags" and isinstance(value, list):
            return [self.tag(item) for item in value]
        if key == "parameters" and isinstance(value, list):
            return [self.parameter(item) for item in value]
        if key in MAPS and isinstance(value, dict):
            return {name: self.value(value[name]) for name in _sorted_keys(value)}
        return self.value(value)

    def ref(self, ref: Any) -> Any:
        if not isinstance(ref, str):
            return ref
        name = schema_name(ref)
        if name is None or "/" in name:
            raise _NotRenamable(f"$ref {ref!r}")
        return SCHEMA_PREFIX + self.schemas(name.replace("~1", "/").replace("~0", "~"))

    def tag(self, item: Any) -> Any:
        if isinstance(item, str):
            return self.tags(item)
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            renamed = self.value({key: value for key, value in item.items() if key != "name"})
            return {"name": self.tags(item["name"]), **renamed}
        return self.value(item)

    def parameter(self, item: Any) -> Any:
        renamed = self.value(item)
        if isinstance(item, dict) and item.get("in") == "path" and isinstance(item.get("name"), str):
            renamed["name"] = self.path_parameters(item["name"])
        return renamed


def _sorted_keys(mapping: dict[str, Any]) -> list[str]:
    keys = list(mapping)
    if not all(isinstance(key, str) for key in keys):
        raise _NotRenamable("a key that is not a string")
    return sorted(keys)


def _by_shape(mapping: dict[str, Any]) -> list[str]:
    """The keys of a name → schema map in the order of their values' shapes (names only break ties), so
    fresh names are numbered alike in units whose names sort differently."""
    return sorted(_sorted_keys(mapping), key=lambda name: _shape_key(mapping[name]))


def _shape_key(value: Any) -> str:
    """A text equal for values that differ only in names (used as an order: need not tell shapes apart)."""
    return json.dumps(
        _skeleton(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def _skeleton(value: Any) -> Any:
    """`value` without names: property names and `$ref` targets dropped, `required` counted, no free text."""
    if isinstance(value, list):
        return [_skeleton(item) for item in value]
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        if not isinstance(key, str) or key.startswith("x-") or (key in FREE_TEXT and isinstance(item, str)):
            continue
        if key == "properties" and isinstance(item, dict):
            result[key] = sorted(_shape_key(schema) for schema in item.values())
        elif key == "required" and isinstance(item, list):
            result[key] = len(item)
        elif key == "$ref":
            result[key] = None
        else:
            result[key] = item if key in VERBATIM else _skeleton(item)
    return result


def _has_object(value: Any) -> bool:
    if isinstance(value, dict):
        return bool(value) or any(_has_object(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_object(item) for item in value)
    return False


def canonical(document: dict[str, Any]) -> dict[str, Any]:
    """`document` with names renamed and free text replaced (see the module docstring); `document` itself
    when it uses a construct renaming does not follow."""
    try:
        return _Canon().document(document)
    except _NotRenamable:
        return document
