"""Feature: Create Room (POST /api/rooms)."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    RoomFactory,
    UserFactory,
    analyze,
    data_statements,
    explain,
    insert_rooms,
    scans_of,
)
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import Room, RoomMember, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("create-room-201")
async def test_create_room_returns_201_with_the_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload = {"name": "General", "description": "Anything goes", "is_private": True}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "General"
    assert body["description"] == "Anything goes"
    assert body["is_private"] is True
    assert body["created_by"] == user.id
    assert isinstance(body["id"], int)
    assert "created_at" in body


async def test_create_room_with_only_a_name_defaults_to_public_without_description(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload = {"name": "Just a name"}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 201
    assert response.json()["description"] is None
    assert response.json()["is_private"] is False


@pytest.mark.spec("create-room-owner-member")
async def test_create_room_adds_the_creator_as_owner_member(
    client: AsyncClient, db: AsyncSession, user: User, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload = {"name": "Owned"}

    # Act
    room_id = (await client.post("/api/rooms", json=payload, headers=auth_headers)).json()["id"]

    # Assert
    members = (
        await db.execute(select(RoomMember.user_id, RoomMember.role).where(RoomMember.room_id == room_id))
    ).all()
    assert [tuple(member) for member in members] == [(user.id, "owner")]


@pytest.mark.spec("create-room-listed")
async def test_create_room_then_appears_in_the_creators_room_list(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    room_id = (await client.post("/api/rooms", json={"name": "Listed"}, headers=auth_headers)).json()["id"]

    # Act
    response = await client.get("/api/rooms", params={"q": "Listed"}, headers=auth_headers)

    # Assert
    assert room_id in [item["id"] for item in response.json()["items"]]


@pytest.mark.spec("create-room-401")
async def test_create_room_returns_401_without_an_access_token(client: AsyncClient) -> None:
    # Arrange
    payload = {"name": "Anonymous"}

    # Act
    response = await client.post("/api/rooms", json=payload)

    # Assert
    assert response.status_code == 401


@pytest.mark.parametrize("name", ["", "   "])
@pytest.mark.spec("create-room-name-empty")
async def test_create_room_returns_422_when_the_name_is_empty(
    client: AsyncClient, auth_headers: dict[str, str], name: str
) -> None:
    # Arrange
    payload = {"name": name}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


@pytest.mark.spec("create-room-name-too-long")
async def test_create_room_returns_422_when_the_name_exceeds_100_characters(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload = {"name": "x" * 101}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


@pytest.mark.spec("create-room-name-taken")
async def test_create_room_returns_409_when_the_user_already_has_a_room_with_that_name(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    existing = await room_factory(user)

    # Act
    response = await client.post("/api/rooms", json={"name": existing.name}, headers=auth_headers)

    # Assert
    assert response.status_code == 409
    assert response.json() == {"detail": "You already have a room with that name"}


async def test_create_room_allows_a_name_another_user_already_uses(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange
    theirs = await room_factory(await user_factory())

    # Act
    response = await client.post("/api/rooms", json={"name": theirs.name}, headers=auth_headers)

    # Assert
    assert response.status_code == 201


@pytest.mark.spec("create-room-name-trimmed")
async def test_create_room_trims_whitespace_from_the_name(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload = {"name": "  Padded  "}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 201
    assert response.json()["name"] == "Padded"


@pytest.mark.spec("create-room-name-unicode")
async def test_create_room_keeps_a_unicode_name(client: AsyncClient, auth_headers: dict[str, str]) -> None:
    # Arrange
    payload = {"name": "Café ☕ Zürich 🎉"}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 201
    assert response.json()["name"] == "Café ☕ Zürich 🎉"


@pytest.mark.spec("create-room-name-reused")
async def test_create_room_immediately_after_deleting_one_with_the_same_name_works(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    old = await room_factory(user)
    assert (await client.delete(f"/api/rooms/{old.id}", headers=auth_headers)).status_code == 204

    # Act
    response = await client.post("/api/rooms", json={"name": old.name}, headers=auth_headers)

    # Assert
    assert response.status_code == 201
    assert response.json()["id"] != old.id


@pytest.mark.spec("create-room-created-by-from-token")
async def test_create_room_refuses_a_created_by_in_the_body(
    client: AsyncClient, db: AsyncSession, user: User, user_factory: UserFactory, headers_for: HeadersFor
) -> None:
    # Arrange: created_by always comes from the token; the request schema has no such field
    victim = await user_factory()
    payload = {"name": f"Spoofed {victim.id}", "created_by": victim.id}

    # Act
    response = await client.post("/api/rooms", json=payload, headers=headers_for(user))

    # Assert
    assert response.status_code == 422
    assert "created_by" in response.json()["detail"]
    assert await db.scalar(select(Room.id).where(Room.name == payload["name"])) is None


@pytest.mark.spec("create-room-rate-limited")
async def test_create_room_returns_429_after_10_rooms_per_minute(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    for n in range(10):
        assert (
            await client.post("/api/rooms", json={"name": f"r{n}"}, headers=auth_headers)
        ).status_code == 201

    # Act
    response = await client.post("/api/rooms", json={"name": "one too many"}, headers=auth_headers)

    # Assert
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many create room requests, try again later"}


@pytest.mark.spec("create-room-fast")
async def test_create_room_checks_the_name_by_index_and_sends_the_same_statements_with_1000_rooms(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    auth_headers: dict[str, str],
    sql_trace: list[Executed],
) -> None:
    """What keeps a room creation fast however many rooms exist, measured instead of timed: with 1,000 rooms
    of the same creator the request sends exactly the statements of a first room (no statement per existing
    room), writes only the room and its owner membership, and its name check is planned as an Index Scan
    on uq_rooms_created_by_name, the unique (created_by, name) index, so it stays one index probe.

    1,000 rooms is the case's own size; they share the creator, so only the name part of the index narrows
    the search (fresh statistics, rooms spanning dozens of pages: the planner picks the index because it is
    cheaper than reading the table). A check that compared names case-folded or loaded the creator's rooms
    into Python fails here."""
    # Arrange
    sql_trace.clear()
    await client.post("/api/rooms", json={"name": "first room"}, headers=auth_headers)
    for_a_first_room = [executed.sql for executed in data_statements(sql_trace)]
    await insert_rooms(connection, user.id, 1_000)
    await analyze(connection, "rooms")
    sql_trace.clear()

    # Act
    response = await client.post("/api/rooms", json={"name": "room 1001"}, headers=auth_headers)
    statements = data_statements(sql_trace)

    # Assert
    assert response.status_code == 201
    assert [executed.sql for executed in statements] == for_a_first_room
    writes = [executed.sql.split(" (")[0] for executed in statements if executed.sql.startswith("INSERT")]
    assert writes == ["INSERT INTO rooms", "INSERT INTO room_members"]
    name_checks = [executed for executed in statements if "WHERE rooms.created_by = $1" in executed.sql]
    assert len(name_checks) == 1
    plan = await explain(connection, name_checks[0])
    assert [(node.node_type, node.index) for node in scans_of(plan, "rooms")] == [
        ("Index Scan", "uq_rooms_created_by_name")
    ]
