"""`$ref`s of an OpenAPI document (`specc.emit.schemas.openapi_check`): finding them fast, naming the
component schema one points to, and resolving a local one."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from specc.jsontext import dumps_compact

SCHEMA_PREFIX = "#/components/schemas/"


def refs(value: Any) -> Iterator[str]:
    """Every `$ref` string below `value`.

    Found in the compact JSON text (orjson writes it many times faster than a walk of the values in
    Python): outside a string, `"$ref":"` can only be a `$ref` key with a string value, because an escaped
    quote never ends a string and a closing quote is never followed by `$`."""
    try:
        text = dumps_compact(value)
    except (TypeError, ValueError):
        yield from walk_refs(value)
        return
    if '"$ref"' not in text:
        return
    for match in _REF_KEY.finditer(text):
        yield json.loads(match.group(1))


_REF_KEY = re.compile(r'"\$ref":("(?:[^"\\]|\\.)*")')


def walk_refs(value: Any) -> Iterator[str]:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                yield ref
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def schema_name(ref: str) -> str | None:
    return ref[len(SCHEMA_PREFIX) :] if ref.startswith(SCHEMA_PREFIX) else None


MISSING = object()


def resolve(document: dict[str, Any], ref: str) -> Any:
    """The value a local `$ref` points to, or `MISSING`."""
    if not ref.startswith("#/"):
        return MISSING
    node: Any = document
    for raw in ref[2:].split("/"):
        key = raw.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return MISSING
        node = node[key]
    return node
