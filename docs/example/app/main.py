"""The app factory: `uvicorn app.main:app` (from docs/example, with DATABASE_URL and SECRET_KEY set)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from app.dependencies.auth import load_user_from_token
from app.routers import auth, messages, realtime, rooms
from app.services.rate_limit import RateLimiter
from app.services.realtime import RoomHub
from generated import contracts
from generated.config import get_settings
from generated.database import dispose_engine
from generated.errors import install_error_handlers
from generated.security import provide_current_user


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    yield
    await dispose_engine()


def create_app() -> FastAPI:
    """A new app: routers on the generated contracts, error handlers, CORS, rate limiter, WebSocket hub."""
    provide_current_user(load_user_from_token)
    app = FastAPI(**contracts.APP_OPTIONS, lifespan=lifespan)
    app.state.rate_limiter = RateLimiter()
    app.state.hub = RoomHub()
    install_error_handlers(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[get_settings().FRONTEND_URL],
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    for router in (auth.router, rooms.router, messages.router, realtime.router):
        app.include_router(router)
    return app


app = create_app()
