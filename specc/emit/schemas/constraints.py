"""Validation constraints of request fields, from what the document says.

- `VARCHAR(n)` → `max_length=n` (in `specc.emit.shapes.column_type`);
- a CHECK on the column (inline or a table CHECK): `length(x) > 0`, `char_length(x) >= 3`,
  `length(x) BETWEEN 1 AND 50`, `length(trim(x)) > 0` → `min_length` / `max_length` (a trimmed length gives
  only a minimum); `x >= 0`, `x > 0.5`, `x <= 1e3`, `x BETWEEN 1 AND 5` → `ge` / `gt` / `le` / `lt` (integer,
  float and `NUMERIC` fields; on an integer a fractional bound becomes the whole number inside it);
- a `Fields:` entry of the request body (`password` (string, required, 8–128 characters)) → `min_length` /
  `max_length` for strings, `ge` / `le` for numbers; it wins over what the column says.

A CHECK is read with the SQL lexer, and only the operands of its top-level `AND` that compare the column with
a complete numeric literal count (the database enforces each of them on its own); an operand with `OR`,
`CASE`, `NOT`, a cast, a function or arithmetic gives no bound, so a field is never stricter than its column.
"""

from __future__ import annotations

import decimal
import itertools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from specc.emit.shapes import DECIMAL_NUMBER, FieldArg, FieldType, py_str
from specc.ir.model import BodyField, Column, Table
from specc.sql import quoting
from specc.sql.lexer import Kind, tokenize

Bound = int | float | decimal.Decimal
"""A `Field(...)` bound: lengths and integer fields get `int`, float fields `float` (or `int` when whole),
`Decimal` fields a `decimal.Decimal`."""

_COMPARISONS = {">=": "ge", "<=": "le", ">": "gt", "<": "lt"}
_FLIP = {"ge": "le", "le": "ge", "gt": "lt", "lt": "gt"}
_NUMBER_TEXT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_MAX_MAGNITUDE = 30
"""Bounds beyond 10**30 are left to the database (no integer or float column needs them)."""
_LENGTH_FUNCS = frozenset({"length", "char_length", "character_length"})
_TRIM_FUNCS = frozenset({"trim", "btrim"})

_STRING_ANNOTATIONS = frozenset({"str"})
_INTEGER_ANNOTATIONS = frozenset({"int"})
_FLOAT_ANNOTATIONS = frozenset({"float"})
_DECIMAL_ANNOTATIONS = frozenset({"decimal.Decimal", DECIMAL_NUMBER})
_NUMBER_ANNOTATIONS = _INTEGER_ANNOTATIONS | _FLOAT_ANNOTATIONS | _DECIMAL_ANNOTATIONS


@dataclass(frozen=True)
class _Tok:
    kind: Kind
    text: str
    start: int
    end: int


def _significant(text: str) -> list[_Tok] | None:
    """The tokens of `text` without spaces and comments; None when it does not lex cleanly."""
    result: list[_Tok] = []
    for token in tokenize(text):
        if token.kind in (Kind.SPACE, Kind.COMMENT):
            continue
        if token.kind == Kind.ERROR:
            return None
        result.append(_Tok(token.kind, text[token.start : token.end], token.start, token.end))
    return result


def _closing(tokens: list[_Tok], i: int) -> int:
    """Index of the `)` matching the `(` at `i`; -1 when unbalanced."""
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].kind == Kind.OPEN:
            depth += 1
        elif tokens[j].kind == Kind.CLOSE:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _unwrap(tokens: list[_Tok]) -> list[_Tok]:
    """`tokens` without parentheses around all of them."""
    while tokens and tokens[0].text == "(" and _closing(tokens, 0) == len(tokens) - 1:
        tokens = tokens[1:-1]
    return tokens


def _conjuncts(tokens: list[_Tok]) -> list[list[_Tok]]:
    """The operands of the top-level `AND`s (parenthesised conjunctions flattened; the `AND` of a
    `BETWEEN` is not one). A disjunction, CASE or NOT stays one operand, read as a whole or not at all."""
    tokens = _unwrap(tokens)
    parts: list[list[_Tok]] = []
    current: list[_Tok] = []
    depth = 0
    between = False
    for token in tokens:
        if token.kind == Kind.OPEN:
            depth += 1
        elif token.kind == Kind.CLOSE:
            depth -= 1
            if depth < 0:
                return []
        elif depth == 0 and token.kind == Kind.WORD:
            word = token.text.upper()
            if word == "BETWEEN":
                between = True
            elif word == "AND" and between:
                between = False
            elif word == "AND":
                parts.append(current)
                current = []
                continue
        current.append(token)
    if depth != 0:
        return []
    parts.append(current)
    result: list[list[_Tok]] = []
    for part in parts:
        inner = _unwrap(part)
        result += _conjuncts(inner) if len(inner) < len(part) else [part]
    return result


