"""Per-app singletons as dependencies: the settings, the rate limiter and the WebSocket hub."""

from typing import Annotated

from fastapi import Depends, Request

from app.services.rate_limit import RateLimiter
from app.services.realtime import RoomHub
from app.settings import AppSettings, get_app_settings
from generated.config import Settings, get_settings

Config = Annotated[Settings, Depends(get_settings)]
AppConfig = Annotated[AppSettings, Depends(get_app_settings)]


def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def get_hub(request: Request) -> RoomHub:
    hub: RoomHub = request.app.state.hub
    return hub


Hub = Annotated[RoomHub, Depends(get_hub)]
