"""The pytest plugin written to `<out>/testing/__init__.py`: a migrated throwaway PostgreSQL database, a
session per test that rolls back, clients on the team's app, an authenticated client and a fixture per
table factory.

Nothing from the document reaches this module except validated identifiers (the models writer's class
names, the factories writer's function names); the `app` setting, validated by the configuration as
`module:attribute`, is written as string literals."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from specc.emit.base import python_header
from specc.pycode.imports import PyImport, import_lines
from specc.pycode.layout import Call, Split, layout
from specc.pycode.literals import py_str


@dataclass(frozen=True)
class TableFactory:
    table: str
    model: str
    """The model class name."""
    function: str
    """The factory function in `testing/factories.py` (`create_room`)."""

    @property
    def fixture(self) -> str:
        base = self.function.removeprefix("create_")
        return f"{base}_factory"


_DOC = """
pytest fixtures for tests of an app built on the generated code (the seed's
conftest pattern). Use them in your own tests with
`pytest_plugins = ["{package}.testing"]` in your top-level conftest.py.

- `test_database_url` (session): a uniquely named database on the PostgreSQL
  server of `TEST_DATABASE_URL` (`postgresql://user@host:5432/postgres`),
  brought to head by the generated Alembic migrations, dropped afterwards.
  Without that variable or server the tests that need it are skipped; with
  `CI` set they fail.
- `db_connection`, `db_session`: one connection per test inside a transaction
  that is rolled back after it; sessions join it with savepoints, so the
  app's own commits roll back too.
- `application`, `client`: a new app per test (`[tool.specc] app`) whose
  `get_db` is overridden, driven in-process by an `httpx.AsyncClient`.
{auth_doc}- `<table>_factory`: the table's factory (`factories.py`) bound to
  `db_session`.
"""

_AUTH_DOC = """- `test_user`, `auth_client`: a user made by its factory, and a client whose
  requests are that user (`get_current_user` overridden).
"""

_IMPORTS = """
import asyncio
import importlib
import os
import re
import secrets
import sys
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

"""

_BODY = """{relative_imports}

__all__ = [
{exports}]

APP = {app}
\"\"\"`module:attribute` of the app or its factory (`[tool.specc] app`).\"\"\"
{secret_words}
\"\"\"Words that make a response field secret-like (`password_hash`).\"\"\"


