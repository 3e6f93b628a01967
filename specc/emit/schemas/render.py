"""Schema plan → Python source, formatted the way `ruff format` writes it (checked by the tests)."""

from __future__ import annotations

import re
from dataclasses import replace

from specc.emit.base import python_header
from specc.emit.naming import pascal
from specc.emit.schemas.plan import FieldSpec, ModelSpec, ModuleSpec, module_dotted
from specc.emit.shapes import DECIMAL_NUMBER, FieldArg, py_str
from specc.pycode.imports import PyImport, all_key, import_lines
from specc.pycode.layout import INDENT, LINE_LENGTH, Call, Split, layout_text, too_long
from specc.pycode.literals import docstring_text


def _split(head: str, items: list[str], tail: str, level: int, width: int) -> str:
    """`head` + `items` + `tail` on one line when it fits, else one item per line, each with a comma."""
    return layout_text("", Call(head, tuple(items), tail, split=Split.MAGIC_COMMA), level, width)


def decimal_number_default(spec: FieldSpec) -> bool:
    """A `DecimalNumber` field with a `Decimal` default (written as a default factory, not documented)."""
    return spec.type.annotation == DECIMAL_NUMBER and spec.default.startswith("decimal.Decimal(")


def field_aliases(spec: FieldSpec) -> list[FieldArg]:
    """`alias=` for a key that is not a usable attribute; for a response field whose model attribute differs
    from the column name (`metadata_`), `validation_alias=AliasChoices(attribute, key)` (read from ORM objects
    and from dicts) and `serialization_alias=key` when the attribute is not the key."""
    if spec.read_from is not None and spec.read_from != spec.key:
        choices = f"AliasChoices({py_str(spec.read_from)}, {py_str(spec.key)})"
        args = [FieldArg("validation_alias", choices)]
        if spec.attr != spec.key:
            args.append(FieldArg("serialization_alias", py_str(spec.key)))
        return args
    if spec.attr != spec.key:
        return [FieldArg("alias", py_str(spec.key))]
    return []


def _field_line(spec: FieldSpec, width: int = LINE_LENGTH) -> str:
    annotation = spec.type.annotation + (" | None" if spec.nullable and spec.type.annotation != "Any" else "")
    args: list[FieldArg] = []
    if not spec.required and decimal_number_default(spec):
        # a factory: pydantic would document a `Decimal` default as a string, invalid for `type: number`
        args.append(FieldArg("default_factory", f"lambda: {spec.default}"))
    elif not spec.required:
        args.append(FieldArg("default", spec.default))
    args.extend(field_aliases(spec))
    args.extend(spec.type.args)
    if not args:
        return f"{INDENT}{spec.attr}: {annotation}"
    if len(args) == 1 and args[0].name == "default":
        return f"{INDENT}{spec.attr}: {annotation} = {args[0].value}"
    items = [f"{a.name}={a.value}" for a in args]
    return _split(f"{spec.attr}: {annotation} = Field(", items, ")", 1, width)


def model_imports(model: ModelSpec) -> set[PyImport]:
    result: set[PyImport] = set()
    if model.root is not None:
        result.add(PyImport("pydantic", "RootModel"))
        result.update(model.root.imports)
        return result
    result.add(PyImport("pydantic", "BaseModel"))
    if model.from_attributes or model.forbid_extra:
        result.add(PyImport("pydantic", "ConfigDict"))
    if any(spec.not_null for spec in model.fields):
        result.add(PyImport("pydantic", "field_validator"))
    for spec in model.fields:
        result.update(spec.type.imports)
        aliases = field_aliases(spec)
        if aliases or spec.type.args or (not spec.required and decimal_number_default(spec)):
            result.add(PyImport("pydantic", "Field"))
        if any(a.name == "validation_alias" for a in aliases):
            result.add(PyImport("pydantic", "AliasChoices"))
    return result


def render_model(model: ModelSpec, width: int = LINE_LENGTH) -> str:
    base = "BaseModel" if model.root is None else f"RootModel[{model.root.annotation}]"
    doc = f'{INDENT}"""{docstring_text(model.doc)}"""'
    if too_long(doc, width):
        doc += "  # noqa: E501"  # a long table name or path: the docstring is one line (OpenAPI repeats it)
    lines = [f"class {model.name}({base}):", doc]
    if model.from_attributes:
        lines += ["", f"{INDENT}model_config = ConfigDict(from_attributes=True)"]
    elif model.forbid_extra:
        lines += ["", f'{INDENT}model_config = ConfigDict(extra="forbid")']
    if model.fields:
        lines.append("")
        lines += [_field_line(spec, width) for spec in model.fields]
    not_null = [spec.attr for spec in model.fields if spec.not_null]
    if not_null:
        lines += ["", *_not_null_validator(not_null, width)]
    return "\n".join(lines) + "\n"


