"""SQLAlchemy 2.0 models writer: IR → `models/` package (one module per table).

`render_models(spec, source)` returns `models/__init__.py` (re-exports `Base` and every model),
`models/base.py` (`Base` with a naming convention, plus `PgType` when a column needs it) and
`models/<table>.py`. Output is already formatted the way `ruff format` formats it, deterministic, and
passes `ruff check` and `mypy --strict`. Type mapping: `specc.emit.sqltypes`; the shared schema rules
(naming convention, autoincrement, normalisations) are in `specc.db.conventions`, which the
MetaData/database reader (`specc.db.metadata`) uses too.
"""

from __future__ import annotations

from specc.emit.base import GeneratedFiles, python_header
from specc.emit.models.columns import model_body
from specc.emit.models.names import model_names
from specc.emit.models.relations import plan_relationships
from specc.emit.models.render import base_module, init_module, model_module
from specc.ir.model import Spec
from specc.pycode.imports import PyImport
from specc.pycode.layout import LINE_LENGTH

__all__ = ["render_models"]


def render_models(spec: Spec, source: str, line_length: int = LINE_LENGTH) -> GeneratedFiles:
    """The generated `models/` package for the tables of `spec` (`source` names the spec in headers), laid
    out for `line_length` (a build passes the receiving project's, `BuildContext.line_length`)."""
    header = python_header(source, line_length)
    names = model_names(spec)
    rels = plan_relationships(spec, names)
    files: GeneratedFiles = {}
    exported: dict[str, str] = {}
    needs_pg_type = False
    done: set[str] = set()
    for table in spec.tables:
        if table.name in done or not table.columns:
            continue
        done.add(table.name)
        body = model_body(spec, table, names, rels[table.name], line_length)
        needs_pg_type = needs_pg_type or any(i.name == "PgType" for i in body.imports)
        type_checking = [
            PyImport(f".{names.modules[t]}", names.classes[t]) for t in body.related_tables if t != table.name
        ]
        module = names.modules[table.name]
        files[f"models/{module}.py"] = model_module(
            header, names.classes[table.name], table.name, body, type_checking, line_length
        )
        exported[module] = names.classes[table.name]
    files["models/base.py"] = base_module(header, needs_pg_type, line_length)
    files["models/__init__.py"] = init_module(header, exported, line_length)
    return dict(sorted(files.items()))
