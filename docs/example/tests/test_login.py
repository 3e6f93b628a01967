"""Feature: Login (POST /api/auth/login)."""

import datetime
import hashlib
import time

import pytest
from app.services.auth_service import hash_refresh_token
from app.settings import AppSettings, get_app_settings
from chatter_support import (
    PASSWORD,
    Executed,
    UserFactory,
    analyze,
    data_statements,
    explain,
    insert_users,
    scans_of,
    unique_email,
)
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from generated.models import RefreshToken

pytestmark = pytest.mark.anyio
INVALID = {"detail": "Invalid email or password"}


@pytest.mark.spec("login-200")
async def test_login_returns_200_with_a_token_pair(client: AsyncClient, user_factory: UserFactory) -> None:
    # Arrange
    user = await user_factory()

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})

    # Assert
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 30 * 60
    assert body["access_token"] and body["refresh_token"]


@pytest.mark.spec("login-token-authenticates-me")
async def test_login_access_token_authenticates_me(client: AsyncClient, user_factory: UserFactory) -> None:
    # Arrange
    user = await user_factory()
    tokens = (await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})).json()

    # Act
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})

    # Assert
    assert response.status_code == 200
    assert response.json()["id"] == user.id


@pytest.mark.spec("login/happy-path/a-refresh-tokens-row-is-stored-with-the-sha-256-hash-of-the")
async def test_login_stores_a_refresh_tokens_row_with_the_sha256_of_the_token_and_a_7_day_expiry(
    client: AsyncClient, connection: AsyncConnection, user_factory: UserFactory
) -> None:
    """The hash is computed by PostgreSQL's own sha256() from the token the response returned, not by the
    app's helper, so a helper that hashed differently (another algorithm, a salt, no hashing) fails."""
    # Arrange
    user = await user_factory()
    before = datetime.datetime.now(datetime.UTC)

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    after = datetime.datetime.now(datetime.UTC)

    # Assert
    assert response.status_code == 200
    token = response.json()["refresh_token"]
    rows = (
        await connection.execute(
            text(
                "SELECT token_hash, encode(sha256(convert_to(:token, 'UTF8')), 'hex') AS sha256_of_token,"
                " expires_at, revoked_at FROM refresh_tokens WHERE user_id = :user_id"
            ),
            {"token": token, "user_id": user.id},
        )
    ).all()
    assert len(rows) == 1
    assert rows[0].token_hash == rows[0].sha256_of_token
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert rows[0].revoked_at is None
    seven_days = datetime.timedelta(days=7)
    assert before + seven_days <= rows[0].expires_at <= after + seven_days


@pytest.mark.spec("login-unknown-email")
async def test_login_returns_401_for_an_unknown_email(client: AsyncClient) -> None:
    # Arrange
    credentials = {"email": unique_email(), "password": PASSWORD}

    # Act
    response = await client.post("/api/auth/login", json=credentials)

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.spec("login-wrong-password")
async def test_login_returns_401_with_the_same_message_for_a_wrong_password(
    client: AsyncClient, user_factory: UserFactory
) -> None:
    # Arrange
    user = await user_factory()

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email, "password": "wrong password"})

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.spec("login-disabled")
async def test_login_returns_401_for_a_disabled_account(
    client: AsyncClient, user_factory: UserFactory
) -> None:
    # Arrange
    user = await user_factory(is_active=False)

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})

    # Assert
    assert response.status_code == 401
    assert response.json() == INVALID


@pytest.mark.parametrize("missing", ["email", "password"])
@pytest.mark.spec("login-422")
async def test_login_returns_422_when_a_field_is_missing(client: AsyncClient, missing: str) -> None:
    # Arrange
    payload = {"email": unique_email(), "password": PASSWORD}
    del payload[missing]

    # Act
    response = await client.post("/api/auth/login", json=payload)

    # Assert
    assert response.status_code == 422
    assert missing in response.json()["detail"]


@pytest.mark.spec("login-email-case-insensitive")
async def test_login_matches_the_email_case_insensitively(
    client: AsyncClient, user_factory: UserFactory
) -> None:
    # Arrange
    user = await user_factory()

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email.upper(), "password": PASSWORD})

    # Assert
    assert response.status_code == 200


