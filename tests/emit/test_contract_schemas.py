"""Contract schemas as a FastAPI app uses them: names, nullability, partial updates, constraints, mass
assignment, ORM objects (`from_attributes`, renamed attributes), decimals, and the 422 declarations."""

from __future__ import annotations

import ast
import datetime
import decimal
import importlib
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from specc.build import build
from specc.check import run_checks
from specc.config import Config
from specc.diagnostics import Reporter
from specc.emit.models.names import RESERVED_ATTRIBUTES, model_names
from specc.emit.openapi import build_openapi
from specc.emit.schemas import render_schemas
from specc.emit.schemas.plan import plan_schemas
from specc.frontend import load
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.conftest import EXAMPLE_SPEC

EXPECTED_EXAMPLE_NAMES = {
    ("POST", "/api/auth/register"): ("UserCreate", "UserResponse"),
    ("POST", "/api/auth/login"): ("LoginRequest", "LoginResponse"),
    ("POST", "/api/auth/refresh"): ("RefreshRequest", "RefreshResponse"),
    ("POST", "/api/auth/logout"): ("LogoutRequest", None),
    ("GET", "/api/auth/me"): (None, "UserResponse"),
    ("GET", "/api/rooms"): (None, "RoomPage"),
    ("POST", "/api/rooms"): ("RoomCreate", "RoomResponse"),
    ("GET", "/api/rooms/{room_id}"): (None, "RoomDetailResponse"),
    ("PATCH", "/api/rooms/{room_id}"): ("RoomUpdate", "RoomResponse"),
    ("DELETE", "/api/rooms/{room_id}"): (None, None),
    ("GET", "/api/rooms/{room_id}/members"): (None, "RoomMemberList"),
    ("POST", "/api/rooms/{room_id}/join"): (None, "RoomMemberResponse"),
    ("POST", "/api/rooms/{room_id}/leave"): (None, None),
    ("DELETE", "/api/rooms/{room_id}/members/{user_id}"): (None, None),
    ("GET", "/api/rooms/{room_id}/messages"): (None, "MessagePage"),
    ("POST", "/api/rooms/{room_id}/messages"): ("MessageCreate", "MessageResponse"),
    ("PATCH", "/api/messages/{message_id}"): ("MessageUpdate", "MessageResponse"),
    ("DELETE", "/api/messages/{message_id}"): (None, None),
}

SERVER_OWNED = frozenset({"id", "created_by", "created_at", "updated_at", "password_hash", "token_hash"})


def example_spec() -> Spec:
    return load(EXAMPLE_SPEC, None, Config(root=EXAMPLE_SPEC.parent)).spec


def spec_of(text: str) -> Spec:
    return parse_spec(text, "ARCHITECTURE.md", Reporter()).spec


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleType, ModuleType]]:
    """(models, schemas) of the example, built and imported from a temporary folder."""
    yield build_and_import(EXAMPLE_SPEC, tmp_path_factory.mktemp("example"))


