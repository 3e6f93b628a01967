"""Fixtures of the reference app's tests: a migrated throwaway database, per-test rollback, client, factories.

- `migrated_database` (session): a uniquely named PostgreSQL database, brought to head by the GENERATED
  Alembic migrations (generated/migrations) and dropped at the end of the session: the app runs on what
  `alembic upgrade head` creates, not on `metadata.create_all()`.
- `connection` (per test): one connection with an outer transaction, rolled back after the test. The
  factories' session `db` and every request's session join it with `join_transaction_mode="create_savepoint"`,
  so a service's `commit()` releases a savepoint and nothing outlives the test.
- `application` / `client`: a fresh app per test (fresh rate limiter and WebSocket hub) with `get_db`
  overridden, driven in-process by httpx through `ASGITransport`.
"""

from __future__ import annotations

import datetime
import os
import secrets
import sys
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from app.services import auth_service
from app.settings import AppSettings, get_app_settings
from chatter_support import (
    ALEMBIC_INI,
    PASSWORD,
    TEST_BCRYPT_ROUNDS,
    Committed,
    Executed,
    HeadersFor,
    MemberFactory,
    MessageFactory,
    RefreshTokenFactory,
    RoomFactory,
    UserFactory,
    unique_email,
)
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

from generated.config import get_settings
from generated.database import dispose_engine, get_db
from generated.models import Message, RefreshToken, Room, RoomMember, User

ADMIN_URL = os.environ.get("SPECC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECRET_KEY = "test-secret-key-for-the-reference-app-only-0123456789"


def _admin_engine() -> sa.Engine:
    return sa.create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _require_postgres() -> None:
    try:
        with _admin_engine().connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL not reachable at {ADMIN_URL} (CI=true: database tests must run): {exc}")
        pytest.skip(f"PostgreSQL not reachable at {ADMIN_URL}: {exc}")


def _upgrade_head(url: str) -> None:
    """`alembic upgrade head` of the generated migrations, on the database at `url` (psycopg)."""
    config = Config(str(ALEMBIC_INI))
    saved_path = list(sys.path)  # the generated env.py puts generated/ first on sys.path to import `models`
    try:
        engine = sa.create_engine(url, poolclass=NullPool)
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
        engine.dispose()
    finally:
        sys.path[:] = saved_path


@pytest.fixture(scope="session")
def migrated_database() -> Iterator[str]:
    """URL (postgresql+psycopg) of a throwaway database migrated to head; dropped after the session."""
    _require_postgres()
    name = f"chatter_test_{uuid.uuid4().hex[:12]}"
    with _admin_engine().connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        _upgrade_head(url)
        yield url
    finally:
        with _admin_engine().connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def async_database_url(migrated_database: str) -> str:
    url = make_url(migrated_database).set(drivername="postgresql+asyncpg")
    return url.render_as_string(hide_password=False)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch, async_database_url: str) -> Iterator[None]:
    """The generated `Settings` read from this test's environment (restored afterwards)."""
    monkeypatch.setenv("DATABASE_URL", async_database_url)
    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
async def connection(async_database_url: str) -> AsyncIterator[AsyncConnection]:
    """One connection inside an outer transaction that is rolled back after the test."""
    engine = create_async_engine(async_database_url, poolclass=NullPool)
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            yield conn
        finally:
            await transaction.rollback()
    await engine.dispose()


