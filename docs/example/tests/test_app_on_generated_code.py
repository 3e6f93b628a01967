"""The generated code a real app runs on: issue 10's defects stay fixed, seen from the app.

Each test names the issue item it guards. The generated migrations building the app's database are checked in
test_migrations.py, the OpenAPI document the app serves in test_app_openapi.py.
"""

import pytest
from chatter_support import PASSWORD, MemberFactory, MessageFactory, RoomFactory, UserFactory, unique_email
from httpx import AsyncClient
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from generated.models import Message, Room, RoomMember, User
from generated.schemas import (
    MessageCreate,
    MessageResponse,
    RoomCreate,
    RoomMemberResponse,
    RoomResponse,
    RoomUpdate,
    UserCreate,
    UserResponse,
)

pytestmark = pytest.mark.anyio


async def test_item1_fresh_message_with_null_edited_at_serialises(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "new"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 201
    assert response.json()["edited_at"] is None


async def test_item1_room_without_description_is_listed_and_created(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user, description=None)

    # Act
    listed = await client.get("/api/rooms", params={"q": room.name}, headers=auth_headers)
    created = await client.post("/api/rooms", json={"name": "no description"}, headers=auth_headers)

    # Assert
    assert listed.status_code == 200
    assert listed.json()["items"][0]["description"] is None
    assert created.status_code == 201


async def test_item2_patch_of_one_field_works_and_tells_absent_from_null() -> None:
    # Arrange
    body = RoomUpdate.model_validate({"description": None})

    # Act
    changes = body.model_dump(exclude_unset=True)

    # Assert
    assert changes == {"description": None}
    assert RoomUpdate.model_validate({}).model_dump(exclude_unset=True) == {}


async def test_item2_patch_of_one_field_returns_200(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"is_private": True}, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["is_private"]) == (room.name, True)


async def test_item3_password_x_returns_422(client: AsyncClient) -> None:
    # Arrange
    payload = {"email": unique_email(), "password": "x", "display_name": "Ada"}

    # Act
    response = await client.post("/api/auth/register", json=payload)

    # Assert
    assert response.status_code == 422


async def test_item3_empty_content_returns_422_not_500(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/messages", json={"content": ""}, headers=auth_headers)

    # Assert
    assert response.status_code == 422


async def test_item3_contract_schemas_carry_the_documents_constraints() -> None:
    # Arrange
    cases: list[tuple[type[BaseModel], dict[str, object]]] = [
        (UserCreate, {"email": unique_email(), "password": "short", "display_name": "Ada"}),
        (UserCreate, {"email": unique_email(), "password": PASSWORD, "display_name": ""}),
        (RoomCreate, {"name": ""}),
        (MessageCreate, {"content": ""}),
        (MessageCreate, {"content": "x" * 4001}),
    ]

    # Act
    accepted = [schema.__name__ for schema, data in cases if _valid(schema, data)]

    # Assert
    assert accepted == []


def _valid(schema: type[BaseModel], data: dict[str, object]) -> bool:
    try:
        schema.model_validate(data)
    except ValueError:
        return False
    return True


async def test_item4_request_schemas_take_no_server_owned_field() -> None:
    # Arrange
    fields = {schema.__name__: set(schema.model_fields) for schema in (UserCreate, RoomCreate, RoomUpdate)}

    # Act
    leaked = {
        name: names & {"password_hash", "created_by", "id", "created_at", "updated_at"}
        for name, names in fields.items()
    }

    # Assert
    assert leaked == {"UserCreate": set(), "RoomCreate": set(), "RoomUpdate": set()}


async def test_item5_response_models_validate_orm_rows(
    db: AsyncSession,
    user: User,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
    user_factory: UserFactory,
) -> None:
    # Arrange
    room = await room_factory(user, description=None)
    membership = await member_factory(room, await user_factory())
    message = await message_factory(room, user)

    # Act
    user_body = UserResponse.model_validate(user)
    room_body = RoomResponse.model_validate(room)
    membership_body = RoomMemberResponse.model_validate(membership)
    message_body = MessageResponse.model_validate(message)

    # Assert
    assert (user_body.id, user_body.email) == (user.id, user.email)
    assert (room_body.id, room_body.description) == (room.id, None)
    assert (membership_body.user_id, membership_body.role) == (membership.user_id, "member")
    assert (message_body.id, message_body.edited_at) == (message.id, None)


async def test_item7_validation_error_body_is_a_detail_string(client: AsyncClient) -> None:
    # Arrange
    payload = {"email": "not-an-email"}

    # Act
    response = await client.post("/api/auth/register", json=payload)

    # Assert
    assert response.status_code == 422
    body = response.json()
    assert list(body) == ["detail"]
    assert isinstance(body["detail"], str) and body["detail"]


async def test_item10_deleting_a_room_with_members_and_messages_works(
    db: AsyncSession,
    user: User,
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange: the room read afresh, as DELETE /api/rooms/{room_id} does
    room = await room_factory(user)
    await member_factory(room, await user_factory())
    await message_factory(room, user)
    db.expunge_all()
    loaded = await db.get(Room, room.id)
    assert loaded is not None

    # Act
    await db.delete(loaded)
    await db.flush()

    # Assert
    remaining = await db.scalar(select(RoomMember.user_id).where(RoomMember.room_id == room.id))
    assert remaining is None
    assert await db.scalar(select(Message.id).where(Message.room_id == room.id)) is None


async def test_item11_relationships_load_explicitly_never_implicitly(
    db: AsyncSession, user: User, room_factory: RoomFactory
) -> None:
    # Arrange: rooms read afresh, their relationships not loaded
    room = await room_factory(user)
    db.expunge_all()

    # Act
    eager = await db.scalar(select(Room).where(Room.id == room.id).options(selectinload(Room.users)))
    loaded = [member.id for member in eager.users] if eager is not None else []
    db.expunge_all()
    lazy = await db.get(Room, room.id)
    with pytest.raises(InvalidRequestError) as implicit:
        _ = lazy.room_members if lazy is not None else None

    # Assert: selectinload loads; an implicit lazy load is a clear error, not MissingGreenlet
    assert loaded == [user.id]
    assert "room_members" in str(implicit.value)