def build_and_import(document: Path, tmp_path: Path) -> tuple[ModuleType, ModuleType]:
    package = f"specc_app_{uuid.uuid4().hex[:12]}"
    result = build(document, None, tmp_path / package, Config(root=document.parent), echo=lambda _: None)
    assert result.exit_code == 0
    (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        return (
            importlib.import_module(f"{package}.models"),
            importlib.import_module(f"{package}.schemas"),
        )
    finally:
        sys.path.remove(str(tmp_path))


def write_spec(tmp_path: Path, text: str) -> Path:
    document = tmp_path / "ARCHITECTURE.md"
    document.write_text(text, encoding="utf-8")
    return document


# --- item 9: names ----------------------------------------------------------------------------------------


def test_plan_names_example_contract_schemas_after_resources_when_built() -> None:
    # Arrange
    spec = example_spec()

    # Act
    plan = plan_schemas(spec, "/api")

    # Assert
    names = {(op.endpoint.method, op.endpoint.path): (op.request, op.response) for op in plan.operations}
    assert names == EXPECTED_EXAMPLE_NAMES


def test_plan_exports_exactly_the_contract_classes_when_example_built() -> None:
    # Arrange
    spec = example_spec()

    # Act
    plan = plan_schemas(spec, "/api")

    # Assert
    exported = sorted(name for module in plan.modules for name in module.exports)
    assert exported == [
        "ErrorResponse",
        "LoginRequest",
        "LoginResponse",
        "LogoutRequest",
        "MessageCreate",
        "MessageListItem",
        "MessagePage",
        "MessageResponse",
        "MessageUpdate",
        "RefreshRequest",
        "RefreshResponse",
        "RoomCreate",
        "RoomDetailResponse",
        "RoomMemberList",
        "RoomMemberListItem",
        "RoomMemberResponse",
        "RoomPage",
        "RoomResponse",
        "RoomUpdate",
        "UserCreate",
        "UserResponse",
    ]


COLLIDING = """# Shop

## Database Schema

### items

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| name | VARCHAR(50) | NOT NULL |
| price | INTEGER | NOT NULL |

## API Contracts

### POST /api/items

- **Auth:** Required
- **Request Body:**
  ```json
  { "name": "x", "price": 1 }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "name": "x", "price": 1 }
  ```

### POST /api/shelves/{shelf_id}/items

- **Auth:** Required
- **Request Body:**
  ```json
  { "name": "x" }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "name": "x" }
  ```

### GET /api/items/{id}

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "name": "x", "price": 1, "stock": 3 }
  ```

### POST /api/items/{id}/copy

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "price": 1, "copies": 2 }
  ```

### POST /api/items/{id}/move

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "price": 1, "moved": true }
  ```

### POST /api/other/{id}/move

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "price": 1, "moved": "yes" }
  ```
"""


def test_plan_names_colliding_shapes_apart_deterministically_when_resources_repeat() -> None:
    # Arrange
    spec = spec_of(COLLIDING)

    # Act
    first = plan_schemas(spec, "/api")
    second = plan_schemas(spec_of(COLLIDING), "/api")

    # Assert
    names = [(op.endpoint.method, op.endpoint.path, op.request, op.response) for op in first.operations]
    assert names == [
        ("POST", "/api/items", "ItemCreate", "ItemResponse"),
        ("GET", "/api/items/{id}", None, "ItemDetailResponse"),
        ("POST", "/api/items/{id}/copy", None, "CopyItemResponse"),
        ("POST", "/api/items/{id}/move", None, "MoveItemResponse"),
        ("POST", "/api/other/{id}/move", None, "ItemResponsePostOtherByIdMove"),
        ("POST", "/api/shelves/{shelf_id}/items", "ItemsItemCreate", "ItemsItemResponse"),
    ]
    exported = [name for module in first.modules for name in module.exports]
    assert len(exported) == len(set(exported))
    assert [(op.request, op.response) for op in first.operations] == [
        (op.request, op.response) for op in second.operations
    ]


# --- item 1: nullability ----------------------------------------------------------------------------------


def test_response_accepts_null_when_column_is_nullable(example: tuple[ModuleType, ModuleType]) -> None:
    # Arrange
    _, schemas = example
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    message = {"id": 1, "room_id": 1, "user_id": 1, "content": "hi", "edited_at": None, "created_at": now}
    room = {
        "id": 1,
        "name": "r",
        "description": None,
        "is_private": False,
        "created_by": 1,
        "created_at": now,
    }

    # Act
    parsed_message = schemas.MessageResponse.model_validate(message)
    parsed_room = schemas.RoomResponse.model_validate(room)

    # Assert
    assert (parsed_message.edited_at, parsed_room.description) == (None, None)


def test_request_field_is_optional_when_column_is_nullable(example: tuple[ModuleType, ModuleType]) -> None:
    # Arrange
    _, schemas = example

    # Act
    room = schemas.RoomCreate.model_validate({"name": "general"})

    # Assert
    assert room.model_dump() == {"name": "general", "description": None, "is_private": False}


def test_page_field_is_optional_when_document_says_it_is_absent(
    example: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    _, schemas = example

    # Act
    page = schemas.MessagePage.model_validate({"items": []})

    # Assert
    assert page.next_cursor is None
    assert "next_cursor" not in schemas.MessagePage.model_json_schema()["required"]


# --- item 2: partial updates ------------------------------------------------------------------------------


def test_patch_body_tells_absent_from_null_when_one_field_sent(
    example: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    _, schemas = example
    plan = plan_schemas(example_spec(), "/api")
    patch = next(op for op in plan.operations if op.endpoint.path == "/api/rooms/{room_id}" and op.request)
    body = getattr(schemas, str(patch.request))

    # Act
    renamed = body.model_validate({"name": "new"})
    cleared = body.model_validate({"description": None})

    # Assert
    assert renamed.model_dump(exclude_unset=True) == {"name": "new"}
    assert cleared.model_dump(exclude_unset=True) == {"description": None}


def test_patch_body_rejects_null_when_column_is_not_null(example: tuple[ModuleType, ModuleType]) -> None:
    # Arrange
    _, schemas = example

    # Act
    with pytest.raises(ValidationError) as raised:
        schemas.RoomUpdate.model_validate({"name": None})

    # Assert
    assert raised.value.errors()[0]["loc"] == ("name",)


# --- item 3: constraints ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        ("UserCreate", {"email": "a@example.com", "password": "x", "display_name": "A"}, "password"),
        ("UserCreate", {"email": "a@example.com", "password": "x" * 129, "display_name": "A"}, "password"),
        ("LoginRequest", {"email": "a@example.com", "password": ""}, "password"),
        ("MessageCreate", {"content": ""}, "content"),
        ("MessageUpdate", {"content": ""}, "content"),
        ("RoomCreate", {"name": ""}, "name"),
        ("RoomCreate", {"name": "x" * 101}, "name"),
        ("RefreshRequest", {"refresh_token": "x" * 256}, "refresh_token"),
    ],
)
def test_request_rejects_value_when_document_constrains_it(
    example: tuple[ModuleType, ModuleType], model: str, body: dict[str, Any], field: str
) -> None:
    # Arrange
    _, schemas = example

    # Act
    with pytest.raises(ValidationError) as raised:
        getattr(schemas, model).model_validate(body)

    # Assert
    assert [error["loc"] for error in raised.value.errors()] == [(field,)]


def test_request_accepts_password_when_within_documented_length(
    example: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    _, schemas = example

    # Act
    user = schemas.UserCreate.model_validate(
        {"email": "a@example.com", "password": "x" * 8, "display_name": "A"}
    )

    # Assert
    assert user.password == "x" * 8


def test_openapi_query_parameter_has_range_when_description_gives_one() -> None:
    # Arrange
    document = build_openapi(example_spec())

    # Act
    limit = next(p for p in document["paths"]["/api/rooms"]["get"]["parameters"] if p["name"] == "limit")

    # Assert
    assert limit["schema"] == {"default": 50, "maximum": 100, "minimum": 1, "type": "integer"}


CHECKS = """# Checks

## Database Schema

### things

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| code | TEXT | NOT NULL, CHECK (char_length(code) BETWEEN 3 AND 12) |
| rating | INTEGER | NOT NULL, CHECK (rating >= 1 AND rating <= 5) |
| weight | INTEGER | NOT NULL, CHECK (weight > 0) |

## API Contracts

### POST /api/things

- **Auth:** Required
- **Request Body:**
  ```json
  { "code": "abc", "rating": 3, "weight": 10 }
  ```
- **Success Response (201):**
  ```json
  { "id": 1 }
  ```
"""


def test_request_constraints_come_from_check_when_column_has_one() -> None:
    # Arrange
    spec = spec_of(CHECKS)

    # Act
    component = build_openapi(spec)["components"]["schemas"]["ThingCreate"]

    # Assert
    props = component["properties"]
    assert (props["code"]["minLength"], props["code"]["maxLength"]) == (3, 12)
    assert (props["rating"]["minimum"], props["rating"]["maximum"]) == (1, 5)
    assert props["weight"]["exclusiveMinimum"] == 0


# --- item 4: mass assignment ------------------------------------------------------------------------------


def test_request_schemas_hold_no_server_owned_column_when_example_built() -> None:
    # Arrange
    document = build_openapi(example_spec())
    schemas = document["components"]["schemas"]
    requests = [
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        for item in document["paths"].values()
        for op in item.values()
        if "requestBody" in op
    ]

    # Act
    offered = {name: set(schemas[name]["properties"]) & SERVER_OWNED for name in requests}

    # Assert
    assert offered == {name: set() for name in requests}
    assert all(schemas[name]["additionalProperties"] is False for name in requests)


def test_request_rejects_unknown_field_when_client_sends_server_owned_one(
    example: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    _, schemas = example

    # Act / Assert
    with pytest.raises(ValidationError):
        schemas.RoomCreate.model_validate({"name": "general", "created_by": 2})


def test_openapi_publishes_only_referenced_components_when_example_built() -> None:
    # Arrange
    document = build_openapi(example_spec())
    text = json.dumps(document["paths"]) + json.dumps(document["components"]["schemas"])

    # Act
    unused = [name for name in document["components"]["schemas"] if f'/{name}"' not in text]

    # Assert
    assert unused == []
    assert {"UserUpdate", "RoomMemberCreate", "RefreshTokenResponse"}.isdisjoint(
        document["components"]["schemas"]
    )


# --- item 5 and 6: ORM objects ----------------------------------------------------------------------------


def test_response_validates_orm_row_when_built_from_generated_model(
    example: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    models, schemas = example
    now = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    room = models.Room(id=7, name="general", description=None, is_private=False, created_by=1, created_at=now)

    # Act
    response = schemas.RoomResponse.model_validate(room)

    # Assert
    assert response.model_dump() == {
        "id": 7,
        "name": "general",
        "description": None,
        "is_private": False,
        "created_by": 1,
        "created_at": now,
    }


RENAMED = sorted(n for n in RESERVED_ATTRIBUTES if n.isidentifier() and n != "id")


def renamed_spec() -> str:
    rows = "\n".join(f"| {name} | INTEGER | |" for name in RENAMED if name != "metadata")
    body = ", ".join(f'"{name}": 1' for name in RENAMED if name != "metadata")
    return f"""# Renamed

## Database Schema

### gadgets

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| metadata | JSONB | |
{rows}
| price | NUMERIC(10,2) | NOT NULL, DEFAULT 0 |

## API Contracts

### GET /api/gadgets/{{id}}

- **Auth:** Required
- **Success Response (200):**
  ```json
  {{ "id": 1, "metadata": {{"a": 1}}, {body}, "price": 80.0 }}
  ```
"""


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType, dict[str, Any]]:
    tmp_path = tmp_path_factory.mktemp("renamed")
    document = write_spec(tmp_path, renamed_spec())
    models, schemas = build_and_import(document, tmp_path)
    return models, schemas, build_openapi(spec_of(renamed_spec()))


def test_response_reads_renamed_attributes_and_writes_column_names_when_models_rename_them(
    renamed: tuple[ModuleType, ModuleType, dict[str, Any]],
) -> None:
    # Arrange
    models, schemas, _ = renamed
    attributes = model_names(spec_of(renamed_spec())).attributes["gadgets"]
    gadget = models.Gadget(id=1, price=decimal.Decimal("80.00"))
    gadget.metadata_ = {"a": 1}
    for name in RENAMED:
        if name != "metadata":
            setattr(gadget, attributes[name], 5)

    # Act
    body = json.loads(schemas.GadgetResponse.model_validate(gadget).model_dump_json(by_alias=True))

    # Assert
    assert all(attributes[name] != name for name in RENAMED)
    assert body == {
        "id": 1,
        "metadata": {"a": 1},
        **{n: 5 for n in RENAMED if n != "metadata"},
        "price": 80.0,
    }


# --- item 8: decimals -------------------------------------------------------------------------------------


def test_decimal_serialises_as_number_matching_openapi_when_numeric_has_precision(
    renamed: tuple[ModuleType, ModuleType, dict[str, Any]],
) -> None:
    # Arrange
    _, schemas, document = renamed
    component = document["components"]["schemas"]["GadgetResponse"]
    gadget = schemas.GadgetResponse.model_validate(
        {"id": 1, "metadata": None, **{n: 1 for n in RENAMED if n != "metadata"}, "price": "80.10"}
    )

    # Act
    body = json.loads(gadget.model_dump_json(by_alias=True))

    # Assert
    assert body["price"] == 80.1
    jsonschema.validate(body["price"], component["properties"]["price"])
    assert component["properties"]["price"]["type"] == "number"
    assert gadget.price == decimal.Decimal("80.10")


# --- item 7: 422 ------------------------------------------------------------------------------------------


def test_openapi_declares_422_when_operation_has_parameters_or_body() -> None:
    # Arrange
    document = build_openapi(example_spec())

    # Act
    declared = {
        (method.upper(), path): op["responses"].get("422")
        for path, item in document["paths"].items()
        for method, op in item.items()
        if op.get("parameters") or op.get("requestBody")
    }

    # Assert
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}
    assert all(entry is not None and entry["content"] == error for entry in declared.values())
    assert declared[("GET", "/api/rooms/{room_id}")]["description"] == "Validation error"
    assert declared[("POST", "/api/auth/login")]["description"] == "Validation error (missing fields)"
    assert "422" not in document["paths"]["/api/auth/me"]["get"]["responses"]


def test_component_schemas_equal_pydantic_when_columns_are_renamed_or_decimal() -> None:
    # Arrange
    from tests.emit.test_openapi_components import _mismatches

    spec = spec_of(renamed_spec())

    # Act
    mismatches = _mismatches(spec)

    # Assert
    assert mismatches == []


@pytest.mark.parametrize("line_length", [79, 88, 120])
def test_render_schemas_formats_for_line_length_when_project_sets_one(
    line_length: int, tmp_path: Path
) -> None:
    # Arrange
    import subprocess

    from specc.emit.schemas import render_schemas

    files = render_schemas(example_spec(), "ARCHITECTURE.md", EXAMPLE_SPEC.parent, line_length=line_length)
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    config = f'[tool.ruff]\nline-length = {line_length}\ntarget-version = "py311"\n'
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    ruff = str(Path(sys.executable).parent / "ruff")

    # Act
    formatted = subprocess.run(
        [ruff, "format", "--check", "--no-cache", "schemas"], cwd=tmp_path, capture_output=True, text=True
    )
    checked = subprocess.run(
        [ruff, "check", "--no-cache", "schemas"], cwd=tmp_path, capture_output=True, text=True
    )

    # Assert
    assert formatted.returncode == 0, formatted.stdout
    assert checked.returncode == 0, checked.stdout


DECIMALS = """# S

## Database Schema

### items

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| price | NUMERIC(10,2) | NOT NULL, DEFAULT 1.5 |
| big | NUMERIC(20,2) | DEFAULT 2 |
| qty | INTEGER | NOT NULL, DEFAULT 1, CHECK (qty BETWEEN 1 AND 9) |

## API Contracts

### POST /api/items

- **Auth:** Required
- **Request Body:**
  ```json
  { "price": 1.5, "big": 2, "qty": 1 }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "price": 1.5, "big": 2 }
  ```
"""


def test_component_schemas_equal_pydantic_when_decimals_have_defaults_or_no_float_precision() -> None:
    # Arrange
    from tests.emit.test_openapi_components import _mismatches

    spec = spec_of(DECIMALS)

    # Act
    mismatches = _mismatches(spec)

    # Assert
    assert mismatches == []


def test_wide_decimal_serialises_as_exact_string_matching_openapi_when_precision_exceeds_15(
    tmp_path: Path,
) -> None:
    # Arrange
    _, schemas = build_and_import(write_spec(tmp_path, DECIMALS), tmp_path)
    component = build_openapi(spec_of(DECIMALS))["components"]["schemas"]["ItemResponse"]
    item = schemas.ItemResponse.model_validate({"id": 1, "price": "2.50", "big": "123456789012345678.25"})

    # Act
    body = json.loads(item.model_dump_json(by_alias=True))

    # Assert
    assert body == {"id": 1, "price": 2.5, "big": "123456789012345678.25"}
    jsonschema.validate(body, component)


def test_referenced_keeps_components_reachable_from_paths_when_some_are_unused() -> None:
    # Arrange
    from specc.emit.openapi import referenced

    components = {
        "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {"type": "object"},
        "C": {"properties": {"a": {"$ref": "#/components/schemas/A"}}},
    }
    paths = {
        "/x": {
            "get": {
                "responses": {
                    "200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}
                }
            }
        }
    }

    # Act
    kept = referenced(components, paths)

    # Assert
    assert list(kept) == ["A", "B"]


# --- enum values holding commas, quotes, backslashes ------------------------------------------------------

ENUM_DOCUMENT = """# Shop

## Database Schema

### products

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| name | VARCHAR(100) | NOT NULL |
| status | ENUM({values}) | NOT NULL, DEFAULT {default} |

## API Contracts

### POST /api/products

- **Auth:** None (public)
- **Request Body:**
  ```json
  {{ "name": "x", "status": "x" }}
  ```
- **Success Response (201):**
  ```json
  {{ "id": 1, "name": "x", "status": "x" }}
  ```
"""


def enum_document(values: list[str]) -> str:
    quoted = ["'" + value.replace("'", "''") + "'" for value in values]
    return ENUM_DOCUMENT.format(values=",".join(quoted), default=quoted[0])


def literal_values(module: str, class_name: str, field_name: str) -> tuple[list[object], object]:
    """The values of the `Literal[...]` a field is annotated with (inline or through a module alias), and
    the field's default (None when it has none)."""
    tree = ast.parse(module)
    aliases = {
        node.targets[0].id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
    }
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    item = next(
        n
        for n in cls.body
        if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.target.id == field_name
    )
    annotation = item.annotation
    if isinstance(annotation, ast.Name):
        annotation = aliases[annotation.id]
    assert isinstance(annotation, ast.Subscript)
    elements = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    default = ast.literal_eval(item.value) if item.value is not None else None
    return [ast.literal_eval(e) for e in elements], default


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.text(alphabet="ab ,'\"\\", min_size=1, max_size=30).filter(
            lambda v: v.strip() == v and "  " not in v  # the table cell trims and collapses spaces
        ),
        min_size=1,
        max_size=6,
        unique=True,
    )
)
def test_render_module_keeps_enum_values_exact_when_values_hold_commas_quotes_backslashes(
    values: list[str],
) -> None:
    # Arrange
    spec = spec_of(enum_document(values))

    # Act
    files = render_schemas(spec, "ARCHITECTURE.md", Path("."))

    # Assert
    module = files["schemas/api/products.py"]
    found, default = literal_values(module, "ProductCreate", "status")
    assert found == values
    assert default == values[0]


