"""Parse results as plain nested tuples (for `marshal`), moved to another line on the way back.

What the parser made of a section (`SectionEffects`: IR nodes and the parser's own records, `RawTable`,
`RawColumn`, `IndexRow`, ...) is stored with line numbers relative to the section, so a section that only
moved (a line was added above it) is reused by adding the new offset while the nodes are rebuilt. Rebuilding
is one pass that sets each node's fields directly (the nodes were valid when they were stored; the tests
prove the round trip is exact), which is several times cheaper than unpickling the nodes and then copying
them to shift spans.

Encoding: None, bool, int, float and str stand for themselves; every container is a tuple whose first item is
a tag: `_TUPLE`, `_LIST`, `_FROZENSET` (its items sorted, so the encoding is deterministic), `_SPAN` (line,
column; the file is restored on decoding), or `_CLASS + k` for the k-th class of `_CLASSES` followed by its
field values in declaration order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from specc.ir import model as ir
from specc.parse.effects import SectionDiagnostic, SectionEffects
from specc.parse.indexes import IndexRow
from specc.parse.reading import LeftOpen, OpenHeading, Reading, SuppressionComment
from specc.parse.tables import InlineIndex, RawColumn, RawTable

_TUPLE = 0
_LIST = 1
_SPAN = 2
_FROZENSET = 3
_CLASS = 4

_CLASSES: tuple[type[Any], ...] = (
    ir.ForeignKey,
    ir.Column,
    ir.Index,
    ir.CheckConstraint,
    ir.Table,
    ir.Relationship,
    ir.ScalarShape,
    ir.ArrayShape,
    ir.ObjectField,
    ir.ObjectShape,
    ir.BodyField,
    ir.Body,
    ir.QueryParam,
    ir.Response,
    ir.Endpoint,
    ir.TechChoice,
    ir.Decision,
    RawColumn,
    InlineIndex,
    RawTable,
    IndexRow,
    SuppressionComment,
    OpenHeading,
    LeftOpen,
    Reading,
    SectionDiagnostic,
    SectionEffects,
)


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    if issubclass(cls, BaseModel):
        return tuple(cls.model_fields)
    return tuple(f.name for f in dataclasses.fields(cls))


_FIELDS: tuple[tuple[str, ...], ...] = tuple(_field_names(cls) for cls in _CLASSES)
_TAG: dict[type[Any], int] = {cls: _CLASS + k for k, cls in enumerate(_CLASSES)}
_SCALARS = (str, int, float, bool, type(None))
_MODELS: tuple[bool, ...] = tuple(issubclass(cls, BaseModel) for cls in _CLASSES)
_FIELD_SETS: tuple[frozenset[str], ...] = tuple(frozenset(names) for names in _FIELDS)
_SPAN_FIELDS = frozenset(("file", "line", "column"))


class CodecError(ValueError):
    """A value of a type the codec does not know (a parser change without a codec change)."""


def encode(value: Any, shift: int) -> Any:
    """`value` as nested tuples; every span's line has `shift` added (negative: make lines relative)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is ir.Span:
        return (_SPAN, value.line + shift, value.column)
    if kind is tuple:
        return (_TUPLE, *[encode(item, shift) for item in value])
    if kind is list:
        return (_LIST, *[encode(item, shift) for item in value])
    if kind is frozenset:
        return (_FROZENSET, *sorted([encode(item, shift) for item in value], key=repr))
    tag = _TAG.get(kind)
    if tag is None:
        raise CodecError(f"cannot encode a {kind.__name__}")
    attrs = value.__dict__
    return (tag, *[encode(attrs[name], shift) for name in _FIELDS[tag - _CLASS]])


def decoder(file: str, shift: int) -> Callable[[Any], Any]:
    """A function turning encoded values back into objects, spans in `file` moved down by `shift` lines."""
    new = object.__new__
    set_attr = object.__setattr__
    classes = _CLASSES
    fields = _FIELDS
    models = _MODELS
    field_sets = _FIELD_SETS
    span_fields = _SPAN_FIELDS

    def decode(value: Any) -> Any:
        if type(value) is not tuple:
            return value
        tag = value[0]
        if tag == _SPAN:
            span = new(ir.Span)
            set_attr(span, "__dict__", {"file": file, "line": value[1] + shift, "column": value[2]})
            set_attr(span, "__pydantic_fields_set__", set(span_fields))
            set_attr(span, "__pydantic_extra__", None)
            set_attr(span, "__pydantic_private__", None)
            return span
        if tag == _TUPLE:
            return tuple([decode(item) if type(item) is tuple else item for item in value[1:]])
        if tag == _LIST:
            return [decode(item) if type(item) is tuple else item for item in value[1:]]
        if tag == _FROZENSET:
            return frozenset([decode(item) if type(item) is tuple else item for item in value[1:]])
        k = tag - _CLASS
        cls = classes[k]
        node = new(cls)
        attrs = dict(
            zip(fields[k], [decode(item) if type(item) is tuple else item for item in value[1:]], strict=True)
        )
        if models[k]:
            set_attr(node, "__dict__", attrs)
            set_attr(node, "__pydantic_fields_set__", set(field_sets[k]))
            set_attr(node, "__pydantic_extra__", None)
            set_attr(node, "__pydantic_private__", None)
        else:
            node.__dict__.update(attrs)
        return node

    return decode
