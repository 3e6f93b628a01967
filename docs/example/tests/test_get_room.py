"""Feature: Get Room (GET /api/rooms/{room_id})."""

import pytest
from chatter_support import HeadersFor, MemberFactory, RoomFactory, UserFactory
from httpx import AsyncClient

from generated.models import User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("get-room-public-200")
async def test_get_room_returns_200_with_member_count_for_a_public_room(
    client: AsyncClient,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    owner = await user_factory()
    room = await room_factory(owner, description=None)
    await member_factory(room, await user_factory())

    # Act
    response = await client.get(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == room.id
    assert body["name"] == room.name
    assert body["description"] is None
    assert body["created_by"] == owner.id
    assert body["member_count"] == 2


@pytest.mark.spec("get-room-private-member")
async def test_get_room_lets_a_member_read_a_private_room(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory(), is_private=True)
    await member_factory(room, user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert response.json()["is_private"] is True


@pytest.mark.spec("get-room-401")
async def test_get_room_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}")

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("get-room-403", "get-room-403-no-leak")
async def test_get_room_returns_403_without_revealing_a_private_rooms_name_to_non_members(
    client: AsyncClient, user_factory: UserFactory, headers_for: HeadersFor, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(
        await user_factory(), name="Secret plans", description="Top secret", is_private=True
    )
    outsider = await user_factory()

    # Act
    response = await client.get(f"/api/rooms/{room.id}", headers=headers_for(outsider))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Private room and you are not a member"}
    assert "Secret" not in response.text


@pytest.mark.spec("get-room-404")
async def test_get_room_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id + 1000}", headers=auth_headers)

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Room not found"}


@pytest.mark.spec("get-room-422")
async def test_get_room_returns_422_for_a_non_numeric_room_id(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange: "abc" is not an integer

    # Act
    response = await client.get("/api/rooms/abc", headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "room_id" in response.json()["detail"]


@pytest.mark.spec("get-room-count-aggregate")
async def test_get_room_counts_members_with_one_aggregate_query_without_loading_them(
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
    response = await client.get(f"/api/rooms/{room.id}", headers=auth_headers)

    # Assert
    assert response.json()["member_count"] == 1
    assert len([statement for statement in sql_log if "count(*)" in statement]) == 1
    assert not [statement for statement in sql_log if "room_members.joined_at" in statement]
