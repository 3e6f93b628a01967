"""The Python expression a test-data factory puts into one column: a valid value of its type, inside the
limits its CHECKs set (`specc.emit.testing.checks`), unique when asked and the type allows it.

`column_value` answers a `Value` (code, imports, a note for the docstring) or a `Missing` (why specc cannot
derive a valid value: the factory then needs the column from its caller). Every text from the document in the
code is a `py_str` literal; the only other names are the generated module's own helpers and the standard
library modules it imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from specc.db.model import DbColumn
from specc.emit.testing.checks import ColumnLimits
from specc.ir.types import SqlType
from specc.pycode.imports import PyImport
from specc.pycode.layout import Call, Expr
from specc.pycode.literals import py_str

DATETIME = PyImport("datetime")
DECIMAL = PyImport("decimal")
IPADDRESS = PyImport("ipaddress")
UUID = PyImport("uuid")

UNIQUE_SPAN = 10**9
"""Unique numbers are drawn from at most this many values."""

EMAIL_LENGTH = len("test-12345678@example.com")
"""Length of `unique_email()`'s addresses."""

_INTEGER_RANGES = {"SMALLINT": 2**15, "INTEGER": 2**31, "BIGINT": 2**63}
_FLOAT_LIMIT = Decimal(10**15)
_TEXT_BASES = frozenset({"VARCHAR", "CHAR", "TEXT"})


@dataclass(frozen=True)
class Value:
    code: Expr
    note: str
    """What the value is, for the factory's docstring."""
    imports: frozenset[PyImport] = frozenset()


@dataclass(frozen=True)
class Missing:
    reason: str


def unique_text_length(prefix: str, max_length: int | None) -> int:
    """Length of what the generated `unique_text(prefix, max_length)` returns."""
    if max_length is None:
        return len(prefix) + 9
    if max_length < 10:
        return max_length
    return min(len(prefix), max_length - 9) + 9


UNREAD_CHECK = "a CHECK on it is not one specc understands"


def column_value(col: DbColumn, attribute: str, limits: ColumnLimits, unique: bool) -> Value | Missing:
    """A value for `col` (model attribute `attribute`), unique across calls when `unique`."""
    t = col.sql
    if limits.unknown:
        return Missing(UNREAD_CHECK)
    if not t.known or t.base == "VECTOR":
        return Missing("specc has no test value for its type")
    if t.array_dims:
        return _plain(limits, unique, Value("[]", "empty list"))
    if t.base == "ENUM":
        return _enum(t, limits, unique)
    if t.base == "BOOLEAN":
        return _boolean(limits, unique)
    if t.base in _TEXT_BASES:
        return _text(col, t, attribute, limits, unique)
    if t.base in _INTEGER_RANGES or t.base in ("NUMERIC", "REAL", "DOUBLE PRECISION"):
        return _number(t, limits, unique)
    return _other(t, limits, unique)


def _plain(limits: ColumnLimits, unique: bool, value: Value) -> Value | Missing:
    """A fixed value of a type CHECKs are not read for."""
    if limits.choices is not None or limits.has_bounds() or limits.excluded or limits.min_length:
        return Missing(UNREAD_CHECK)
    if unique:
        return Missing("it must be unique and specc makes no unique values of its type")
    return value


def _unique_only(unique: bool, value: Value) -> Value | Missing:
    if unique:
        return Missing("it must be unique and its values are a short list")
    return value


def _enum(t: SqlType, limits: ColumnLimits, unique: bool) -> Value | Missing:
    if limits.has_bounds() or limits.min_length:
        return Missing(UNREAD_CHECK)
    for value in t.enum_values:
        if limits.allows(value):
            return _unique_only(unique, Value(py_str(value), "first allowed value"))
    return Missing("its CHECK allows none of its values")


def _boolean(limits: ColumnLimits, unique: bool) -> Value | Missing:
    if limits.has_bounds() or limits.min_length:
        return Missing(UNREAD_CHECK)
    for value in (False, True):
        if limits.allows(value):
            return _unique_only(unique, Value(str(value), str(value)))
    return Missing("its CHECK allows neither value")