def _not_null_validator(attrs: list[str], width: int) -> list[str]:
    """A partial update may omit these fields but not send them as null (their columns are NOT NULL)."""
    head = _split("@field_validator(", [py_str(a) for a in attrs], ")", 1, width)
    return [
        head,
        f"{INDENT}@classmethod",
        f"{INDENT}def reject_null(cls, value: object) -> object:",
        f"{INDENT * 2}if value is None:",
        f'{INDENT * 3}raise ValueError("may be omitted, but not null")',
        f"{INDENT * 2}return value",
    ]


def _literal_part(annotation: str) -> str | None:
    """The `Literal[...]` inside `Literal[...]` / `list[list[Literal[...]]]`, if any."""
    start = annotation.find("Literal[")
    if start < 0:
        return None
    return annotation[start : len(annotation) - annotation.count("list[", 0, start)]


def _hoist_literals(
    models: tuple[ModelSpec, ...], width: int = LINE_LENGTH
) -> tuple[list[ModelSpec], list[str]]:
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
            if literal is not None and spec.type.literal and len(_field_line(spec, width)) > width:
                if literal not in aliases:
                    base = f"_{pascal(spec.key)}Values"
                    name, n = base, 2
                    while name in taken:
                        name, n = f"{base}{n}", n + 1
                    taken.add(name)
                    aliases[literal] = name
                    values = [py_str(value) for value in spec.type.literal]
                    statements.append(_split(f"{name} = Literal[", values, "]", 0, width))
                annotation = spec.type.annotation.replace(literal, aliases[literal], 1)
                spec = replace(spec, type=replace(spec.type, annotation=annotation))
            fields.append(spec)
        result.append(replace(model, fields=tuple(fields)))
    return result, statements


DECIMAL_NUMBER_ALIAS = Call(
    f"{DECIMAL_NUMBER} = Annotated[",
    (
        "decimal.Decimal",
        'PlainSerializer(float, return_type=float, when_used="json")',
        'WithJsonSchema({"type": "number"})',
    ),
    "]",
    split=Split.MAGIC_COMMA,
)
"""`NUMERIC(p,s)` with p ≤ 15 is a JSON number both ways: read into a `Decimal` (max_digits/decimal_places
checked), written as a number (a float holds 15 significant digits exactly), documented as `type: number`."""
_DECIMAL_IMPORTS = frozenset(
    {
        PyImport("decimal"),
        PyImport("typing", "Annotated"),
        PyImport("pydantic", "PlainSerializer"),
        PyImport("pydantic", "WithJsonSchema"),
    }
)


def _uses_decimal_number(models: tuple[ModelSpec, ...]) -> bool:
    pattern = re.compile(rf"\b{DECIMAL_NUMBER}\b")
    for model in models:
        annotations = [spec.type.annotation for spec in model.fields]
        if model.root is not None:
            annotations.append(model.root.annotation)
        if any(pattern.search(a) for a in annotations):
            return True
    return False


def render_module(module: ModuleSpec, source: str, line_length: int = LINE_LENGTH) -> str:
    imports: set[PyImport] = set()
    for model in module.models:
        imports |= model_imports(model)
    decimal_number = _uses_decimal_number(module.models)
    if decimal_number:
        imports |= _DECIMAL_IMPORTS
    models, aliases = _hoist_literals(module.models, line_length)
    if decimal_number:
        aliases.insert(0, layout_text("", DECIMAL_NUMBER_ALIAS, 0, line_length))
    head = python_header(source, line_length) + "\n" + "\n".join(import_lines(imports, line_length)) + "\n"
    if aliases:
        head += "\n" + "\n".join(aliases) + "\n"
    return head + "\n\n" + "\n\n".join(render_model(model, line_length) for model in models)


def render_package_init(modules: list[ModuleSpec], source: str, line_length: int = LINE_LENGTH) -> str:
    """`schemas/__init__.py`: re-exports every schema."""
    imports = {
        PyImport(f".{module_dotted(module.path)}", name) for module in modules for name in module.exports
    }
    quoted = [py_str(name) for name in sorted({i.name for i in imports}, key=all_key)]
    lines = import_lines(imports, line_length)
    all_list = _split("__all__ = [", quoted, "]", 0, line_length)
    return python_header(source, line_length) + "\n" + "\n".join(lines) + "\n\n" + all_list + "\n"


def render_subpackage_init(source: str, line_length: int = LINE_LENGTH) -> str:
    return python_header(source, line_length)
