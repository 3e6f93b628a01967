"""Feature: Delete Room (DELETE /api/rooms/{room_id})."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    MemberFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
    data_statements,
    insert_members,
    insert_messages,
)
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

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


@pytest.mark.spec("delete-room/performance/deleting-a-room-with-100-000-messages-completes-in-2s-on")
async def test_delete_room_sends_one_delete_and_the_database_cascades_to_10000_messages_and_1000_members(
    client: AsyncClient,
    connection: AsyncConnection,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
    sql_trace: list[Executed],
) -> None:
    """What keeps deleting a big room fast, measured instead of timed: the request sends exactly the
    statements it sends for a room with one message, a single DELETE of the room among them, and the
    room's 10,000 messages and 1,001 memberships are gone afterwards: PostgreSQL removed them through ON
    DELETE CASCADE (the app sent no statement for them), while another room's messages stay. Per-row ORM
    deletes, or loading the messages first, add statements that grow with the room and fail here.

    The statement list is independent of the room's size, so 10,000 messages (not the case's 100,000)
    suffice to show it; the cascade itself is PostgreSQL's set-based delete."""
    # Arrange
    small, large, kept = await room_factory(user), await room_factory(user), await room_factory(user)
    await message_factory(small, user)
    sql_trace.clear()
    await client.delete(f"/api/rooms/{small.id}", headers=auth_headers)
    for_a_small_room = [executed.sql for executed in data_statements(sql_trace)]
    await insert_messages(connection, [large.id], user.id, 10_000)
    await insert_members(connection, large.id, 1_000)
    await insert_messages(connection, [kept.id], user.id, 10)
    sql_trace.clear()

    # Act
    response = await client.delete(f"/api/rooms/{large.id}", headers=auth_headers)
    statements = [executed.sql for executed in data_statements(sql_trace)]

    # Assert
    assert response.status_code == 204
    assert statements == for_a_small_room
    assert [sql for sql in statements if sql.startswith("DELETE")] == [
        "DELETE FROM rooms WHERE rooms.id = $1::BIGINT"
    ]
    messages_left = await db.scalar(
        select(func.count()).select_from(Message).where(Message.room_id == large.id)
    )
    members_left = await db.scalar(
        select(func.count()).select_from(RoomMember).where(RoomMember.room_id == large.id)
    )
    assert (messages_left, members_left) == (0, 0)
    assert await db.scalar(select(func.count()).select_from(Message).where(Message.room_id == kept.id)) == 10
