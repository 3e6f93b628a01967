"""A tiny expression tree for generated Python, laid out the way `ruff format` lays it out.

Rule (with magic trailing commas, ruff keeps it): a call that fits in the line limit is written on one
line; otherwise each argument goes on its own line, indented four spaces, with a trailing comma, and the
same rule applies recursively to each argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.pycode.literals import py_str

LINE_LENGTH = 110
"""The default width (specc's own); a build passes its `line_length` (`Context.width`, `statement`)."""


@dataclass(frozen=True)
class Raw:
    """Code that is never split (a name, a literal, a type expression)."""

    text: str

    def flat(self) -> str:
        return self.text

    def lines(self, indent: int, lead: int, trailing: int, width: int = LINE_LENGTH) -> list[str]:
        return [self.text]


def string(value: str) -> Raw:
    return Raw(py_str(value))


@dataclass(frozen=True)
class Arg:
    value: Raw | Call | ListOf
    keyword: str | None = None

    def flat(self) -> str:
        prefix = f"{self.keyword}=" if self.keyword else ""
        return prefix + self.value.flat()

    def lines(self, indent: int, trailing: int, width: int) -> list[str]:
        prefix = f"{self.keyword}=" if self.keyword else ""
        inner = self.value.lines(indent, len(prefix), trailing, width)
        return [prefix + inner[0], *inner[1:]]


def _exploded(opener: str, closer: str, args: tuple[Arg, ...], indent: int, width: int) -> list[str]:
    """First line unindented (it follows whatever precedes it); the others carry absolute indentation."""
    pad = " " * (indent + 4)
    out = [opener]
    for arg in args:
        arg_lines = arg.lines(indent + 4, 1, width)
        out.append(pad + arg_lines[0])
        out.extend(arg_lines[1:])
        out[-1] += ","
    out.append(" " * indent + closer)
    return out


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Arg, ...] = ()

    def flat(self) -> str:
        return f"{self.func}(" + ", ".join(a.flat() for a in self.args) + ")"

    def lines(self, indent: int, lead: int, trailing: int, width: int = LINE_LENGTH) -> list[str]:
        text = self.flat()
        if indent + lead + len(text) + trailing <= width or not self.args:
            return [text]
        return _exploded(f"{self.func}(", ")", self.args, indent, width)


@dataclass(frozen=True)
class ListOf:
    items: tuple[Raw | Call | ListOf, ...]

    def flat(self) -> str:
        return "[" + ", ".join(i.flat() for i in self.items) + "]"

    def lines(self, indent: int, lead: int, trailing: int, width: int = LINE_LENGTH) -> list[str]:
        text = self.flat()
        if indent + lead + len(text) + trailing <= width or not self.items:
            return [text]
        return _exploded("[", "]", tuple(Arg(i) for i in self.items), indent, width)


Expr = Raw | Call | ListOf


def call(func: str, *args: Expr | None, **kwargs: Expr | None) -> Call:
    """Build a call; None arguments are left out (so optional keywords read naturally)."""
    positional = tuple(Arg(a) for a in args if a is not None)
    keywords = tuple(Arg(v, k) for k, v in kwargs.items() if v is not None)
    return Call(func, positional + keywords)


def strings(values: tuple[str, ...]) -> ListOf:
    return ListOf(tuple(string(v) for v in values))


def statement(expr: Expr, indent: int = 4, width: int = LINE_LENGTH) -> str:
    """`expr` as a statement at `indent`, possibly spanning several lines (no trailing newline)."""
    lines = expr.lines(indent, 0, 0, width)
    return " " * indent + "\n".join(lines)
