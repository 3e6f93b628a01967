"""The Alembic environment specc keeps under `<out>/migrations/`: alembic.ini, env.py, script.py.mako.

`env.py` takes its target metadata from the generated models (`<out>/models`, put on `sys.path`), and its
database from, in order: a connection or engine handed over in `config.attributes["connection"]`
(pytest-alembic, `specc migrate verify`), `DATABASE_URL`, `sqlalchemy.url` in alembic.ini. Plain
`postgresql://` URLs get the psycopg driver; async drivers (`postgresql+asyncpg://`) run through
`async_engine_from_config`. `alembic.ini` has a standard logging section, which `env.py` applies when the
program running Alembic has not configured logging (so `alembic upgrade` logs each revision). Every
statement is sent through PostgreSQL's extended protocol, so a statement
can never carry a second one (see `run_with`), and messages never show the URL's password.
"""

from __future__ import annotations

from specc.emit.base import HEADER_WIDTH, GeneratedFiles, python_header, text_header

MIGRATIONS = "migrations"

_ALEMBIC_INI = """\
[alembic]
script_location = %(here)s
path_separator = os
# The database URL comes from the DATABASE_URL environment variable (see env.py).

# Logging: env.py applies this when the program running Alembic has not configured logging itself (the
# `alembic` command does not), so `alembic upgrade` reports each revision it runs.
[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""

_ENV_PY = '''
import asyncio
import logging
import os
import sys
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import MetaData, engine_from_config, pool
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError

GENERATED = Path(__file__).resolve().parent.parent


def _import_models_from_generated() -> None:
    """Put the generated folder first on sys.path; forget a `models` package
    imported from elsewhere."""
    folder = str(GENERATED)
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    stale = [n for n in sys.modules if n.split(".")[0] == "models"]
    for name in stale:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if not origin.startswith(folder + os.sep):
            del sys.modules[name]


def _target_metadata() -> MetaData:
    _import_models_from_generated()
    from models import Base

    return Base.metadata


config = context.config
target_metadata = _target_metadata()

if config.config_file_name is not None and not logging.getLogger().handlers:
    # The logging section of alembic.ini, unless the program running
    # Alembic configured logging itself.
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def redacted(url: str) -> str:
    """`url` with its password masked (for messages; works on malformed
    URLs too)."""
    start, at = url.find("://") + 3, url.rfind("@")
    colon = url.find(":", start, at) if start >= 3 and at > start else -1
    return url if colon < 0 else url[: colon + 1] + "***" + url[at:]


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    url = url or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("Set DATABASE_URL to the database to migrate.")
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # no "://", or a bad port
        shown = redacted(url)
        hint = "expected postgresql://user@host/db"
        raise SystemExit(f"Malformed database URL {shown!r}: {hint}") from None
    if parsed.drivername in ("postgres", "postgresql"):
        psycopg = parsed.set(drivername="postgresql+psycopg")
        return psycopg.render_as_string(hide_password=False)
    return url


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        compare_server_default=True,
    )


def run_with(connection: Connection) -> None:
    """Run the migrations on `connection`, one statement per round trip.

    psycopg 3 sends a statement without parameters through PostgreSQL's
    simple query protocol, which runs every statement in the text; with
    `prepare_threshold = 0` each goes through the extended protocol, where
    the server refuses a second statement. (asyncpg always uses the extended
    protocol.)"""
    driver = connection.connection.driver_connection
    psycopg3 = hasattr(driver, "prepare_threshold")
    threshold = getattr(driver, "prepare_threshold", None)
    if psycopg3:
        driver.prepare_threshold = 0  # type: ignore[union-attr]
    try:
        configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    finally:
        if psycopg3:
            driver.prepare_threshold = threshold  # type: ignore[union-attr]


async def run_async(url: str) -> None:
    # Needs greenlet: imported only for async drivers.
    from sqlalchemy.ext.asyncio import async_engine_from_config

    engine = async_engine_from_config(
        {"sqlalchemy.url": url},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    async with engine.connect() as connection:
        await connection.run_sync(run_with)
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = config.attributes.get("connection")
    if isinstance(given, Connection):
        run_with(given)
        return
    if isinstance(given, Engine):
        with given.connect() as connection:
            run_with(connection)
        return
    url = database_url()
    if make_url(url).get_dialect().is_async:
        asyncio.run(run_async(url))
        return
    engine = engine_from_config(
        {"sqlalchemy.url": url},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        run_with(connection)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

_SCRIPT_MAKO = '''\
"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Written by hand: specc writes its own revisions on `specc build`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}
revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''


def environment_files(source: str, line_length: int = HEADER_WIDTH) -> GeneratedFiles:
    """The three environment files, keyed by path relative to the output folder. env.py's code is written to
    be what `ruff format` makes of it at every line length from `MIN_LINE_LENGTH` up (lines of at most 79
    characters; a split call ends with a magic trailing comma); its header follows `line_length`."""
    return {
        f"{MIGRATIONS}/alembic.ini": text_header(source) + _ALEMBIC_INI,
        f"{MIGRATIONS}/env.py": python_header(source, line_length) + _ENV_PY,
        f"{MIGRATIONS}/script.py.mako": text_header(source, "##") + _SCRIPT_MAKO,
    }
