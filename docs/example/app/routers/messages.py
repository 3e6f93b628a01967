"""Message routes: history, send, edit, delete."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.dependencies.app_state import Hub
from app.dependencies.rate_limit import limit_per_user
from app.services import message_service
from generated import contracts
from generated.database import DbSession
from generated.models import Message
from generated.schemas import MessageCreate, MessagePage, MessageUpdate
from generated.security import CurrentUser

router = APIRouter()


@router.api_route(**contracts.get_rooms_by_room_id_messages)
async def list_messages(
    room_id: int,
    user: CurrentUser,
    db: DbSession,
    before: Annotated[
        int | None, Query(description="Only messages with an id lower than this cursor")
    ] = None,
    limit: Annotated[int, Query(description="Max messages (1–100)", ge=1, le=100)] = 50,
) -> MessagePage:
    return await message_service.list_messages(db, user, room_id, before, limit)


@router.api_route(**contracts.post_rooms_by_room_id_messages)
async def send_message(
    room_id: int,
    body: MessageCreate,
    user: CurrentUser,
    db: DbSession,
    hub: Hub,
    _: None = Depends(limit_per_user("message", 30)),
) -> Message:
    return await message_service.send_message(db, user, room_id, body, hub)


@router.api_route(**contracts.patch_messages_by_message_id)
async def edit_message(message_id: int, body: MessageUpdate, user: CurrentUser, db: DbSession) -> Message:
    return await message_service.edit_message(db, user, message_id, body)


@router.api_route(**contracts.delete_messages_by_message_id)
async def delete_message(message_id: int, user: CurrentUser, db: DbSession) -> None:
    await message_service.delete_message(db, user, message_id)
