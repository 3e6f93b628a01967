"""Request values for the generated contract tests, from the JSON Schemas of the OpenAPI document: a valid
value of a schema (`valid`), and invalid ones (`wrong_type`, too long, too short, out of range).

Values are Python source (`Expr`): literals written with `py_str`, or calls of the helpers of the generated
`testing` package (`sample_text(...)`, `unique_email()`), so a test sends unique text and emails. A schema
whose valid value specc cannot derive (a `pattern`, a reference it cannot resolve, nesting deeper than
`MAX_DEPTH`) has none: the tests that need one are not generated."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from specc.pycode.layout import Call, Expr, Split
from specc.pycode.literals import py_str

MAX_DEPTH = 8
"""Objects nested deeper than this get no valid value (the test needing it is left out)."""


@dataclass(frozen=True)
class Value:
    expr: Expr
    helpers: frozenset[str] = frozenset()
    """The `testing` helpers `expr` calls."""


def resolve(schema: Any, components: dict[str, Any]) -> dict[str, Any]:
    """`schema` with `$ref`s to components followed and a nullable `anyOf` reduced to its other branch."""
    seen = 0
    while isinstance(schema, dict) and seen < MAX_DEPTH:
        seen += 1
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            schema = components.get(ref.rsplit("/", 1)[1], {})
            continue
        branches = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(branches, list):
            others = [b for b in branches if not (isinstance(b, dict) and b.get("type") == "null")]
            if len(others) == 1:
                merged = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
                schema = {**merged, **others[0]} if isinstance(others[0], dict) else others[0]
                continue
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            schema = all_of[0]
            continue
        return schema
    return schema if isinstance(schema, dict) else {}


def nullable(schema: Any) -> bool:
    branches = schema.get("anyOf") or schema.get("oneOf") if isinstance(schema, dict) else None
    return isinstance(branches, list) and any(
        isinstance(b, dict) and b.get("type") == "null" for b in branches
    )


def literal(value: Any) -> str | None:
    """A Python literal of a JSON scalar, None for anything else."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, str):
        return py_str(value)
    return None


def int_of(schema: dict[str, Any], key: str) -> int | None:
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(schema: dict[str, Any]) -> str | None:
    low = schema.get("minimum")
    high = schema.get("maximum")
    exclusive_low = schema.get("exclusiveMinimum")
    exclusive_high = schema.get("exclusiveMaximum")
    candidates: list[int | float] = [1, 0, -1]
    if isinstance(low, int | float) and not isinstance(low, bool):
        candidates.insert(0, int(low) if float(low).is_integer() else low)
    if isinstance(exclusive_low, int | float) and not isinstance(exclusive_low, bool):
        candidates.insert(0, int(exclusive_low) + 1)
    for candidate in candidates:
        if isinstance(low, int | float) and candidate < low:
            continue
        if isinstance(high, int | float) and candidate > high:
            continue
        if isinstance(exclusive_low, int | float) and candidate <= exclusive_low:
            continue
        if isinstance(exclusive_high, int | float) and candidate >= exclusive_high:
            continue
        if schema.get("type") == "integer" and not float(candidate).is_integer():
            continue
        return literal(candidate)
    return None


_FORMATS = {
    "date-time": '"2026-01-01T12:00:00+00:00"',
    "date": '"2026-01-01"',
    "time": '"12:00:00"',
    "uri": '"https://example.com/"',
    "url": '"https://example.com/"',
    "ipv4": '"192.0.2.1"',
}


def _string(schema: dict[str, Any], name: str) -> Value | None:
    fmt = schema.get("format")
    if schema.get("pattern") is not None:
        return None
    if fmt == "email":
        return Value("unique_email()", frozenset({"unique_email"}))
    if isinstance(fmt, str) and fmt in _FORMATS:
        return Value(_FORMATS[fmt])
    if fmt == "uuid":
        return Value('"7c9e6679-7425-40de-944b-e07fc1f90ae7"')
    low = int_of(schema, "minLength") or 0
    high = int_of(schema, "maxLength")
    if high is not None and high < low:
        return None
    args = [py_str(name or "text")]
    if low or high is not None:
        args.append(str(low))
    if high is not None:
        args.append(str(high))
    return Value(f"sample_text({', '.join(args)})", frozenset({"sample_text"}))


def valid(schema: Any, components: dict[str, Any], name: str = "", depth: int = 0) -> Value | None:
    """A valid value of `schema` (only the required properties of objects), or None."""
    if depth > MAX_DEPTH:
        return None
    schema = resolve(schema, components)
    if "const" in schema:
        text = literal(schema["const"])
        return None if text is None else Value(text)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        text = literal(enum[0])
        return None if text is None else Value(text)
    kind = schema.get("type")
    if kind == "string":
        return _string(schema, name)
    if kind in ("integer", "number"):
        text = _number(schema)
        return None if text is None else Value(text)
    if kind == "boolean":
        return Value("False")
    if kind == "null":
        return Value("None")
    if kind == "array":
        count = int_of(schema, "minItems") or 0
        if count == 0:
            return Value("[]")
        item = valid(schema.get("items", {}), components, name, depth + 1)
        if item is None or count > 3:
            return None
        return Value(Call("[", (item.expr,) * count, "]", split=Split.ELEMENTS), item.helpers)
    if kind == "object" or "properties" in schema:
        return obj(schema, components, depth, required_only=True)
    return None


def obj(schema: dict[str, Any], components: dict[str, Any], depth: int, required_only: bool) -> Value | None:
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    if not isinstance(properties, dict) or not isinstance(required, list):
        return None
    items: list[Expr] = []
    helpers: set[str] = set()
    for key, sub in properties.items():
        if required_only and key not in required:
            continue
        value = valid(sub, components, str(key), depth + 1)
        if value is None:
            return None
        items.append(entry(str(key), value.expr))
        helpers |= value.helpers
    if any(key not in properties for key in required):
        return None
    return Value(Call("{", tuple(items), "}", split=Split.ELEMENTS), frozenset(helpers))


def entry(key: str, value: Expr) -> Expr:
    """`"key": value` inside a dict literal."""
    prefix = f"{py_str(key)}: "
    if isinstance(value, str):
        return prefix + value
    return dataclasses.replace(value, head=prefix + value.head)


def wrong_type(schema: Any, components: dict[str, Any]) -> tuple[str, str] | None:
    """A value of another JSON type than `schema`'s and its words (`a string`), or None for an untyped one."""
    schema = resolve(schema, components)
    kind = schema.get("type")
    if schema.get("enum") is not None and kind is None:
        kind = "string"
    return {
        "string": ("[1, 2]", "a_string"),
        "integer": ('"not-a-number"', "an_integer"),
        "number": ('"not-a-number"', "a_number"),
        "boolean": ('"not-a-boolean"', "a_boolean"),
        "array": ('"not-a-list"', "a_list"),
        "object": ('"not-an-object"', "an_object"),
    }.get(kind if isinstance(kind, str) else "")
