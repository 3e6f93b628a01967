"""Validation constraints of request fields, from what the document says.

- `VARCHAR(n)` → `max_length=n` (in `specc.emit.shapes.column_type`);
- a CHECK on the column (inline or a table CHECK naming only that column): `length(x) > 0`,
  `char_length(x) >= 3`, `length(x) BETWEEN 1 AND 50`, `length(trim(x)) > 0` → `min_length` / `max_length`;
  `x >= 0`, `x > 0`, `x <= 10`, `x BETWEEN 1 AND 5` → `ge` / `gt` / `le` / `lt` (integer and float fields);
- a `Fields:` entry of the request body (`password` (string, required, 8–128 characters)) → `min_length` /
  `max_length` for strings, `ge` / `le` for numbers; it wins over what the column says.

Only integer bounds are read; anything else in a CHECK is left to the database.
"""

from __future__ import annotations

import re
from dataclasses import replace

from specc.emit.shapes import FieldArg, FieldType
from specc.ir.model import BodyField, Column, Table

_NUMBER = r"([+-]?\d{1,18})"
_LENGTH_FUNC = r"(?:char_length|character_length|length)\s*\(\s*(?:(?:btrim|trim)\s*\(\s*)?{col}\s*\)?\s*\)"
_OPS = {">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">="}

_STRING_ANNOTATIONS = frozenset({"str"})
_NUMBER_ANNOTATIONS = frozenset({"int", "float"})


def _column_pattern(name: str) -> str:
    escaped = re.escape(name)
    return rf'(?:"{escaped}"|(?<![\w"]){escaped}(?![\w"]))'


def _bounds(expression: str, target: str) -> dict[str, int]:
    """`ge`/`gt`/`le`/`lt` bounds `expression` puts on the value `target` (a regex) when every comparison
    of it is ANDed (an `OR` anywhere makes the bounds unknown)."""
    if re.search(r"(?i)\bor\b|\bnot\b", expression):
        return {}
    found: dict[str, int] = {}
    for m in re.finditer(rf"(?i){target}\s*(>=|<=|>|<)\s*{_NUMBER}", expression):
        found[_OPS[m.group(1)]] = int(m.group(2))
    for m in re.finditer(rf"(?i){_NUMBER}\s*(>=|<=|>|<)\s*{target}", expression):
        found[_OPS[_FLIP[m.group(2)]]] = int(m.group(1))
    for m in re.finditer(rf"(?i){target}\s+between\s+{_NUMBER}\s+and\s+{_NUMBER}", expression):
        found["ge"], found["le"] = int(m.group(1)), int(m.group(2))
    return found


def _check_texts(column: Column, table: Table | None) -> list[str]:
    texts = [column.check] if column.check else []
    if table is not None:
        texts += [c.expression for c in table.checks]
    return texts


def check_args(column: Column, table: Table | None, ftype: FieldType) -> dict[str, int]:
    """`Field(...)` bounds from the CHECK constraints on `column` (keys: min_length, max_length, ge, ...)."""
    result: dict[str, int] = {}
    col = _column_pattern(column.name)
    for text in _check_texts(column, table):
        if ftype.annotation in _STRING_ANNOTATIONS:
            length = _bounds(text, _LENGTH_FUNC.format(col=col))
            if "gt" in length:
                result["min_length"] = max(length["gt"] + 1, 0)
            if "ge" in length:
                result["min_length"] = max(length["ge"], 0)
            if "lt" in length:
                result["max_length"] = max(length["lt"] - 1, 0)
            if "le" in length:
                result["max_length"] = max(length["le"], 0)
        elif ftype.annotation in _NUMBER_ANNOTATIONS:
            stripped = re.sub(rf"(?i){_LENGTH_FUNC.format(col=col)}", "", text)
            result.update(_bounds(stripped, col))
    return result


def field_args(ftype: FieldType, bounds: dict[str, int], override: bool = False) -> FieldType:
    """`ftype` with `bounds` merged into its `Field(...)` arguments. A maximum length given twice keeps the
    smaller one unless `override` (a `Fields:` entry states the field's own limits)."""
    if not bounds:
        return ftype
    args = {a.name: a.value for a in ftype.args}
    if not override and "max_length" in bounds and "max_length" in args:
        bounds = {**bounds, "max_length": min(bounds["max_length"], int(args["max_length"]))}
    for name, value in bounds.items():
        args[name] = str(value)
    order = ("min_length", "max_length", "ge", "gt", "le", "lt", "max_digits", "decimal_places")
    ordered = tuple(FieldArg(n, args[n]) for n in order if n in args)
    ordered += tuple(FieldArg(n, v) for n, v in args.items() if n not in order)
    return replace(ftype, args=ordered)


def declared_args(declared: BodyField, ftype: FieldType) -> dict[str, int]:
    """Bounds from a `Fields:` entry: lengths for strings, values for numbers."""
    result: dict[str, int] = {}
    if ftype.annotation in _STRING_ANNOTATIONS or ftype.annotation == "EmailStr":
        if declared.minimum is not None:
            result["min_length"] = max(declared.minimum, 0)
        if declared.maximum is not None:
            result["max_length"] = max(declared.maximum, 0)
    elif ftype.annotation in _NUMBER_ANNOTATIONS:
        if declared.minimum is not None:
            result["ge"] = declared.minimum
        if declared.maximum is not None:
            result["le"] = declared.maximum
    return result


def has_max_length(ftype: FieldType) -> bool:
    return any(a.name == "max_length" for a in ftype.args)
