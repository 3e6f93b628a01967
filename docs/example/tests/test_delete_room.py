"""Feature: Delete Room (DELETE /api/rooms/{room_id})."""

import pytest
from chatter_support import HeadersFor, MemberFactory, MessageFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Message, Room, RoomMember, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("delete-room-204")
async def test_delete_room_by_the_owner_returns_204(
    client: AsyncClient, db: AsyncSession, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 204
    assert await db.scalar(select(Room.id).where(Room.id == room.id)) is None


@pytest.mark.spec("delete-room-cascade")
async def test_delete_room_deletes_its_memberships_and_messages(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    member = await user_factory()
    await member_factory(room, member)
    await message_factory(room, user)
    await message_factory(room, member)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 204
    members = await db.scalar(
        select(func.count()).select_from(RoomMember).where(RoomMember.room_id == room.id)
    )
    messages = await db.scalar(select(func.count()).select_from(Message).where(Message.room_id == room.id))
    assert (members, messages) == (0, 0)


@pytest.mark.spec("delete-room-401")
async def test_delete_room_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}")

    # Assert
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["admin", "member", None])
@pytest.mark.spec("delete-room-403", "delete-room-guessed-id")
async def test_delete_room_returns_403_when_the_user_is_not_the_owner(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    role: str | None,
) -> None:
    # Arrange: admins included; a non-member guessing the id too
    room = await room_factory(await user_factory())
    caller = await user_factory()
    if role is not None:
        await member_factory(room, caller, role=role)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}", headers=headers_for(caller))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the owner can delete the room"}


@pytest.mark.spec("delete-room-404")
async def test_delete_room_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.delete(f"/api/rooms/{room.id + 1000}", headers=auth_headers)

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Room not found"}


@pytest.mark.spec("delete-room-twice-404")
async def test_delete_room_twice_returns_404_the_second_time(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)
    await client.delete(f"/api/rooms/{room.id}", headers=auth_headers)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 404


async def test_delete_room_sends_one_delete_and_lets_on_delete_cascade_do_the_rest(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
    sql_log: list[str],
) -> None:
    # Arrange: no per-row ORM deletes, however many members and messages
    room = await room_factory(user)
    await member_factory(room, await user_factory())
    await message_factory(room, user)
    await message_factory(room, user)
    sql_log.clear()

    # Act
    await client.delete(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    deletes = [statement for statement in sql_log if statement.startswith("DELETE")]
    assert len(deletes) == 1
    assert deletes[0].startswith("DELETE FROM rooms ")
