"""Feature: Room Members (GET /api/rooms/{room_id}/members, DELETE /api/rooms/{room_id}/members/{user_id})."""

import pytest
from chatter_support import (
    Executed,
    HeadersFor,
    MemberFactory,
    RoomFactory,
    UserFactory,
    data_statements,
    insert_members,
)
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import RoomMember, User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("members-200")
async def test_members_returns_200_with_every_member_role_and_joined_at(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    admin = await user_factory(display_name="Admin Ann")
    await member_factory(room, admin, role="admin")

    # Act
    response = await client.get(f"/api/rooms/{room.id}/members", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    items = response.json()["items"]
    assert {(item["user_id"], item["display_name"], item["role"]) for item in items} == {
        (user.id, user.display_name, "owner"),
        (admin.id, "Admin Ann", "admin"),
    }
    assert all("joined_at" in item for item in items)


@pytest.mark.spec("members-remove-204")
async def test_remove_member_by_the_owner_returns_204_and_removes_the_membership(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    member = await user_factory()
    await member_factory(room, member)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}/members/{member.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 204
    remaining = set(await db.scalars(select(RoomMember.user_id).where(RoomMember.room_id == room.id)))
    assert remaining == {user.id}


async def test_remove_member_by_an_admin_returns_204(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    admin, member = await user_factory(), await user_factory()
    await member_factory(room, admin, role="admin")
    await member_factory(room, member)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}/members/{member.id}", headers=headers_for(admin))

    # Assert
    assert response.status_code == 204


@pytest.mark.spec("members-401")
async def test_members_returns_401_without_an_access_token(
    client: AsyncClient, user: User, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    listed = await client.get(f"/api/rooms/{room.id}/members")
    removed = await client.delete(f"/api/rooms/{room.id}/members/{user.id}")

    # Assert
    assert (listed.status_code, removed.status_code) == (401, 401)


@pytest.mark.spec("members-remove-403")
async def test_remove_member_returns_403_when_a_plain_member_removes_someone(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
) -> None:
    # Arrange
    room = await room_factory(await user_factory())
    plain, other = await user_factory(), await user_factory()
    await member_factory(room, plain)
    await member_factory(room, other)

    # Act
    response = await client.delete(f"/api/rooms/{room.id}/members/{other.id}", headers=headers_for(plain))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the owner or an admin can remove members"}


@pytest.mark.parametrize("remover_role", ["owner", "admin"])
@pytest.mark.spec("members-remove-owner-403")
async def test_remove_member_returns_403_when_anyone_removes_the_owner(
    client: AsyncClient,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    room_factory: RoomFactory,
    member_factory: MemberFactory,
    remover_role: str,
) -> None:
    # Arrange
    owner = await user_factory()
    room = await room_factory(owner)
    remover = owner
    if remover_role == "admin":
        remover = await user_factory()
        await member_factory(room, remover, role="admin")

    # Act
    response = await client.delete(f"/api/rooms/{room.id}/members/{owner.id}", headers=headers_for(remover))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Nobody can remove the owner of a room"}


@pytest.mark.spec("members-404")
async def test_members_returns_404_for_an_unknown_room(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    listed = await client.get(f"/api/rooms/{room.id + 1000}/members", headers=auth_headers)
    removed = await client.delete(f"/api/rooms/{room.id + 1000}/members/{user.id}", headers=auth_headers)

    # Assert
    assert (listed.status_code, removed.status_code) == (404, 404)


@pytest.mark.spec("members-404")
async def test_remove_member_returns_404_for_a_user_who_is_not_a_member(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    user_factory: UserFactory,
    room_factory: RoomFactory,
) -> None:
    # Arrange
    room = await room_factory(user)
    stranger = await user_factory()

    # Act
    response = await client.delete(f"/api/rooms/{room.id}/members/{stranger.id}", headers=auth_headers)

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Room or membership not found"}


@pytest.mark.spec("members-single")
async def test_members_of_a_room_with_only_its_owner_lists_exactly_one_member(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/members", headers=auth_headers)

    # Assert
    assert [(item["user_id"], item["role"]) for item in response.json()["items"]] == [(user.id, "owner")]


@pytest.mark.spec("members-private")
async def test_members_of_a_private_room_are_visible_only_to_members(
    client: AsyncClient, user_factory: UserFactory, headers_for: HeadersFor, room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(await user_factory(), is_private=True)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/members", headers=headers_for(await user_factory()))

    # Assert
    assert response.status_code == 403
    assert response.json() == {"detail": "Private room and you are not a member"}


@pytest.mark.spec("members-no-email")
async def test_members_list_never_contains_email_addresses(
    client: AsyncClient, user: User, auth_headers: dict[str, str], room_factory: RoomFactory
) -> None:
    # Arrange
    room = await room_factory(user)

    # Act
    response = await client.get(f"/api/rooms/{room.id}/members", headers=auth_headers)

    # Assert
    assert set(response.json()["items"][0]) == {"user_id", "display_name", "role", "joined_at"}
    assert user.email not in response.text


@pytest.mark.spec("room-members/performance/listing-5-000-members-completes-in-300ms-one-join-no-n-1")
async def test_members_lists_5000_members_with_the_statements_of_a_one_member_room(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    auth_headers: dict[str, str],
    room_factory: RoomFactory,
    sql_trace: list[Executed],
) -> None:
    """One join, no N+1, measured at the case's own size: listing a room of 5,000 members sends exactly the
    statements that listing a room with only its owner sends, and the members come from a single statement
    joining room_members to users. A lookup of each member's name, or of each membership, fails here."""
    # Arrange
    small, large = await room_factory(user), await room_factory(user)
    sql_trace.clear()
    await client.get(f"/api/rooms/{small.id}/members", headers=auth_headers)
    for_one_member = [executed.sql for executed in data_statements(sql_trace)]
    await insert_members(connection, large.id, 4_999)
    sql_trace.clear()

    # Act
    response = await client.get(f"/api/rooms/{large.id}/members", headers=auth_headers)
    statements = [executed.sql for executed in data_statements(sql_trace)]

    # Assert
    assert len(response.json()["items"]) == 5_000
    assert statements == for_one_member
    member_reads = [sql for sql in statements if "room_members" in sql]
    assert len(member_reads) == 1
    assert "FROM room_members JOIN users ON users.id = room_members.user_id" in member_reads[0]
