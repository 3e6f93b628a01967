"""JSON example bodies → typed field shapes.

Values are placeholders: `"string"`, `"integer"`, `1`, `"user@example.com"`, `true`, nested objects and
arrays.
The example value is kept on each scalar so a writer can print the body back exactly.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from specc.diagnostics import Code, Severity
from specc.ir.model import ArrayShape, ObjectField, ObjectShape, ScalarShape, Shape, construct
from specc.limits import MAX_JSON_DEPTH, MAX_NUMBER_LENGTH
from specc.parse import codes

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
_BLANK = re.compile(r"\s")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI = re.compile(r"^https?://\S+$")


def is_email(value: str) -> bool:
    """What `re.match(r"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", value)` says, in linear time (that pattern tries
    every `.` of a long domain and rescans the rest from each)."""
    text = value[:-1] if value.endswith("\n") else value  # `$` also matches before a final line break
    local, at, domain = text.partition("@")
    return bool(local and at and "@" not in domain and "." in domain[1:-1]) and not _BLANK.search(text)


def _string_shape(value: str) -> ScalarShape:
    word = value.strip().lower()
    if word in _TYPE_WORDS:
        kind, fmt = _TYPE_WORDS[word]
        return construct(ScalarShape, kind=kind, format=fmt, example=value)
    fmt = None
    if is_email(value):
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


@dataclass(frozen=True)
class BodyProblem:
    """Something wrong with a JSON body, at a place in its text."""

    code: Code
    message: str
    line: int
    """0-based line within the body text."""
    column: int
    """1-based column."""
    hint: str | None = None


@dataclass(frozen=True)
class BodyRead:
    shape: Shape | None
    """None when the body cannot be used (an error among `problems`)."""
    problems: tuple[BodyProblem, ...] = ()


def _at(text: str, offset: int, code: Code, message: str, hint: str | None = None) -> BodyProblem:
    line = text.count("\n", 0, offset)
    return BodyProblem(code, message, line, offset - (text.rfind("\n", 0, offset) + 1) + 1, hint)


def parse_json_body(text: str) -> BodyRead:
    """The shape of a JSON body, and every problem with it (located).

    A linear scan first (`_scan`) enforces the documented limits (nesting depth, number length) before the
    standard library's reader sees the text, so neither its recursion nor its integer conversion can fail;
    after a successful read the scan's other findings are reported: numbers out of a double's range
    (which would become `null` or 0), lone surrogate escapes (no UTF-8 file can hold them) and duplicate
    keys (the last one wins, as in every JSON reader)."""
    scan = _scan(text)
    if scan.fatal is not None:
        return BodyRead(None, (scan.fatal,))
    lenient: BodyProblem | None = None
    try:
        value = json.loads(text, parse_constant=_not_json, parse_int=_short_int)
    except json.JSONDecodeError as exc:
        invalid = BodyProblem(codes.INVALID_JSON, exc.msg, exc.lineno - 1, exc.colno)
        cleaned, first = _without_comments_and_trailing_commas(text)
        if first is None:
            return BodyRead(None, (invalid,))
        try:
            value = json.loads(cleaned, parse_constant=_not_json, parse_int=_short_int)
        except (json.JSONDecodeError, _NotJson):
            return BodyRead(None, (invalid,))
        scan = _scan(cleaned)  # findings of the text read (offsets kept), not of the comments' words
        lenient = _at(
            text,
            first,
            codes.LENIENT_JSON,
            "body holds comments or trailing commas (not JSON); read without them",
            hint="remove the comments and trailing commas",
        )
    except _NotJson as exc:
        at = _outside_strings(text, exc.word)
        return BodyRead(None, (_at(text, at, codes.INVALID_JSON, f"{exc.word} is not a JSON value"),))
    problems = tuple(scan.problems) + ((lenient,) if lenient is not None else ())
    if any(p.code.severity is Severity.ERROR for p in problems):
        return BodyRead(None, problems)
    return BodyRead(shape_of(value), problems)


def _without_comments_and_trailing_commas(text: str) -> tuple[str, int | None]:
    """`text` with `//` and `/* */` comments and commas before `}`/`]` blanked out (outside strings; every
    other character, newlines included, keeps its offset), and the offset of the first one blanked (None:
    nothing to blank). One left-to-right pass."""
    out = list(text)
    first: int | None = None
    last_comma: int | None = None
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            i += 1
            while i < n and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            last_comma = None
            i += 1
            continue
        if ch == "/" and i + 1 < n and text[i + 1] in "/*":
            end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
            end = n if end == -1 else (end if text[i + 1] == "/" else end + 2)
            for j in range(i, end):
                if out[j] != "\n":
                    out[j] = " "
            first = i if first is None else first
            i = end
            continue
        if ch == ",":
            last_comma = i
        elif ch in "}]":
            if last_comma is not None:
                out[last_comma] = " "
                first = last_comma if first is None else min(first, last_comma)
            last_comma = None
        elif not ch.isspace():
            last_comma = None
        i += 1
    return "".join(out), first


def _short_int(digits: str) -> int:
    """`int` for the reader; longer numbers are reported by the scan (and never converted: CPython refuses
    integers of more than 4,300 digits, and converting long ones is quadratic)."""
    return int(digits) if len(digits) <= MAX_NUMBER_LENGTH else 0


@dataclass
class _Scan:
    problems: list[BodyProblem] = field(default_factory=list)
    fatal: BodyProblem | None = None
    """A limit crossed before the reader may run (nesting too deep)."""


_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_NUMBER = re.compile(r"-?[0-9][0-9.eE+\-]*+")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.S)
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _scan(text: str) -> _Scan:
    """One left-to-right pass over the tokens of a JSON text (lenient: syntax is the reader's job).

    Keeps a stack of the open containers, with the keys seen so far in each object."""
    result = _Scan()
    stack: list[set[str] | None] = []
    """Per open container: the keys of an object so far, None for an array."""
    expect_key = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            m = _STRING.match(text, i)
            if m is None:
                break  # unterminated: the reader reports it
            raw = m.group(0)
            try:
                value: str = json.loads(raw)
            except json.JSONDecodeError:
                value = raw  # a bad escape or a control character: the reader reports it
            if _SURROGATE.search(value):
                at = i + _lone_surrogate(raw)
                result.problems.append(
                    _at(
                        text,
                        at,
                        codes.LONE_SURROGATE,
                        f"{text[at : at + 6]} is a lone surrogate: it is not a character",
                        "write the character itself, or both halves of a surrogate pair (\\ud83d\\ude00)",
                    )
                )
            keys = stack[-1] if stack else None
            if expect_key and keys is not None:
                if value in keys:
                    result.problems.append(
                        _at(
                            text,
                            i,
                            codes.DUPLICATE_JSON_KEY,
                            f"duplicate key {raw}: the last value wins",
                            "remove or rename one of the two",
                        )
                    )
                keys.add(value)
                expect_key = False
            i = m.end()
        elif ch in "{[":
            if len(stack) >= MAX_JSON_DEPTH:
                result.fatal = _at(
                    text,
                    i,
                    codes.OVER_LIMIT,
                    f"JSON nested more than {MAX_JSON_DEPTH} levels deep (the limit for a body)",
                    "an example needs only the shape of each field: flatten it, or use a JSONB column",
                )
                return result
            stack.append(set() if ch == "{" else None)
            expect_key = ch == "{"
            i += 1
        elif ch in "}]":
            if stack:
                stack.pop()
            expect_key = False
            i += 1
        elif ch == ",":
            expect_key = bool(stack) and stack[-1] is not None
            i += 1
        elif ch == "-" or "0" <= ch <= "9":
            m = _NUMBER.match(text, i)
            if m is None:  # a lone "-"
                i += 1
                continue
            _check_number(text, m.group(0), i, result)
            i = m.end()
        else:
            i += 1
    return result


_RANGE_HINT = "write a number within about ±1.8e308 (and 0, or farther from 0 than 5e-324), or a string"


def _check_number(text: str, token: str, at: int, result: _Scan) -> None:
    if len(token) > MAX_NUMBER_LENGTH:
        result.problems.append(
            _at(
                text,
                at,
                codes.OVER_LIMIT,
                f"number of {len(token)} characters (the limit is {MAX_NUMBER_LENGTH})",
                "an example number needs only a few digits; write a long value as a string",
            )
        )
        return
    try:
        value = float(token)
    except ValueError:
        return  # not a number after all: the reader reports it
    mantissa = re.split("[eE]", token, maxsplit=1)[0]
    if math.isinf(value):
        result.problems.append(
            _at(
                text,
                at,
                codes.NUMBER_OUT_OF_RANGE,
                f"{token} is too large for a double (it would be null)",
                _RANGE_HINT,
            )
        )
    elif value == 0.0 and any(d in mantissa for d in "123456789"):
        result.problems.append(
            _at(
                text,
                at,
                codes.NUMBER_OUT_OF_RANGE,
                f"{token} is too small for a double (it would be 0)",
                _RANGE_HINT,
            )
        )


def _lone_surrogate(raw: str) -> int:
    """Offset in the string token `raw` of its first `\\uXXXX` escape that is not half of a pair (0 when
    the surrogate came some other way)."""
    pending: int | None = None
    """Offset of a high surrogate escape waiting for its low half."""
    previous_end = -1
    for m in _ESCAPE.finditer(raw):
        hex_digits = m.group(1)
        code = int(hex_digits, 16) if hex_digits is not None else -1
        is_low = 0xDC00 <= code <= 0xDFFF
        if pending is not None:
            if is_low and m.start() == previous_end:
                pending = None
                previous_end = m.end()
                continue
            return pending
        if 0xD800 <= code <= 0xDBFF:
            pending = m.start()
        elif is_low:
            return m.start()
        previous_end = m.end()
    return pending if pending is not None else 0


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