def test_request_field_defaults_to_enum_value_when_default_holds_comma() -> None:
    # Arrange
    values = ["new, unread", "in progress", "done and dusted", "archived for later", "cancelled by user"]
    spec = spec_of(enum_document(values))
    reporter = Reporter()

    # Act
    component = build_openapi(spec)["components"]["schemas"]["ProductCreate"]
    run_checks(spec, reporter)

    # Assert
    assert component["properties"]["status"]["default"] == "new, unread"
    assert component["required"] == ["name"]
    assert [d.code for d in reporter.diagnostics if d.code == "L016"] == []


# --- CHECK bounds -----------------------------------------------------------------------------------------

BOUNDS_DOCUMENT = """# T

## Database Schema

### things

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| kind | VARCHAR(10) | NOT NULL |
| x | {type} | NOT NULL, CHECK ({check}) |

## API Contracts

### POST /api/things

- **Auth:** None (public)
- **Request Body:**
  ```json
  {{ "kind": "a", "x": {example} }}
  ```
- **Success Response (201):**
  ```json
  {{ "id": 1 }}
  ```
"""

RANGE_KEYS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength")


@pytest.mark.parametrize(
    ("sql_type", "check", "expected"),
    [
        ("DOUBLE PRECISION", "x <= 0.99", {"maximum": 0.99}),
        ("INTEGER", "x <= 1e3", {"maximum": 1000}),
        ("INTEGER", "CASE WHEN kind = 'gift' THEN x = 0 ELSE x >= 1 END", {}),
        ("INTEGER", "x >= 1 OR kind = 'gift'", {}),
        ("INTEGER", "NOT (x < 1)", {}),
        ("INTEGER", "x >= abs(-3)", {}),
        ("INTEGER", "x >= 10 * 2", {}),
        ("INTEGER", "x <= 2.5", {"maximum": 2}),
        ("INTEGER", "x > 0.5", {"minimum": 1}),
        ("INTEGER", "x >= 0 AND (x <= 10 AND x >= 2)", {"minimum": 2, "maximum": 10}),
        ("INTEGER", "x BETWEEN -5 AND 5", {"minimum": -5, "maximum": 5}),
        ("INTEGER", "0 < x AND x < 1e2", {"exclusiveMinimum": 0, "exclusiveMaximum": 100}),
        ("INTEGER", "x>=-5", {"minimum": -5}),
        ("DOUBLE PRECISION", "x > 0 AND x < 1.5e-1", {"exclusiveMinimum": 0, "exclusiveMaximum": 0.15}),
        ("VARCHAR(50)", "length(trim(x)) > 0 AND length(trim(x)) <= 10", {"minLength": 1, "maxLength": 50}),
        ("VARCHAR(50)", "char_length(x) BETWEEN 2 AND 20", {"minLength": 2, "maxLength": 20}),
    ],
)
def test_plan_bounds_field_only_as_far_as_check_does_when_check_is_compound(
    sql_type: str, check: str, expected: dict[str, Any]
) -> None:
    # Arrange
    example = '"abc"' if sql_type.startswith("VARCHAR") else "3"
    spec = spec_of(BOUNDS_DOCUMENT.format(type=sql_type, check=check, example=example))

    # Act
    prop = build_openapi(spec)["components"]["schemas"]["ThingCreate"]["properties"]["x"]

    # Assert
    assert {k: v for k, v in prop.items() if k in RANGE_KEYS} == expected


