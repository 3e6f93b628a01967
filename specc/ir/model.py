"""The typed intermediate representation (IR) every reader produces and every writer consumes.

All nodes are frozen pydantic models. Nodes that came from a document carry a `span` (file, line, column,
1-based). Spans are metadata: two IRs that differ only in spans describe the same design, and
`specc.ir.compare.strip_spans` strips them for comparisons (round trips, drift).

The JSON form (`Spec.model_dump(mode="json", by_alias=True)`) is the public contract; its JSON Schema is
checked in at `schemas/specc-ir.schema.json`.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

IR_VERSION = 1

ReferentialAction = Literal["CASCADE", "SET NULL", "RESTRICT", "NO ACTION", "SET DEFAULT"]
IndexMethod = Literal["btree", "hash", "gin", "gist", "brin", "spgist"]
RelationshipKind = Literal["one-to-one", "one-to-many", "many-to-one", "many-to-many"]
HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
AuthMode = Literal["public", "required"]
CaseCategory = Literal["happy_path", "error", "edge", "security", "performance"]


class Node(BaseModel):
    """Base of every IR node: immutable, strict about unknown fields."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


N = TypeVar("N", bound=BaseModel)


@cache
def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    return {
        name: info.get_default(call_default_factory=True)
        for name, info in cls.model_fields.items()
        if not info.is_required()
    }


def construct(cls: type[N], **values: Any) -> N:
    """Build a node from values the caller guarantees are valid (the parser's hot path).

    Like `model_construct`, without its per-call bookkeeping: the parser builds tens of thousands of nodes,
    and `Spec.model_validate(spec.model_dump())` in the tests proves the parser's nodes are valid.
    """
    node = cls.__new__(cls)
    object.__setattr__(node, "__dict__", {**_defaults(cls), **values})
    object.__setattr__(node, "__pydantic_fields_set__", set(values))
    object.__setattr__(node, "__pydantic_extra__", None)
    object.__setattr__(node, "__pydantic_private__", None)
    return node


class Span(Node):
    """Where a node came from: 1-based line and column in `file`."""

    file: str
    line: int
    column: int


class ForeignKey(Node):
    table: str
    column: str | None = None
    """Referenced column; None means "the referenced table's primary key" (`FK → users`)."""
    on_delete: ReferentialAction | None = None
    on_update: ReferentialAction | None = None
    span: Span | None = None


class Column(Node):
    name: str
    type: str
    """Canonical type spelling (see `specc.ir.types`), or the verbatim text when the type is unknown."""
    nullable: bool = True
    primary_key: bool = False
    unique: bool = False
    autoincrement: bool = False
    indexed: bool = False
    default: str | None = None
    """Server default as SQL expression text: `now()`, `'text'`, `0`, `true`, `gen_random_uuid()`."""
    check: str | None = None
    """Column CHECK expression, without the CHECK keyword and outer parentheses."""
    foreign_key: ForeignKey | None = None
    description: str | None = None
    renamed_from: str | None = None
    span: Span | None = None
    type_span: Span | None = None
    constraints_span: Span | None = None


class Index(Node):
    columns: tuple[str, ...]
    unique: bool = False
    method: IndexMethod = "btree"
    name: str | None = None
    description: str | None = None
    span: Span | None = None


class CheckConstraint(Node):
    expression: str
    name: str | None = None
    span: Span | None = None


class Table(Node):
    name: str
    columns: tuple[Column, ...] = ()
    indexes: tuple[Index, ...] = ()
    checks: tuple[CheckConstraint, ...] = ()
    description: str | None = None
    renamed_from: str | None = None
    span: Span | None = None

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.primary_key)

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


class Relationship(Node):
    from_: str = Field(alias="from")
    to: str
    kind: RelationshipKind
    through: str | None = None
    description: str | None = None
    span: Span | None = None


# --- JSON body shapes -------------------------------------------------------------------------------


class ScalarShape(Node):
    kind: Literal["string", "integer", "number", "boolean", "null"]
    format: str | None = None
    """`email`, `date-time`, `date`, `uuid`, `uri` for strings inferred from the example value."""
    example: str | int | float | bool | None = None


class ArrayShape(Node):
    kind: Literal["array"] = "array"
    items: Shape | None = None
    """None for an empty example array (`[]`)."""


class ObjectField(Node):
    name: str
    shape: Shape


class ObjectShape(Node):
    kind: Literal["object"] = "object"
    fields: tuple[ObjectField, ...] = ()


Shape = Annotated[ScalarShape | ArrayShape | ObjectShape, Field(discriminator="kind")]


