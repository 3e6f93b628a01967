"""The Pydantic v2 schemas writer: IR → `schemas/` package.

Layout: `schemas/common.py` (`ErrorResponse`), `schemas/tables/<table>.py` (`<Model>Create`, `<Model>Update`,
`<Model>Response`), `schemas/api/<tag>.py` (request/response models of the contracts whose path starts with
that tag), `schemas/external/<name>.py` (bodies compiled from external JSON Schema files), and
`schemas/__init__.py` re-exporting every schema. Naming rules: `specc.emit.schemas.names`; what goes into
each model: `specc.emit.schemas.plan`.
"""

from __future__ import annotations

from pathlib import Path

from specc.diagnostics import Reporter
from specc.emit.base import GeneratedFiles
from specc.emit.schemas.external import compile_external, file_loader
from specc.emit.schemas.plan import SchemaPlan, plan_schemas
from specc.emit.schemas.render import render_module, render_package_init, render_subpackage_init
from specc.ir.model import Spec
from specc.pycode.layout import LINE_LENGTH

PACKAGE = "schemas"


def plan(
    spec: Spec, source: str, root: Path | None, reporter: Reporter, api_prefix: str = "/api"
) -> SchemaPlan:
    loader = file_loader(root, reporter, source) if root is not None else None
    return plan_schemas(spec, api_prefix, loader)


def render_plan(schema_plan: SchemaPlan, source: str, line_length: int = LINE_LENGTH) -> GeneratedFiles:
    """The `schemas/` files of a plan, formatted for `line_length` (the receiving project's ruff/black)."""
    files: GeneratedFiles = {}
    subpackages: set[str] = set()
    for module in schema_plan.modules:
        if module.external is not None:
            text = compile_external(module.external, source, line_length)
        else:
            text = render_module(module, source, line_length)
        files[f"{PACKAGE}/{module.path}"] = text
        if "/" in module.path:
            subpackages.add(module.path.rsplit("/", 1)[0])
    for sub in sorted(subpackages):
        files[f"{PACKAGE}/{sub}/__init__.py"] = render_subpackage_init(source, line_length)
    files[f"{PACKAGE}/__init__.py"] = render_package_init(list(schema_plan.modules), source, line_length)
    return dict(sorted(files.items()))


def render_schemas(
    spec: Spec,
    source: str,
    root: Path,
    reporter: Reporter | None = None,
    api_prefix: str = "/api",
    line_length: int = LINE_LENGTH,
) -> GeneratedFiles:
    """`schemas/` files for `spec`. `root` resolves `Body.schema_ref` files; problems go to `reporter`."""
    return render_plan(plan(spec, source, root, reporter or Reporter(), api_prefix), source, line_length)


__all__ = ["PACKAGE", "plan", "render_plan", "render_schemas"]
