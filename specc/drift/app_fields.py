"""Bodies and parameters of two OpenAPI documents, reduced to what drift compares; bodies compared field by
field.

A JSON Schema is reduced to a `SchemaType`: its JSON type (and `format`), whether it admits `null`, and
for objects the properties and the required ones, for arrays the items. `$ref`s are resolved into the
document's own `components/schemas` (so component names, which FastAPI and specc may choose differently,
never matter), and both spellings of a nullable value are understood: `anyOf: [T, {"type": "null"}]` and
`type: [T, "null"]` (and OpenAPI 3.0's `nullable: true`). Titles, descriptions, examples, defaults and
validation keywords (lengths, bounds, patterns) are not compared: drift compares the shape of the API.

Objects are compared property by property, nested objects and arrays of objects too (`items[].name`), each
difference one finding. A property missing on one side beside an extra property of the same type on the
other is reported as both, with the rename suggested in the hint: drift never assumes one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from specc.diagnostics import Code
from specc.drift.model import Location

REF_PREFIX = "#/components/schemas/"
MAX_DEPTH = 32
"""Nesting depth (of `$ref`s and of compared objects) beyond which a schema is not followed further."""
_NULL = "null"
_UNKNOWN = "any"


@dataclass(frozen=True)
class SchemaType:
    """What drift compares of a JSON Schema."""

    kind: str
    """The JSON type (`string`, `integer`, `number`, `boolean`, `object`, `array`), `any` when the schema
    does not say, or the alternatives (`integer | string`) of a union."""
    format: str | None = None
    nullable: bool = False
    properties: Mapping[str, Any] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: SchemaType | None = None
    ref: str | None = None
    """The component the schema came from (the last of a `$ref` chain), to stop at cycles."""

    @property
    def text(self) -> str:
        """`string (date-time)`, `array of object`, `integer`: the type as messages show it."""
        if self.kind == "array" and self.items is not None:
            return f"array of {self.items.text}"
        return f"{self.kind} ({self.format})" if self.format else self.kind


class Schemas:
    """Reduces the schemas of one document, resolving `$ref`s into its `components/schemas`."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        components = document.get("components")
        schemas = components.get("schemas") if isinstance(components, dict) else None
        self.components: Mapping[str, Any] = schemas if isinstance(schemas, dict) else {}

    def typed(self, schema: Any, depth: int = 0) -> SchemaType:
        ref: str | None = None
        for _ in range(MAX_DEPTH):
            target = schema.get("$ref") if isinstance(schema, dict) else None
            if not isinstance(target, str) or not target.startswith(REF_PREFIX):
                break
            ref = target[len(REF_PREFIX) :]
            schema = self.components.get(ref)
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return SchemaType(_UNKNOWN, ref=ref)
        nullable = schema.get("nullable") is True
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and len(all_of) == 1:
            inner = self.typed(all_of[0], depth + 1)
            return _with(inner, nullable=inner.nullable or nullable, ref=inner.ref or ref)
        for union in ("anyOf", "oneOf"):
            variants = schema.get(union)
            if isinstance(variants, list) and variants:
                return self._union(variants, nullable, ref, depth)
        kinds = schema.get("type")
        names = (
            [kinds] if isinstance(kinds, str) else [k for k in kinds if isinstance(k, str)] if kinds else []
        )
        if _NULL in names and len(names) > 1:
            nullable = True
            names = [k for k in names if k != _NULL]
        kind = " | ".join(sorted(names)) if names else _implied_kind(schema)
        properties = schema.get("properties")
        required = schema.get("required")
        return SchemaType(
            kind=kind,
            format=schema.get("format") if isinstance(schema.get("format"), str) else None,
            nullable=nullable,
            properties=properties if isinstance(properties, dict) else {},
            required=frozenset(r for r in required if isinstance(r, str))
            if isinstance(required, list)
            else frozenset(),
            items=self.typed(schema["items"], depth + 1) if kind == "array" and "items" in schema else None,
            ref=ref,
        )

    def _union(self, variants: list[Any], nullable: bool, ref: str | None, depth: int) -> SchemaType:
        types = [self.typed(v, depth + 1) for v in variants]
        real = [t for t in types if t.kind != _NULL]
        nullable = nullable or len(real) < len(types) or any(t.nullable for t in real)
        if len(real) == 1:
            return _with(real[0], nullable=nullable, ref=real[0].ref or ref)
        return SchemaType(" | ".join(sorted({t.text for t in real})) or _NULL, nullable=nullable, ref=ref)


