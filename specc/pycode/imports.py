"""Import statements of generated Python, sorted and laid out the way ruff's isort writes them.

`import_lines` writes an import block with ruff's default settings: sections `__future__`, standard library,
third party, local (relative imports), a blank line between them; in each section every `import x` before
every `from x import y`; modules in natural, case-insensitive order (`t2` before `t10`), relative ones from
the furthest (`..`) to the closest (`.`); the names of one module merged into one statement (an aliased
name is a statement of its own) and ordered by type (`member_key`); a statement longer than the line length
split one name per line with a trailing comma. `all_key` orders `__all__` as ruff's RUF022 wants it.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from specc.pycode.layout import INDENT, LINE_LENGTH, Call, Split, layout, text_width

__all__ = ["PyImport", "all_key", "import_lines", "member_key", "natural_key"]


@dataclass(frozen=True, order=True)
class PyImport:
    """One import statement: `from module import name [as alias]`, or `import module [as alias]` when
    `name` is empty."""

    module: str
    name: str = ""
    alias: str = ""

    @property
    def bound_name(self) -> str:
        """The name this import binds in the importing module."""
        if self.alias:
            return self.alias
        return self.name or self.module.split(".")[0]

    def line(self) -> str:
        suffix = f" as {self.alias}" if self.alias else ""
        if self.name:
            return f"from {self.module} import {self.name}{suffix}"
        return f"import {self.module}{suffix}"


NaturalKey = tuple[tuple[int | str, ...], ...]

_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str, ignore_case: bool = True) -> NaturalKey:
    """Natural order (`user2` before `user10`), as ruff sorts (its `natord`): a number with a leading zero is
    compared digit by digit from the left and comes before one without (`t_004` before `t_2`); other numbers
    are compared by value. Case-insensitive unless `ignore_case` is False."""
    parts = _DIGITS.split(text.lower() if ignore_case else text)
    return tuple(_number_key(p) if p.isdigit() else (1, p) for p in parts if p)


def _number_key(digits: str) -> tuple[int | str, ...]:
    return (0, 0, digits) if digits.startswith("0") and len(digits) > 1 else (0, 1, int(digits))


def _type_rank(name: str) -> int:
    """isort's order by type: CONSTANTS (0), then Classes (1), then everything else (2)."""
    if len(name) > 1 and name.isupper():
        return 0
    return 1 if name[:1].isupper() else 2


def member_key(name: str) -> tuple[int, NaturalKey, str]:
    """ruff isort's order of imported names (order-by-type, then natural and case-insensitive)."""
    return (_type_rank(name), natural_key(name), name)


def all_key(name: str) -> tuple[int, NaturalKey, str]:
    """ruff's order of the names in `__all__` (RUF022: by type, then natural and case-sensitive)."""
    return (_type_rank(name), natural_key(name, ignore_case=False), name)


_FUTURE, _STDLIB, _THIRD_PARTY, _LOCAL = range(4)


def _section(module: str) -> int:
    if module.startswith("."):
        return _LOCAL
    top = module.split(".")[0]
    if top == "__future__":
        return _FUTURE
    return _STDLIB if top in sys.stdlib_module_names else _THIRD_PARTY


def _module_key(module: str) -> tuple[int, NaturalKey, str]:
    """Relative modules from the furthest to the closest, then natural order."""
    dots = len(module) - len(module.lstrip("."))
    return (-dots, natural_key(module), module)


@dataclass(frozen=True)
class _FromStatement:
    """`from module import names`: the module's names without an alias, or one aliased name."""

    module: str
    names: tuple[str, ...]
    """Sorted by `member_key`."""
    alias: str = ""

    def sort_key(self) -> tuple[tuple[int, NaturalKey, str], tuple[int, NaturalKey, str], str]:
        return (_module_key(self.module), member_key(self.names[0]), self.alias)

    def items(self) -> tuple[str, ...]:
        return (f"{self.names[0]} as {self.alias}",) if self.alias else self.names


def _from_statements(imports: list[PyImport]) -> list[_FromStatement]:
    plain: dict[str, set[str]] = {}
    statements: list[_FromStatement] = []
    for imp in imports:
        if imp.alias:
            statements.append(_FromStatement(imp.module, (imp.name,), imp.alias))
        else:
            plain.setdefault(imp.module, set()).add(imp.name)
    statements += [
        _FromStatement(module, tuple(sorted(names, key=member_key))) for module, names in plain.items()
    ]
    return sorted(statements, key=_FromStatement.sort_key)


def import_lines(imports: Iterable[PyImport], width: int = LINE_LENGTH, level: int = 0) -> list[str]:
    """The import block of `imports` (see the module docstring) at indentation `level`; sections are
    separated by an empty line."""
    sections: dict[int, list[PyImport]] = {}
    for imp in set(imports):
        sections.setdefault(_section(imp.module), []).append(imp)
    pad = INDENT * level
    lines: list[str] = []
    for section in sorted(sections):
        if lines:
            lines.append("")
        members = sections[section]
        plain = sorted((i for i in members if not i.name), key=lambda i: (_module_key(i.module), i.alias))
        lines += [pad + imp.line() for imp in plain]
        for statement in _from_statements([i for i in members if i.name]):
            items = statement.items()
            one = f"{pad}from {statement.module} import {', '.join(items)}"
            if text_width(one) <= width:
                lines.append(one)
            else:
                names = Call(f"from {statement.module} import (", items, split=Split.MAGIC_COMMA)
                lines += layout("", names, "", level, width)
    return lines
