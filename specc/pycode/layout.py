"""Expressions of generated Python laid out on lines the way `ruff format` lays them out.

A `Call` is an expression with bracketed arguments (a call, a literal, an import list); a `str` is code
that is never split. `layout` writes `prefix + expr + suffix` on one line when it fits in the line length,
else splits the outermost brackets as the `Call`'s `split` says:

- `Split.ARGUMENTS` (a call, ruff's default): all arguments on one indented line when they fit, else one
  argument per line with a trailing comma; a sole argument is split itself, without a comma;
- `Split.ELEMENTS` (a tuple, list or dict literal): several elements always one per line with a trailing
  comma (ruff's rule for literals); a sole element as `ARGUMENTS`;
- `Split.MAGIC_COMMA`: one element per line, each followed by a comma, even a sole one. This is what ruff
  keeps when the source has a magic trailing comma: import lists and specc's migration code are written so.

This is the subset of ruff's right-hand-side splitting that generated code needs; tests run
`ruff format --check` on generated trees to hold it to that.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import re
import unicodedata
from dataclasses import dataclass

from specc.pycode.literals import py_str

__all__ = [
    "INDENT",
    "LINE_LENGTH",
    "Call",
    "Expr",
    "Split",
    "call",
    "flat",
    "keyword",
    "layout",
    "layout_text",
    "splittable",
    "statement_lines",
    "strings",
    "text_width",
    "too_long",
]

LINE_LENGTH = 110
"""The default width (specc's own); a build passes its `line_length` to every function here."""
INDENT = "    "


def text_width(text: str) -> int:
    """The width of `text` on screen, as ruff measures a line: East Asian wide and full-width characters
    count two columns, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def too_long(line: str, limit: int) -> bool:
    """Whether ruff's E501 reports `line`: wider than `limit`, unless it is one word (nothing to break)
    or ends with a URL that starts within the limit."""
    if line.isascii() and len(line) <= limit:
        return False
    chunks = line.split()
    if len(chunks) < 2:
        return False
    if "://" in chunks[-1] and text_width(line) - text_width(chunks[-1]) <= limit:
        return False
    return text_width(line) > limit


class Split(enum.Enum):
    """How a `Call` that does not fit on its line is split (see the module docstring)."""

    ARGUMENTS = "arguments"
    ELEMENTS = "elements"
    MAGIC_COMMA = "magic_comma"


@dataclass(frozen=True, slots=True)
class Call:
    """`head` ends with the opening bracket (`mapped_column(`, `[`); `tail` is the closing one."""

    head: str
    args: tuple[Expr, ...]
    tail: str = ")"
    split: Split = Split.ARGUMENTS
    trailing_comma_when_flat: bool = False
    """Single-element tuples: `(x,)`."""


Expr = str | Call


def flat(expr: Expr) -> str:
    """`expr` on one line."""
    if isinstance(expr, str):
        return expr
    body = ", ".join(flat(a) for a in expr.args)
    if expr.trailing_comma_when_flat and len(expr.args) == 1:
        body += ","
    return expr.head + body + expr.tail


def layout(prefix: str, expr: Expr, suffix: str, level: int, width: int = LINE_LENGTH) -> list[str]:
    """Lines (without newlines) for `prefix + expr + suffix` at indentation `level`, at most `width` long
    where ruff's rules allow."""
    pad = INDENT * level
    one = pad + prefix + flat(expr) + suffix
    if text_width(one) <= width or isinstance(expr, str) or not expr.args:
        return [one]
    lines = [pad + prefix + expr.head]
    args = expr.args
    one_per_line = expr.split is Split.MAGIC_COMMA or (expr.split is Split.ELEMENTS and len(args) > 1)
    if not one_per_line:
        inner = INDENT * (level + 1)
        body = ", ".join(flat(a) for a in args)
        if expr.trailing_comma_when_flat and len(args) == 1:
            body += ","
        if text_width(inner + body) <= width:
            lines.append(inner + body)
        elif len(args) == 1 and not expr.trailing_comma_when_flat:
            lines.extend(layout("", args[0], "", level + 1, width))
        else:
            one_per_line = True
    if one_per_line:
        for arg in args:
            lines.extend(layout("", arg, ",", level + 1, width))
    lines.append(pad + expr.tail + suffix)
    return lines


def layout_text(prefix: str, expr: Expr, level: int = 0, width: int = LINE_LENGTH) -> str:
    """`layout` of the statement `prefix + expr` as text (lines joined, no trailing newline)."""
    return "\n".join(layout(prefix, expr, "", level, width))


_ANNOTATED = re.compile(r"(\w+: \w+\[)(.*)(\] = )")


def statement_lines(prefix: str, expr: Expr, level: int, width: int = LINE_LENGTH) -> list[str]:
    """`prefix + expr` as a statement (`name: Mapped[...] = call(...)`). When the split call's first line does
    not fit (a very long attribute or class name), ruff's next choices: the right-hand side in parentheses,
    else the annotation's subscript split over three lines."""
    lines = layout(prefix, expr, "", level, width)
    if text_width(lines[0]) <= width or not isinstance(expr, Call):
        # ruff keeps this split when its first line fits, even if an argument too long to split overflows
        return lines
    pad = INDENT * level
    inner = layout("", expr, "", level + 1, width)
    if text_width(pad + prefix + "(") <= width and all(text_width(line) <= width for line in inner):
        return [pad + prefix + "(", *inner, pad + ")"]
    annotated = _ANNOTATED.fullmatch(prefix)
    if annotated is None:
        return lines
    head, subscript, tail = annotated.groups()
    return [pad + head, pad + INDENT + subscript, *layout(tail, expr, "", level, width)]


def keyword(name: str, value: Expr) -> Expr:
    """The keyword argument `name=value`."""
    if isinstance(value, str):
        return f"{name}={value}"
    return dataclasses.replace(value, head=f"{name}={value.head}")


def call(func: str, *args: Expr | None, **kwargs: Expr | None) -> Call:
    """`func(...)` split with a magic trailing comma (specc's migration code); None arguments are left out
    (so optional keywords read naturally)."""
    positional = tuple(a for a in args if a is not None)
    keywords = tuple(keyword(k, v) for k, v in kwargs.items() if v is not None)
    return Call(f"{func}(", positional + keywords, split=Split.MAGIC_COMMA)


def strings(values: tuple[str, ...]) -> Call:
    """A list literal of string literals, split with a magic trailing comma."""
    return Call("[", tuple(py_str(v) for v in values), "]", split=Split.MAGIC_COMMA)


_NEVER_SPLIT = 60
"""An argument of at most this many characters fits on its line at 79 (two indents and a comma: 69)."""


def splittable(code: str) -> Expr:
    """Code of a call written by specc (a column type such as `sa.Enum("a", "b", name="t")`) as an `Expr`
    that `layout` can split at its arguments, nested calls included. Text that is not one call is kept, and
    so is short code, which fits on an argument line at every line length specc accepts (parsing it would
    only cost time)."""
    if len(code) <= _NEVER_SPLIT:
        return code
    try:
        tree = ast.parse(code, mode="eval").body
    except SyntaxError:
        return code
    source = code.encode("utf-8")  # ast offsets count UTF-8 bytes
    return _from_ast(tree, source) if isinstance(tree, ast.Call) else code


def _segment(node: ast.expr, source: bytes) -> str:
    return source[node.col_offset : node.end_col_offset].decode("utf-8")


def _from_ast(node: ast.expr, source: bytes, prefix: str = "") -> Expr:
    if not isinstance(node, ast.Call) or node.end_lineno != node.lineno:
        return prefix + _segment(node, source)
    args: list[Expr] = [_from_ast(a, source) for a in node.args]
    args += [_from_ast(k.value, source, f"{k.arg}=" if k.arg else "**") for k in node.keywords]
    return Call(f"{prefix}{_segment(node.func, source)}(", tuple(args))
