"""Assembling generated model modules: import blocks (`specc.pycode.imports`), class bodies."""

from __future__ import annotations

from specc.db.conventions import NAMING_CONVENTION
from specc.emit.models.columns import ModelBody
from specc.emit.sqltypes import PG_TYPE_SOURCE, PG_TYPE_SOURCE_IMPORTS, SA
from specc.pycode.imports import PyImport, all_key, import_lines
from specc.pycode.layout import Call, Expr, Split, layout, statement_lines
from specc.pycode.literals import py_str


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
    lines = [header.rstrip("\n"), "", *import_lines(imports, width)]
    if type_checking:
        lines += ["", "if TYPE_CHECKING:", *import_lines(type_checking, width, level=1)]
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
    lines = [header.rstrip("\n"), "", *import_lines(imports, width), ""]
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
    exported = sorted(["Base", *classes.values()], key=all_key)
    lines = [header.rstrip("\n"), "", *import_lines(imports, width), ""]
    names = Call("[", tuple(py_str(n) for n in exported), "]", split=Split.ELEMENTS)
    lines += layout("__all__ = ", names, "", 0, width)
    return "\n".join(lines) + "\n"