def _with(base: SchemaType, *, nullable: bool, ref: str | None) -> SchemaType:
    return SchemaType(base.kind, base.format, nullable, base.properties, base.required, base.items, ref)


def _implied_kind(schema: Mapping[str, Any]) -> str:
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    values = schema.get("enum") if isinstance(schema.get("enum"), list) else None
    if values is None and "const" in schema:
        values = [schema["const"]]
    kinds = {_value_kind(v) for v in values or ()}
    return " | ".join(sorted(kinds)) if kinds else _UNKNOWN


def _value_kind(value: Any) -> str:
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else _UNKNOWN


Report = Callable[[Code, str, str, Location, str | None], None]
"""(code, subject, message, spec location, hint) → records a finding (the actual location is the route's)."""


@dataclass(frozen=True)
class BodyContext:
    """One body of one operation on both sides, and how to report a difference in it."""

    code: Code
    part: str
    """`request` or `response`: in subjects (`GET /api/rooms response items[].name`) and messages."""
    operation: str
    """`GET /api/rooms/{room_id}`."""
    spec_schemas: Schemas
    app_schemas: Schemas
    place: Callable[[str], Location]
    """Field path (`name`, `items[].name`) → where the document says it."""
    report: Report


def compare_bodies(ctx: BodyContext, spec_body: Any, app_body: Any) -> None:
    """Findings for every difference between two body schemas (both present)."""
    spec_t, app_t = ctx.spec_schemas.typed(spec_body), ctx.app_schemas.typed(app_body)
    _compare_field(ctx, "", spec_t, app_t, set(), 0)


def _compare_objects(
    ctx: BodyContext,
    prefix: str,
    spec_t: SchemaType,
    app_t: SchemaType,
    seen: set[tuple[str, str]],
    depth: int,
) -> None:
    if spec_t.ref is not None and app_t.ref is not None:
        pair = (spec_t.ref, app_t.ref)
        if pair in seen:
            return  # a recursive schema: this pair of components is being compared further up
        seen = seen | {pair}
    if depth > MAX_DEPTH:
        return
    spec_props, app_props = spec_t.properties, app_t.properties
    missing = {n: ctx.spec_schemas.typed(s) for n, s in spec_props.items() if n not in app_props}
    extra = {n: ctx.app_schemas.typed(s) for n, s in app_props.items() if n not in spec_props}
    missing_by_type = _names_by_type(missing)
    extra_by_type = _names_by_type(extra)
    for name, schema in spec_props.items():
        path = prefix + name
        if name in missing:
            _missing(ctx, path, missing[name], extra_by_type.get(missing[name].text, []), extra)
            continue
        spec_field, app_field = ctx.spec_schemas.typed(schema), ctx.app_schemas.typed(app_props[name])
        spec_required, app_required = name in spec_t.required, name in app_t.required
        if spec_required != app_required:
            ctx.report(
                ctx.code,
                _subject(ctx, path),
                f"{_label(ctx, path)}: {_required(spec_required)} in the spec, {_required(app_required)} in "
                "the app",
                ctx.place(path),
                None,
            )
        _compare_field(ctx, path, spec_field, app_field, seen, depth + 1)
    for name, app_field in extra.items():
        _extra(ctx, prefix + name, app_field, missing_by_type.get(app_field.text, []), missing)


