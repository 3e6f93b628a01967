"""Emitting already-formatted Python: calls laid out the way `ruff format` lays them out.

A `Call` is an expression with bracketed arguments. `layout` puts it on one line when it fits in the line
length, else splits it after the opening bracket: all arguments on one indented line when they fit, else one
argument per line with a trailing comma (a sole argument is split recursively without one). Literals
(tuples, lists, dicts) and import lists that need splitting always go one element per line. This is the
subset of ruff's right-hand-side splitting that generated models need; tests run `ruff format --check` on
generated trees to hold it to that.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from specc.pycode.literals import py_str

__all__ = [
    "INDENT",
    "LINE_LENGTH",
    "Call",
    "Expr",
    "flat",
    "layout",
    "py_str",
    "splittable",
    "statement_lines",
]

LINE_LENGTH = 110
"""The default width (specc's own); a build passes its `line_length` to every function here."""
INDENT = "    "


@dataclass(frozen=True)
class Call:
    """`head` ends with the opening bracket (`mapped_column(`); `tail` is the closing one."""

    head: str
    args: tuple[Expr, ...]
    tail: str = ")"
    trailing_comma_when_flat: bool = False
    """Single-element tuples: `(x,)`."""
    collection: bool = False
    """A literal (tuple, list, dict) or an import list: split one element per line, never all on one."""


Expr = str | Call


def flat(expr: Expr) -> str:
    if isinstance(expr, str):
        return expr
    body = ", ".join(flat(a) for a in expr.args)
    if expr.trailing_comma_when_flat and len(expr.args) == 1:
        body += ","
    return expr.head + body + expr.tail


def _fits(line: str, width: int) -> bool:
    return len(line) <= width


def layout(prefix: str, expr: Expr, suffix: str, level: int, width: int = LINE_LENGTH) -> list[str]:
    """Lines (without newlines) for `prefix + expr + suffix` at indentation `level`, at most `width` long
    where ruff's rules allow."""
    pad = INDENT * level
    one = pad + prefix + flat(expr) + suffix
    if _fits(one, width) or isinstance(expr, str) or not expr.args:
        return [one]
    lines = [pad + prefix + expr.head]
    inner = INDENT * (level + 1)
    body = ", ".join(flat(a) for a in expr.args)
    if expr.trailing_comma_when_flat and len(expr.args) == 1:
        body += ","
    exploded = expr.collection and len(expr.args) > 1
    if _fits(inner + body, width) and not exploded:
        lines.append(inner + body)
    elif len(expr.args) == 1 and not expr.trailing_comma_when_flat:
        lines.extend(layout("", expr.args[0], "", level + 1, width))
    else:
        for arg in expr.args:
            lines.extend(layout("", arg, ",", level + 1, width))
    lines.append(pad + expr.tail + suffix)
    return lines


_ANNOTATED = re.compile(r"(\w+: \w+\[)(.*)(\] = )")


def statement_lines(prefix: str, expr: Expr, level: int, width: int = LINE_LENGTH) -> list[str]:
    """`prefix + expr` as a statement (`name: Mapped[...] = call(...)`). When the split call's first line does
    not fit (a very long attribute or class name), ruff's next choices: the right-hand side in parentheses,
    else the annotation's subscript split over three lines."""
    lines = layout(prefix, expr, "", level, width)
    if _fits(lines[0], width) or not isinstance(expr, Call):
        # ruff keeps this split when its first line fits, even if an argument too long to split overflows
        return lines
    pad = INDENT * level
    inner = layout("", expr, "", level + 1, width)
    if _fits(pad + prefix + "(", width) and all(_fits(line, width) for line in inner):
        return [pad + prefix + "(", *inner, pad + ")"]
    annotated = _ANNOTATED.fullmatch(prefix)
    if annotated is None:
        return lines
    head, subscript, tail = annotated.groups()
    return [pad + head, pad + INDENT + subscript, *layout(tail, expr, "", level, width)]


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


def _from_ast(node: ast.expr, source: bytes, keyword: str = "") -> Expr:
    if not isinstance(node, ast.Call) or node.end_lineno != node.lineno:
        return keyword + _segment(node, source)
    args: list[Expr] = [_from_ast(a, source) for a in node.args]
    args += [_from_ast(k.value, source, f"{k.arg}=" if k.arg else "**") for k in node.keywords]
    return Call(f"{keyword}{_segment(node.func, source)}(", tuple(args))