class BodyField(Node):
    """A request body field described in a `Fields:` list (`password` (string, required, 8–128 characters)).

    `minimum`/`maximum` bound the length of a string field and the value of a number field."""

    name: str
    type: str = "string"
    required: bool = True
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    description: str | None = None
    span: Span | None = None


class Body(Node):
    shape: Shape | None = None
    """None when the body is given but not parseable as JSON (a diagnostic is reported)."""
    schema_ref: str | None = None
    """Path of an external JSON Schema file (`schemas/<name>.json`) when the body references one."""
    fields: tuple[BodyField, ...] = ()
    """Constraints stated for the body's fields (request bodies: the `Fields:` list)."""
    span: Span | None = None


class QueryParam(Node):
    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    minimum: int | None = None
    """Smallest allowed value (`1–100` in the parentheses or at the end of the description)."""
    maximum: int | None = None
    description: str | None = None
    span: Span | None = None


class Response(Node):
    status: int
    description: str | None = None
    body: Body | None = None
    span: Span | None = None


class Endpoint(Node):
    method: HttpMethod
    path: str
    auth: AuthMode = "required"
    auth_explicit: bool = False
    """True when the contract has an **Auth:** line."""
    auth_text: str | None = None
    summary: str | None = None
    path_params: tuple[str, ...] = ()
    query_params: tuple[QueryParam, ...] = ()
    request_body: Body | None = None
    responses: tuple[Response, ...] = ()
    span: Span | None = None

    @property
    def success(self) -> Response | None:
        for resp in self.responses:
            if resp.status < 400:
                return resp
        return None


# --- prose sections ---------------------------------------------------------------------------------


class TechChoice(Node):
    layer: str
    technology: str
    why: str | None = None
    span: Span | None = None


class Decision(Node):
    decision: str
    choice: str | None = None
    alternatives: str | None = None
    why: str | None = None
    span: Span | None = None


# --- test plan --------------------------------------------------------------------------------------


class EndpointMention(Node):
    """An endpoint a test case names (`POST /api/rooms`), as written: the path may hold values or other
    parameter names than the contract's (`/api/rooms/42`, `/api/rooms/{id}`)."""

    method: HttpMethod
    path: str
    span: Span | None = None


class StatusMention(Node):
    """A status code a test case expects (`returns 404`)."""

    status: int
    span: Span | None = None


class TestCase(Node):
    __test__ = False  # not a pytest class

    id: str
    category: CaseCategory
    text: str
    span: Span | None = None
    endpoints: tuple[EndpointMention, ...] = ()
    """Endpoints the case's text names, in order."""
    statuses: tuple[StatusMention, ...] = ()
    """Status codes the case's text expects (`returns 409`), in order."""


class Feature(Node):
    name: str
    cases: tuple[TestCase, ...] = ()
    span: Span | None = None
    endpoints: tuple[str, ...] = ()
    """The spec's endpoints (`POST /api/rooms/{room_id}/join`, method and path as the contract writes them)
    that the feature's cases name, in order of first mention: the link from a feature to what it tests."""


class TestPlan(Node):
    __test__ = False

    features: tuple[Feature, ...] = ()
    source: str | None = None


# --- root -------------------------------------------------------------------------------------------


class Spec(Node):
    version: int = IR_VERSION
    source: str | None = None
    title: str | None = None
    overview: str | None = None
    tech_stack: tuple[TechChoice, ...] = ()
    system_diagram: str | None = None
    tables: tuple[Table, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    decisions: tuple[Decision, ...] = ()
    test_plan: TestPlan | None = None

    def table(self, name: str) -> Table | None:
        """The first table with this name (through a small index cache keyed by the `tables` tuple)."""
        return _tables_by_name(self.tables).get(name)


_TABLE_INDEX: dict[int, tuple[tuple[Table, ...], dict[str, Table]]] = {}
"""id(tables tuple) → (the tuple, kept alive so the id stays unique; its name index). A few recent entries."""


def _tables_by_name(tables: tuple[Table, ...]) -> dict[str, Table]:
    cached = _TABLE_INDEX.get(id(tables))
    if cached is not None and cached[0] is tables:
        return cached[1]
    by_name: dict[str, Table] = {}
    for table in tables:
        by_name.setdefault(table.name, table)
    if len(_TABLE_INDEX) >= 8:
        _TABLE_INDEX.pop(next(iter(_TABLE_INDEX)))
    _TABLE_INDEX[id(tables)] = (tables, by_name)
    return by_name


ArrayShape.model_rebuild()
ObjectField.model_rebuild()
Body.model_rebuild()