def _is_column(token: _Tok, name: str) -> bool:
    if token.kind == Kind.QUOTED_IDENTIFIER:
        return token.text == quoting.identifier(name)
    return token.kind == Kind.WORD and token.text.lower() == name.lower()


def _target_end(tokens: list[_Tok], i: int, name: str, length: bool) -> tuple[int, bool] | None:
    """(end, trimmed) when the column (`length`: `length(col)`, `char_length(trim(col))`, ...) starts at
    `i`; `trimmed` says the length is of the trimmed value (an upper bound on it says nothing)."""
    if not length:
        return (i + 1, False) if i < len(tokens) and _is_column(tokens[i], name) else None
    texts = [t.text.lower() for t in tokens[i : i + 7]]
    if len(texts) >= 4 and texts[0] in _LENGTH_FUNCS and texts[1] == "(":
        if _is_column(tokens[i + 2], name) and texts[3] == ")":
            return i + 4, False
        if len(texts) == 7 and texts[2] in _TRIM_FUNCS and texts[3] == "(" and texts[5:] == [")", ")"]:
            return (i + 7, True) if _is_column(tokens[i + 4], name) else None
    return None


def _number(tokens: list[_Tok]) -> decimal.Decimal | None:
    """A complete numeric literal, with an optional sign (`0.99`, `-5`, `1e3`); None for anything else."""
    if not tokens:
        return None
    pieces = tokens
    sign = ""
    if tokens[0].kind == Kind.OPERATOR and tokens[0].text in ("+", "-"):
        sign, pieces = tokens[0].text, tokens[1:]
    if not pieces or any(a.end != b.start for a, b in itertools.pairwise(pieces)):
        return None
    if any(p.kind not in (Kind.WORD, Kind.OPERATOR) for p in pieces):
        return None
    text = sign + "".join(p.text for p in pieces)
    if not _NUMBER_TEXT.match(text):
        return None
    value = decimal.Decimal(text)
    return value if value.is_zero() or value.adjusted() <= _MAX_MAGNITUDE else None


def _comparison(token: _Tok) -> tuple[str, str] | None:
    """(bound name, sign glued to the operator: `>=-` is `>=` then `-`) of a comparison operator."""
    if token.kind != Kind.OPERATOR:
        return None
    for text, bound in _COMPARISONS.items():
        if token.text.startswith(text) and token.text[len(text) :] in ("", "+", "-"):
            return bound, token.text[len(text) :]
    return None


def _simple_bounds(tokens: list[_Tok], name: str, length: bool) -> tuple[dict[str, decimal.Decimal], bool]:
    """The bounds of one conjunct when it is `target op number`, `number op target` or
    `target BETWEEN number AND number`; nothing otherwise."""
    found = _target_end(tokens, 0, name, length)
    if found is not None:
        end, trimmed = found
        rest = tokens[end:]
        if len(rest) >= 2:
            comparison = _comparison(rest[0])
            if comparison is not None:
                bound, sign = comparison
                glued = [_Tok(Kind.OPERATOR, sign, rest[1].start, rest[1].start)] if sign else []
                value = _number(glued + rest[1:])
                return ({bound: value} if value is not None else {}), trimmed
            words = [t.text.upper() if t.kind == Kind.WORD else "" for t in rest]
            if words[0] == "BETWEEN" and words.count("AND") == 1:
                middle = words.index("AND")
                low, high = _number(rest[1:middle]), _number(rest[middle + 1 :])
                if low is not None and high is not None:
                    return {"ge": low, "le": high}, trimmed
        return {}, trimmed
    for i, token in enumerate(tokens):
        comparison = _comparison(token)
        if comparison is not None and comparison[1] == "":
            target = _target_end(tokens, i + 1, name, length)
            value = _number(tokens[:i])
            if target is not None and target[0] == len(tokens) and value is not None:
                return {_FLIP[comparison[0]]: value}, target[1]
            break
    return {}, False