def test_request_accepts_value_the_database_accepts_when_check_is_conditional(tmp_path: Path) -> None:
    # Arrange
    document = BOUNDS_DOCUMENT.format(
        type="INTEGER", check="CASE WHEN kind = 'gift' THEN x = 0 ELSE x >= 1 END", example="0"
    )
    _, schemas = build_and_import(write_spec(tmp_path, document), tmp_path)

    # Act
    body = schemas.ThingCreate.model_validate({"kind": "gift", "x": 0})

    # Assert
    assert body.x == 0


# --- NUMERIC ranges ---------------------------------------------------------------------------------------

NUMERIC_DOCUMENT = """# T

## Database Schema

### products

| Column | Type | Constraints |
| ------ | ---- | ----------- |
| id     | BIGINT | PK, auto-increment |
| price  | NUMERIC(10,2) | NOT NULL, CHECK (price >= 0) |
| weight | NUMERIC | NOT NULL, CHECK (weight > 0) |
| rate   | NUMERIC | NOT NULL, CHECK (rate BETWEEN 0.25 AND 0.75) |

## API Contracts

### POST /api/products

- **Auth:** None (public)
- **Request Body:**
  ```json
  { "price": 9.99, "weight": 1.5, "rate": 0.5 }
  ```
  - **Fields:**
    - `weight` (number, required, 1–100): kg
- **Success Response (201):**
  ```json
  { "id": 1 }
  ```
- **Error Responses:**
  - 422: Validation error
"""


