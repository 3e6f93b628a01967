"""A realistic hand-built IR (users / rooms / room_members / messages + auth, rooms, messages contracts),
shared by the schema, OpenAPI and oracle tests, plus tests of the naming and routing rules it relies on."""

from __future__ import annotations

import importlib
import sys
import uuid
from pathlib import Path
from types import ModuleType

from specc.emit.base import GeneratedFiles
from specc.emit.schemas import names
from specc.ir.model import (
    ArrayShape,
    Body,
    Column,
    Endpoint,
    ForeignKey,
    ObjectField,
    ObjectShape,
    QueryParam,
    Response,
    ScalarShape,
    Shape,
    Spec,
    Table,
)


def s(kind: str, example: str | int | float | bool | None = None, fmt: str | None = None) -> ScalarShape:
    return ScalarShape.model_validate({"kind": kind, "example": example, "format": fmt})


def obj(**fields: Shape) -> ObjectShape:
    return ObjectShape(fields=tuple(ObjectField(name=k, shape=v) for k, v in fields.items()))


def pk() -> Column:
    return Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True)


def created_at() -> Column:
    return Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()")


USERS = Table(
    name="users",
    columns=(
        pk(),
        Column(name="email", type="VARCHAR(255)", nullable=False, unique=True, indexed=True),
        Column(name="password_hash", type="VARCHAR(255)", nullable=False),
        Column(name="display_name", type="VARCHAR(100)", nullable=False),
        Column(name="role", type="ENUM('member','admin')", nullable=False, default="'member'"),
        Column(name="balance", type="NUMERIC(10,2)", nullable=True),
        Column(name="is_active", type="BOOLEAN", nullable=False, default="true"),
        created_at(),
        Column(name="updated_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
    ),
)
ROOMS = Table(
    name="rooms",
    columns=(
        pk(),
        Column(name="name", type="VARCHAR(100)", nullable=False),
        Column(name="topic", type="TEXT", nullable=True),
        Column(
            name="created_by",
            type="BIGINT",
            nullable=False,
            foreign_key=ForeignKey(table="users", column="id", on_delete="CASCADE"),
        ),
        created_at(),
    ),
)
ROOM_MEMBERS = Table(
    name="room_members",
    columns=(
        pk(),
        Column(name="room_id", type="BIGINT", nullable=False, foreign_key=ForeignKey(table="rooms")),
        Column(name="user_id", type="BIGINT", nullable=False, foreign_key=ForeignKey(table="users")),
        Column(name="joined_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
    ),
)
MESSAGES = Table(
    name="messages",
    columns=(
        pk(),
        Column(name="room_id", type="BIGINT", nullable=False, foreign_key=ForeignKey(table="rooms")),
        Column(name="user_id", type="BIGINT", nullable=False, foreign_key=ForeignKey(table="users")),
        Column(name="content", type="VARCHAR(2000)", nullable=False),
        Column(name="tags", type="TEXT[]", nullable=True),
        Column(name="edited_at", type="TIMESTAMPTZ", nullable=True),
        created_at(),
    ),
)

ERRORS_422_409 = (
    Response(status=422, description="Validation error"),
    Response(status=409, description="Email already registered"),
)

ENDPOINTS = (
    Endpoint(
        method="POST",
        path="/api/auth/register",
        auth="public",
        auth_explicit=True,
        request_body=Body(
            shape=obj(
                email=s("string", "string"),
                password=s("string", "string"),
                display_name=s("string", "string"),
            )
        ),
        responses=(
            Response(
                status=201,
                description="Created",
                body=Body(
                    shape=obj(
                        id=s("integer", 1),
                        email=s("string", "user@example.com", "email"),
                        display_name=s("string", "Chris"),
                    )
                ),
            ),
            *ERRORS_422_409,
        ),
    ),
    Endpoint(
        method="POST",
        path="/api/auth/login",
        auth="public",
        request_body=Body(shape=obj(email=s("string", "string"), password=s("string", "string"))),
        responses=(
            Response(
                status=200,
                body=Body(
                    shape=obj(
                        access_token=s("string", "eyJ..."),
                        user=obj(id=s("integer", 1), email=s("string", "a@b.co", "email")),
                    )
                ),
            ),
            Response(status=401, description="Invalid credentials"),
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/rooms",
        query_params=(
            QueryParam(name="limit", type="integer", default="50", description="Page size"),
            QueryParam(name="q", type="string"),
        ),
        responses=(
            Response(
                status=200,
                body=Body(
                    shape=ArrayShape(
                        items=obj(id=s("integer", 1), name=s("string", "general"), topic=s("null"))
                    )
                ),
            ),
            Response(status=401, description="Not authenticated"),
        ),
    ),
    Endpoint(
        method="POST",
        path="/api/rooms",
        request_body=Body(shape=obj(name=s("string", "general"), topic=s("null"))),
        responses=(
            Response(
                status=201,
                body=Body(
                    shape=obj(
                        id=s("integer", 1),
                        name=s("string", "general"),
                        created_by=s("integer", 1),
                        created_at=s("string", "2026-01-01T00:00:00Z", "date-time"),
                    )
                ),
            ),
            Response(status=422, description="Validation error"),
        ),
    ),
    Endpoint(
        method="DELETE",
        path="/api/rooms/{id}",
        path_params=("id",),
        responses=(
            Response(status=204, description="Deleted"),
            Response(status=404, description="No such room"),
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/rooms/{id}/messages",
        path_params=("id",),
        query_params=(QueryParam(name="before", type="datetime"), QueryParam(name="mine", type="boolean")),
        responses=(
            Response(
                status=200,
                body=Body(
                    shape=obj(
                        items=ArrayShape(
                            items=obj(
                                id=s("integer", 1),
                                content=s("string", "hi"),
                                tags=ArrayShape(items=s("string", "x")),
                            )
                        ),
                        next_cursor=s("null"),
                    )
                ),
            ),
            Response(status=403, description="Not a member"),
            Response(status=404, description="No such room"),
        ),
    ),
    Endpoint(
        method="POST",
        path="/api/rooms/{room_id}/messages",
        path_params=("room_id",),
        request_body=Body(shape=obj(content=s("string", "hello"), tags=ArrayShape(items=None))),
        responses=(
            Response(status=201, body=Body(shape=obj(id=s("integer", 1), content=s("string", "hello")))),
            Response(status=403, description="Not a member"),
        ),
    ),
    Endpoint(
        method="GET",
        path="/api/health",
        auth="public",
        responses=(Response(status=200, body=Body(shape=s("string", "ok"))),),
    ),
)


def chat_spec() -> Spec:
    return Spec(title="Chat", tables=(USERS, ROOMS, ROOM_MEMBERS, MESSAGES), endpoints=ENDPOINTS)


def endpoint(method: str, path: str) -> Endpoint:
    for item in ENDPOINTS:
        if item.method == method and item.path == path:
            return item
    raise KeyError(f"{method} {path}")


def write_files(files: GeneratedFiles, root: Path) -> None:
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")


def import_generated(files: GeneratedFiles, tmp_path: Path, package: str = "schemas") -> ModuleType:
    """Writes `files` under a unique top-level package in tmp_path and imports its `package` normally."""
    top = f"specc_gen_{uuid.uuid4().hex[:12]}"
    write_files(files, tmp_path / top)
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(f"{top}.{package}")
    finally:
        sys.path.remove(str(tmp_path))


# --- naming and routing rules -----------------------------------------------------------------------------


def test_operation_ids_spell_params_with_by_when_path_has_params() -> None:
    # Arrange
    ordered = [endpoint("POST", "/api/auth/register"), endpoint("GET", "/api/rooms/{id}/messages")]
    # Act
    ids = names.operation_ids(ordered, "/api")
    # Assert
    assert ids == ["post_auth_register", "get_rooms_by_id_messages"]


def test_operation_ids_get_numeric_suffix_when_endpoints_repeat() -> None:
    # Arrange
    same = endpoint("GET", "/api/rooms")
    # Act
    ids = names.operation_ids([same, same, same], "/api")
    # Assert
    assert ids == ["get_rooms", "get_rooms_2", "get_rooms_3"]


def test_resource_table_is_last_segment_naming_a_table_when_nested() -> None:
    # Arrange
    tables = names.TableIndex(chat_spec().tables)
    # Act
    nested = names.resource_table(tables, endpoint("GET", "/api/rooms/{id}/messages"), "/api")
    single = names.resource_table(tables, endpoint("DELETE", "/api/rooms/{id}"), "/api")
    none = names.resource_table(tables, endpoint("POST", "/api/auth/login"), "/api")
    # Assert
    assert (nested and nested.name, single and single.name, none) == ("messages", "rooms", None)


def test_param_column_is_owner_primary_key_when_param_is_id() -> None:
    # Arrange
    tables = names.TableIndex(chat_spec().tables)
    # Act
    by_id = names.param_column(tables, endpoint("DELETE", "/api/rooms/{id}"), "/api", "id")
    by_fk = names.param_column(tables, endpoint("POST", "/api/rooms/{room_id}/messages"), "/api", "room_id")
    # Assert
    assert by_id is not None and by_id.type == "BIGINT"
    assert by_fk is not None and by_fk.name == "id"


def test_name_registry_suffixes_taken_names_when_claimed_twice() -> None:
    # Arrange
    registry = names.NameRegistry({"ErrorResponse"})
    # Act
    claimed = [registry.claim("ErrorResponse"), registry.claim("UserCreate"), registry.claim("UserCreate")]
    # Assert
    assert claimed == ["ErrorResponse2", "UserCreate", "UserCreate2"]


def test_attr_name_aliases_keywords_and_reserved_names_when_keys_clash() -> None:
    # Arrange
    used: set[str] = set()
    # Act
    result = [names.attr_name(k, used) for k in ("class", "model_config", "json", "user-id", "user_id", "_x")]
    # Assert
    assert result == ["class_", "model_config_", "json_", "user_id", "user_id_2", "x"]