def _bounds(expression: str, name: str, length: bool = False) -> dict[str, decimal.Decimal]:
    """`ge`/`gt`/`le`/`lt` bounds `expression` puts on column `name` (`length`: on its length): only from the
    operands of its top-level `AND` that compare the column with a number, each of which the database
    enforces on its own; an operand with `OR`, `CASE`, `NOT`, a cast or a function gives none. The
    strictest bound of each kind wins."""
    tokens = _significant(expression)
    if tokens is None:
        return {}
    found: dict[str, decimal.Decimal] = {}
    for part in _conjuncts(tokens):
        bounds, trimmed = _simple_bounds(part, name, length)
        for bound, value in bounds.items():
            if trimmed and bound in ("le", "lt"):
                continue  # the trimmed value is at most this long, the value itself may be longer
            if bound not in found:
                found[bound] = value
            elif bound in ("ge", "gt"):
                found[bound] = max(found[bound], value)
            else:
                found[bound] = min(found[bound], value)
    return found


def _integer_bounds(bounds: dict[str, decimal.Decimal]) -> dict[str, int]:
    """The same bounds on an integer: a fractional `x > 0.5` is `x >= 1`, `x <= 0.99` is `x <= 0`."""
    result: dict[str, int] = {}
    for bound, value in bounds.items():
        whole = value == value.to_integral_value()
        if bound in ("ge", "gt"):
            name = bound if whole else "ge"
            number = int(value) if whole else math.ceil(value)
        else:
            name = bound if whole else "le"
            number = int(value) if whole else math.floor(value)
        _merge(result, name, number)
    return result


def _merge(result: dict[str, Any], bound: str, value: Any) -> None:
    if bound not in result:
        result[bound] = value
    elif bound in ("ge", "gt", "min_length"):
        result[bound] = max(result[bound], value)
    else:
        result[bound] = min(result[bound], value)


def _typed(bounds: dict[str, decimal.Decimal], annotation: str) -> dict[str, Bound]:
    """Bounds as the field's type writes them."""
    if annotation in _INTEGER_ANNOTATIONS:
        return dict(_integer_bounds(bounds))
    result: dict[str, Bound] = {}
    for bound, value in bounds.items():
        if value == value.to_integral_value():
            result[bound] = int(value)
        elif annotation in _DECIMAL_ANNOTATIONS:
            result[bound] = value
        else:
            result[bound] = float(value)
    return result


def _check_texts(column: Column, table: Table | None) -> list[str]:
    texts = [column.check] if column.check else []
    if table is not None:
        texts += [c.expression for c in table.checks]
    return texts


def check_args(column: Column, table: Table | None, ftype: FieldType) -> dict[str, Bound]:
    """`Field(...)` bounds from the CHECK constraints on `column` (keys: min_length, max_length, ge, ...)."""
    result: dict[str, Bound] = {}
    for text in _check_texts(column, table):
        if ftype.annotation in _STRING_ANNOTATIONS:
            length = _integer_bounds(_bounds(text, column.name, length=True))
            if "gt" in length:
                _merge(result, "min_length", max(length["gt"] + 1, 0))
            if "ge" in length:
                _merge(result, "min_length", max(length["ge"], 0))
            if "lt" in length:
                _merge(result, "max_length", max(length["lt"] - 1, 0))
            if "le" in length:
                _merge(result, "max_length", max(length["le"], 0))
        elif ftype.annotation in _NUMBER_ANNOTATIONS:
            for bound, value in _typed(_bounds(text, column.name), ftype.annotation).items():
                _merge(result, bound, value)
    return result


def bound_text(value: Bound) -> str:
    """Python literal text of a bound."""
    if isinstance(value, decimal.Decimal):
        return f"decimal.Decimal({py_str(str(value))})"
    return repr(value)


def field_args(ftype: FieldType, bounds: Mapping[str, Bound], override: bool = False) -> FieldType:
    """`ftype` with `bounds` merged into its `Field(...)` arguments. A maximum length given twice keeps the
    smaller one unless `override` (a `Fields:` entry states the field's own limits)."""
    if not bounds:
        return ftype
    args = {a.name: a.value for a in ftype.args}
    if not override and "max_length" in bounds and "max_length" in args:
        bounds = {**bounds, "max_length": min(int(bounds["max_length"]), int(args["max_length"]))}
    for name, value in bounds.items():
        args[name] = bound_text(value)
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
