"""What a schema plan is made of (`specc.emit.schemas.plan`): modules of Pydantic models with their fields,
and which component names each operation uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from specc.emit.shapes import FieldType
from specc.ir.model import (
    Body,
    Endpoint,
)


@dataclass(frozen=True)
class FieldSpec:
    key: str
    """JSON key / column name."""
    attr: str
    """Python attribute (differs from `key` only when `key` is not usable; then `key` is the alias)."""
    type: FieldType
    nullable: bool = False
    required: bool = True
    default: str = "None"
    """Python literal text of the default when not required."""
    read_from: str | None = None
    """Response models: the model attribute to read from an ORM object when it is not `key`."""
    ref: str | None = None
    """The nested model the type refers to, if any."""
    not_null: bool = False
    """Partial updates: the field may be omitted but not sent as null (a NOT NULL column)."""


@dataclass(frozen=True)
class ModelSpec:
    name: str
    doc: str
    fields: tuple[FieldSpec, ...] = ()
    root: FieldType | None = None
    """Set for a `RootModel[...]` (a body that is not a JSON object)."""
    from_attributes: bool = False
    """Response models: `ConfigDict(from_attributes=True)`."""
    forbid_extra: bool = False
    """Request models: `ConfigDict(extra="forbid")`."""
    root_ref: str | None = None
    """The nested model a root type refers to, if any."""


@dataclass(frozen=True)
class ExternalModule:
    """A request/response body given as an external JSON Schema file, compiled by datamodel-code-generator."""

    class_name: str
    schema_path: str
    schema: dict[str, Any]


@dataclass(frozen=True)
class ModuleSpec:
    path: str
    """Posix path relative to the `schemas/` package: `tables/users.py`, `api/auth.py`, `common.py`."""
    models: tuple[ModelSpec, ...] = ()
    external: ExternalModule | None = None

    @property
    def exports(self) -> tuple[str, ...]:
        if self.external is not None:
            return (self.external.class_name,)
        return tuple(m.name for m in self.models)


@dataclass(frozen=True)
class OperationSchemas:
    """Which component names an endpoint uses."""

    endpoint: Endpoint
    operation_id: str
    tag: str
    request: str | None
    response: str | None


@dataclass(frozen=True)
class SchemaPlan:
    modules: tuple[ModuleSpec, ...]
    operations: tuple[OperationSchemas, ...]


ERROR_RESPONSE = ModelSpec(
    name="ErrorResponse",
    doc="Error body of every documented error response.",
    fields=(FieldSpec(key="detail", attr="detail", type=FieldType("str", json_kinds=frozenset({"string"}))),),
)

ExternalLoader = Callable[[Body, str, Endpoint], "dict[str, object] | None"]
"""Reads and checks `Body.schema_ref` (reporting problems); None when it cannot be used."""


def module_dotted(path: str) -> str:
    """`tables/users.py` → `tables.users`."""
    return path.removesuffix(".py").replace("/", ".")
