"""Schema plan → JSON Schema dicts, without executing the generated modules.

`component(model)` returns exactly what pydantic's `Model.model_json_schema(ref_template=REF)` returns for the
class `specc.emit.schemas.render` writes from `model`, minus `$defs` (nested models are components of their
own). The tests compare both for the example spec, the corpus and arbitrary specs, so any drift from pydantic
fails there.

What pydantic does, and we mirror:

- a model: `title` (class name), `description` (`inspect.cleandoc` of the docstring), `type: object`,
  `properties` keyed by alias in field order, `required` (aliases of required fields, in order);
- a field: its type's schema plus `title` (`alias.title().replace("_", " ").strip()`; not for a field whose
  type is a model or an optional model) and `default` (JSON form of the Python default) when not required;
- `T | None`: `anyOf [T, {"type": "null"}]`; `max_length` lands on the string branch;
- a `RootModel[T]`: T's schema plus `title` and `description`.

Type annotations are parsed once each (`ast`) into a small tree of `SchemaType` nodes; every scalar
annotation the writers can produce is a row of `_SCALARS`.
"""

from __future__ import annotations

import ast
import decimal
import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from specc.emit.schemas.plan import FieldSpec, ModelSpec
from specc.emit.shapes import FieldArg, FieldType
from specc.pycode.literals import docstring_text

REF = "#/components/schemas/{model}"
JsonSchema = dict[str, Any]


# --- annotation trees -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scalar:
    schema: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class ListOf:
    item: SchemaType


@dataclass(frozen=True)
class DictOf:
    value: SchemaType


@dataclass(frozen=True)
class Nullable:
    inner: SchemaType


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Ref:
    model: str


SchemaType = Scalar | ListOf | DictOf | Nullable | Enum | Ref

_SCALARS: dict[str, Scalar] = {}


def _scalar(schema: JsonSchema, *annotations: str) -> None:
    for annotation in annotations:
        if annotation in _SCALARS:
            raise ValueError(f"JSON Schema for {annotation!r} registered twice")
        _SCALARS[annotation] = Scalar(tuple(schema.items()))


_scalar({}, "Any")
_scalar({"type": "integer"}, "int")
_scalar({"type": "string"}, "str")
_scalar({"type": "boolean"}, "bool")
_scalar({"type": "number"}, "float")
_scalar({"type": "string", "format": "binary"}, "bytes")
_scalar({"type": "string", "format": "date-time"}, "datetime.datetime", "AwareDatetime")
_scalar({"type": "string", "format": "date"}, "datetime.date")
_scalar({"type": "string", "format": "time"}, "datetime.time")
_scalar({"type": "string", "format": "duration"}, "datetime.timedelta")
_scalar({"type": "string", "format": "uuid"}, "uuid.UUID")
_scalar({"type": "string", "format": "email"}, "EmailStr")
_scalar({"type": "string", "format": "uri", "minLength": 1}, "AnyUrl")
_scalar({"anyOf": [{"type": "number"}, {"type": "string"}]}, "decimal.Decimal")
_scalar({"type": "number"}, "DecimalNumber")

ANY_TYPE = _SCALARS["Any"]


class UnknownAnnotation(ValueError):
    """An annotation the plan cannot produce (a bug in the writers, caught by the tests)."""


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    raise UnknownAnnotation(ast.unparse(node))


def _tree(node: ast.expr) -> SchemaType:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        if not (isinstance(node.right, ast.Constant) and node.right.value is None):
            raise UnknownAnnotation(ast.unparse(node))
        return Nullable(_tree(node.left))
    if isinstance(node, ast.Subscript):
        head = _dotted(node.value)
        if head == "list":
            return ListOf(_tree(node.slice))
        if head == "dict" and isinstance(node.slice, ast.Tuple) and len(node.slice.elts) == 2:
            return DictOf(_tree(node.slice.elts[1]))
        if head == "Literal":
            elements = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            values: list[str] = []
            for element in elements:
                value = ast.literal_eval(element)
                if not isinstance(value, str):
                    raise UnknownAnnotation(ast.unparse(node))
                if value not in values:
                    values.append(value)
            return Enum(tuple(values))
        raise UnknownAnnotation(ast.unparse(node))
    name = _dotted(node)
    return _SCALARS.get(name) or Ref(name)


@lru_cache(maxsize=4096)
def parse_annotation(annotation: str) -> SchemaType:
    """The tree of one annotation text: `list[Literal['a', 'b']] | None`, `uuid.UUID`, `PostXResponse`."""
    return _tree(ast.parse(annotation, mode="eval").body)


# --- trees → JSON Schema ----------------------------------------------------------------------------------


_CONSTRAINT_KEYS = {
    "max_length": "maxLength",
    "min_length": "minLength",
    "ge": "minimum",
    "le": "maximum",
    "gt": "exclusiveMinimum",
    "lt": "exclusiveMaximum",
}
"""`Field(...)` arguments pydantic writes into the JSON Schema (`max_digits`/`decimal_places` it does not)."""


