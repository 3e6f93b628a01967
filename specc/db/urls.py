"""The database URL specc's own connections use (`migrate verify`, `drift`): checked, with psycopg.

Kept apart from `specc.migrate.verify` so that reading a database does not import Alembic.
"""

from __future__ import annotations

import sqlalchemy as sa

from specc.secrets import redact_url, unencoded_at


class BadUrl(Exception):
    """The database URL cannot be used for verify (malformed, not PostgreSQL, driver missing)."""


def sync_url(database_url: str) -> sa.URL:
    """The URL with a synchronous PostgreSQL driver (psycopg) for verify's own connections.

    Raises BadUrl (with a message for the user) when the URL is malformed or not PostgreSQL, or when the
    driver is not installed."""
    if unencoded_at(database_url):
        shown = redact_url(database_url)
        raise BadUrl(f"database URL {shown!r} has an '@' in its user or password: write it as %40")
    try:
        url = sa.engine.make_url(database_url)
    except (sa.exc.ArgumentError, ValueError):
        shown = redact_url(database_url)
        raise BadUrl(f"malformed database URL {shown!r}: expected postgresql://user@host/db") from None
    if url.get_backend_name() not in ("postgresql", "postgres"):
        shown = url.render_as_string(hide_password=True)
        raise BadUrl(f"database URL {shown!r} is not PostgreSQL: verify needs PostgreSQL")
    url = url.set(drivername="postgresql+psycopg")
    try:
        url.get_dialect().import_dbapi()
    except ImportError as exc:
        raise BadUrl(f"the PostgreSQL driver psycopg is not installed: {exc}") from exc
    return url