def sample_text(prefix: str, min_length: int = 0, max_length: int | None = None) -> str:
    \"\"\"A unique text of an allowed length.\"\"\"
    value = f"{{prefix}}-{{uuid.uuid4().hex[:8]}}"
    if max_length is not None and len(value) > max_length:
        value = (uuid.uuid4().hex * (max_length // 32 + 1))[:max_length]
    return value.ljust(min_length, "x")


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\\1_\\2", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def secret_fields(value: object) -> list[str]:
    \"\"\"The secret-like keys anywhere in a JSON value (`password_hash`).\"\"\"
    found: set[str] = set()
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, sub in item.items():
                words = _words(str(key))
                joined = "_".join(words)
                if SECRET_WORDS.intersection(words) or "private_key" in joined:
                    found.add(str(key))
                stack.append(sub)
        elif isinstance(item, list):
            stack.extend(item)
    return sorted(found)


def documented_fields(
    app: FastAPI,
    method: str,
    path: str,
    status: int,
) -> dict[str, Any]:
    \"\"\"The properties of the response the app documents for an operation, as
    a nested JSON value (`{{"id": {{}}, "owner": {{"email": {{}}}}}}`).\"\"\"
    document = app.openapi()
    components = document.get("components", {{}}).get("schemas", {{}})
    operation = document["paths"][path][method.lower()]
    content = operation["responses"][str(status)].get("content", {{}})
    schema = content.get("application/json", {{}}).get("schema", {{}})
    return _skeleton(schema, components, 0)


def _skeleton(schema: Any, components: dict[str, Any], depth: int) -> dict[str, Any]:
    if depth > 16 or not isinstance(schema, dict):
        return {{}}
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = components.get(ref.rsplit("/", 1)[-1])
        return _skeleton(target, components, depth + 1)
    result: dict[str, Any] = {{}}
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            result.update(_skeleton(branch, components, depth + 1))
    result.update(_skeleton(schema.get("items"), components, depth + 1))
    for name, sub in schema.get("properties", {{}}).items():
        result[name] = _skeleton(sub, components, depth + 1)
    return result


ALEMBIC_INI = Path(__file__).resolve().parent.parent / "migrations" / "alembic.ini"
ENV_URL = "TEST_DATABASE_URL"


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"{{reason}} (CI is set: the database tests must run)")
    pytest.skip(reason)


def _server_url() -> str:
    url = os.environ.get(ENV_URL, "")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        message = "set it to postgresql://user@127.0.0.1:5432/postgres"
        _unavailable(f"{{ENV_URL}} is not a PostgreSQL server URL: {{message}}")
    asyncpg = parsed.set(drivername="postgresql+asyncpg")
    return asyncpg.render_as_string(hide_password=False)


def _problem(exc: Exception, url: str) -> str:
    \"\"\"The first line of `exc`, never showing the password of `url`.\"\"\"
    line = (str(exc).splitlines() or [""])[0]
    password = make_url(url).password
    if password:
        line = line.replace(str(password), "***")
    return f"{{type(exc).__name__}}: {{line}}"


def _upgrade_head(connection: Connection) -> None:
    config = Config(str(ALEMBIC_INI))
    config.attributes["connection"] = connection
    saved = list(sys.path)  # the migrations' env.py puts its folder first
    try:
        command.upgrade(config, "head")
    finally:
        sys.path[:] = saved


async def _admin(server: str, statement: str) -> None:
    engine = create_async_engine(
        server,
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
    )
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()


async def _migrate(url: str) -> None:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(_upgrade_head)
            await conn.commit()
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def test_database_url() -> Iterator[str]:
    \"\"\"The URL (asyncpg) of a database migrated to head, dropped after the
    session.\"\"\"
    server = _server_url()
    name = f"test_{{uuid.uuid4().hex[:12]}}"
    try:
        asyncio.run(_admin(server, f'CREATE DATABASE "{{name}}"'))
    except (OSError, SQLAlchemyError) as exc:
        _unavailable(f"cannot create a test database: {{_problem(exc, server)}}")
    url = make_url(server).set(database=name)
    try:
        asyncio.run(_migrate(url.render_as_string(hide_password=False)))
        yield url.render_as_string(hide_password=False)
    finally:
        drop = f'DROP DATABASE IF EXISTS "{{name}}" WITH (FORCE)'
        asyncio.run(_admin(server, drop))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def db_connection(test_database_url: str) -> AsyncIterator[AsyncConnection]:
    \"\"\"A connection inside a transaction rolled back after the test.\"\"\"
    engine = create_async_engine(test_database_url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            transaction = await conn.begin()
            try:
                yield conn
            finally:
                await transaction.rollback()
    finally:
        await engine.dispose()


def _session(connection: AsyncConnection) -> AsyncSession:
    return AsyncSession(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )


@pytest.fixture
async def db_session(db_connection: AsyncConnection) -> AsyncIterator[AsyncSession]:
    \"\"\"The test's own session (factories, assertions), on its connection.\"\"\"
    async with _session(db_connection) as session:
        yield session


@pytest.fixture
def app_environment(
    monkeypatch: pytest.MonkeyPatch,
    test_database_url: str,
) -> Iterator[None]:
    \"\"\"The generated settings read from this test's environment: the test
    database, and a random SECRET_KEY when none is set.\"\"\"
    monkeypatch.setenv("DATABASE_URL", test_database_url)
    if not os.environ.get("SECRET_KEY"):
        monkeypatch.setenv("SECRET_KEY", secrets.token_urlsafe(32))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def make_app(connection: AsyncConnection) -> FastAPI:
    \"\"\"A new app (`APP`) whose requests each get a session on `connection`.\"\"\"
    if APP is None:
        pytest.fail("set [tool.specc] app = 'module:attribute' and run specc build")
    module_name, _, attribute = APP.partition(":")
    source: Any = getattr(importlib.import_module(module_name), attribute)
    app = source if isinstance(source, FastAPI) else source()
    if not isinstance(app, FastAPI):
        pytest.fail(f"{{APP}} is not a FastAPI app and does not return one")

    async def get_test_db() -> AsyncIterator[AsyncSession]:
        async with _session(connection) as session:
            yield session

    app.dependency_overrides[get_db] = get_test_db
    return app


@pytest.fixture
def application(
    app_environment: None,
    db_connection: AsyncConnection,
) -> Iterator[FastAPI]:
    \"\"\"A new app for the test, on the test's connection.\"\"\"
    app = make_app(db_connection)
    yield app
    app.dependency_overrides.clear()


@pytest.fixture
async def client(application: FastAPI) -> AsyncIterator[AsyncClient]:
    \"\"\"A client of the app without credentials.\"\"\"
    transport = ASGITransport(app=application)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
{auth}{factory_fixtures}"""

_AUTH = '''

@pytest.fixture
async def test_user(db_session: AsyncSession) -> {user}:
    """A user made by its factory."""
    return await {user_factory}(db_session)


@pytest.fixture
async def auth_client(
    app_environment: None,
    db_connection: AsyncConnection,
    test_user: {user},
) -> AsyncIterator[AsyncClient]:
    """A client of another new app whose requests are `test_user`
    (`get_current_user` overridden)."""
    app = make_app(db_connection)
    app.dependency_overrides[get_current_user] = lambda: test_user
    transport = ASGITransport(app=app)
    async with AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
    app.dependency_overrides.clear()
'''


def _factory_fixture(factory: TableFactory, width: int) -> str:
    """The fixture of one table's factory, laid out for `width` (names can be long)."""
    returns = Call("Callable[", ("...", Call("Awaitable[", (f"generated_models.{factory.model}",), "]")), "]")
    lines = [
        "",
        "",
        "@pytest.fixture",
        f"def {factory.fixture}(",
        "    db_session: AsyncSession,",
        *layout(") -> ", returns, ":", 0, width),
        '    """The table\'s factory (`factories.py`) on the test\'s session."""',
        *layout("return ", Call("partial(", (f"factories.{factory.function}", "db_session")), "", 1, width),
    ]
    return "\n".join(lines) + "\n"


def plugin_exports(factories: Sequence[TableFactory], auth: bool) -> list[str]:
    """The plugin's `__all__`, sorted: its fixtures and helpers."""
    exports = ["anyio_backend", "app_environment", "application", "client", "db_connection", "db_session"]
    exports += ["documented_fields", "make_app", "sample_text", "secret_fields", "test_database_url"]
    exports += ["FACTORIES", "unique_email", "unique_text"]
    if auth:
        exports += ["auth_client", "test_user"]
    exports += [f.fixture for f in factories]
    return sorted(set(exports))


def render_fixtures(
    source: str,
    package: str,
    app: str | None,
    factories: Sequence[TableFactory],
    user: TableFactory | None,
    line_length: int,
    secret_words: Sequence[str],
) -> str:
    """The plugin module. `package`: the generated package's dotted name (`generated`); `user`: the factory of
    the table `get_current_user` returns (None: no authenticated operation, no auth fixtures)."""
    header = python_header(source, line_length).rstrip("\n")
    doc = _DOC.format(package=package, auth_doc=_AUTH_DOC if user else "")
    imports = _IMPORTS
    relative = [PyImport("..config", "get_settings"), PyImport("..database", "get_db")]
    relative.append(PyImport("..", "models", "generated_models"))
    if user is not None:
        relative.append(PyImport("..security", "get_current_user"))
    relative.append(PyImport(".", "factories"))
    relative += [PyImport(".factories", name) for name in ("FACTORIES", "unique_email", "unique_text")]
    exports = plugin_exports(factories, user is not None)
    words = [w for w in secret_words if "_" not in w]
    body = _BODY.format(
        relative_imports="\n".join(import_lines(relative, line_length)),
        exports="".join(f"    {py_str(name)},\n" for name in exports),
        app="None" if app is None else py_str(app),
        secret_words="\n".join(
            layout(
                "SECRET_WORDS = ",
                Call(
                    "frozenset(", (Call("{", tuple(py_str(w) for w in sorted(words)), "}", Split.ELEMENTS),)
                ),
                "",
                0,
                line_length,
            )
        ),
        auth=_AUTH.format(user=f"generated_models.{user.model}", user_factory=f"factories.{user.function}")
        if user
        else "",
        factory_fixtures="".join(_factory_fixture(f, line_length) for f in factories),
    )
    return header[:-3].rstrip("\n") + "\n\n" + doc.strip("\n") + '\n"""\n' + imports + body