@pytest.mark.parametrize(
    ("body", "accepted"),
    [
        ({"price": "9.99", "weight": "1.5", "rate": "0.5"}, True),
        ({"price": "0", "weight": "100", "rate": "0.25"}, True),
        ({"price": "-0.01", "weight": "1.5", "rate": "0.5"}, False),
        ({"price": "9.99", "weight": "0.5", "rate": "0.5"}, False),
        ({"price": "9.99", "weight": "101", "rate": "0.5"}, False),
        ({"price": "9.99", "weight": "1.5", "rate": "0.76"}, False),
    ],
)
def test_request_checks_numeric_ranges_when_check_or_fields_entry_gives_them(
    body: dict[str, str], accepted: bool
) -> None:
    # Arrange
    from specc.emit.schemas import plan, render_plan
    from specc.emit.schemas.load import load_models

    files = render_plan(plan(spec_of(NUMERIC_DOCUMENT), "spec.md", None, Reporter()), "spec.md")
    create = next(c["ProductCreate"] for c in load_models(files).values() if "ProductCreate" in c)

    # Act
    try:
        create.model_validate(body)
        ok = True
    except ValidationError:
        ok = False

    # Assert
    assert ok is accepted


def test_component_schemas_equal_pydantic_when_numeric_columns_have_ranges() -> None:
    # Arrange
    from tests.emit.test_openapi_components import _mismatches

    spec = spec_of(NUMERIC_DOCUMENT)

    # Act
    mismatches = _mismatches(spec)

    # Assert
    assert mismatches == []


