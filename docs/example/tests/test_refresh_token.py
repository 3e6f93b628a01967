"""Feature: Refresh Token (POST /api/auth/refresh)."""

import asyncio
import datetime

import pytest
from app.services.auth_service import hash_refresh_token
from chatter_support import (
    PASSWORD,
    Committed,
    Executed,
    RefreshTokenFactory,
    analyze,
    data_statements,
    explain,
    insert_refresh_tokens,
    scans_of,
)
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import RefreshToken, User

pytestmark = pytest.mark.anyio
INVALID = {"detail": "Refresh token unknown, expired or revoked"}


async def _revoked_at(db: AsyncSession, token: str) -> datetime.datetime | None:
    return await db.scalar(
        select(RefreshToken.revoked_at).where(RefreshToken.token_hash == hash_refresh_token(token))
    )


@pytest.mark.spec("refresh-200")
async def test_refresh_returns_200_with_a_new_token_pair(
    client: AsyncClient, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user)

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["refresh_token"] != token
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == user.id


@pytest.mark.spec("refresh-revokes-presented")
async def test_refresh_revokes_the_presented_token(
    client: AsyncClient, db: AsyncSession, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user)

    # Act
    await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert await _revoked_at(db, token) is not None


@pytest.mark.spec("refresh-unknown-401")
async def test_refresh_returns_401_for_an_unknown_token(client: AsyncClient) -> None:
    # Arrange
    token = "never-issued-token"

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.spec("refresh-expired-401")
async def test_refresh_returns_401_for_an_expired_token(
    client: AsyncClient, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user, expires_in=datetime.timedelta(seconds=-1))

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.spec("refresh-revoked-401")
async def test_refresh_returns_401_for_a_revoked_token(
    client: AsyncClient, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user, revoked=True)

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.spec("refresh-422")
async def test_refresh_returns_422_when_refresh_token_is_missing(client: AsyncClient) -> None:
    # Arrange
    payload: dict[str, str] = {}

    # Act
    response = await client.post("/api/auth/refresh", json=payload)

    # Assert
    assert response.status_code == 422
    assert "refresh_token" in response.json()["detail"]


@pytest.mark.spec("refresh-new-token-works")
async def test_refresh_with_the_new_token_right_after_rotation_works(
    client: AsyncClient, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user)
    rotated = (await client.post("/api/auth/refresh", json={"refresh_token": token})).json()["refresh_token"]

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": rotated})

    # Assert
    assert response.status_code == 200
    assert response.json()["refresh_token"] not in (token, rotated)


@pytest.mark.spec("refresh-reuse-revokes-all")
async def test_refresh_reusing_a_revoked_token_revokes_every_token_of_the_user(
    client: AsyncClient, db: AsyncSession, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange: a stolen token is used after its owner rotated it; the owner also has another session
    token = await refresh_token_factory(user)
    other_session = await refresh_token_factory(user)
    rotated = (await client.post("/api/auth/refresh", json={"refresh_token": token})).json()["refresh_token"]

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401
    assert await _revoked_at(db, rotated) is not None
    assert await _revoked_at(db, other_session) is not None
    assert (await client.post("/api/auth/refresh", json={"refresh_token": rotated})).status_code == 401


@pytest.mark.spec("refresh-rate-limited")
async def test_refresh_returns_429_when_rate_limited(client: AsyncClient) -> None:
    # Arrange
    for _ in range(20):
        assert (await client.post("/api/auth/refresh", json={"refresh_token": "unknown"})).status_code == 401

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": "unknown"})

    # Assert
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many refresh requests, try again later"}


@pytest.mark.spec("refresh-concurrent")
async def test_refresh_two_concurrent_refreshes_with_one_token_succeed_at_most_once(
    committed: Committed,
) -> None:
    # Arrange: a real account and token; both refreshes commit for real, on separate connections
    email = committed.email()
    await committed.client.post(
        "/api/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Racer"}
    )
    login = await committed.client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    token = login.json()["refresh_token"]

    # Act
    responses = await asyncio.gather(
        committed.client.post("/api/auth/refresh", json={"refresh_token": token}),
        committed.client.post("/api/auth/refresh", json={"refresh_token": token}),
    )

    # Assert
    assert sorted(response.status_code for response in responses) == [200, 401]


@pytest.mark.spec("refresh-token/performance/token-lookup-uses-the-unique-index-on-refresh-tokens-token")
async def test_refresh_looks_up_the_presented_token_through_the_unique_index_on_token_hash(
    client: AsyncClient,
    connection: AsyncConnection,
    user: User,
    refresh_token_factory: RefreshTokenFactory,
    sql_trace: list[Executed],
) -> None:
    """The statement the app sends to find the presented token is planned as an Index Scan on
    uq_refresh_tokens_token_hash, the unique index the migration creates for refresh_tokens.token_hash.

    5,000 other tokens (with fresh statistics) make refresh_tokens span dozens of pages, so the planner picks
    the index because it is cheaper than reading the table, as it would with millions of tokens; a lookup the
    index cannot serve (say on lower(token_hash), or by user and then filtered in Python) plans a Seq Scan."""
    # Arrange
    token = await refresh_token_factory(user)
    await insert_refresh_tokens(connection, user.id, 5_000)
    await analyze(connection, "refresh_tokens")
    sql_trace.clear()

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 200
    lookups = [
        executed
        for executed in data_statements(sql_trace)
        if executed.sql.startswith("SELECT") and "FROM refresh_tokens" in executed.sql
    ]
    assert len(lookups) == 1
    plan = await explain(connection, lookups[0])
    assert [(node.node_type, node.index) for node in scans_of(plan, "refresh_tokens")] == [
        ("Index Scan", "uq_refresh_tokens_token_hash")
    ]
