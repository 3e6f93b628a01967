"""Feature: Send Message (POST /api/rooms/{room_id}/messages); the WebSocket push is in test_websocket.py."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    RoomFactory,
    UserFactory,
    analyze,
    data_statements,
    explain,
    insert_messages,
    scans_of,
)
from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import Message, User

pytestmark = pytest.mark.anyio


async def _stored_content(db: AsyncSession, message_id: int) -> str | None:
    return await db.scalar(select(Message.content).where(Message.id == message_id))


@pytest.mark.spec("send-message-201")
async def test_send_message_returns_201_with_the_message(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "Hi"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 201
    body = response.json()
    assert (body["room_id"], body["user_id"], body["content"]) == (room.id, user.id, "Hi")
    assert body["edited_at"] is None
    assert isinstance(body["id"], int)
    assert "created_at" in body


@pytest.mark.spec("send-message-listed-first")
async def test_send_message_then_it_appears_first_in_the_history(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)
    await client.post(f"/api/rooms/{room.id}/messages", json={"content": "older"}, headers=auth_headers)
    sent = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "newest"}, headers=auth_headers
    )

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)

    # Assert
    first = response.json()["items"][0]
    assert (first["id"], first["content"], first["author_display_name"]) == (
        sent.json()["id"],
        "newest",
        user.display_name,
    )


@pytest.mark.spec("send-message-401")
async def test_send_message_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/messages", json={"content": "Hi"})

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("send-message-403")
async def test_send_message_returns_403_when_the_user_is_not_a_member(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange: a public room, but the user has not joined it
    room = await room_factory(await user_factory())

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "Hi"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Not a member of the room"}


@pytest.mark.spec("send-message-404")
async def test_send_message_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id + 1000}/messages", json={"content": "Hi"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Room not found"}


@pytest.mark.parametrize("content", ["", "   \n\t "])
@pytest.mark.spec("send-message-empty-422")
async def test_send_message_returns_422_when_content_is_empty_or_only_whitespace(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory, content: str
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": content}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 422
    assert "content" in response.json()["detail"]


@pytest.mark.spec("send-message-too-long-422")
async def test_send_message_returns_422_when_content_exceeds_4000_characters(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "x" * 4001}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 422
    assert "content" in response.json()["detail"]


@pytest.mark.spec("send-message-4000-accepted")
async def test_send_message_accepts_exactly_4000_characters(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": "x" * 4000}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 201
    assert len(response.json()["content"]) == 4000


@pytest.mark.spec("send-message-unicode")
async def test_send_message_stores_unicode_and_right_to_left_text_unchanged(
    client: AsyncClient, db: AsyncSession, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)
    content = "שלום עולם 👋🏽 مرحبا — naïve"

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": content}, headers=auth_headers
    )

    # Assert
    assert response.json()["content"] == content
    assert await _stored_content(db, response.json()["id"]) == content


@pytest.mark.spec("send-message/security/html-in-content-is-stored-as-text-and-escaped-when-rendered")
async def test_send_message_keeps_html_as_inert_text_in_the_database_and_in_every_json_response(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
) -> None:
    """The API's half of the case. Escaping at render time is the frontend's job (React escapes text it
    renders; the frontend is not part of this repository). For that to be safe and correct the API must keep
    the markup as plain text, byte for byte (neither stripped nor entity-encoded, which would show as
    "&lt;script&gt;" once the frontend escapes it again), and hand it out only as a JSON string, never in a
    text/html response a browser would interpret: the reply to the POST and the room's message list are
    both application/json. (The WebSocket push sends the same serialised message; see test_websocket.)"""
    # Arrange
    room = await room_factory(user)
    content = '<script>alert("x")</script><img src=x onerror="alert(1)"> & <b>bold</b>'

    # Act
    sent = await client.post(
        f"/api/rooms/{room.id}/messages", json={"content": content}, headers=auth_headers
    )
    listed = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)

    # Assert
    assert sent.status_code == 201
    stored = await connection.scalar(
        text("SELECT content FROM messages WHERE id = :id"), {"id": sent.json()["id"]}
    )
    assert stored == content
    assert (sent.headers["content-type"], listed.headers["content-type"]) == (
        "application/json",
        "application/json",
    )
    assert sent.json()["content"] == content
    assert [item["content"] for item in listed.json()["items"]] == [content]


@pytest.mark.spec("send-message-user-from-token")
async def test_send_message_takes_the_author_from_the_token_never_from_the_body(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    other = await user_factory()
    url = f"/api/rooms/{room.id}/messages"

    # Act
    spoofed = await client.post(
        url, json={"content": "spoof", "user_id": other.id}, headers=headers_for(user)
    )
    sent = await client.post(url, json={"content": "mine"}, headers=headers_for(user))

    # Assert
    assert spoofed.status_code == 422
    assert "user_id" in spoofed.json()["detail"]
    assert sent.json()["user_id"] == user.id
    authors = set(await db.scalars(select(Message.user_id).where(Message.room_id == room.id)))
    assert authors == {user.id}


@pytest.mark.spec("send-message-rate-limited")
async def test_send_message_returns_429_after_30_messages_per_minute(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)
    url = f"/api/rooms/{room.id}/messages"
    for n in range(30):
        assert (await client.post(url, json={"content": f"m{n}"}, headers=auth_headers)).status_code == 201

    # Act
    response = await client.post(url, json={"content": "one too many"}, headers=auth_headers)

    # Assert
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many message requests, try again later"}


@pytest.mark.spec("send-message/performance/sending-a-message-to-a-room-with-1-000-000-messages")
async def test_send_message_to_a_room_with_10000_messages_sends_the_statements_of_an_empty_room(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    sql_trace: list[Executed],
) -> None:
    """What keeps sending fast however long a room's history, measured instead of timed: a message to a room
    with 10,000 messages costs exactly the statements of a message to an empty room (room and membership by
    primary key, one INSERT), and its only read of messages is the new row by primary key (an Index Scan on
    pk_messages). Counting, loading or scanning the room's messages on send fails here.

    The statements do not depend on the history's length, so 10,000 messages (fresh statistics) stand for the
    case's 1,000,000; the INSERT's index upkeep grows only logarithmically with the table."""
    # Arrange
    empty, busy = await room_factory(user), await room_factory(user)
    await insert_messages(connection, [busy.id], user.id, 10_000)
    await analyze(connection, "messages")
    sql_trace.clear()
    await client.post(f"/api/rooms/{empty.id}/messages", json={"content": "first"}, headers=auth_headers)
    to_an_empty_room = [executed.sql for executed in data_statements(sql_trace)]
    sql_trace.clear()

    # Act
    response = await client.post(
        f"/api/rooms/{busy.id}/messages", json={"content": "next"}, headers=auth_headers
    )
    statements = data_statements(sql_trace)

    # Assert
    assert response.status_code == 201
    assert [executed.sql for executed in statements] == to_an_empty_room
    message_scans = [
        (node.node_type, node.index)
        for executed in statements
        if executed.sql.startswith("SELECT")
        for node in scans_of(await explain(connection, executed), "messages")
    ]
    assert message_scans == [("Index Scan", "pk_messages")]
