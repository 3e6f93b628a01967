"""The example's generated models used the way an async FastAPI app uses them: an AsyncSession over asyncpg on
a real PostgreSQL. Deleting a parent relies on ON DELETE CASCADE (`passive_deletes=True`), related rows are
loaded explicitly (`selectinload`; an implicit lazy load raises instead of failing with MissingGreenlet), and
`updated_at` changes on every ORM UPDATE."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import selectinload

from specc.config import Config
from specc.emit.models import render_models
from specc.frontend import load
from tests.conftest import EXAMPLE_SPEC
from tests.emit.models_harness import create_all, import_tree, metadata_of, write_tree

pytestmark = pytest.mark.postgres


def _example_models(tmp_path: Path, pg_url: str) -> ModuleType:
    front = load(EXAMPLE_SPEC, None, Config(root=EXAMPLE_SPEC.parent))
    module = import_tree(tmp_path, write_tree(render_models(front.spec, "ARCHITECTURE.md"), tmp_path))
    create_all(metadata_of(module), pg_url)
    return module


def _run(pg_url: str, work: Callable[[async_sessionmaker[AsyncSession]], Awaitable[Any]]) -> Any:
    async def main() -> Any:
        engine = create_async_engine(pg_url.replace("+psycopg", "+asyncpg"))
        try:
            return await work(async_sessionmaker(engine, expire_on_commit=False))
        finally:
            await engine.dispose()

    return asyncio.run(main())


async def _room_with_member_and_message(models: ModuleType, session: AsyncSession) -> Any:
    owner = models.User(email="owner@example.com", password_hash="x" * 60, display_name="Owner")
    session.add(owner)
    await session.flush()
    room = models.Room(name="general", created_by=owner.id)
    session.add(room)
    await session.flush()
    session.add(models.RoomMember(room_id=room.id, user_id=owner.id, role="owner"))
    session.add(models.Message(room_id=room.id, user_id=owner.id, content="hello"))
    await session.commit()
    return room


def test_models_async_delete_room_removes_members_and_messages_when_not_loaded(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    models = _example_models(tmp_path, pg_url)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
        async with sessions() as session:
            room = await _room_with_member_and_message(models, session)
        async with sessions() as session:
            stored = await session.get(models.Room, room.id)
            # Act
            await session.delete(stored)
            await session.commit()
            counts = [
                await session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in (models.Room, models.RoomMember, models.Message)
            ]
        return counts[0], counts[1], counts[2]

    # Assert
    assert _run(pg_url, work) == (0, 0, 0)


def test_models_async_delete_room_deletes_loaded_members_when_selectinloaded(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    models = _example_models(tmp_path, pg_url)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[list[str], int]:
        async with sessions() as session:
            room = await _room_with_member_and_message(models, session)
        async with sessions() as session:
            query = sa.select(models.Room).options(selectinload(models.Room.room_members))
            stored = (await session.scalars(query.where(models.Room.id == room.id))).one()
            roles = [member.role for member in stored.room_members]
            # Act
            await session.delete(stored)
            await session.commit()
            left = await session.scalar(sa.select(sa.func.count()).select_from(models.RoomMember))
        return roles, left

    # Assert
    assert _run(pg_url, work) == (["owner"], 0)


def test_models_async_implicit_lazy_load_raises_invalid_request_when_not_loaded(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    models = _example_models(tmp_path, pg_url)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> str:
        async with sessions() as session:
            room = await _room_with_member_and_message(models, session)
        async with sessions() as session:
            stored = await session.get(models.Room, room.id)
            # Act
            try:
                _ = stored.messages
            except sa.exc.InvalidRequestError as exc:
                return str(exc)
        return "no error"

    # Assert
    assert "'Room.messages' is not available due to lazy='raise_on_sql'" in _run(pg_url, work)


def test_models_base_has_async_attrs_for_expired_columns(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    models = _example_models(tmp_path, pg_url)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> str:
        async with sessions() as session:
            room = await _room_with_member_and_message(models, session)
        async with sessions() as session:
            stored = await session.get(models.Room, room.id)
            session.expire(stored, ["name"])
            # Act
            name: str = await stored.awaitable_attrs.name
        return name

    # Assert
    assert _run(pg_url, work) == "general"


def test_models_async_update_sets_updated_at_when_a_column_changes(tmp_path: Path, pg_url: str) -> None:
    # Arrange
    models = _example_models(tmp_path, pg_url)

    async def work(sessions: async_sessionmaker[AsyncSession]) -> tuple[Any, Any, Any]:
        async with sessions() as session:
            room = await _room_with_member_and_message(models, session)
            before = room.updated_at
        async with sessions() as session:
            # Each transaction has its own now(): a second one is later than the first.
            stored = await session.get(models.Room, room.id)
            stored.name = "renamed"
            # Act
            await session.commit()
            after = stored.updated_at  # fetched by UPDATE ... RETURNING (eager_defaults), no lazy load
            in_db = await session.scalar(sa.select(models.Room.updated_at).where(models.Room.id == room.id))
        return before, after, in_db

    before, after, in_db = _run(pg_url, work)

    # Assert
    assert after > before
    assert in_db == after
