"""Feature: Logout (POST /api/auth/logout)."""

import pytest
from app.services.auth_service import hash_refresh_token
from chatter_support import HeadersFor, RefreshTokenFactory, UserFactory
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from generated.models import RefreshToken, User

pytestmark = pytest.mark.anyio


async def _is_revoked(db: AsyncSession, token: str) -> bool:
    revoked_at = await db.scalar(
        select(RefreshToken.revoked_at).where(RefreshToken.token_hash == hash_refresh_token(token))
    )
    return revoked_at is not None


@pytest.mark.spec("logout-204")
async def test_logout_returns_204_and_revokes_the_refresh_token(
    client: AsyncClient,
    db: AsyncSession,
    user: User,
    auth_headers: dict[str, str],
    refresh_token_factory: RefreshTokenFactory,
) -> None:
    # Arrange
    token = await refresh_token_factory(user)

    # Act
    response = await client.post("/api/auth/logout", json={"refresh_token": token}, headers=auth_headers)

    # Assert
    assert response.status_code == 204
    assert response.content == b""
    assert await _is_revoked(db, token)


@pytest.mark.spec("logout-then-refresh-401")
async def test_logout_then_refresh_with_the_revoked_token_returns_401(
    client: AsyncClient, user: User, auth_headers: dict[str, str], refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user)
    await client.post("/api/auth/logout", json={"refresh_token": token}, headers=auth_headers)

    # Act
    response = await client.post("/api/auth/refresh", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401


@pytest.mark.spec("logout-401")
async def test_logout_returns_401_without_an_access_token(
    client: AsyncClient, user: User, refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user)

    # Act
    response = await client.post("/api/auth/logout", json={"refresh_token": token})

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}


@pytest.mark.spec("logout-422")
async def test_logout_returns_422_when_refresh_token_is_missing(
    client: AsyncClient, auth_headers: dict[str, str]
) -> None:
    # Arrange
    payload: dict[str, str] = {}

    # Act
    response = await client.post("/api/auth/logout", json=payload, headers=auth_headers)

    # Assert
    assert response.status_code == 422
    assert "refresh_token" in response.json()["detail"]


@pytest.mark.spec("logout-already-revoked")
async def test_logout_with_an_already_revoked_token_still_returns_204(
    client: AsyncClient, user: User, auth_headers: dict[str, str], refresh_token_factory: RefreshTokenFactory
) -> None:
    # Arrange
    token = await refresh_token_factory(user, revoked=True)

    # Act
    response = await client.post("/api/auth/logout", json={"refresh_token": token}, headers=auth_headers)

    # Assert
    assert response.status_code == 204


@pytest.mark.spec("logout-other-users-token")
async def test_logout_cannot_revoke_another_users_refresh_token(
    client: AsyncClient,
    db: AsyncSession,
    user_factory: UserFactory,
    headers_for: HeadersFor,
    refresh_token_factory: RefreshTokenFactory,
) -> None:
    # Arrange
    victim, attacker = await user_factory(), await user_factory()
    token = await refresh_token_factory(victim)

    # Act
    response = await client.post(
        "/api/auth/logout", json={"refresh_token": token}, headers=headers_for(attacker)
    )

    # Assert
    assert response.status_code == 204
    assert not await _is_revoked(db, token)
    assert (await client.post("/api/auth/refresh", json={"refresh_token": token})).status_code == 200


@pytest.mark.spec("logout-single-update")
async def test_logout_sends_a_single_update_on_refresh_tokens(
    client: AsyncClient,
    user: User,
    auth_headers: dict[str, str],
    refresh_token_factory: RefreshTokenFactory,
    sql_log: list[str],
) -> None:
    # Arrange
    token = await refresh_token_factory(user)
    sql_log.clear()

    # Act
    await client.post("/api/auth/logout", json={"refresh_token": token}, headers=auth_headers)

    # Assert
    writes = [statement for statement in sql_log if statement.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1
    assert writes[0].startswith("UPDATE refresh_tokens ")
