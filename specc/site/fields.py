"""Field tables of request and response bodies, read from the OpenAPI document the spec gives (the schemas the
generated app validates with), and the JSON example, from the document's own example.

A nested object's fields follow it as `parent.child` (`items[].id` inside an array), to `MAX_DEPTH` levels; a
model that contains itself is shown once per path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from specc.ir.model import ArrayShape, Body, ObjectShape, ScalarShape, Shape
from specc.site.context import markdown_table
from specc.site.escape import cell, code, fenced, json_text, text

MAX_DEPTH = 5
REF_PREFIX = "#/components/schemas/"
_CONSTRAINTS = (
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minimum", "≥"),
    ("maximum", "≤"),
    ("exclusiveMinimum", ">"),
    ("exclusiveMaximum", "<"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
    ("pattern", "pattern"),
    ("default", "default"),
)


@dataclass(frozen=True)
class FieldRow:
    name: str
    type: str
    required: bool
    nullable: bool
    constraints: tuple[str, ...]
    description: str | None


def _component(schema: dict[str, Any], components: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith(REF_PREFIX):
        name = ref[len(REF_PREFIX) :]
        found = components.get(name)
        return (found if isinstance(found, dict) else {}), name
    return schema, None


def unwrap(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The non-null alternative of `anyOf: [X, {type: null}]`, and whether null is allowed."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        others = [o for o in options if isinstance(o, dict) and o.get("type") != "null"]
        nullable = len(others) < len(options)
        if len(others) == 1:
            merged = {k: v for k, v in schema.items() if k != "anyOf"}
            return {**others[0], **merged}, nullable
        return schema, nullable
    kind = schema.get("type")
    if isinstance(kind, list) and "null" in kind:
        rest = [k for k in kind if k != "null"]
        return {**schema, "type": rest[0] if len(rest) == 1 else rest}, True
    return schema, False


def type_name(schema: dict[str, Any], components: dict[str, Any]) -> str:
    ref_target, ref = _component(schema, components)
    if ref is not None:
        return ref
    inner, _ = unwrap(ref_target)
    options = inner.get("anyOf")
    if isinstance(options, list):
        return " or ".join(type_name(o, components) for o in options if isinstance(o, dict))
    kind = inner.get("type")
    if kind == "array":
        items = inner.get("items")
        return "array of " + (type_name(items, components) if isinstance(items, dict) else "any")
    name = kind if isinstance(kind, str) else "any"
    fmt = inner.get("format")
    return f"{name} ({fmt})" if isinstance(fmt, str) else name


def _value(value: object) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def constraints(schema: dict[str, Any]) -> tuple[str, ...]:
    """What a schema restricts, for people: `max length 100`, `one of: a, b`."""
    found = [f"{label} {_value(schema[key])}" for key, label in _CONSTRAINTS if key in schema]
    values = schema.get("enum")
    if isinstance(values, list):
        found.append("one of: " + ", ".join(_value(v) for v in values))
    if "const" in schema:
        found.append(f"always {_value(schema['const'])}")
    return tuple(found)


def _children(
    schema: dict[str, Any], components: dict[str, Any]
) -> tuple[dict[str, Any] | None, str, str | None]:
    """The object whose fields follow a field (`schema` itself, or its array's items), the suffix of their
    names (`.` or `[].`) and the model's name (for the cycle guard)."""
    target, ref = _component(schema, components)
    inner, _ = unwrap(target)
    if inner.get("type") == "array" and isinstance(inner.get("items"), dict):
        items, items_ref = _component(inner["items"], components)
        items, _ = unwrap(items)
        return (items if isinstance(items.get("properties"), dict) else None), "[].", items_ref
    return (inner if isinstance(inner.get("properties"), dict) else None), ".", ref


def field_rows(schema: dict[str, Any], components: dict[str, Any]) -> list[FieldRow]:
    rows: list[FieldRow] = []
    target, ref = _component(schema, components)
    _walk(target, components, "", 0, {ref} if ref else set(), rows)
    return rows


def _walk(
    schema: dict[str, Any],
    components: dict[str, Any],
    prefix: str,
    depth: int,
    chain: set[str],
    rows: list[FieldRow],
) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    required = schema.get("required")
    needed = set(required) if isinstance(required, list) else set()
    for name, field in properties.items():
        if not isinstance(field, dict):
            continue
        target, _ = _component(field, components)
        inner, nullable = unwrap({**target, **{k: v for k, v in field.items() if k != "$ref"}})
        description = field.get("description") or target.get("description")
        rows.append(
            FieldRow(
                name=prefix + str(name),
                type=type_name(field, components),
                required=name in needed,
                nullable=nullable,
                constraints=constraints(inner),
                description=description if isinstance(description, str) else None,
            )
        )
        child, joint, child_ref = _children(field, components)
        if child is not None and depth + 1 < MAX_DEPTH and (child_ref is None or child_ref not in chain):
            more = chain | {child_ref} if child_ref else chain
            _walk(child, components, f"{prefix}{name}{joint}", depth + 1, more, rows)


def fields_table(rows: list[FieldRow]) -> str:
    header = ["Field", "Type", "Required", "Nullable", "Constraints", "Description"]
    body = [
        [
            code(row.name),
            text(row.type),
            "yes" if row.required else "no",
            "yes" if row.nullable else "no",
            "; ".join(text(c) for c in row.constraints),
            cell(row.description),
        ]
        for row in rows
    ]
    return markdown_table(header, body)


def shape_value(shape: Shape | None) -> object:
    """The JSON value of a body's example shape."""
    if isinstance(shape, ObjectShape):
        return {f.name: shape_value(f.shape) for f in shape.fields}
    if isinstance(shape, ArrayShape):
        return [] if shape.items is None else [shape_value(shape.items)]
    if isinstance(shape, ScalarShape):
        return shape.example
    return None


def example(body: Body | None) -> str:
    """The body's example as a fenced JSON block ("" when the document gives none)."""
    if body is None or body.shape is None:
        return ""
    return fenced(json_text(shape_value(body.shape)), "json")


def body_blocks(
    label: str, schema: dict[str, Any] | None, components: dict[str, Any], body: Body | None
) -> list[str]:
    """A body's heading line, its field table and its example."""
    blocks = [label]
    rows = field_rows(schema, components) if schema is not None else []
    described = {f.name: f.description for f in body.fields if f.description} if body is not None else {}
    rows = [r if r.description else replace(r, description=described.get(r.name)) for r in rows]
    if rows:
        blocks.append(fields_table(rows))
    if body is not None and body.schema_ref:
        blocks.append(f"Schema: {code(body.schema_ref)}")
    blocks.append(example(body))
    return blocks


def parameters_table(parameters: list[dict[str, Any]], descriptions: dict[str, str | None]) -> str:
    """The operation's path and query parameters (`descriptions`: the document's, by query parameter)."""
    rows = []
    for parameter in parameters:
        name = str(parameter.get("name", ""))
        found = parameter.get("schema")
        schema: dict[str, Any] = found if isinstance(found, dict) else {}
        inner, _ = unwrap(schema)
        where = str(parameter.get("in", ""))
        rows.append(
            [
                code(name),
                text(where),
                text(type_name(schema, {})),
                "yes" if parameter.get("required") else "no",
                "; ".join(text(c) for c in constraints(inner)),
                cell(descriptions.get(name) if where == "query" else None),
            ]
        )
    return markdown_table(["Name", "In", "Type", "Required", "Constraints", "Description"], rows)