# --- request fields named by the models' attributes -------------------------------------------------------


def renamed_request_spec() -> str:
    rows = "\n".join(f"| {name} | INTEGER | |" for name in RENAMED if name != "metadata")
    body = ", ".join(f'"{name}": 1' for name in RENAMED if name != "metadata")
    return f"""# Renamed

## Database Schema

### gadgets

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| metadata | JSONB | |
{rows}

## API Contracts

### POST /api/gadgets

- **Auth:** Required
- **Request Body:**
  ```json
  {{ "metadata": {{"a": 1}}, {body} }}
  ```
- **Success Response (201):**
  ```json
  {{ "id": 1 }}
  ```

### PATCH /api/gadgets/{{id}}

- **Auth:** Required
- **Request Body:**
  ```json
  {{ "metadata": {{"a": 1}}, {body} }}
  ```
- **Success Response (200):**
  ```json
  {{ "id": 1 }}
  ```
"""


@pytest.fixture(scope="module")
def renamed_request(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, ModuleType]:
    tmp_path = tmp_path_factory.mktemp("renamed_request")
    return build_and_import(write_spec(tmp_path, renamed_request_spec()), tmp_path)


def test_request_dump_gives_model_attributes_when_models_rename_columns(
    renamed_request: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    models, schemas = renamed_request
    attributes = model_names(spec_of(renamed_request_spec())).attributes["gadgets"]
    sent = {"metadata": {"a": 1}, **{n: 7 for n in RENAMED if n != "metadata"}}

    # Act
    body = schemas.GadgetCreate.model_validate(sent)
    gadget = models.Gadget(**body.model_dump())

    # Assert
    assert all(attributes[name] != name for name in RENAMED)
    assert {name: getattr(gadget, attributes[name]) for name in RENAMED} == sent
    assert body.model_dump(by_alias=True) == sent


def test_partial_update_sets_model_attributes_when_models_rename_columns(
    renamed_request: tuple[ModuleType, ModuleType],
) -> None:
    # Arrange
    models, schemas = renamed_request
    gadget = models.Gadget(id=1)
    body = schemas.GadgetUpdate.model_validate({"metadata": {"a": 2}, "registry": 3})

    # Act
    for attribute, value in body.model_dump(exclude_unset=True).items():
        setattr(gadget, attribute, value)

    # Assert
    assert (gadget.metadata_, gadget.registry_) == ({"a": 2}, 3)


def test_openapi_names_request_properties_by_json_key_when_models_rename_columns() -> None:
    # Arrange
    from tests.emit.test_openapi_components import _mismatches

    spec = spec_of(renamed_request_spec())

    # Act
    components = build_openapi(spec)["components"]["schemas"]

    # Assert
    for name in ("GadgetCreate", "GadgetUpdate"):
        assert sorted(components[name]["properties"]) == sorted(RENAMED)
    assert _mismatches(spec) == []


# --- JSON columns are free-form ---------------------------------------------------------------------------

JSON_DOCUMENT = """# Shop

## Database Schema

### products

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| name | VARCHAR(100) | NOT NULL |
| metadata | JSONB | |
| tags | JSONB | NOT NULL |
| note | JSON | NOT NULL |

## API Contracts

### POST /api/products

- **Auth:** None (public)
- **Request Body:**
  ```json
  { "name": "x", "metadata": {"color": "red"}, "tags": [1], "note": "hello" }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "name": "x", "metadata": {"color": "red"}, "tags": [1], "note": "hello" }
  ```
"""


def json_models() -> dict[str, Any]:
    from specc.emit.schemas import plan, render_plan
    from specc.emit.schemas.load import load_models

    files = render_plan(plan(spec_of(JSON_DOCUMENT), "spec.md", None, Reporter()), "spec.md")
    return {name: cls for classes in load_models(files).values() for name, cls in classes.items()}


def test_request_accepts_any_json_when_column_is_jsonb() -> None:
    # Arrange
    create = json_models()["ProductCreate"]
    sent = {"name": "x", "metadata": {"size": 3, "deep": {"a": [1]}}, "tags": ["a", {"b": 2}], "note": {}}

    # Act
    body = create.model_validate(sent)

    # Assert
    assert body.model_dump(by_alias=True) == sent
    assert create.model_validate({"name": "x", "tags": [], "note": 1}).metadata_ is None


def test_request_requires_json_field_when_column_is_not_null() -> None:
    # Arrange
    create = json_models()["ProductCreate"]

    # Act
    with pytest.raises(ValidationError) as raised:
        create.model_validate({"name": "x", "metadata": {}})

    # Assert
    assert sorted(str(e["loc"][0]) for e in raised.value.errors()) == ["note", "tags"]


def test_response_accepts_any_json_when_column_is_jsonb() -> None:
    # Arrange
    response = json_models()["ProductResponse"]
    row = {"id": 1, "name": "x", "metadata": {"size": 3}, "tags": [{"a": None}], "note": [True]}

    # Act
    body = response.model_validate(row)

    # Assert
    assert body.model_dump(by_alias=True) == row
    assert len(json_models()) == 3  # ErrorResponse, ProductCreate, ProductResponse: no nested models