def _text(col: DbColumn, t: SqlType, attribute: str, limits: ColumnLimits, unique: bool) -> Value | Missing:
    if limits.has_bounds() or (
        limits.choices is not None and not all(isinstance(v, str) for v in limits.choices)
    ):
        return Missing(UNREAD_CHECK)
    longest = t.length
    if limits.max_length is not None:
        longest = limits.max_length if longest is None else min(longest, limits.max_length)
    shortest = limits.min_length
    if longest is not None and shortest > longest:
        return Missing("its CHECK allows no length")
    if limits.choices is not None:
        for choice in limits.choices:
            assert isinstance(choice, str)
            fits = shortest <= len(choice) and (longest is None or len(choice) <= longest)
            if fits and choice not in limits.excluded:
                return _unique_only(unique, Value(py_str(choice), "first allowed value"))
        return Missing("its CHECK lists no value that fits")
    if (
        "email" in col.name.lower()
        and shortest <= EMAIL_LENGTH
        and (longest is None or longest >= EMAIL_LENGTH)
    ):
        return Value("unique_email()", "unique email")
    limit = "" if longest is None else f", at most {longest} chars"
    if unique:
        prefix = attribute
        if unique_text_length(prefix, longest) < shortest:
            prefix += "x" * (shortest - 9 - len(prefix))
        return Value(
            Call("unique_text(", (py_str(prefix), "None" if longest is None else str(longest))),
            f"unique text{limit}",
        )
    text = attribute[:longest] if longest is not None else attribute
    text = text.ljust(shortest, "x")
    while text in limits.excluded:
        text += "x"
    if longest is not None and len(text) > longest:
        return Missing(UNREAD_CHECK)
    return Value(py_str(text), f"text{limit}")


def _scale(t: SqlType, limits: ColumnLimits) -> int:
    """Decimal places of the values picked: the type's scale, else as many as the CHECK's numbers need."""
    if t.base in _INTEGER_RANGES:
        return 0
    if t.base == "NUMERIC" and t.precision is not None:
        return t.scale or 0
    places = [
        max(0, -int(n.as_tuple().exponent))
        for n in (limits.lower, limits.upper, *(c for c in limits.choices or () if isinstance(c, Decimal)))
        if n is not None
    ]
    return min(max([0, *places]), 6) if t.base != "NUMERIC" else max([2, *places])


def _type_range(t: SqlType, step: Decimal) -> tuple[Decimal, Decimal]:
    if t.base in _INTEGER_RANGES:
        size = _INTEGER_RANGES[t.base]
        return Decimal(-size), Decimal(size - 1)
    if t.base == "NUMERIC" and t.precision is not None:
        top = Decimal(10) ** (t.precision - (t.scale or 0)) - step
        return -top, top
    return -_FLOAT_LIMIT, _FLOAT_LIMIT


def _range(t: SqlType, limits: ColumnLimits, step: Decimal) -> tuple[Decimal, Decimal]:
    low, high = _type_range(t, step)
    if limits.lower is not None:
        first = (limits.lower / step).to_integral_value(rounding=ROUND_CEILING) * step
        if first == limits.lower and not limits.lower_inclusive:
            first += step
        low = max(low, first)
    if limits.upper is not None:
        last = (limits.upper / step).to_integral_value(rounding=ROUND_FLOOR) * step
        if last == limits.upper and not limits.upper_inclusive:
            last -= step
        high = min(high, last)
    return low, high


def _number_literal(t: SqlType, value: Decimal, scale: int) -> Value:
    if t.base in _INTEGER_RANGES:
        return Value(str(int(value)), str(int(value)))
    if t.base == "NUMERIC":
        text = f"{value:.{scale}f}"
        return Value(Call("decimal.Decimal(", (py_str(text),)), text, frozenset({DECIMAL}))
    return Value(repr(float(value)), repr(float(value)))


