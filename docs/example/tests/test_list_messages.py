"""Feature: List Messages (GET /api/rooms/{room_id}/messages)."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    MemberFactory,
    MessageFactory,
    RoomFactory,
    UserFactory,
    analyze,
    data_statements,
    explain,
    insert_messages,
    insert_rooms,
    scans_of,
)
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import Message, Room, User

pytestmark = pytest.mark.anyio


async def _messages(message_factory: MessageFactory, room: Room, author: User, count: int) -> list[Message]:
    return [await message_factory(room, author, content=f"message {n}") for n in range(count)]


@pytest.mark.spec("list-messages-200")
async def test_list_messages_returns_the_newest_50_newest_first(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    sent = await _messages(message_factory, room, user, 55)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert [item["id"] for item in body["items"]] == [message.id for message in reversed(sent)][:50]
    assert body["items"][0]["author_display_name"] == user.display_name
    assert body["next_cursor"] == sent[5].id


@pytest.mark.spec("list-messages-cursor")
async def test_list_messages_next_cursor_as_before_returns_the_next_page_without_gaps_or_duplicates(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    sent = await _messages(message_factory, room, user, 7)
    url = f"/api/rooms/{room.id}/messages"

    # Act
    seen: list[int] = []
    cursor: int | None = None
    pages = 0
    while True:
        params = {"limit": 3} if cursor is None else {"limit": 3, "before": cursor}
        page = (await client.get(url, params=params, headers=auth_headers)).json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page.get("next_cursor")
        if cursor is None:
            break

    # Assert
    assert seen == [message.id for message in reversed(sent)]
    assert pages == 3


@pytest.mark.spec("list-messages-limit")
async def test_list_messages_limit_changes_the_page_size(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    await _messages(message_factory, room, user, 4)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", params={"limit": 2}, headers=auth_headers)

    # Assert
    assert len(response.json()["items"]) == 2


@pytest.mark.spec("list-messages-401")
async def test_list_messages_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages")

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("list-messages-403")
async def test_list_messages_returns_403_when_the_user_is_not_a_member(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(await user_factory())

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Not a member of the room"}


@pytest.mark.spec("list-messages-404")
async def test_list_messages_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id + 1000}/messages", headers=auth_headers)

    # Assert
    assert response.status_code == 404


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"before": "abc"}])
@pytest.mark.spec("list-messages-limit-422", "list-messages-before-422")
async def test_list_messages_returns_422_for_an_invalid_limit_or_before(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    params: dict[str, int | str],
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", params=params, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert next(iter(params)) in response.json()["detail"]


@pytest.mark.spec("list-messages-empty")
async def test_list_messages_of_an_empty_room_has_no_items_and_no_next_cursor(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert response.json().get("next_cursor") is None


@pytest.mark.spec("list-messages-stable-pages")
async def test_list_messages_older_pages_do_not_shift_when_a_message_is_sent_while_paging(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    sent = await _messages(message_factory, room, user, 4)
    url = f"/api/rooms/{room.id}/messages"
    first = (await client.get(url, params={"limit": 2}, headers=auth_headers)).json()
    await client.post(url, json={"content": "arrived while paging"}, headers=auth_headers)

    # Act
    second = await client.get(url, params={"limit": 2, "before": first["next_cursor"]}, headers=auth_headers)

    # Assert
    assert [item["id"] for item in second.json()["items"]] == [sent[1].id, sent[0].id]


@pytest.mark.spec("list-messages-before-deleted")
async def test_list_messages_before_a_deleted_message_returns_the_older_ones(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    sent = await _messages(message_factory, room, user, 3)
    await db.delete(sent[2])
    await db.flush()

    # Act
    response = await client.get(
        f"/api/rooms/{room.id}/messages", params={"before": sent[2].id}, headers=auth_headers
    )

    # Assert
    assert [item["id"] for item in response.json()["items"]] == [sent[1].id, sent[0].id]


@pytest.mark.spec("list-messages-private")
async def test_list_messages_of_a_private_room_are_never_returned_to_non_members(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    message_factory: MessageFactory,
) -> None:
    # Arrange
    owner = await user_factory()
    room = await room_factory(owner, is_private=True)
    secret = await message_factory(room, owner, content="the secret")

    # Act
    response = await client.get(f"/api/rooms/{room.id}/messages", headers=headers_for(await user_factory()))

    # Assert
    assert response.status_code == 403
    assert secret.content not in response.text


async def test_list_messages_sends_as_many_statements_for_many_authors_as_for_one(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    message_factory: MessageFactory,
    sql_log: list[str],
) -> None:
    # Arrange: author names come from one join, not one query per message
    quiet, busy = await room_factory(user), await room_factory(user)
    await message_factory(quiet, user)
    for _ in range(5):
        author = await user_factory()
        await member_factory(busy, author)
        await message_factory(busy, author)
    sql_log.clear()
    await client.get(f"/api/rooms/{quiet.id}/messages", headers=auth_headers)
    for_one = len(sql_log)
    sql_log.clear()

    # Act
    response = await client.get(f"/api/rooms/{busy.id}/messages", headers=auth_headers)

    # Assert
    assert len({item["author_display_name"] for item in response.json()["items"]}) >= 1
    assert len(response.json()["items"]) == 5
    assert len(sql_log) == for_one


@pytest.mark.spec("list-messages/performance/fetching-any-page-of-a-room-with-1-000-000-messages")
async def test_list_messages_reads_only_the_page_from_the_room_id_id_index_for_the_newest_and_an_old_page(
    client: AsyncClient,
    connection: AsyncConnection,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    sql_trace: list[Executed],
) -> None:
    """Any page costs one page, measured instead of timed: for the newest page and for a page deep in the
    history, the page query is planned as an Index Scan Backward on ix_messages_room_id_id, the
    (room_id, id) index, that returns exactly limit + 1 = 51 rows (EXPLAIN ANALYZE) with no Sort: the
    cursor (id < before) starts the scan at the page, so no other message is read however many the room
    has. Paging with OFFSET, ordering by another column, or losing the index fails here.

    The room's messages are 1 in 100 of the table (20,000 messages dealt round-robin over it and 99 other
    rooms, fresh statistics), as in a table holding many rooms, where even a room of a million messages is a
    small share: reading the primary key or the table would visit a hundred rows per row of the page, and
    the planner picks the index. (With a room holding 1 in 20 of the table, PostgreSQL's default costs
    prefer the primary key, which then reads about 20 rows per row of the page.) What the index scan reads
    does not depend on the room's size, so its 200 messages stand for the case's 1,000,000."""
    # Arrange
    room = await room_factory(user)
    await insert_rooms(connection, user.id, 99)
    other_rooms = await db.scalars(select(Room.id).where(Room.created_by == user.id, Room.id != room.id))
    await insert_messages(connection, [room.id, *other_rooms], user.id, 20_000)
    await analyze(connection, "messages", "users")
    oldest_first = list(
        await db.scalars(select(Message.id).where(Message.room_id == room.id).order_by(Message.id))
    )
    sql_trace.clear()

    # Act
    newest = await client.get(f"/api/rooms/{room.id}/messages", headers=auth_headers)
    old = await client.get(
        f"/api/rooms/{room.id}/messages", params={"before": oldest_first[100]}, headers=auth_headers
    )
    page_queries = [
        executed for executed in data_statements(sql_trace) if executed.sql.startswith("SELECT messages.id,")
    ]

    # Assert
    assert len(oldest_first) == 200
    assert [item["id"] for item in newest.json()["items"]] == oldest_first[:-51:-1]
    assert [item["id"] for item in old.json()["items"]] == oldest_first[99:49:-1]
    assert len(page_queries) == 2
    for page_query in page_queries:
        plan = await explain(connection, page_query, analyze=True)
        assert [
            (node.node_type, node.index, node.scan_direction, node.actual_rows)
            for node in scans_of(plan, "messages")
        ] == [("Index Scan", "ix_messages_room_id_id", "Backward", 51)]
        assert "Sort" not in {node.node_type for node in plan}
