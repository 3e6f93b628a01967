"""The generated error handlers, security dependency, database dependency and settings, in a FastAPI app
served through httpx (ASGI transport) on a real throwaway PostgreSQL database."""

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from pydantic import BaseModel, Field, ValidationError

from tests.conftest import EXAMPLE_SPEC
from tests.runtime.harness import Built, imported

SECRET = "s3cr3t-value-that-must-not-show"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with imported(EXAMPLE_SPEC, tmp_path_factory.mktemp("runtime")) as built:
        yield built


@pytest.fixture
def settings_env(
    example: Built, pg_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> Iterator[str]:
    """DATABASE_URL (asyncpg) of a throwaway database and SECRET_KEY in the environment; settings and engine
    are forgotten after the test. Runs in an empty folder (no `.env`)."""
    url = pg_url.replace("postgresql+psycopg://", "postgresql+asyncpg://", 1)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", SECRET)
    config = example.module("config")
    database = example.module("database")
    config.get_settings.cache_clear()
    yield url
    asyncio.run(database.dispose_engine())
    config.get_settings.cache_clear()


class _Signup(BaseModel):
    password: str = Field(min_length=8)


def _app(built: Built) -> Any:
    from fastapi import FastAPI, HTTPException

    errors = built.module("errors")
    security = built.module("security")
    app = FastAPI()
    errors.install_error_handlers(app)

    @app.post("/signup")
    async def signup(body: _Signup) -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/teapot")
    async def teapot() -> None:
        raise HTTPException(status_code=418, detail={"reason": "short and stout"})

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("internal detail that must not leak")

    async def me(user: Any) -> dict[str, str]:
        return {"email": user.email}

    me.__annotations__["user"] = security.CurrentUser  # as `user: CurrentUser` in an app
    app.get("/me")(me)

    return app


def _request(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(send())


def test_errors_validation_error_is_one_readable_string_when_body_invalid(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "POST", "/signup", json={"password": "short"})

    # Assert
    assert response.status_code == 422
    assert response.json() == {"detail": "body.password: String should have at least 8 characters"}


def test_errors_validation_error_joins_every_error_when_several(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "POST", "/signup", json={})

    # Assert
    assert response.status_code == 422
    assert response.json() == {"detail": "body.password: Field required"}


def test_errors_unknown_route_is_detail_not_found_when_no_route_matches(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "GET", "/nowhere")

    # Assert
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_errors_wrong_method_is_detail_405_with_allow_header(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "DELETE", "/signup")

    # Assert
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert response.headers["allow"] == "POST"


def test_errors_http_exception_detail_is_a_string_when_raised_with_an_object(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "GET", "/teapot")

    # Assert
    assert response.status_code == 418
    assert response.json() == {"detail": "{'reason': 'short and stout'}"}


def test_errors_unhandled_exception_is_detail_500_without_internals(example: Built) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "GET", "/boom")

    # Assert
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}


def test_security_401_with_www_authenticate_when_header_missing(example: Built, settings_env: str) -> None:
    # Arrange
    app = _app(example)

    # Act
    response = _request(app, "GET", "/me")

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_security_401_when_loader_returns_none(example: Built, settings_env: str) -> None:
    # Arrange
    security = example.module("security")
    seen: list[str] = []

    async def loader(db: Any, token: str) -> Any:
        seen.append(token)
        return None

    security.provide_current_user(loader)
    app = _app(example)

    # Act
    response = _request(app, "GET", "/me", headers={"Authorization": "Bearer abc"})

    # Assert
    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"
    assert seen == ["abc"]


def test_security_current_user_is_what_the_loader_returns_with_a_db_session(
    example: Built, settings_env: str
) -> None:
    # Arrange
    security = example.module("security")
    models = example.module("models")

    async def loader(db: Any, token: str) -> Any:
        name = (await db.execute(sa.text("SELECT current_database()"))).scalar_one()
        return models.User(email=f"{token}@{name}")

    security.provide_current_user(loader)
    app = _app(example)
    database_name = settings_env.rsplit("/", 1)[1]

    # Act
    response = _request(app, "GET", "/me", headers={"Authorization": "Bearer ann"})

    # Assert
    assert response.status_code == 200
    assert response.json() == {"email": f"ann@{database_name}"}


