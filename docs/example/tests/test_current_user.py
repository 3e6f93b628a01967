"""Feature: Current User (GET /api/auth/me)."""

import datetime

import jwt
import pytest
from chatter_support import Executed, HeadersFor, analyze, data_statements, explain, insert_users, scans_of
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.config import get_settings
from generated.models import User

pytestmark = pytest.mark.anyio


@pytest.mark.spec("me-200")
async def test_me_returns_200_with_the_signed_in_users_profile(
    client: AsyncClient, user: User, auth_headers: dict[str, str]
) -> None:
    # Arrange: the user and their token come from the fixtures

    # Act
    response = await client.get("/api/auth/me", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.id
    assert body["email"] == user.email
    assert body["display_name"] == user.display_name
    assert datetime.datetime.fromisoformat(body["created_at"]) == user.created_at


@pytest.mark.spec("me-no-password-hash")
async def test_me_never_returns_the_password_hash(client: AsyncClient, auth_headers: dict[str, str]) -> None:
    # Arrange: a signed-in user

    # Act
    response = await client.get("/api/auth/me", headers=auth_headers)

    # Assert
    assert response.status_code == 200
    assert set(response.json()) == {"id", "email", "display_name", "created_at"}


@pytest.mark.spec("me-401")
async def test_me_returns_401_without_an_access_token(client: AsyncClient) -> None:
    # Arrange: no Authorization header

    # Act
    response = await client.get("/api/auth/me")

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.spec("me-token-invalid")
async def test_me_returns_401_when_the_token_is_malformed(client: AsyncClient) -> None:
    # Arrange
    headers = {"Authorization": "Bearer not-a-jwt"}

    # Act
    response = await client.get("/api/auth/me", headers=headers)

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.spec("me-token-invalid")
async def test_me_returns_401_when_the_token_is_expired(client: AsyncClient, user: User) -> None:
    # Arrange
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    secret = get_settings().SECRET_KEY.get_secret_value()
    token = jwt.encode({"sub": str(user.id), "type": "access", "exp": past}, secret, algorithm="HS256")

    # Act
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.spec("me-other-secret")
async def test_me_returns_401_when_the_token_is_signed_with_a_different_secret(
    client: AsyncClient, user: User
) -> None:
    # Arrange
    future = datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=5)
    claims = {"sub": str(user.id), "type": "access", "exp": future}
    token = jwt.encode(claims, "another-secret-that-is-long-enough-for-hs256!", algorithm="HS256")

    # Act
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("me-deleted-user")
async def test_me_returns_401_when_the_user_was_deleted_after_the_token_was_issued(
    client: AsyncClient, db: AsyncSession, user: User, headers_for: HeadersFor
) -> None:
    # Arrange
    headers = headers_for(user)
    await db.delete(user)
    await db.flush()

    # Act
    response = await client.get("/api/auth/me", headers=headers)

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.spec("current-user/performance/responds-in-50ms-single-primary-key-lookup")
async def test_me_sends_a_single_primary_key_lookup_of_the_user(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    auth_headers: dict[str, str],
    sql_trace: list[Executed],
) -> None:
    """GET /api/auth/me sends one statement to the database, a SELECT of users by id, planned as an Index Scan
    on the primary key pk_users: the response costs one index probe whatever the number of accounts.

    5,000 other users (with fresh statistics) make the users table span dozens of pages, so the planner picks
    the primary key because it is cheaper than reading the table, as it would with millions of users."""
    # Arrange
    await insert_users(connection, 5_000)
    await analyze(connection, "users")
    sql_trace.clear()

    # Act
    response = await client.get("/api/auth/me", headers=auth_headers)

    # Assert
    assert response.json()["id"] == user.id
    statements = data_statements(sql_trace)
    assert len(statements) == 1
    assert statements[0].sql.startswith("SELECT users.id,")
    assert statements[0].sql.endswith("FROM users WHERE users.id = $1::BIGINT")
    plan = await explain(connection, statements[0])
    assert [(node.node_type, node.index) for node in scans_of(plan, "users")] == [("Index Scan", "pk_users")]