def _compare_field(
    ctx: BodyContext, path: str, spec_t: SchemaType, app_t: SchemaType, seen: set[tuple[str, str]], depth: int
) -> None:
    label, subject = _label(ctx, path), _subject(ctx, path)
    if spec_t.text != app_t.text:
        message = f"{label}: {spec_t.text} in the spec, {app_t.text} in the app"
        ctx.report(ctx.code, subject, message, ctx.place(path), None)
        return
    if spec_t.nullable != app_t.nullable:
        message = f"{label}: {_nullable(spec_t.nullable)} in the spec, {_nullable(app_t.nullable)} in the app"
        ctx.report(ctx.code, subject, message, ctx.place(path), None)
    if spec_t.kind == "object":
        _compare_objects(ctx, f"{path}." if path else "", spec_t, app_t, seen, depth)
    elif spec_t.items is not None and app_t.items is not None:
        for spec_item, app_item, item_path in _array_levels(spec_t.items, app_t.items, path):
            if spec_item.nullable != app_item.nullable:
                message = (
                    f"{_label(ctx, item_path)}: items {_nullable(spec_item.nullable)} in the spec, "
                    f"{_nullable(app_item.nullable)} in the app"
                )
                ctx.report(ctx.code, _subject(ctx, item_path), message, ctx.place(path), None)
            if spec_item.kind == "object":
                _compare_objects(ctx, f"{item_path}.", spec_item, app_item, seen, depth)


def _array_levels(
    spec_item: SchemaType, app_item: SchemaType, path: str
) -> Iterator[tuple[SchemaType, SchemaType, str]]:
    """Item types of equal array types, level by level (`tags[]`, `grid[][]`)."""
    for _ in range(MAX_DEPTH):
        path += "[]"
        yield spec_item, app_item, path
        if spec_item.items is None or app_item.items is None:
            return
        spec_item, app_item = spec_item.items, app_item.items


def _names_by_type(fields: Mapping[str, SchemaType]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in fields.items():
        grouped.setdefault(value.text, []).append(name)
    return grouped


def _missing(
    ctx: BodyContext, path: str, spec_t: SchemaType, same_type: list[str], extra: Mapping[str, SchemaType]
) -> None:
    message = f"{_label(ctx, path)}: {spec_t.text} in the spec, missing from the app"
    hint = None
    if len(same_type) == 1:
        other = same_type[0]
        message += f"; the app has `{other}` ({extra[other].text}) not in the spec"
        hint = _rename_hint(ctx, path, other)
    ctx.report(ctx.code, _subject(ctx, path), message, ctx.place(path), hint)


def _extra(
    ctx: BodyContext, path: str, app_t: SchemaType, same_type: list[str], missing: Mapping[str, SchemaType]
) -> None:
    message = f"{_label(ctx, path)}: {app_t.text} in the app, not in the spec"
    hint = None
    if len(same_type) == 1:
        other = same_type[0]
        message += f"; the spec has `{other}` ({missing[other].text}) missing from the app"
        hint = _rename_hint(ctx, _sibling(path, other), path.rsplit(".", 1)[-1])
    ctx.report(ctx.code, _subject(ctx, path), message, ctx.place(_parent(path)), hint)


def _rename_hint(ctx: BodyContext, spec_path: str, app_name: str) -> str:
    spec_name = spec_path.rsplit(".", 1)[-1]
    return (
        f"if `{app_name}` in the app is the spec's `{spec_name}` renamed, rename one of them so both agree "
        f"(drift does not assume a rename)"
    )


def _sibling(path: str, name: str) -> str:
    parent = _parent(path)
    return f"{parent}.{name}" if parent else name


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def _label(ctx: BodyContext, path: str) -> str:
    return f"{ctx.part} field `{path}` of {ctx.operation}" if path else f"{ctx.part} body of {ctx.operation}"


def _subject(ctx: BodyContext, path: str) -> str:
    return f"{ctx.operation} {ctx.part} {path or 'body'}"


def _required(value: bool) -> str:
    return "required" if value else "optional"


def _nullable(value: bool) -> str:
    return "nullable" if value else "not nullable"
