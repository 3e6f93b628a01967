"""Shared fixtures: throwaway PostgreSQL databases and paths to the reference data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from specc.ir.model import Spec
from specc.ir.types import sql_type

# Property tests run on a shared 2-core CI machine: no per-example deadline, no "too slow" health check.
settings.register_profile("specc", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("specc")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_2 = ROOT.parent / "shared" / "corpus-2"
"""The second batch of real-world documents (27–52): other languages, API contracts, test plans."""
EXAMPLE_SPEC = ROOT / "docs" / "example" / "ARCHITECTURE.md"
EXAMPLE_TESTPLAN = ROOT / "docs" / "example" / "TESTPLAN.md"
PG_ADMIN_URL = os.environ.get("SPECC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = bool(os.environ.get("CI"))


def needs_outside_types(spec: Spec) -> bool:
    """True when a column's type must exist before the document's tables can be created: a type specc does
    not know (created outside the document, warning P005) or one from an extension (pgvector's VECTOR). The
    PostgreSQL tests over the corpora leave such documents out: the test server has neither."""
    return any(
        not sql_type(c.type).known or sql_type(c.type).base == "VECTOR"
        for t in spec.tables
        for c in t.columns
    )


def corpus_documents() -> list[Path]:
    """Every real-world document of both corpora (01–52), in order."""
    return sorted(CORPUS.glob("*.md")) + sorted(CORPUS_2.glob("*.md"))


def _pg_available() -> str | None:
    """None when the server answers, else the reason it does not."""
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means: no server
        return f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc}"
    return None


_PG_PROBLEM: str | bool | None = False


def require_postgres() -> None:
    """Skip (locally) or fail (in CI) when PostgreSQL is missing."""
    global _PG_PROBLEM
    if _PG_PROBLEM is False:
        _PG_PROBLEM = _pg_available()
    if isinstance(_PG_PROBLEM, str):
        if IN_CI:
            pytest.fail(_PG_PROBLEM + " (CI=true: database tests must run)")
        pytest.skip(_PG_PROBLEM)


def _url_for(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


def create_database() -> tuple[str, str]:
    """Create a uniquely named database; returns (name, url)."""
    import sqlalchemy as sa

    require_postgres()
    name = f"specc_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return name, _url_for(name)


def drop_database(name: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """URL (postgresql+psycopg://) of a fresh, empty database dropped after the test."""
    name, url = create_database()
    try:
        yield url
    finally:
        drop_database(name)


@pytest.fixture
def pg_database_factory() -> Iterator[object]:
    """Call it to get more fresh database URLs in one test; all are dropped afterwards."""
    created: list[str] = []

    def make() -> str:
        name, url = create_database()
        created.append(name)
        return url

    yield make
    for name in created:
        drop_database(name)
