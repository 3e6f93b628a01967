"""`specc migrate verify`: run the generated migrations on a scratch database and check every step.

Creates a scratch database on the server of `database_url`, upgrades to head, compares the database with
the generated models (Alembic's autogenerate comparison, types and server defaults included) and with the
lock's schema at head, downgrades one revision at a time checking each intermediate schema against the
lock history, upgrades again, and drops the scratch database. One line per step; exit 0 (all passed),
1 (a step failed), 2 (environment: no migrations, bad or non-PostgreSQL URL, driver missing, server
unreachable, no permission to create the scratch database).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from specc.db.catalog import read_catalog
from specc.db.model import DbSchema
from specc.db.urls import BadUrl, sync_url
from specc.diagnostics import Reporter, Severity
from specc.diff import diff_db_schemas
from specc.migrate.database import compare_with_models, downgrade, load_models_metadata, upgrade
from specc.migrate.environment import MIGRATIONS
from specc.migrate.lock import Lock
from specc.migrate.plan import check_integrity
from specc.secrets import scrub, url_password

EXIT_OK, EXIT_FAILED, EXIT_ENVIRONMENT = 0, 1, 2


class ScratchDatabaseError(Exception):
    """The server refused CREATE DATABASE (for example: the role lacks CREATEDB)."""


@contextmanager
def scratch_database(server: sa.URL) -> Iterator[sa.Engine]:
    """A fresh database on `server`, dropped afterwards (even when a step fails)."""
    name = f"specc_verify_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        raise
    except sa.exc.DBAPIError as exc:  # connected, but the role may not create databases
        admin.dispose()
        raise ScratchDatabaseError(_first_line(exc.orig or exc)) from exc
    engine = sa.create_engine(server.set(database=name), poolclass=sa.pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def describe_difference(actual: DbSchema, expected: DbSchema) -> str:
    """What the database lacks or has in excess, as the changes that would fix it."""
    changes = diff_db_schemas(actual.canonical(), expected.canonical())
    return "; ".join(c.describe() for c in changes[:5]) + (" …" if len(changes) > 5 else "")


class _Run:
    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.failed = False

    def result(self, ok: bool, step: str, detail: str = "") -> bool:
        self.echo(f"{'PASS' if ok else 'FAIL'} {step}" + (f": {detail}" if detail else ""))
        self.failed = self.failed or not ok
        return ok

    def schema_matches(self, engine: sa.Engine, expected: DbSchema, step: str) -> bool:
        with engine.connect() as connection:
            actual = read_catalog(connection).canonical()
        wanted = expected.canonical()
        if actual == wanted:
            return self.result(True, step)
        return self.result(
            False, step, "schema differs from the lock: " + describe_difference(actual, wanted)
        )

    def attempt(self, step: str, action: Callable[[], None]) -> bool:
        try:
            action()
        except Exception as exc:  # a migration failing is a finding, reported on its line
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return self.result(False, step, f"{type(exc).__name__}: {message}")
        return True


def verify(out: Path, database_url: str, echo: Callable[[str], None]) -> int:
    """Verify the migrations under `out` on a scratch database next to `database_url`. Exit code 0/1/2.

    No line shows the URL's password: every line is scrubbed of it, whatever reported it."""
    password = url_password(database_url)
    if password:
        shown = echo

        def echo(line: str) -> None:
            shown(scrub(line, [password]))

    if not (out / MIGRATIONS / "alembic.ini").is_file():
        echo(f"FAIL no migrations under {out / MIGRATIONS}: run `specc build` first")
        return EXIT_ENVIRONMENT
    reporter = Reporter()
    state = check_integrity(out, reporter)
    for diag in reporter.sorted():
        echo(
            f"{'FAIL' if diag.severity == Severity.ERROR else 'WARN'} {diag.code} {diag.file}: {diag.message}"
        )
    if state is None:
        return EXIT_FAILED
    lock = state[0]
    if not lock.revisions:
        echo("FAIL the lock file records no revision: run `specc build` first")
        return EXIT_FAILED
    try:
        server = sync_url(database_url)
    except BadUrl as exc:
        echo(f"FAIL {exc}")
        return EXIT_ENVIRONMENT
    run = _Run(echo)
    try:
        with scratch_database(server) as engine:
            _verify_steps(out, engine, lock, run)
    except sa.exc.OperationalError as exc:
        echo(f"FAIL cannot reach the database server: {_first_line(exc)}")
        return EXIT_ENVIRONMENT
    except ScratchDatabaseError as exc:
        echo(f"FAIL cannot create a scratch database: {exc}")
        return EXIT_ENVIRONMENT
    return EXIT_FAILED if run.failed else EXIT_OK


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _downgrader(out: Path, engine: sa.Engine, target: str) -> Callable[[], None]:
    return lambda: downgrade(out, engine, target)


def _verify_steps(out: Path, engine: sa.Engine, lock: Lock, run: _Run) -> None:
    history = lock.revisions
    head = history[-1]
    if not run.attempt("upgrade to head", lambda: upgrade(out, engine, "head")):
        return
    run.result(True, f"upgrade base → {head.id} ({len(history)} revisions)")
    try:
        differences = compare_with_models(engine, load_models_metadata(out))
    except Exception as exc:  # broken or missing generated models
        run.result(False, "compare with the generated models", f"{type(exc).__name__}: {exc}")
    else:
        detail = "; ".join(str(d) for d in differences[:5])
        run.result(not differences, "database at head matches the generated models", detail)
    run.schema_matches(engine, lock.schema_at(head), f"schema at {head.id} matches the lock")
    for index in range(len(history) - 1, -1, -1):
        current = history[index]
        target = history[index - 1].id if index > 0 else "base"
        step = f"downgrade {current.id} → {target}"
        if not run.attempt(step, _downgrader(out, engine, target)):
            return
        expected = lock.schema_at(history[index - 1]) if index > 0 else DbSchema()
        run.schema_matches(engine, expected, step)
    if run.attempt("upgrade base → head again", lambda: upgrade(out, engine, "head")):
        run.schema_matches(engine, lock.schema_at(head), f"upgrade base → {head.id} again")
