"""Request body string fields without a maximum length (lint L015), found with the same planner as the
schemas (`specc.emit.schemas.plan`)."""

from __future__ import annotations

from dataclasses import dataclass

from specc.emit.schemas import names
from specc.emit.schemas.bodies import Role, body_models, covering_table, resolve_column
from specc.emit.schemas.planner import Planner
from specc.emit.schemas.specs import ModelSpec
from specc.ir.model import (
    Body,
    Endpoint,
    ObjectShape,
    ScalarShape,
    Spec,
    Table,
)
from specc.ir.types import sql_type


@dataclass(frozen=True)
class UnboundedString:
    """A string field of a request body with no maximum length (lint L015)."""

    endpoint: Endpoint
    path: str
    """Dotted path of the field (`user.name`, `tags[]`)."""


def unbounded_request_strings(spec: Spec, api_prefix: str = "/api") -> list[UnboundedString]:
    """Request body string fields that get no `max_length` from a column, a CHECK or a `Fields:` entry."""
    planner = Planner(spec, api_prefix)
    found: list[UnboundedString] = []
    for endpoint in spec.endpoints:
        body = endpoint.request_body
        if body is None or body.shape is None:
            continue
        path_table = names.resource_table(planner.index, endpoint, api_prefix)
        table = path_table
        if isinstance(body.shape, ObjectShape):
            covering, count = covering_table(planner.index, body.shape, path_table)
            table = covering if count else path_table
        if isinstance(body.shape, ObjectShape) and _plainly_bounded(planner, body, body.shape, table):
            continue
        role: Role = "update" if endpoint.method == "PATCH" else "request"
        ctx = planner.context(role, endpoint, names.NameRegistry())
        top = body_models(ctx, "\x00", "", body.shape, table)
        models = {m.name: m for m in ctx.models}
        found += [UnboundedString(endpoint, path) for path in _unbounded(models, top, "")]
    return found


_BOUNDED_STRINGS = frozenset({"VARCHAR", "CHAR"})


def _plainly_bounded(planner: Planner, body: Body, shape: ObjectShape, table: Table | None) -> bool:
    """A fast yes: every field is a non-string scalar, or a string with a `Fields:` maximum or a `VARCHAR(n)`
    column (the full plan is built only for the other bodies)."""
    declared = {f.name: f for f in body.fields}
    for item in shape.fields:
        if not isinstance(item.shape, ScalarShape):
            return False
        if item.shape.kind != "string":
            continue
        entry = declared.get(item.name)
        if entry is not None and entry.maximum is not None:
            continue
        found = resolve_column(planner.index, planner.fallback, table, item.name)
        if found is None:
            return False
        sql = sql_type(found.column.type)
        if sql.base not in _BOUNDED_STRINGS or sql.length is None or sql.array_dims:
            return False
    return True


def _unbounded(models: dict[str, ModelSpec], name: str, prefix: str) -> list[str]:
    model = models[name]
    result: list[str] = []
    if model.root is not None:
        if model.root.annotation == "str" and not any(a.name == "max_length" for a in model.root.args):
            result.append(prefix or "(body)")
        if model.root_ref in models and model.root_ref is not None:
            result += _unbounded(models, model.root_ref, prefix + "[]")
        return result
    for spec in model.fields:
        path = f"{prefix}.{spec.key}" if prefix else spec.key
        if spec.ref is not None and spec.ref in models:
            inner = path + "[]" if spec.type.annotation.startswith("list[") else path
            result += _unbounded(models, spec.ref, inner)
        elif spec.type.annotation in ("str", "EmailStr") and not any(
            a.name == "max_length" for a in spec.type.args
        ):
            result.append(path)
    return result
