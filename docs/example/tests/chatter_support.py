"""What the tests share besides fixtures: constants, helpers and the types of conftest.py's factories.

Tests import this module, never conftest.py: with test folders that are not packages, `conftest` is not a
unique module name in the repository's suite.
"""

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI
from httpx import AsyncClient

from generated.models import Message, Room, RoomMember, User

UserFactory = Callable[..., Awaitable[User]]
RoomFactory = Callable[..., Awaitable[Room]]
MemberFactory = Callable[..., Awaitable[RoomMember]]
MessageFactory = Callable[..., Awaitable[Message]]
RefreshTokenFactory = Callable[..., Awaitable[str]]
HeadersFor = Callable[[User], dict[str, str]]

ROOT = Path(__file__).resolve().parents[3]
ALEMBIC_INI = ROOT / "generated" / "migrations" / "alembic.ini"
PASSWORD = "correct horse battery"
TEST_BCRYPT_ROUNDS = 4  # the app's default is 12; test_register checks that one


def unique_email() -> str:
    return f"test-{uuid.uuid4().hex[:8]}@example.com"


@dataclass
class Committed:
    """An app whose requests commit for real (races between concurrent requests) and its email prefix."""

    app: FastAPI
    client: AsyncClient
    prefix: str

    def email(self) -> str:
        return f"{self.prefix}{uuid.uuid4().hex[:8]}@example.com"