_DECIMAL = _SCALARS["decimal.Decimal"]
_DECIMAL_NUMBER = _SCALARS["DecimalNumber"]
_DECIMAL_SERIALIZED = Scalar((("type", "string"),))
"""Scalars whose serialization-mode schema (response models) differs: a `Decimal` is written as a string."""


def type_schema(
    node: SchemaType, constraints: tuple[tuple[str, Any], ...] = (), serialization: bool = False
) -> JsonSchema:
    """JSON Schema of a type; `constraints` (JSON Schema keywords) apply to its scalar part (inside `anyOf`
    when nullable). `serialization`: the schema of what the model writes (response models)."""
    if serialization and node is _DECIMAL:
        node = _DECIMAL_SERIALIZED
    if isinstance(node, Scalar):
        schema = dict(node.schema)
        if node is _DECIMAL_NUMBER or node is _DECIMAL_SERIALIZED:
            return schema  # `WithJsonSchema` replaces the whole schema; a string documents no range
        if "anyOf" in schema:
            schema["anyOf"] = [dict(branch) for branch in schema["anyOf"]]
            schema["anyOf"][0].update(constraints)  # a `Decimal`: the range is documented on the number
            return schema
        schema.update(constraints)
        return schema
    if isinstance(node, Nullable):
        inner = type_schema(node.inner, constraints, serialization)
        branches = inner["anyOf"] if set(inner) == {"anyOf"} else [inner]  # pydantic flattens a bare anyOf
        return {"anyOf": [*branches, {"type": "null"}]}
    if isinstance(node, ListOf):
        return {"items": type_schema(node.item, (), serialization), "type": "array"}
    if isinstance(node, DictOf):
        value = type_schema(node.value, (), serialization)
        return {"additionalProperties": value if value else True, "type": "object"}
    if isinstance(node, Enum):
        if len(node.values) == 1:
            return {"const": node.values[0], "type": "string"}
        return {"enum": list(node.values), "type": "string"}
    return {"$ref": REF.format(model=node.model)}


def _is_model(node: SchemaType) -> bool:
    """pydantic sets no field title when the field's type is a model or an optional model."""
    if isinstance(node, Nullable):
        return _is_model(node.inner)
    return isinstance(node, Ref)


def _constraints(args: tuple[FieldArg, ...]) -> tuple[tuple[str, int | float], ...]:
    return tuple((_CONSTRAINT_KEYS[a.name], _bound(a.value)) for a in args if a.name in _CONSTRAINT_KEYS)


def _bound(text: str) -> int | float:
    """JSON value of a bound's Python literal text (`3`, `0.99`, `decimal.Decimal("0.5")`, as pydantic
    documents it: a float)."""
    match = _DECIMAL_CALL.match(text)
    if match is not None:
        return float(decimal.Decimal(ast.literal_eval(match.group(1))))
    value = ast.literal_eval(text)
    assert isinstance(value, int | float)
    return value


def field_annotation(spec: FieldSpec) -> str:
    """The annotation the renderer writes for a field (`T | None` when nullable, never `Any | None`)."""
    nullable = spec.nullable and spec.type.annotation != "Any"
    return spec.type.annotation + (" | None" if nullable else "")


_DECIMAL_CALL = re.compile(r"^decimal\.Decimal\((.*)\)$")


@lru_cache(maxsize=4096)
def default_value(text: str) -> Any:
    """JSON form of a default's Python literal text (`None`, `True`, `3`, `'x'`, `decimal.Decimal("1.5")`)."""
    match = _DECIMAL_CALL.match(text)
    if match is not None:
        return str(decimal.Decimal(ast.literal_eval(match.group(1))))
    return ast.literal_eval(text)


def field_schema(spec: FieldSpec, serialization: bool = False) -> JsonSchema:
    node = parse_annotation(field_annotation(spec))
    schema = type_schema(node, _constraints(spec.type.args), serialization)
    if not _is_model(node):
        schema["title"] = title(spec.key)
    if not spec.required and not (
        spec.type.annotation == "DecimalNumber" and spec.default.startswith("decimal.")
    ):
        schema["default"] = default_value(
            spec.default
        )  # a `DecimalNumber` default is a factory: undocumented
    return schema


def title(name: str) -> str:
    return name.title().replace("_", " ").strip()


def description(doc: str) -> str:
    """The docstring as pydantic reads it back from the rendered class."""
    return inspect.cleandoc(docstring_text(doc))


def _root_schema(root: FieldType, serialization: bool = False) -> JsonSchema:
    return type_schema(parse_annotation(root.annotation), _constraints(root.args), serialization)


def component(model: ModelSpec) -> JsonSchema:
    """pydantic's JSON Schema of the class rendered from `model` (references use `REF`, no `$defs`)."""
    if model.root is not None:
        schema = _root_schema(model.root, model.from_attributes)
    else:
        properties: JsonSchema = {}
        required: list[str] = []
        for spec in model.fields:
            properties[spec.key] = field_schema(spec, model.from_attributes)
            if spec.required:
                required.append(spec.key)
        schema = {"properties": properties, "type": "object"}
        if required:
            schema["required"] = required
        if model.forbid_extra:
            schema["additionalProperties"] = False
    text = description(model.doc)
    if text:
        schema["description"] = text
    schema["title"] = model.name
    return schema
