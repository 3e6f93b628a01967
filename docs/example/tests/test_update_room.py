"""Feature: Update Room (PATCH /api/rooms/{room_id})."""

import datetime

import pytest
from chatter_support import HeadersFor, MemberFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Room, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("update-room-200")
async def test_update_room_by_the_owner_changes_every_field_and_returns_200(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user, description="old")
    payload = {"name": "Renamed", "description": "new", "is_private": True}

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["name"], body["description"], body["is_private"]) == (
        room.id,
        "Renamed",
        "new",
        True,
    )
    assert body["created_by"] == user.id


@pytest.mark.spec("update-room-admin-rename")
async def test_update_room_lets_an_admin_rename_it(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    admin = await user_factory()
    await member_factory(room, admin, role="admin")

    # Act
    response = await client.patch(
        f"/api/rooms/{room.id}", json={"name": "By admin"}, headers=headers_for(admin)
    )

    # Assert
    assert response.status_code == 200
    assert response.json()["name"] == "By admin"


@pytest.mark.spec("update-room-updated-at")
async def test_update_room_changes_updated_at(
    client: AsyncClient, db: AsyncSession, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange: an updated_at in the past (the whole test runs in one transaction, where now() stands still)
    room = await room_factory(user)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    await db.execute(update(Room).where(Room.id == room.id).values(updated_at=long_ago))

    # Act
    response = await client.patch(
        f"/api/rooms/{room.id}", json={"description": "touched"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 200
    updated_at = await db.scalar(select(Room.updated_at).where(Room.id == room.id))
    assert updated_at is not None and updated_at > long_ago


@pytest.mark.spec("update-room-401")
async def test_update_room_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"name": "x"})

    # Assert
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["member", None])
@pytest.mark.spec("update-room-403")
async def test_update_room_returns_403_for_a_plain_member_or_a_non_member(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    role: str | None,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    caller = await user_factory()
    if role is not None:
        await member_factory(room, caller, role=role)

    # Act
    response = await client.patch(
        f"/api/rooms/{room.id}", json={"name": "Hijacked"}, headers=headers_for(caller)
    )

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the owner or an admin can update the room"}


@pytest.mark.spec("update-room-404")
async def test_update_room_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id + 1000}", json={"name": "x"}, headers=auth_headers)

    # Assert
    assert response.status_code == 404


@pytest.mark.spec("update-room-409")
async def test_update_room_returns_409_when_the_name_collides_with_another_room_of_the_creator(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)
    other = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"name": other.name}, headers=auth_headers)

    # Assert
    assert response.status_code == 409
    assert response.json() == {"detail": "You already have a room with that name"}


@pytest.mark.parametrize("name", ["", "x" * 101])
@pytest.mark.spec("update-room-422")
async def test_update_room_returns_422_when_the_name_is_empty_or_longer_than_100(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory, name: str
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"name": name}, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


@pytest.mark.spec("update-room-partial")
async def test_update_room_with_only_description_leaves_name_and_is_private_unchanged(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user, is_private=True, description="before")

    # Act
    response = await client.patch(
        f"/api/rooms/{room.id}", json={"description": "after"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["description"], body["is_private"]) == (room.name, "after", True)


async def test_update_room_clears_the_description_with_null(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user, description="to be removed")

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"description": None}, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert response.json()["description"] is None


@pytest.mark.spec("update-room-same-name")
async def test_update_room_to_its_current_name_succeeds(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.patch(f"/api/rooms/{room.id}", json={"name": room.name}, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert response.json()["name"] == room.name


@pytest.mark.spec("update-room-created-by")
async def test_update_room_cannot_change_created_by(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    other = await user_factory()

    # Act
    response = await client.patch(
        f"/api/rooms/{room.id}", json={"created_by": other.id, "name": "Not mine"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 422
    assert "created_by" in response.json()["detail"]
    assert await db.scalar(select(Room.created_by).where(Room.id == room.id)) == user.id


@pytest.mark.spec("update-room-single-update")
async def test_update_room_sends_a_single_update_after_the_ownership_check(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    sql_log: list[str],
) -> None:
    # Arrange
    room = await room_factory(user)
    sql_log.clear()

    # Act
    await client.patch(
        f"/api/rooms/{room.id}", json={"name": "Once", "is_private": True}, headers=auth_headers
    )

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1
    assert writes[0].startswith("UPDATE rooms SET ")