def test_database_get_db_yields_a_session_on_the_configured_database(
    example: Built, settings_env: str
) -> None:
    # Arrange
    database = example.module("database")

    async def use() -> tuple[str, bool, bool]:
        sessions = database.get_db()
        session = await anext(sessions)
        name = (await session.execute(sa.text("SELECT current_database()"))).scalar_one()
        await sessions.aclose()
        return name, session.sync_session.expire_on_commit, database.get_engine() is database.get_engine()

    # Act
    name, expire_on_commit, cached = asyncio.run(use())

    # Assert
    assert name == settings_env.rsplit("/", 1)[1]
    assert expire_on_commit is False
    assert cached is True
    assert database.get_engine().dialect.driver == "asyncpg"


def test_database_dispose_engine_makes_the_next_use_create_a_new_engine(
    example: Built, settings_env: str
) -> None:
    # Arrange
    database = example.module("database")
    first = database.get_engine()

    # Act
    asyncio.run(database.dispose_engine())
    second = database.get_engine()

    # Assert
    assert second is not first


def test_config_reads_environment_when_set_and_defaults_otherwise(example: Built, settings_env: str) -> None:
    # Arrange
    config = example.module("config")

    # Act
    settings = config.get_settings()

    # Assert
    assert settings_env == settings.DATABASE_URL.get_secret_value()
    assert settings.SECRET_KEY.get_secret_value() == SECRET
    assert settings.FRONTEND_URL == "http://localhost:3000"
    assert settings.ACCESS_TOKEN_EXPIRE_MINUTES == 30
    assert settings.REFRESH_TOKEN_EXPIRE_DAYS == 7
    assert config.get_settings() is settings


def test_config_never_shows_secret_key_or_database_password_when_printed_or_dumped(
    example: Built, settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    config = example.module("config")
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://app:S3cretPw@db.internal/app")
    config.get_settings.cache_clear()

    # Act
    settings = config.get_settings()
    shown = [repr(settings), str(settings), settings.model_dump_json(), str(settings.model_dump())]

    # Assert
    assert all(SECRET not in text and "S3cretPw" not in text for text in shown)
    assert repr(settings).count("**********") == 2
    assert settings.DATABASE_URL.get_secret_value() == "postgresql+asyncpg://app:S3cretPw@db.internal/app"


def test_config_cache_clear_reads_environment_again(
    example: Built, settings_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    config = example.module("config")
    first = config.get_settings()
    monkeypatch.setenv("ACCESS_TOKEN_EXPIRE_MINUTES", "5")

    # Act
    config.get_settings.cache_clear()
    second = config.get_settings()

    # Assert
    assert first.ACCESS_TOKEN_EXPIRE_MINUTES == 30
    assert second.ACCESS_TOKEN_EXPIRE_MINUTES == 5


def test_config_missing_database_url_is_a_validation_error(
    example: Built, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    # Arrange
    config = example.module("config")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", SECRET)
    config.get_settings.cache_clear()

    # Act
    with pytest.raises(ValidationError) as raised:
        config.get_settings()
    config.get_settings.cache_clear()

    # Assert
    assert "DATABASE_URL" in str(raised.value)
    assert SECRET not in str(raised.value)


def test_contracts_authenticated_route_refuses_request_without_token_when_handler_ignores_user(
    example: Built, settings_env: str
) -> None:
    # Arrange
    from fastapi import APIRouter, FastAPI, Response

    contracts = example.module("contracts")
    errors = example.module("errors")
    security = example.module("security")
    calls: list[int] = []

    async def loader(db: Any, token: str) -> Any:
        return None if token == "bad" else object()

    async def delete_room(room_id: int) -> Response:  # forgets `user: CurrentUser`
        calls.append(room_id)
        return Response(status_code=204)

    security.provide_current_user(loader)
    router = APIRouter()
    router.api_route(**contracts.delete_rooms_by_room_id)(delete_room)
    app = FastAPI()
    app.include_router(router)
    errors.install_error_handlers(app)

    # Act
    anonymous = _request(app, "DELETE", "/api/rooms/1")
    rejected = _request(app, "DELETE", "/api/rooms/2", headers={"Authorization": "Bearer bad"})
    accepted = _request(app, "DELETE", "/api/rooms/3", headers={"Authorization": "Bearer good"})

    # Assert
    assert anonymous.status_code == 401
    assert rejected.status_code == 401
    assert accepted.status_code == 204
    assert calls == [3]
