"""Feature: List Rooms (GET /api/rooms)."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    MemberFactory,
    RoomFactory,
    UserFactory,
    analyze,
    data_statements,
    explain,
    insert_rooms,
)
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection

from generated.models import User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("list-rooms-200")
async def test_list_rooms_returns_the_users_rooms_plus_public_rooms(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    other = await user_factory()
    own_private = await room_factory(user, is_private=True)
    joined_private = await room_factory(other, is_private=True)
    await member_factory(joined_private, user)
    public = await room_factory(other)

    # Act
    response = await client.get("/api/rooms", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    body = response.json()
    ids = [item["id"] for item in body["items"]]
    assert {own_private.id, joined_private.id, public.id} <= set(ids)
    assert body["total"] >= 3
    assert ids == sorted(ids, reverse=True)  # newest first (same transaction: same created_at, then by id)


@pytest.mark.spec("list-rooms-private-hidden")
async def test_list_rooms_never_lists_private_rooms_the_user_is_not_a_member_of(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange
    hidden = await room_factory(await user_factory(), is_private=True)

    # Act
    response = await client.get("/api/rooms", params={"limit": 100}, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert hidden.id not in [item["id"] for item in response.json()["items"]]


@pytest.mark.spec("list-rooms-q-filter")
async def test_list_rooms_filters_by_name_case_insensitively(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    marker = f"Zebra{user.id}"
    match = await room_factory(user, name=f"The {marker} Lounge")
    await room_factory(user, name=f"Other {user.id}")

    # Act
    response = await client.get("/api/rooms", params={"q": marker.lower()}, headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [match.id]
    assert response.json()["total"] == 1


@pytest.mark.spec("list-rooms-paging")
async def test_list_rooms_pages_with_limit_and_offset_and_counts_all_matches(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    marker = f"page{user.id}x"
    rooms = [await room_factory(user, name=f"{marker} {n}") for n in range(5)]
    newest_first = [room.id for room in reversed(rooms)]

    # Act
    first = await client.get("/api/rooms", params={"q": marker, "limit": 2}, headers=auth_headers)
    second = await client.get(
        "/api/rooms", params={"q": marker, "limit": 2, "offset": 2}, headers=auth_headers
    )

    # Assert
    assert [item["id"] for item in first.json()["items"]] == newest_first[:2]
    assert [item["id"] for item in second.json()["items"]] == newest_first[2:4]
    assert first.json()["total"] == second.json()["total"] == 5


@pytest.mark.spec("list-rooms-401")
async def test_list_rooms_returns_401_without_an_access_token(client: AsyncClient) -> None:
    # Arrange: no Authorization header

    # Act
    response = await client.get("/api/rooms")

    # Assert
    assert response.status_code == 401


@pytest.mark.parametrize("limit", [0, 101])
@pytest.mark.spec("list-rooms-limit-422")
async def test_list_rooms_returns_422_when_limit_is_out_of_range(
    client: AsyncClient, auth_headers: dict[str, str], limit: int
) -> None:
    # Arrange: limit must be 1–100

    # Act
    response = await client.get("/api/rooms", params={"limit": limit}, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "limit" in response.json()["detail"]


async def test_list_rooms_returns_422_when_offset_is_negative(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange: PostgreSQL refuses a negative OFFSET; the API answers 422, not 500

    # Act
    response = await client.get("/api/rooms", params={"offset": -1}, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert response.json() == {"detail": "offset must not be negative"}


async def test_list_rooms_returns_empty_items_and_total_0_when_nothing_matches(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange: a filter no room name contains

    # Act
    response = await client.get(
        "/api/rooms", params={"q": "no-such-room-name-anywhere"}, headers=auth_headers
    )

    # Assert
    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0}


@pytest.mark.spec("list-rooms-q-literal")
async def test_list_rooms_matches_percent_and_underscore_in_q_literally(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    literal = await room_factory(user, name=f"100% done_{user.id}")
    await room_factory(user, name=f"100 percent doneX{user.id}")

    # Act
    response = await client.get("/api/rooms", params={"q": f"% done_{user.id}"}, headers=auth_headers)

    # Assert
    assert [item["id"] for item in response.json()["items"]] == [literal.id]


@pytest.mark.spec("list-rooms-empty")
async def test_list_rooms_for_a_user_with_no_rooms_and_no_public_rooms_is_empty(
    client: AsyncClient, user_factory: UserFactory, headers_for: HeadersFor, room_factory: RoomFactory
) -> None:
    # Arrange: only a private room of someone else exists in this test's view
    await room_factory(await user_factory(), is_private=True)
    newcomer = await user_factory()

    # Act
    response = await client.get("/api/rooms", headers=headers_for(newcomer))

    # Assert
    assert response.status_code == 200
    assert response.json() == {"items": [], "total": 0}


@pytest.mark.spec("list-rooms/performance/listing-with-10-000-rooms-completes-in-200ms")
async def test_list_rooms_sends_the_statements_of_a_one_room_listing_and_sorts_one_page_among_10000_rooms(
    client: AsyncClient,
    connection: AsyncConnection,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    sql_trace: list[Executed],
) -> None:
    """What keeps a listing of 10,000 visible rooms fast, measured instead of timed: the request sends the
    very statements it sends when one room is visible (one count(*) aggregate for the total, one page query:
    no statement per room), and PostgreSQL returns only the page: the page query's plan is a Limit yielding
    50 rows, over at most a top-N heapsort (memory for 50 rows, not for 10,000). A listing that fetched every
    room and sliced or counted in Python, or checked membership room by room, fails here.

    10,000 rooms is the case's own size (inserted in one statement, fresh statistics)."""
    # Arrange
    other = await user_factory()
    await room_factory(other)
    sql_trace.clear()
    await client.get("/api/rooms", headers=auth_headers)
    with_one_room = [executed.sql for executed in data_statements(sql_trace)]
    await insert_rooms(connection, other.id, 10_000)
    await analyze(connection, "rooms", "room_members")
    sql_trace.clear()

    # Act
    response = await client.get("/api/rooms", headers=auth_headers)
    statements = data_statements(sql_trace)

    # Assert
    body = response.json()
    assert (len(body["items"]), body["total"]) == (50, 10_001)
    assert [executed.sql for executed in statements] == with_one_room
    page_queries = [executed for executed in statements if executed.sql.startswith("SELECT rooms.id,")]
    assert len(page_queries) == 1
    plan = await explain(connection, page_queries[0], analyze=True)
    assert (plan[0].node_type, plan[0].actual_rows) == ("Limit", 50)
    assert {node.sort_method for node in plan if node.node_type == "Sort"} <= {"top-N heapsort"}
