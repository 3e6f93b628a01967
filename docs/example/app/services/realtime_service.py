"""Who may listen to a room's WebSocket events: its members, as for the message history."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.services.room_service import member_role
from generated.models import User


async def may_listen(db: AsyncSession, user: User, room_id: int) -> bool:
    return await member_role(db, room_id, user.id) is not None