def _session(connection: AsyncConnection) -> AsyncSession:
    return AsyncSession(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


@pytest.fixture
async def db(connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    """The tests' own session (factories, assertions), on the test's connection."""
    async with _session(connection) as session:
        yield session


@pytest.fixture
def sql_log(connection: AsyncConnection) -> Iterator[list[str]]:
    """Every SQL statement sent on the test's connection (the app's requests included), in order."""
    statements: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(" ".join(statement.split()))

    sync_connection = connection.sync_connection
    assert sync_connection is not None
    sa.event.listen(sync_connection, "before_cursor_execute", record)
    yield statements
    sa.event.remove(sync_connection, "before_cursor_execute", record)


@pytest.fixture
def sql_trace(connection: AsyncConnection) -> Iterator[list[Executed]]:
    """Every statement sent on the test's connection with its parameters, in order, to EXPLAIN the app's own
    queries (`chatter_support.explain`); the EXPLAINs themselves are left out."""
    executed: list[Executed] = []

    def record(
        conn: object, cursor: object, statement: str, parameters: tuple[object, ...], *args: object
    ) -> None:
        if not statement.startswith("EXPLAIN "):
            executed.append(Executed(statement, tuple(parameters)))

    sync_connection = connection.sync_connection
    assert sync_connection is not None
    sa.event.listen(sync_connection, "before_cursor_execute", record)
    yield executed
    sa.event.remove(sync_connection, "before_cursor_execute", record)


@pytest.fixture
def application(settings_env: None, connection: AsyncConnection) -> FastAPI:
    """A fresh app whose requests each get their own session on the test's connection."""
    from app.main import create_app  # here, not at the top: app.main builds its module-level app from the env

    app = create_app()

    async def get_test_db() -> AsyncIterator[AsyncSession]:
        async with _session(connection) as session:
            yield session

    app.dependency_overrides[get_db] = get_test_db
    app.dependency_overrides[get_app_settings] = lambda: AppSettings(BCRYPT_ROUNDS=TEST_BCRYPT_ROUNDS)
    return app


@pytest.fixture
async def client(application: FastAPI) -> AsyncIterator[AsyncClient]:
    async with AsyncClient(transport=ASGITransport(app=application), base_url="http://test") as http:
        yield http


@pytest.fixture
async def committed(settings_env: None, migrated_database: str) -> AsyncIterator[Committed]:
    """The app on the generated `get_db` (its own engine and pool): concurrent requests use separate
    connections and really commit. Every user whose email starts with the test's prefix is deleted afterwards
    (ON DELETE CASCADE takes their rooms, memberships, messages and tokens)."""
    from app.main import create_app

    app = create_app()
    app.dependency_overrides[get_app_settings] = lambda: AppSettings(BCRYPT_ROUNDS=TEST_BCRYPT_ROUNDS)
    prefix = f"committed-{uuid.uuid4().hex[:8]}-"
    try:
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as http:
            yield Committed(app, http, prefix)
    finally:
        await dispose_engine()
        engine = sa.create_engine(migrated_database, poolclass=NullPool)
        with engine.begin() as conn:
            conn.execute(sa.delete(User).where(User.email.startswith(prefix)))
        engine.dispose()


@pytest.fixture
def user_factory(db: AsyncSession) -> UserFactory:
    async def make(
        *,
        email: str | None = None,
        password: str = PASSWORD,
        display_name: str = "Test User",
        is_active: bool = True,
    ) -> User:
        user = User(
            email=email or unique_email(),
            password_hash=auth_service.hash_password(password, TEST_BCRYPT_ROUNDS),
            display_name=display_name,
            is_active=is_active,
        )
        db.add(user)
        await db.flush()
        await db.refresh(user)
        return user

    return make


@pytest.fixture
def headers_for(settings_env: None) -> HeadersFor:
    """Authorization headers with an access token minted by the app's auth service for `user`."""

    def make(user: User) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth_service.create_access_token(user.id, get_settings())}"}

    return make


@pytest.fixture
async def user(user_factory: UserFactory) -> User:
    return await user_factory()


@pytest.fixture
def auth_headers(user: User, headers_for: HeadersFor) -> dict[str, str]:
    return headers_for(user)


@pytest.fixture
def room_factory(db: AsyncSession) -> RoomFactory:
    """A room created by `owner`, who is its owner member (as POST /api/rooms does)."""

    async def make(
        owner: User, *, name: str | None = None, description: str | None = None, is_private: bool = False
    ) -> Room:
        room = Room(
            name=name or f"room-{uuid.uuid4().hex[:8]}",
            description=description,
            is_private=is_private,
            created_by=owner.id,
        )
        db.add(room)
        await db.flush()
        db.add(RoomMember(room_id=room.id, user_id=owner.id, role="owner"))
        await db.flush()
        await db.refresh(room)
        return room

    return make


@pytest.fixture
def member_factory(db: AsyncSession) -> MemberFactory:
    async def make(room: Room, member: User, *, role: str = "member") -> RoomMember:
        membership = RoomMember(room_id=room.id, user_id=member.id, role=role)
        db.add(membership)
        await db.flush()
        await db.refresh(membership)
        return membership

    return make


@pytest.fixture
def message_factory(db: AsyncSession) -> MessageFactory:
    async def make(room: Room, author: User, *, content: str | None = None) -> Message:
        text = content or f"hello {uuid.uuid4().hex[:6]}"
        message = Message(room_id=room.id, user_id=author.id, content=text)
        db.add(message)
        await db.flush()
        await db.refresh(message)
        return message

    return make


@pytest.fixture
def refresh_token_factory(db: AsyncSession) -> RefreshTokenFactory:
    """Stores a refresh token for `owner` and returns the plain token (only its hash is stored)."""

    async def make(
        owner: User, *, expires_in: datetime.timedelta = datetime.timedelta(days=7), revoked: bool = False
    ) -> str:
        token = secrets.token_urlsafe(32)
        now = datetime.datetime.now(datetime.UTC)
        db.add(
            RefreshToken(
                user_id=owner.id,
                token_hash=auth_service.hash_refresh_token(token),
                expires_at=now + expires_in,
                revoked_at=now if revoked else None,
            )
        )
        await db.flush()
        return token

    return make
