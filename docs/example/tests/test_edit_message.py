"""Feature: Edit Message (PATCH /api/messages/{message_id})."""

import pytest
from chatter_support import HeadersFor, MemberFactory, MessageFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Message, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("edit-message-200")
async def test_edit_message_by_the_author_returns_200_with_new_content_and_edited_at(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user, content="typo")

    # Act
    response = await client.patch(
        f"/api/messages/{message.id}", json={"content": "fixed"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["content"]) == (message.id, "fixed")
    assert body["edited_at"] is not None
    assert await db.scalar(select(Message.content).where(Message.id == message.id)) == "fixed"


@pytest.mark.spec("edit-message-401")
async def test_edit_message_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory, message_factory: MessageFactory
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.patch(f"/api/messages/{message.id}", json={"content": "x"})

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("edit-message-403")
async def test_edit_message_returns_403_when_the_user_is_not_the_author(
    client: AsyncClient,
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
    response = await client.patch(
        f"/api/messages/{message.id}", json={"content": "x"}, headers=headers_for(other)
    )

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author can edit a message"}


@pytest.mark.spec("edit-message-404")
async def test_edit_message_returns_404_for_an_unknown_message(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.patch(
        f"/api/messages/{message.id + 1000}", json={"content": "x"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Message not found"}


@pytest.mark.parametrize("content", ["", "  ", "x" * 4001])
@pytest.mark.spec("edit-message-422")
async def test_edit_message_returns_422_when_content_is_empty_or_exceeds_4000_characters(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
    content: str,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user)

    # Act
    response = await client.patch(
        f"/api/messages/{message.id}", json={"content": content}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 422
    assert "content" in response.json()["detail"]


@pytest.mark.spec("edit-message-unchanged")
async def test_edit_message_with_unchanged_content_still_sets_edited_at(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    message = await message_factory(await room_factory(user), user, content="same")

    # Act
    response = await client.patch(
        f"/api/messages/{message.id}", json={"content": "same"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 200
    assert response.json()["edited_at"] is not None


@pytest.mark.parametrize("role", ["owner", "admin"])
@pytest.mark.spec("edit-message-moderators-403")
async def test_edit_message_returns_403_for_room_owners_and_admins_editing_others_messages(
    client: AsyncClient,
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
    editor = owner
    if role == "admin":
        editor = await user_factory()
        await member_factory(room, editor, role="admin")
    message = await message_factory(room, author)

    # Act
    response = await client.patch(
        f"/api/messages/{message.id}", json={"content": "x"}, headers=headers_for(editor)
    )

    # Assert
    assert response.status_code == 403


@pytest.mark.spec("edit-message-single-update")
async def test_edit_message_sends_a_single_update_after_the_authorship_check(
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
    await client.patch(f"/api/messages/{message.id}", json={"content": "edited"}, headers=auth_headers)

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1
    assert writes[0].startswith("UPDATE messages SET ")
