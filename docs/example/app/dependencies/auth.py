"""How a bearer token becomes a user: the loader the generated `get_current_user` calls."""

from sqlalchemy.ext.asyncio import AsyncSession

from app.services import auth_service
from generated.config import get_settings
from generated.models import User


async def load_user_from_token(db: AsyncSession, token: str) -> User | None:
    """The active user an access token names, or None (then `get_current_user` answers 401)."""
    user_id = auth_service.user_id_from_access_token(token, get_settings())
    if user_id is None:
        return None
    return await auth_service.load_active_user(db, user_id)
