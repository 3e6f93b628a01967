"""Feature: Delete Message (DELETE /api/messages/{message_id})."""

import pytest
from chatter_support import HeadersFor, MemberFactory, MessageFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Message, User

pytestmark = pytest.mark.anyio


async def _exists(db: AsyncSession, message_id: int) -> bool:
    return await db.scalar(select(Message.id).where(Message.id == message_id)) is not None


@pytest.mark.spec("delete-message-204")
async def test_delete_message_by_the_author_returns_204(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.delete(f"/api/messages/{message.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 204
    assert not await _exists(db, message.id)


@pytest.mark.parametrize("role", ["owner", "admin"])
@pytest.mark.spec("delete-message-moderator")
async def test_delete_message_by_the_room_owner_or_an_admin_returns_204(
    client: AsyncClient,
    db: AsyncSession,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
    role: str,
) -> None:
    # Arrange
    owner, author = await user_factory(), await user_factory()
    room = await room_factory(owner)
    await member_factory(room, author)
    moderator = owner
    if role == "admin":
        moderator = await user_factory()
        await member_factory(room, moderator, role="admin")
    message = await message_factory(room, author)

    # Act
    response = await client.delete(f"/api/messages/{message.id}", headers=headers_for(moderator))

    # Assert
    assert response.status_code == 204
    assert not await _exists(db, message.id)


@pytest.mark.spec("delete-message-401")
async def test_delete_message_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory, message_factory: MessageFactory
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.delete(f"/api/messages/{message.id}")

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("delete-message-403")
async def test_delete_message_returns_403_for_a_plain_member_who_is_not_the_author(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    other = await user_factory()
    await member_factory(room, other)
    message = await message_factory(room, user)

    # Act
    response = await client.delete(f"/api/messages/{message.id}", headers=headers_for(other))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Not the author, owner or an admin of the room"}
    assert await _exists(db, message.id)


@pytest.mark.spec("delete-message-404")
async def test_delete_message_returns_404_for_an_unknown_message(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.delete(f"/api/messages/{message.id + 1000}", headers=auth_headers)

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Message not found"}


@pytest.mark.spec("delete-message-twice-404")
async def test_delete_message_twice_returns_404_the_second_time(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)
    await client.delete(f"/api/messages/{message.id}", headers=auth_headers)

    # Act
    response = await client.delete(f"/api/messages/{message.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 404


@pytest.mark.spec("delete-message-non-member")
async def test_delete_message_returns_403_in_a_room_the_user_is_not_a_member_of(
    client: AsyncClient,
    db: AsyncSession,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange: the author left the room after writing
    owner, author = await user_factory(), await user_factory()
    room = await room_factory(owner)
    await member_factory(room, author)
    message = await message_factory(room, author)
    await client.post(f"/api/rooms/{room.id}/leave", headers=headers_for(author))

    # Act
    response = await client.delete(f"/api/messages/{message.id}", headers=headers_for(author))

    # Assert
    assert response.status_code == 403
    assert await _exists(db, message.id)


@pytest.mark.spec("delete-message-single-delete")
async def test_delete_message_sends_a_single_delete_by_primary_key(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
    sql_log: list[str],
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)
    sql_log.clear()

    # Act
    await client.delete(f"/api/messages/{message.id}", headers=auth_headers)

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == [writes[0]] and writes[0].startswith("DELETE FROM messages WHERE messages.id = ")
