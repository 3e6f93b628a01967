"""Schema plan → Python source, formatted the way `ruff format` writes it (checked by the tests)."""

from __future__ import annotations

import sys
from dataclasses import replace

from specc.emit.base import python_header
from specc.emit.naming import pascal
from specc.emit.pysource import docstring_text
from specc.emit.schemas.plan import FieldSpec, ModelSpec, ModuleSpec, module_dotted
from specc.emit.shapes import FieldArg, py_str
from specc.emit.sqltypes import PyImport

LINE_LENGTH = 110
INDENT = "    "
_STDLIB = sys.stdlib_module_names


def layout(head: str, items: list[str], tail: str, indent: str = "") -> str:
    """`head` + comma-separated `items` + `tail` on one line when it fits, else one item per line."""
    one_line = f"{indent}{head}{', '.join(items)}{tail}"
    if len(one_line) <= LINE_LENGTH or not items:
        return one_line
    inner = "".join(f"{indent}{INDENT}{item},\n" for item in items)
    return f"{indent}{head}\n{inner}{indent}{tail}"


def _name_key(name: str) -> tuple[int, str]:
    """isort `order-by-type`: CONSTANTS, then Classes, then functions/variables."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def render_imports(imports: set[PyImport]) -> str:
    """Import block: standard library, then third party, each `import x` before `from x import y`."""
    blocks: list[str] = []
    for section in (True, False):
        chosen = [i for i in imports if (i.module.split(".")[0] in _STDLIB) == section]
        lines = sorted({f"import {i.module}" for i in chosen if not i.name})
        by_module: dict[str, set[str]] = {}
        for item in chosen:
            if item.name:
                by_module.setdefault(item.module, set()).add(item.name)
        for module in sorted(by_module):
            lines.append(layout(f"from {module} import (", sorted(by_module[module], key=_name_key), ")"))
        if lines:
            blocks.append("\n".join(_unparen(line) for line in lines))
    return "\n\n".join(blocks)


def _unparen(line: str) -> str:
    """`from x import (a, b)` on one line is written without parentheses."""
    if "\n" in line or not line.endswith(")"):
        return line
    return line.replace(" import (", " import ", 1)[:-1]


def _field_line(spec: FieldSpec) -> str:
    annotation = spec.type.annotation + (" | None" if spec.nullable and spec.type.annotation != "Any" else "")
    args: list[FieldArg] = []
    if not spec.required:
        args.append(FieldArg("default", spec.default))
    if spec.attr != spec.key:
        args.append(FieldArg("alias", py_str(spec.key)))
    args.extend(spec.type.args)
    if not args:
        return f"{INDENT}{spec.attr}: {annotation}"
    if len(args) == 1 and args[0].name == "default":
        return f"{INDENT}{spec.attr}: {annotation} = {args[0].value}"
    return layout(f"{spec.attr}: {annotation} = Field(", [f"{a.name}={a.value}" for a in args], ")", INDENT)


def model_imports(model: ModelSpec) -> set[PyImport]:
    result: set[PyImport] = set()
    if model.root is not None:
        result.add(PyImport("pydantic", "RootModel"))
        result.update(model.root.imports)
        return result
    result.add(PyImport("pydantic", "BaseModel"))
    if model.from_attributes:
        result.add(PyImport("pydantic", "ConfigDict"))
    for spec in model.fields:
        result.update(spec.type.imports)
        if (
            (not spec.required and (spec.attr != spec.key or spec.type.args))
            or spec.attr != spec.key
            or spec.type.args
        ):
            result.add(PyImport("pydantic", "Field"))
    return result


def render_model(model: ModelSpec) -> str:
    base = "BaseModel" if model.root is None else f"RootModel[{model.root.annotation}]"
    doc = f'{INDENT}"""{docstring_text(model.doc)}"""'
    if len(doc) > LINE_LENGTH:
        doc += "  # noqa: E501"  # a long table name or path: the docstring is one line (OpenAPI repeats it)
    lines = [f"class {model.name}({base}):", doc]
    if model.from_attributes:
        lines += ["", f"{INDENT}model_config = ConfigDict(from_attributes=True)"]
    if model.fields:
        lines.append("")
        lines += [_field_line(spec) for spec in model.fields]
    return "\n".join(lines) + "\n"


def _literal_part(annotation: str) -> str | None:
    """The `Literal[...]` inside `Literal[...]` / `list[list[Literal[...]]]`, if any."""
    start = annotation.find("Literal[")
    if start < 0:
        return None
    return annotation[start : len(annotation) - annotation.count("list[", 0, start)]


def _hoist_literals(models: tuple[ModelSpec, ...]) -> tuple[list[ModelSpec], list[str]]:
    """Long `Literal[...]` annotations become private module-level aliases (`_StatusValues = Literal[...]`)
    so every field line fits; returns the rewritten models and the alias statements."""
    aliases: dict[str, str] = {}
    taken: set[str] = set()
    statements: list[str] = []
    result: list[ModelSpec] = []
    for model in models:
        fields: list[FieldSpec] = []
        for spec in model.fields:
            literal = _literal_part(spec.type.annotation)
            if literal is not None and len(_field_line(spec)) > LINE_LENGTH:
                if literal not in aliases:
                    base = f"_{pascal(spec.key)}Values"
                    name, n = base, 2
                    while name in taken:
                        name, n = f"{base}{n}", n + 1
                    taken.add(name)
                    aliases[literal] = name
                    values = literal[len("Literal[") : -1].split(", ")
                    statements.append(layout(f"{name} = Literal[", values, "]"))
                annotation = spec.type.annotation.replace(literal, aliases[literal], 1)
                spec = replace(spec, type=replace(spec.type, annotation=annotation))
            fields.append(spec)
        result.append(replace(model, fields=tuple(fields)))
    return result, statements


def render_module(module: ModuleSpec, source: str) -> str:
    imports: set[PyImport] = set()
    for model in module.models:
        imports |= model_imports(model)
    models, aliases = _hoist_literals(module.models)
    head = python_header(source) + "\n" + render_imports(imports) + "\n"
    if aliases:
        head += "\n" + "\n".join(aliases) + "\n"
    return head + "\n\n" + "\n\n".join(render_model(model) for model in models)


def render_package_init(modules: list[ModuleSpec], source: str) -> str:
    """`schemas/__init__.py`: re-exports every schema."""
    lines: list[str] = []
    exported: list[str] = []
    for module in sorted(modules, key=lambda m: module_dotted(m.path)):
        names = sorted(module.exports, key=_name_key)
        if not names:
            continue
        exported += names
        lines.append(_unparen(layout(f"from .{module_dotted(module.path)} import (", names, ")")))
    all_list = layout("__all__ = [", [py_str(n) for n in sorted(exported, key=_name_key)], "]")
    return python_header(source) + "\n" + "\n".join(lines) + "\n\n" + all_list + "\n"


def render_subpackage_init(source: str) -> str:
    return python_header(source)