def _number(t: SqlType, limits: ColumnLimits, unique: bool) -> Value | Missing:
    if limits.min_length or (
        limits.choices is not None and not all(isinstance(v, Decimal) for v in limits.choices)
    ):
        return Missing(UNREAD_CHECK)
    scale = _scale(t, limits)
    step = Decimal(1).scaleb(-scale)
    low, high = _range(t, limits, step)
    if low > high:
        return Missing("its CHECK allows no value of its type")
    if limits.choices is not None:
        for choice in limits.choices:
            assert isinstance(choice, Decimal)
            if low <= choice <= high and choice == choice.quantize(step) and limits.allows(choice):
                return _unique_only(unique, _number_literal(t, choice, scale))
        return Missing("its CHECK lists no value that fits its type")
    if unique:
        return _unique_number(t, low, high, step, scale)
    # The value nearest zero, then the next few away from it (for values a CHECK excludes).
    anchor, direction = (low, step) if low > 0 else (high, -step) if high < 0 else (Decimal(0), step)
    for candidate in (anchor + direction * k for k in range(8)):
        if low <= candidate <= high and limits.allows(candidate):
            return _number_literal(t, candidate, scale)
    return Missing("its CHECK excludes the values specc tries")


def _unique_number(t: SqlType, low: Decimal, high: Decimal, step: Decimal, scale: int) -> Value:
    start = step if low <= step <= high else low
    start_units = int(start / step)
    span = min(int((high - start) / step) + 1, UNIQUE_SPAN)
    drawn = f"uuid.uuid4().int % {span}"
    units = drawn if start_units == 0 else f"{start_units} + {drawn}"
    imports = {UUID}
    if t.base in _INTEGER_RANGES:
        return Value(units, "unique integer", frozenset(imports))
    if t.base == "NUMERIC":
        imports.add(DECIMAL)
        code = Call("decimal.Decimal(", (units,), ")" if scale == 0 else f").scaleb({-scale})")
        return Value(code, "unique number", frozenset(imports))
    code = Call("float(", (units,), ")" if scale == 0 else f") / {10**scale}")
    return Value(code, "unique number", frozenset(imports))


_NOW = "datetime.datetime.now(datetime.UTC)"


def _other(t: SqlType, limits: ColumnLimits, unique: bool) -> Value | Missing:
    """Dates, times, UUIDs, JSON, bytes, network addresses, ...: CHECKs on them are not read."""
    dt = frozenset({DATETIME})
    fixed: dict[str, Value] = {
        "TIMESTAMPTZ": Value(Call("datetime.datetime.now(", ("datetime.UTC",)), "now", dt),
        "TIMESTAMP": Value(Call(f"{_NOW}.replace(", ("tzinfo=None",)), "now", dt),
        "DATE": Value(f"{_NOW}.date()", "today", dt),
        "TIME": Value(f"{_NOW}.time()", "now", dt),
        "TIMETZ": Value(f"{_NOW}.timetz()", "now", dt),
        "INTERVAL": Value(Call("datetime.timedelta(", ("0",)), "zero", dt),
        "UUID": Value("uuid.uuid4()", "new UUID", frozenset({UUID})),
        "JSON": Value("{}", "empty object"),
        "JSONB": Value("{}", "empty object"),
        "BYTEA": Value('b""', "empty bytes"),
        "INET": Value('"127.0.0.1"', "127.0.0.1"),
        "CIDR": Value('"10.0.0.0/8"', "10.0.0.0/8"),
        "MACADDR": Value('"08:00:2b:01:02:03"', "a MAC address"),
        "MONEY": Value('"0"', "0"),
        "TSVECTOR": Value('""', "empty"),
    }
    unique_values: dict[str, Value] = {
        "UUID": fixed["UUID"],
        "BYTEA": Value("uuid.uuid4().bytes", "unique bytes", frozenset({UUID})),
        "INET": Value(
            Call("str(", (Call("ipaddress.IPv4Address(", ("uuid.uuid4().int >> 96",)),)),
            "unique IPv4 address",
            frozenset({UUID, IPADDRESS}),
        ),
    }
    value = fixed.get(t.base)
    if value is None:
        return Missing("specc has no test value for its type")
    if unique and t.base in unique_values:
        return _plain(limits, False, unique_values[t.base])
    return _plain(limits, unique, value)
