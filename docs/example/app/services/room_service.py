"""Rooms and memberships: listing, creation, reading, updates, deletion, join, leave and member removal."""

from fastapi import HTTPException, status
from sqlalchemy import ColumnElement, delete, exists, false, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import Room, RoomMember, User
from generated.schemas import (
    RoomCreate,
    RoomDetailResponse,
    RoomMemberList,
    RoomMemberListItem,
    RoomPage,
    RoomResponse,
    RoomUpdate,
)

ROOM_NOT_FOUND = "Room not found"
MANAGERS = ("owner", "admin")


def _escape_like(text: str) -> str:
    """`text` for a LIKE pattern with `\\` as escape character: % and _ match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def get_room_or_404(db: AsyncSession, room_id: int) -> Room:
    room = await db.get(Room, room_id)
    if room is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, ROOM_NOT_FOUND)
    return room


async def member_role(db: AsyncSession, room_id: int, user_id: int) -> str | None:
    """The user's role in the room, None when not a member."""
    return await db.scalar(
        select(RoomMember.role).where(RoomMember.room_id == room_id, RoomMember.user_id == user_id)
    )


async def _require_readable(db: AsyncSession, room: Room, user: User) -> None:
    if room.is_private and await member_role(db, room.id, user.id) is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Private room and you are not a member")


def _clean_name(name: str | None) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Room name must not be empty")
    return cleaned


async def _name_taken(db: AsyncSession, created_by: int, name: str, except_id: int | None = None) -> bool:
    query = select(Room.id).where(Room.created_by == created_by, Room.name == name)
    if except_id is not None:
        query = query.where(Room.id != except_id)
    return await db.scalar(query) is not None


def _name_conflict() -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, "You already have a room with that name")


async def list_rooms(db: AsyncSession, user: User, q: str | None, limit: int, offset: int) -> RoomPage:
    """Public rooms and the user's rooms, newest first, with the total number of matches."""
    if offset < 0:  # the document gives offset no range, so the contract cannot refuse it: the service does
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "offset must not be negative")
    is_member = exists().where(RoomMember.room_id == Room.id, RoomMember.user_id == user.id)
    visible: ColumnElement[bool] = (Room.is_private == false()) | is_member
    conditions = [visible]
    if q:
        conditions.append(Room.name.ilike(f"%{_escape_like(q)}%", escape="\\"))
    total = await db.scalar(select(func.count()).select_from(Room).where(*conditions))
    rooms = await db.scalars(
        select(Room)
        .where(*conditions)
        .order_by(Room.created_at.desc(), Room.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return RoomPage(items=[RoomResponse.model_validate(room) for room in rooms], total=total or 0)


async def create_room(db: AsyncSession, user: User, data: RoomCreate) -> Room:
    """Create a room owned by `user` (never by an id from the body) and make the user its owner member."""
    name = _clean_name(data.name)
    if await _name_taken(db, user.id, name):
        raise _name_conflict()
    room = Room(name=name, description=data.description, created_by=user.id)
    if data.is_private is not None:
        room.is_private = data.is_private
    db.add(room)
    try:
        await db.flush()
        db.add(RoomMember(room_id=room.id, user_id=user.id, role="owner"))
        await db.commit()
    except IntegrityError:  # a concurrent creation with the same name won the race
        await db.rollback()
        raise _name_conflict() from None
    await db.refresh(room)
    return room


async def get_room(db: AsyncSession, user: User, room_id: int) -> RoomDetailResponse:
    """A room with its member count (one aggregate query); private rooms only for members."""
    room = await get_room_or_404(db, room_id)
    await _require_readable(db, room, user)
    member_count = await db.scalar(
        select(func.count()).select_from(RoomMember).where(RoomMember.room_id == room.id)
    )
    return RoomDetailResponse(
        id=room.id,
        name=room.name,
        description=room.description,
        is_private=room.is_private,
        created_by=room.created_by,
        member_count=member_count or 0,
        created_at=room.created_at,
    )


async def update_room(db: AsyncSession, user: User, room_id: int, data: RoomUpdate) -> Room:
    """Apply the fields present in the body (a partial update); owner and admins only."""
    room = await get_room_or_404(db, room_id)
    if await member_role(db, room.id, user.id) not in MANAGERS:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the owner or an admin can update the room")
    changes = data.model_dump(exclude_unset=True)
    if "name" in changes:
        name = _clean_name(changes["name"])
        if await _name_taken(db, room.created_by, name, except_id=room.id):
            raise _name_conflict()
        room.name = name
    if "description" in changes:
        room.description = changes["description"]
    if "is_private" in changes:
        if changes["is_private"] is None:
            raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "is_private must be true or false")
        room.is_private = changes["is_private"]
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        raise _name_conflict() from None
    await db.refresh(room)
    return room


async def delete_room(db: AsyncSession, user: User, room_id: int) -> None:
    """Delete a room; the database cascades to its memberships and messages. Owner only."""
    room = await get_room_or_404(db, room_id)
    if await member_role(db, room.id, user.id) != "owner":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the owner can delete the room")
    await db.delete(room)
    await db.commit()


async def list_members(db: AsyncSession, user: User, room_id: int) -> RoomMemberList:
    """Every member with display name, role and join time (one join, no email addresses)."""
    room = await get_room_or_404(db, room_id)
    await _require_readable(db, room, user)
    rows = await db.execute(
        select(RoomMember.user_id, User.display_name, RoomMember.role, RoomMember.joined_at)
        .join(User, User.id == RoomMember.user_id)
        .where(RoomMember.room_id == room.id)
        .order_by(RoomMember.joined_at, RoomMember.user_id)
    )
    return RoomMemberList(items=[RoomMemberListItem.model_validate(row) for row in rows])


async def join_room(db: AsyncSession, user: User, room_id: int) -> RoomMember:
    """Join a public room as a member: one INSERT guarded by the primary key."""
    room = await get_room_or_404(db, room_id)
    if room.is_private:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The room is private")
    member: RoomMember | None = await db.scalar(
        insert(RoomMember)
        .values(room_id=room.id, user_id=user.id, role="member")
        .on_conflict_do_nothing()
        .returning(RoomMember)
    )
    if member is None:
        raise HTTPException(status.HTTP_409_CONFLICT, "Already a member")
    await db.commit()
    return member


async def leave_room(db: AsyncSession, user: User, room_id: int) -> None:
    """Leave a room (one DELETE by primary key); the owner cannot leave."""
    await get_room_or_404(db, room_id)
    role = await member_role(db, room_id, user.id)
    if role is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Room not found or not a member")
    if role == "owner":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "The owner cannot leave their own room")
    await db.execute(delete(RoomMember).where(RoomMember.room_id == room_id, RoomMember.user_id == user.id))
    await db.commit()


async def remove_member(db: AsyncSession, user: User, room_id: int, member_id: int) -> None:
    """Remove a member; owner and admins only, and nobody removes the owner."""
    await get_room_or_404(db, room_id)
    if await member_role(db, room_id, user.id) not in MANAGERS:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the owner or an admin can remove members")
    target_role = await member_role(db, room_id, member_id)
    if target_role is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Room or membership not found")
    if target_role == "owner":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Nobody can remove the owner of a room")
    await db.execute(delete(RoomMember).where(RoomMember.room_id == room_id, RoomMember.user_id == member_id))
    await db.commit()
