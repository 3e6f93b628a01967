"""Feature: Leave Room (POST /api/rooms/{room_id}/leave)."""

import pytest
from chatter_support import HeadersFor, MemberFactory, MessageFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Message, RoomMember, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("leave-room-204")
async def test_leave_room_by_a_member_returns_204_and_removes_the_membership(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    await member_factory(room, user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/leave", headers=auth_headers)

    # Assert
    assert response.status_code == 204
    membership = await db.scalar(
        select(RoomMember.role).where(RoomMember.room_id == room.id, RoomMember.user_id == user.id)
    )
    assert membership is None


@pytest.mark.spec("leave-room-401")
async def test_leave_room_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/leave")

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("leave-room-owner-403")
async def test_leave_room_returns_403_for_the_owner(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/leave", headers=auth_headers)

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "The owner cannot leave their own room"}


@pytest.mark.spec("leave-room-404")
async def test_leave_room_returns_404_when_the_user_is_not_a_member(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(await user_factory())

    # Act
    response = await client.post(f"/api/rooms/{room.id}/leave", headers=auth_headers)

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Room not found or not a member"}


@pytest.mark.spec("leave-room-keeps-messages")
async def test_leave_room_keeps_the_users_earlier_messages(
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
    room = await room_factory(await user_factory())
    await member_factory(room, user)
    message = await message_factory(room, user)

    # Act
    await client.post(f"/api/rooms/{room.id}/leave", headers=auth_headers)

    # Assert
    assert await db.scalar(select(Message.content).where(Message.id == message.id)) == message.content


@pytest.mark.spec("leave-room-private-403")
async def test_leave_room_then_reading_a_private_rooms_messages_returns_403(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory(), is_private=True)
    leaver = await user_factory()
    await member_factory(room, leaver)
    await client.post(f"/api/rooms/{room.id}/leave", headers=headers_for(leaver))

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=headers_for(leaver))

    # Assert
    assert response.status_code == 403


@pytest.mark.spec("leave-room-single-delete")
async def test_leave_room_sends_a_single_delete_by_primary_key(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    sql_log: list[str],
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    await member_factory(room, user)
    sql_log.clear()

    # Act
    await client.post(f"/api/rooms/{room.id}/leave", headers=auth_headers)

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1
    assert writes[0].startswith("DELETE FROM room_members WHERE room_members.room_id = ")
    assert "room_members.user_id = " in writes[0]
