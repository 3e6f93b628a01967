"""Messages: history with cursor pagination, sending (with the WebSocket push), editing and deletion."""

import datetime

from fastapi import HTTPException, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.services.realtime import RoomHub
from app.services.room_service import MANAGERS, get_room_or_404, member_role
from generated.models import Message, User
from generated.schemas import MessageCreate, MessageListItem, MessagePage, MessageResponse, MessageUpdate

MESSAGE_NOT_FOUND = "Message not found"


async def _require_member(db: AsyncSession, room_id: int, user: User) -> str:
    await get_room_or_404(db, room_id)
    role = await member_role(db, room_id, user.id)
    if role is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Not a member of the room")
    return role


def _clean_content(content: str | None) -> str:
    cleaned = (content or "").strip()
    if not cleaned:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, "Message content must not be empty")
    return cleaned


async def _get_message_or_404(db: AsyncSession, message_id: int) -> Message:
    message = await db.get(Message, message_id)
    if message is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, MESSAGE_NOT_FOUND)
    return message


async def list_messages(
    db: AsyncSession, user: User, room_id: int, before: int | None, limit: int
) -> MessagePage:
    """Newest first; `next_cursor` (the id of the page's oldest message) is None on the last page."""
    await _require_member(db, room_id, user)
    query = (
        select(
            Message.id,
            Message.room_id,
            Message.user_id,
            User.display_name.label("author_display_name"),
            Message.content,
            Message.edited_at,
            Message.created_at,
        )
        .join(User, User.id == Message.user_id)
        .where(Message.room_id == room_id)
        .order_by(Message.id.desc())
        .limit(limit + 1)
    )
    if before is not None:
        query = query.where(Message.id < before)
    rows = (await db.execute(query)).all()
    items = [MessageListItem.model_validate(row) for row in rows[:limit]]
    next_cursor = items[-1].id if len(rows) > limit else None
    return MessagePage(items=items, next_cursor=next_cursor)


async def send_message(
    db: AsyncSession, user: User, room_id: int, data: MessageCreate, hub: RoomHub
) -> Message:
    """Store a message by `user` (never an id from the body) and push it to the room's open WebSockets."""
    await _require_member(db, room_id, user)
    message = Message(room_id=room_id, user_id=user.id, content=_clean_content(data.content))
    db.add(message)
    await db.commit()
    await db.refresh(message)
    payload = MessageResponse.model_validate(message).model_dump(mode="json")
    event = {"type": "message.created", "message": payload}
    await hub.broadcast(room_id, event)
    return message


async def edit_message(db: AsyncSession, user: User, message_id: int, data: MessageUpdate) -> Message:
    """Change the text of the user's own message and set edited_at (even when the text is unchanged)."""
    message = await _get_message_or_404(db, message_id)
    if message.user_id != user.id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Only the author can edit a message")
    changes = data.model_dump(exclude_unset=True)
    if "content" in changes:
        message.content = _clean_content(changes["content"])
        message.edited_at = datetime.datetime.now(datetime.UTC)
    await db.commit()
    return message


async def delete_message(db: AsyncSession, user: User, message_id: int) -> None:
    """Delete a message: its author, or the room's owner or an admin, and only as a member of the room."""
    message = await _get_message_or_404(db, message_id)
    role = await member_role(db, message.room_id, user.id)
    if role is None or (message.user_id != user.id and role not in MANAGERS):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "Not the author, owner or an admin of the room")
    await db.delete(message)
    await db.commit()
