"""JSON example bodies → typed field shapes.

Values are placeholders: `"string"`, `"integer"`, `1`, `"user@example.com"`, `true`, nested objects and
arrays.
The example value is kept on each scalar so a writer can print the body back exactly.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from specc.ir.model import ArrayShape, ObjectField, ObjectShape, ScalarShape, Shape, construct

ScalarKind = Literal["string", "integer", "number", "boolean", "null"]

_TYPE_WORDS: dict[str, tuple[ScalarKind, str | None]] = {
    "string": ("string", None),
    "str": ("string", None),
    "text": ("string", None),
    "integer": ("integer", None),
    "int": ("integer", None),
    "number": ("number", None),
    "float": ("number", None),
    "decimal": ("number", None),
    "boolean": ("boolean", None),
    "bool": ("boolean", None),
    "uuid": ("string", "uuid"),
    "email": ("string", "email"),
    "datetime": ("string", "date-time"),
    "date-time": ("string", "date-time"),
    "timestamp": ("string", "date-time"),
    "iso8601": ("string", "date-time"),
    "date": ("string", "date"),
    "url": ("string", "uri"),
    "uri": ("string", "uri"),
}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI = re.compile(r"^https?://\S+$")


def _string_shape(value: str) -> ScalarShape:
    word = value.strip().lower()
    if word in _TYPE_WORDS:
        kind, fmt = _TYPE_WORDS[word]
        return construct(ScalarShape, kind=kind, format=fmt, example=value)
    fmt = None
    if _EMAIL.match(value):
        fmt = "email"
    elif _DATETIME.match(value):
        fmt = "date-time"
    elif _DATE.match(value):
        fmt = "date"
    elif _UUID.match(value):
        fmt = "uuid"
    elif _URI.match(value):
        fmt = "uri"
    return construct(ScalarShape, kind="string", format=fmt, example=value)


def shape_of(value: Any) -> Shape:
    if isinstance(value, dict):
        return construct(
            ObjectShape,
            kind="object",
            fields=tuple(construct(ObjectField, name=str(k), shape=shape_of(v)) for k, v in value.items()),
        )
    if isinstance(value, list):
        return construct(ArrayShape, kind="array", items=shape_of(value[0]) if value else None)
    if isinstance(value, bool):
        return construct(ScalarShape, kind="boolean", format=None, example=value)
    if isinstance(value, int):
        return construct(ScalarShape, kind="integer", format=None, example=value)
    if isinstance(value, float):
        return construct(ScalarShape, kind="number", format=None, example=value)
    if value is None:
        return construct(ScalarShape, kind="null", format=None, example=None)
    return _string_shape(str(value))


def parse_json_body(text: str) -> tuple[Shape | None, str | None, int, int]:
    """(shape, error message, error line offset (0-based within text), error column (1-based))."""
    try:
        value = json.loads(text, parse_constant=_not_json)
    except json.JSONDecodeError as exc:
        return None, exc.msg, exc.lineno - 1, exc.colno
    except _NotJson as exc:
        at = _outside_strings(text, exc.word)
        line = text.count("\n", 0, at)
        return None, f"{exc.word} is not a JSON value", line, at - (text.rfind("\n", 0, at) + 1) + 1
    except RecursionError:
        return None, "JSON nested too deeply", 0, 1
    return shape_of(value), None, 0, 0


class _NotJson(ValueError):
    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def _outside_strings(text: str, word: str) -> int:
    """Offset of the first `word` in `text` that is not inside a JSON string."""
    i, inside = 0, False
    while i < len(text):
        ch = text[i]
        if inside:
            if ch == "\\":
                i += 1
            elif ch == '"':
                inside = False
        elif ch == '"':
            inside = True
        elif text.startswith(word, i):
            return i
        i += 1
    return 0


def _not_json(word: str) -> float:
    """Python's reader accepts `NaN`, `Infinity` and `-Infinity`; JSON does not (and no schema can hold
    them), so an example using one is reported like any other JSON error."""
    raise _NotJson(word)
