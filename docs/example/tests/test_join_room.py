"""Feature: Join Room (POST /api/rooms/{room_id}/join)."""

import asyncio

import pytest
from chatter_support import PASSWORD, Committed, HeadersFor, MemberFactory, RoomFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import RoomMember, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("join-room-201")
async def test_join_room_returns_201_with_role_member_for_a_public_room(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())

    # Act
    response = await client.post(f"/api/rooms/{room.id}/join", headers=auth_headers)

    # Assert
    assert response.status_code == 201
    body = response.json()
    assert (body["room_id"], body["user_id"], body["role"]) == (room.id, user.id, "member")
    assert "joined_at" in body


@pytest.mark.spec("join-room/happy-path/the-room-then-appears-in-the-user-s-get-api-rooms")
async def test_join_room_then_lists_the_room_for_the_user_as_one_of_their_rooms(
    client: AsyncClient,
    db: AsyncSession,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
) -> None:
    """Every user's list shows public rooms, joined or not, so the listing right after the join does not
    show the join by itself: the room then turns private, and it stays in the user's list (it is one of
    their rooms now) while it leaves the list of a user who did not join. A join that answered 201 without
    storing the membership fails here."""
    # Arrange
    room = await room_factory(await user_factory())
    outsider = await user_factory()

    # Act
    joined = await client.post(f"/api/rooms/{room.id}/join", headers=auth_headers)
    listed_public = await client.get("/api/rooms", params={"q": room.name}, headers=auth_headers)
    room.is_private = True
    await db.flush()
    listed_private = await client.get("/api/rooms", params={"q": room.name}, headers=auth_headers)
    listed_for_outsider = await client.get(
        "/api/rooms", params={"q": room.name}, headers=headers_for(outsider)
    )

    # Assert
    assert joined.status_code == 201
    assert [item["id"] for item in listed_public.json()["items"]] == [room.id]
    assert [item["id"] for item in listed_private.json()["items"]] == [room.id]
    assert listed_for_outsider.json() == {"items": [], "total": 0}


@pytest.mark.spec("join-room-401")
async def test_join_room_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/join")

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("join-room-403")
async def test_join_room_returns_403_for_a_private_room(
    client: AsyncClient, auth_headers: dict[str, str], user_factory: UserFactory, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(await user_factory(), is_private=True)

    # Act
    response = await client.post(f"/api/rooms/{room.id}/join", headers=auth_headers)

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "The room is private"}


@pytest.mark.spec("join-room-404")
async def test_join_room_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.post(f"/api/rooms/{room.id + 1000}/join", headers=auth_headers)

    # Assert
    assert response.status_code == 404


@pytest.mark.spec("join-room-409")
async def test_join_room_returns_409_when_already_a_member(
    client: AsyncClient,
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
    response = await client.post(f"/api/rooms/{room.id}/join", headers=auth_headers)

    # Assert
    assert response.status_code == 409
    assert response.json() == {"detail": "Already a member"}


@pytest.mark.spec("join-room-self-only")
async def test_join_room_only_ever_adds_the_signed_in_user(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
) -> None:
    # Arrange: a body naming someone else is ignored (the operation has no body)
    owner, bystander = await user_factory(), await user_factory()
    room = await room_factory(owner)

    # Act
    response = await client.post(
        f"/api/rooms/{room.id}/join", json={"user_id": bystander.id}, headers=auth_headers
    )

    # Assert
    assert response.json()["user_id"] == user.id
    members = set(await db.scalars(select(RoomMember.user_id).where(RoomMember.room_id == room.id)))
    assert members == {owner.id, user.id}


@pytest.mark.spec("join-room-concurrent")
async def test_join_room_two_concurrent_joins_by_one_user_create_one_membership_and_one_409(
    committed: Committed,
) -> None:
    # Arrange: a public room and a second user, created through the API (the requests commit for real)
    headers = []
    for name in ("Owner", "Joiner"):
        email = committed.email()
        await committed.client.post(
            "/api/auth/register", json={"email": email, "password": PASSWORD, "display_name": name}
        )
        login = await committed.client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        headers.append({"Authorization": f"Bearer {login.json()['access_token']}"})
    room = (await committed.client.post("/api/rooms", json={"name": "Race"}, headers=headers[0])).json()

    # Act
    responses = await asyncio.gather(
        committed.client.post(f"/api/rooms/{room['id']}/join", headers=headers[1]),
        committed.client.post(f"/api/rooms/{room['id']}/join", headers=headers[1]),
    )

    # Assert
    assert sorted(response.status_code for response in responses) == [201, 409]
    members = await committed.client.get(f"/api/rooms/{room['id']}/members", headers=headers[0])
    assert [item["role"] for item in members.json()["items"]] == ["owner", "member"]


@pytest.mark.spec("join-room-single-insert")
async def test_join_room_sends_a_single_insert_guarded_by_the_primary_key(
    client: AsyncClient,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    sql_log: list[str],
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    sql_log.clear()

    # Act
    await client.post(f"/api/rooms/{room.id}/join", headers=auth_headers)

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT INTO room_members ")
    assert "ON CONFLICT DO NOTHING" in writes[0]
