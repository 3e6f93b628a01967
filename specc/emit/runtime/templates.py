"""The fixed runtime modules (`config.py`, `database.py`, `errors.py`), below the generated-file header.

They are the same for every spec. Every line is at most 79 characters and every split construct has a magic
trailing comma, so `ruff format` leaves them as they are under any line length from 79 up.
"""

from __future__ import annotations

CONFIG = '''
from functools import lru_cache
from typing import Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment variables, else a `.env` file in the working directory.

    `SECRET_KEY` is a `SecretStr`: printing or logging the settings shows
    `**********`; read it with `get_settings().SECRET_KEY.get_secret_value()`.
    A validation error does not show the values read (`hide_input_in_errors`).
    """

    model_config = SettingsConfigDict(
        env_file=".env",
        extra="ignore",
        hide_input_in_errors=True,
    )

    DATABASE_URL: SecretStr
    """The database: `postgresql+asyncpg://...`. Secret: it may hold a
    password (`.get_secret_value()` reads it)."""
    SECRET_KEY: SecretStr
    FRONTEND_URL: str = "http://localhost:3000"
    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    REFRESH_TOKEN_EXPIRE_DAYS: int = 7


@lru_cache
def get_settings() -> Settings:
    """The settings, read once (`get_settings.cache_clear()` reads again)."""
    from_environment: dict[str, Any] = {}  # every field is read by Settings
    return Settings(**from_environment)
'''

DATABASE = '''
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from .config import get_settings


@lru_cache
def get_engine() -> AsyncEngine:
    """The async engine of `Settings.DATABASE_URL`, created on first use."""
    url = get_settings().DATABASE_URL.get_secret_value()
    return create_async_engine(url, pool_pre_ping=True)


@lru_cache
def get_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """Sessions on `get_engine()`, with `expire_on_commit=False`."""
    return async_sessionmaker(get_engine(), expire_on_commit=False)


async def get_db() -> AsyncIterator[AsyncSession]:
    """FastAPI dependency: one session per request, closed after it.

    It never commits (code that changes data calls `await db.commit()`);
    closing rolls back a transaction left open.
    """
    async with get_sessionmaker()() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_db)]


async def dispose_engine() -> None:
    """Close the engine's connections (at shutdown); the next use reopens."""
    if get_engine.cache_info().currsize == 0:
        return
    engine = get_engine()
    get_sessionmaker.cache_clear()
    get_engine.cache_clear()
    await engine.dispose()
'''

ERRORS = '''
import logging
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger(__name__)

_NO_BODY = frozenset({204, 205, 304})


def validation_message(errors: Sequence[Any]) -> str:
    """A request validation error as one readable line, one part per error:
    `body.password: String should have at least 8 characters`."""
    parts: list[str] = []
    for error in errors:
        where = ".".join(str(part) for part in error.get("loc", ()))
        message = str(error.get("msg", "Invalid value"))
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts) or "Invalid request"


def _detail_text(detail: object) -> str:
    return detail if isinstance(detail, str) else str(detail)


async def _http_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, StarletteHTTPException):
        raise exc
    if exc.status_code < 200 or exc.status_code in _NO_BODY:
        return Response(status_code=exc.status_code, headers=exc.headers)
    return JSONResponse(
        {"detail": _detail_text(exc.detail)},
        status_code=exc.status_code,
        headers=exc.headers,
    )


async def _validation_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):
        raise exc
    detail = validation_message(exc.errors())
    return JSONResponse({"detail": detail}, status_code=422)


async def _server_error(request: Request, exc: Exception) -> Response:
    logger.error(
        "unhandled error on %s %s",
        request.method,
        request.url.path,
        exc_info=exc,
    )
    return JSONResponse({"detail": "Internal Server Error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    """Make every error body `{"detail": "<text>"}`.

    - HTTPException (FastAPI's and Starlette's: also the 404 of an unknown
      path and the 405 of a wrong method), status and headers kept;
    - a request validation error: 422, the errors joined into one string;
    - any other exception: 500, logged (the server still sees it).
    """
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
'''
