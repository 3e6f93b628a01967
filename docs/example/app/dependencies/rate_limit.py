"""Rate-limit dependencies: `Depends(limit_per_ip("login", 10))` answers 429 once the limit is exceeded."""

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from app.dependencies.app_state import get_rate_limiter
from app.services.rate_limit import RateLimiter
from generated.security import CurrentUser

Limiter = Annotated[RateLimiter, Depends(get_rate_limiter)]
WINDOW_SECONDS = 60.0


def _too_many(action: str) -> HTTPException:
    return HTTPException(
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        detail=f"Too many {action} requests, try again later",
        headers={"Retry-After": str(int(WINDOW_SECONDS))},
    )


def limit_per_ip(action: str, per_minute: int) -> Callable[[Request, RateLimiter], Awaitable[None]]:
    """A dependency allowing `per_minute` requests of `action` per client IP."""

    async def dependency(request: Request, limiter: Limiter) -> None:
        client = request.client.host if request.client else "unknown"
        if not limiter.hit(f"{action}:ip:{client}", per_minute, WINDOW_SECONDS):
            raise _too_many(action)

    return dependency


def limit_per_user(action: str, per_minute: int) -> Callable[[CurrentUser, RateLimiter], Awaitable[None]]:
    """A dependency allowing `per_minute` requests of `action` per signed-in user."""

    async def dependency(user: CurrentUser, limiter: Limiter) -> None:
        if not limiter.hit(f"{action}:user:{user.id}", per_minute, WINDOW_SECONDS):
            raise _too_many(action)

    return dependency