@pytest.mark.spec("login/edge/logging-in-twice-creates-two-independent-refresh-tokens")
async def test_login_twice_creates_two_refresh_tokens_that_each_stay_valid_when_the_other_is_used(
    client: AsyncClient, db: AsyncSession, user_factory: UserFactory
) -> None:
    """Independent: two rows, and neither the second login nor rotating the first token revokes the other (a
    login that ended the earlier session, or a rotation that revoked all of the user's tokens, fails here)."""
    # Arrange
    user = await user_factory()
    credentials = {"email": user.email, "password": PASSWORD}

    # Act
    first = (await client.post("/api/auth/login", json=credentials)).json()["refresh_token"]
    second = (await client.post("/api/auth/login", json=credentials)).json()["refresh_token"]
    rotated_first = await client.post("/api/auth/refresh", json={"refresh_token": first})
    rotated_second = await client.post("/api/auth/refresh", json={"refresh_token": second})

    # Assert
    assert first != second
    assert (rotated_first.status_code, rotated_second.status_code) == (200, 200)
    hashes = set(await db.scalars(select(RefreshToken.token_hash).where(RefreshToken.user_id == user.id)))
    assert {hash_refresh_token(first), hash_refresh_token(second)} <= hashes


@pytest.mark.spec("login-no-plain-refresh-token")
async def test_login_never_stores_the_plain_refresh_token(
    client: AsyncClient, db: AsyncSession, user_factory: UserFactory
) -> None:
    # Arrange
    user = await user_factory()

    # Act
    token = (await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})).json()[
        "refresh_token"
    ]

    # Assert
    stored = await db.scalar(select(RefreshToken.id).where(RefreshToken.token_hash == token))
    assert stored is None


@pytest.mark.spec("login-rate-limited")
async def test_login_returns_429_after_10_attempts_per_minute_from_one_ip(client: AsyncClient) -> None:
    # Arrange
    credentials = {"email": unique_email(), "password": PASSWORD}
    for _ in range(10):
        assert (await client.post("/api/auth/login", json=credentials)).status_code == 401

    # Act
    response = await client.post("/api/auth/login", json=credentials)

    # Assert
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many login requests, try again later"}


@pytest.mark.spec("login-no-timing-enumeration")
async def test_login_takes_as_long_for_an_unknown_email_as_for_a_wrong_password(
    application: FastAPI, client: AsyncClient
) -> None:
    # Arrange: a bcrypt cost high enough for the hash to dominate the request time
    application.dependency_overrides[get_app_settings] = lambda: AppSettings(BCRYPT_ROUNDS=10)
    email = unique_email()
    await client.post(
        "/api/auth/register", json={"email": email, "password": PASSWORD, "display_name": "Ada"}
    )
    await client.post("/api/auth/login", json={"email": unique_email(), "password": PASSWORD})  # warm-up

    async def fastest_of_three(login_email: str) -> float:
        durations = []
        for _ in range(3):
            started = time.perf_counter()
            await client.post("/api/auth/login", json={"email": login_email, "password": "wrong password"})
            durations.append(time.perf_counter() - started)
        return min(durations)  # load on a shared machine only adds time

    # Act
    wrong_password = await fastest_of_three(email)
    unknown_email = await fastest_of_three(unique_email())

    # Assert: both check a bcrypt hash of the same cost (a coarse bound: the machine is shared)
    assert unknown_email > wrong_password * 0.5


@pytest.mark.spec("login/performance/login-completes-in-500ms-including-password-verification")
async def test_login_sends_one_indexed_email_probe_and_one_insert_among_5000_users(
    client: AsyncClient,
    connection: AsyncConnection,
    user_factory: UserFactory,
    sql_trace: list[Executed],
) -> None:
    """What bounds a login's time besides the one bcrypt check (whose cost is the stored hash's, set at
    registration from BCRYPT_ROUNDS: see the Register performance test): the database work is exactly two
    statements, a SELECT of the user by email planned as an Index Scan on uq_users_email and the INSERT of
    the refresh token, so it does not grow with the number of accounts or of tokens.

    5,000 other users with fresh statistics make the users table span dozens of pages, so the planner uses
    the index because it is cheaper than reading the table, as it would with millions of users."""
    # Arrange
    user = await user_factory()
    await insert_users(connection, 5_000)
    await analyze(connection, "users")
    sql_trace.clear()

    # Act
    response = await client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})

    # Assert
    assert response.status_code == 200
    statements = data_statements(sql_trace)
    assert len(statements) == 2
    probe, insert = statements
    assert probe.sql.startswith("SELECT users.id,")
    assert probe.sql.endswith("FROM users WHERE users.email = $1::VARCHAR")
    assert insert.sql.startswith("INSERT INTO refresh_tokens ")
    plan = await explain(connection, probe)
    assert [(node.node_type, node.index) for node in scans_of(plan, "users")] == [
        ("Index Scan", "uq_users_email")
    ]
