"""Room routes: list, create, read, update, delete, members, join, leave."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.dependencies.rate_limit import limit_per_user
from app.services import room_service
from generated import contracts
from generated.database import DbSession
from generated.models import Room, RoomMember
from generated.schemas import RoomCreate, RoomDetailResponse, RoomMemberList, RoomPage, RoomUpdate
from generated.security import CurrentUser

router = APIRouter()


@router.api_route(**contracts.get_rooms)
async def list_rooms(
    user: CurrentUser,
    db: DbSession,
    q: Annotated[str | None, Query(description="Case-insensitive filter on the room name")] = None,
    limit: Annotated[int, Query(description="Max rooms per page (1–100)", ge=1, le=100)] = 50,
    offset: Annotated[int, Query(description="Rooms to skip")] = 0,
) -> RoomPage:
    return await room_service.list_rooms(db, user, q, limit, offset)


@router.api_route(**contracts.post_rooms)
async def create_room(
    body: RoomCreate, user: CurrentUser, db: DbSession, _: None = Depends(limit_per_user("create room", 10))
) -> Room:
    return await room_service.create_room(db, user, body)


@router.api_route(**contracts.get_rooms_by_room_id)
async def get_room(room_id: int, user: CurrentUser, db: DbSession) -> RoomDetailResponse:
    return await room_service.get_room(db, user, room_id)


@router.api_route(**contracts.patch_rooms_by_room_id)
async def update_room(room_id: int, body: RoomUpdate, user: CurrentUser, db: DbSession) -> Room:
    return await room_service.update_room(db, user, room_id, body)


@router.api_route(**contracts.delete_rooms_by_room_id)
async def delete_room(room_id: int, user: CurrentUser, db: DbSession) -> None:
    await room_service.delete_room(db, user, room_id)


@router.api_route(**contracts.get_rooms_by_room_id_members)
async def list_members(room_id: int, user: CurrentUser, db: DbSession) -> RoomMemberList:
    return await room_service.list_members(db, user, room_id)


@router.api_route(**contracts.post_rooms_by_room_id_join)
async def join_room(room_id: int, user: CurrentUser, db: DbSession) -> RoomMember:
    return await room_service.join_room(db, user, room_id)


@router.api_route(**contracts.post_rooms_by_room_id_leave)
async def leave_room(room_id: int, user: CurrentUser, db: DbSession) -> None:
    await room_service.leave_room(db, user, room_id)


@router.api_route(**contracts.delete_rooms_by_room_id_members_by_user_id)
async def remove_member(room_id: int, user_id: int, user: CurrentUser, db: DbSession) -> None:
    await room_service.remove_member(db, user, room_id, user_id)
