"""Assembling generated model modules: import blocks sorted as ruff's isort sorts them, class bodies."""

from __future__ import annotations

import re
from collections.abc import Iterable

from specc.emit.models.columns import ModelBody
from specc.emit.models.conventions import NAMING_CONVENTION
from specc.emit.sqltypes import PG_TYPE_SOURCE, PG_TYPE_SOURCE_IMPORTS, SA, PyImport
from specc.pycode.layout import Call, Expr, Split, layout, statement_lines
from specc.pycode.literals import py_str

STDLIB = frozenset({"datetime", "decimal", "typing", "uuid", "__future__"})


def natural_key(text: str) -> tuple[tuple[int | str, ...], ...]:
    """Case-insensitive natural order (`user2` before `user10`), as ruff sorts (its `natord`): a number with
    a leading zero is compared digit by digit from the left and comes before one without (`t_004` before
    `t_2`); other numbers are compared by value."""
    parts = re.split(r"(\d+)", text.lower())
    return tuple(_number_key(p) if p.isdigit() else (1, p) for p in parts if p)


def _number_key(digits: str) -> tuple[int | str, ...]:
    return (0, 0, digits) if digits.startswith("0") and len(digits) > 1 else (0, 1, int(digits))


def member_key(name: str) -> tuple[int, tuple[tuple[int | str, ...], ...], str]:
    """ruff's order-by-type: CONSTANTS, then Classes, then everything else."""
    if len(name) > 1 and name.isupper():
        group = 0
    elif name[:1].isupper():
        group = 1
    else:
        group = 2
    return (group, natural_key(name), name)


def _section(module: str) -> int:
    if module.startswith("."):
        return 2
    return 0 if module.split(".")[0] in STDLIB else 1


def import_block(imports: Iterable[PyImport], width: int, level: int = 0) -> list[str]:
    """Import lines grouped stdlib / third party / local, `import` before `from`, names merged and sorted."""
    sections: dict[int, tuple[set[PyImport], dict[str, set[str]]]] = {}
    for imp in imports:
        plain, froms = sections.setdefault(_section(imp.module), (set(), {}))
        if imp.name and not imp.alias:
            froms.setdefault(imp.module, set()).add(imp.name)
        else:
            plain.add(imp)
    lines: list[str] = []
    for key in sorted(sections):
        plain, froms = sections[key]
        if lines:
            lines.append("")
        for imp in sorted(plain, key=lambda i: (natural_key(i.module), i.alias)):
            lines.extend(layout("", imp.line(), "", level, width))
        for module in sorted(froms, key=natural_key):
            names = sorted(froms[module], key=member_key)
            # A split import always ends its names with a comma (ruff's magic trailing comma).
            call = Call(f"from {module} import (", tuple(names), split=Split.MAGIC_COMMA)
            lines.extend(layout("", call, "", level, width))
    return [_unparenthesise(line) for line in lines]


def _unparenthesise(line: str) -> str:
    """`from x import (a, b)` on one line is written without the parentheses."""
    match = re.fullmatch(r"(\s*from \S+ import )\((.*)\)", line)
    return match.group(1) + match.group(2) if match else line


def model_module(
    header: str, class_name: str, table: str, body: ModelBody, type_checking: list[PyImport], width: int
) -> str:
    imports = set(body.imports) | {
        PyImport("sqlalchemy.orm", "Mapped"),
        PyImport("sqlalchemy.orm", "mapped_column"),
    }
    imports.add(PyImport(".base", "Base"))
    if body.relationships:
        imports.add(PyImport("sqlalchemy.orm", "relationship"))
    if type_checking:
        imports.add(PyImport("typing", "TYPE_CHECKING"))
    if body.mapper_primary_key or body.eager_defaults:
        imports |= {PyImport("sqlalchemy.orm", "declared_attr"), PyImport("typing", "Any")}
    lines = [header.rstrip("\n"), "", *import_block(imports, width)]
    if type_checking:
        lines += ["", "if TYPE_CHECKING:", *import_block(type_checking, width, level=1)]
    lines += ["", "", f"class {class_name}(Base):", f"    __tablename__ = {py_str(table)}"]
    if body.table_args:
        lines += layout(
            "__table_args__ = ",
            Call("(", tuple(body.table_args), split=Split.ELEMENTS, trailing_comma_when_flat=True),
            "",
            1,
            width,
        )
    if body.mapper_primary_key or body.eager_defaults:
        # A directive rather than a class-level dict: a mutable class attribute trips ruff's RUF012, and
        # mypy refuses a ClassVar annotation that overrides DeclarativeBase's.
        entries: list[Expr] = []
        if body.eager_defaults:
            entries.append('"eager_defaults": True')
        if body.mapper_primary_key:
            keys = tuple(py_str(k) for k in body.mapper_primary_key)
            entries.append(
                Call('"primary_key": (', keys, ")", split=Split.ELEMENTS, trailing_comma_when_flat=True)
            )
        lines += ["", "    @declared_attr.directive", "    def __mapper_args__(cls) -> dict[str, Any]:"]
        lines += layout("return ", Call("{", tuple(entries), "}", split=Split.ELEMENTS), "", 2, width)
    for group in (body.columns, body.relationships):
        if group:
            lines.append("")
        for statement in group:
            lines += [f"    {comment}" for comment in statement.comments]
            lines += statement_lines(statement.prefix, statement.expr, 1, width)
    return "\n".join(lines) + "\n"


def base_module(header: str, needs_pg_type: bool, width: int) -> str:
    imports: set[PyImport] = {
        SA,
        PyImport("sqlalchemy.ext.asyncio", "AsyncAttrs"),
        PyImport("sqlalchemy.orm", "DeclarativeBase"),
    }
    if needs_pg_type:
        imports.update(PG_TYPE_SOURCE_IMPORTS)
    entries = tuple(f"{py_str(k)}: {py_str(v)}" for k, v in sorted(NAMING_CONVENTION.items()))
    lines = [header.rstrip("\n"), "", *import_block(imports, width), ""]
    convention = Call("{", entries, "}", split=Split.ELEMENTS)
    lines += layout("NAMING_CONVENTION: dict[str, str] = ", convention, "", 0, width)
    lines += [
        "",
        "",
        "class Base(AsyncAttrs, DeclarativeBase):",
        "    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)",
    ]
    if needs_pg_type:
        lines += ["", "", *PG_TYPE_SOURCE.rstrip("\n").split("\n")]
    return "\n".join(lines) + "\n"


def init_module(header: str, classes: dict[str, str], width: int) -> str:
    """`classes`: module → class name."""
    imports = {PyImport(".base", "Base")} | {PyImport(f".{m}", c) for m, c in classes.items()}
    exported = sorted(["Base", *classes.values()], key=member_key)
    lines = [header.rstrip("\n"), "", *import_block(imports, width), ""]
    names = Call("[", tuple(py_str(n) for n in exported), "]", split=Split.ELEMENTS)
    lines += layout("__all__ = ", names, "", 0, width)
    return "\n".join(lines) + "\n"
