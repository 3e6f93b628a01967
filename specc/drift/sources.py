"""The database, migrations, tests and generated-output sources of drift.

- database: the live PostgreSQL read straight from its catalog in a few set-based queries
  (`specc.db.catalog`), read-only (the connection runs in a READ ONLY transaction that is rolled back);
- migrations: the team's Alembic scripts upgraded to head on a scratch database (created on the scratch
  server with a unique name, dropped after), then read like the database;
- tests: plan coverage (`specc.plancoverage`), read statically, never imported;
- generated: `specc build --check`, comparing in memory (nothing is written).

An environment problem (bad or unreachable URL, wrong password, a migration that fails) raises
`EnvironmentProblem` with one line, never showing the URL's password.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import sqlalchemy as sa

from specc.db.catalog import read_catalog
from specc.db.model import DbSchema
from specc.db.urls import BadUrl, sync_url
from specc.diagnostics import Code
from specc.drift import codes
from specc.drift.model import Finding, Location
from specc.ir.model import Spec, TestPlan
from specc.plancoverage import PlanCoverage, plan_coverage
from specc.secrets import redact_url, scrub, url_secrets


class EnvironmentProblem(Exception):
    """A source could not be read for a reason outside the document (exit 2)."""


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


def checked_url(url: str, what: str) -> sa.URL:
    """A synchronous psycopg URL for `url` (EnvironmentProblem when it cannot be used)."""
    try:
        return sync_url(url)
    except BadUrl as exc:
        raise EnvironmentProblem(f"{what}: {exc}".replace("verify needs", "drift needs")) from None


def _problem(what: str, url: str, exc: BaseException) -> EnvironmentProblem:
    line = scrub(_first_line(exc), url_secrets(url))
    return EnvironmentProblem(f"cannot read {what} at {redact_url(url)}: {line}")


def read_database(url: str, schema: str | None) -> DbSchema:
    """The schema of the database at `url`, read in one READ ONLY transaction that is rolled back."""
    engine = sa.create_engine(checked_url(url, "--database-url"), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
            if schema is not None:
                exists = connection.execute(
                    sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :name"), {"name": schema}
                ).first()
                if exists is None:
                    raise EnvironmentProblem(f"the database has no schema {schema!r}")
            result = read_catalog(connection, schema)
            connection.rollback()
            return result
    except sa.exc.SQLAlchemyError as exc:
        raise _problem("the database", url, exc) from None
    finally:
        engine.dispose()


def database_locator(schema: str | None) -> Callable[[str, str | None], Location]:
    """Where the database defines a table or column, as a logical location (a database has no file)."""
    prefix = f"{schema}." if schema else ""

    def locate(table: str, column: str | None) -> Location:
        where = f"database: table {prefix}{table}" + (f", column {column}" if column else "")
        return Location(logical=where)

    return locate


# --- migrations ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _scratch(server: sa.URL, url: str) -> Iterator[sa.Engine]:
    name = f"specc_drift_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.SQLAlchemyError as exc:
        admin.dispose()
        raise _problem("the scratch server", url, exc) from None
    engine = sa.create_engine(server.set(database=name), poolclass=sa.pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()
        with contextlib.suppress(sa.exc.SQLAlchemyError), admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def head_file(folder: Path, root: Path) -> Location:
    """The head revision's file (the migration a missing change belongs after)."""
    from alembic.config import Config as AlembicConfig
    from alembic.script import ScriptDirectory

    config = AlembicConfig()
    config.set_main_option("script_location", str(folder))
    try:
        script = ScriptDirectory.from_config(config)
        heads = script.get_revisions("heads")
    except Exception:  # an unreadable script folder: point at the folder
        heads = ()
    for revision in heads:
        if revision is not None and revision.path:
            shown = Path(os.path.relpath(revision.path, root)).as_posix()
            return Location(file=shown, line=1, logical=f"revision {revision.revision} (head)")
    return Location(file=Path(os.path.relpath(folder, root)).as_posix(), logical="migrations")


def _child_environment(scratch: str, live_urls: list[str], pythonpath: list[Path]) -> dict[str, str]:
    """The migrations process's environment: every variable holding a live database URL (or a password of
    one) is pointed at the scratch database, `DATABASE_URL` too; the user's source folders are importable."""
    env = dict(os.environ)
    for name, value in list(env.items()):
        if any(value == live for live in live_urls if live):
            env[name] = scratch
    env["DATABASE_URL"] = scratch
    env["SPECC_DRIFT_SCRATCH_URL"] = scratch
    paths = [str(p) for p in pythonpath] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    return env


def read_migrations(
    folder: Path, scratch_url: str, live_urls: list[str], pythonpath: list[Path], root: Path
) -> DbSchema:
    """Upgrade a scratch database to head with the scripts in `folder`, in a child process, and read its
    schema. EnvironmentProblem when the upgrade fails or did not run on the scratch database."""
    import subprocess
    import sys

    from specc.drift.migrations_child import ERROR_PREFIX

    if not (folder / "env.py").is_file():
        raise EnvironmentProblem(f"{folder} is not an Alembic scripts folder (no env.py)")
    server = checked_url(scratch_url, "the scratch database URL")
    secrets = [*url_secrets(scratch_url), *(s for live in live_urls for s in url_secrets(live))]
    with _scratch(server, scratch_url) as engine:
        scratch = engine.url.render_as_string(hide_password=False)
        result = subprocess.run(
            [sys.executable, "-m", "specc.drift.migrations_child", str(folder.resolve())],
            cwd=root,
            env=_child_environment(scratch, live_urls, pythonpath),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
        if result.returncode != 0:
            failed = [line for line in result.stderr.splitlines() if line.startswith(ERROR_PREFIX)]
            reason = failed[-1][len(ERROR_PREFIX) :] if failed else f"exit code {result.returncode}"
            raise EnvironmentProblem(
                f"the migrations in {folder} fail to upgrade to head: {scrub(reason, secrets)}"
            )
        sys.stderr.write(scrub(result.stderr, secrets))  # what the migrations printed, never in the report
        with engine.connect() as connection:
            ran = connection.execute(
                sa.text("SELECT count(*) FROM pg_class WHERE relname = 'alembic_version' AND relkind = 'r'")
            ).scalar_one()
            if not ran:
                raise EnvironmentProblem(
                    f"the migrations in {folder} did not run on the scratch database (it has no "
                    "alembic_version): their env.py must use the connection Alembic passes in "
                    "config.attributes['connection'], or sqlalchemy.url, or $DATABASE_URL"
                )
            return read_catalog(connection)


# --- tests --------------------------------------------------------------------------------------------


def _case_location(plan: TestPlan, case_id: str, plan_file: str) -> Location:
    for feature in plan.features:
        for case in feature.cases:
            if case.id == case_id and case.span is not None:
                return Location(file=case.span.file, line=case.span.line, column=case.span.column)
    return Location(file=plan_file, line=1, column=1)


def compare_tests(
    spec: Spec, tests: Path, tests_shown: str, generated: tuple[Path, str] | None
) -> tuple[list[Finding], PlanCoverage]:
    """Findings from plan coverage: missing cases, stub-only cases, links to vanished cases."""
    plan = spec.test_plan
    assert plan is not None
    coverage = plan_coverage(plan, tests, generated)
    plan_file = plan.source or "TESTPLAN.md"
    prefix = tests_shown.rstrip("/") + "/"
    generated_prefix = generated[1] if generated else None
    findings: list[Finding] = []

    def shown(file: str) -> str:
        return file if generated_prefix and file.startswith(generated_prefix) else prefix + file

    for case in coverage.cases:
        where = _case_location(plan, case.id, plan_file)
        if case.state == "missing":
            findings.append(
                _finding(
                    codes.CASE_MISSING,
                    case.id,
                    f"{case.feature}: case {case.id} ({case.text}) has no test",
                    where,
                    Location(file=tests_shown.rstrip("/") or ".", logical="no test links to it"),
                    "run `specc build` for a stub, then write the test and mark it "
                    f'@pytest.mark.spec("{case.id}")',
                )
            )
        elif case.state == "stub":
            stub = case.tests[0]
            findings.append(
                _finding(
                    codes.CASE_STUB,
                    case.id,
                    f"{case.feature}: case {case.id} ({case.text}) is only a stub",
                    where,
                    Location(file=shown(stub.file), line=stub.line, logical=stub.name),
                    None,
                )
            )
    for link in coverage.vanished:
        test = link.test
        likely = f"; the plan's closest case is {link.likely}" if link.likely else ""
        spec_place = (
            _case_location(plan, link.likely, plan_file) if link.likely else Location(file=plan_file, line=1)
        )
        findings.append(
            _finding(
                codes.CASE_VANISHED,
                f"{shown(test.file)}::{test.name} {test.case_id}",
                f"test {test.name} links to case {test.case_id}, which the plan no longer has{likely}",
                spec_place,
                Location(file=shown(test.file), line=test.line, logical=test.name),
                "link the test to the case it now implements, or delete it",
            )
        )
    for file in coverage.unreadable:
        findings.append(
            _finding(
                codes.TESTS_UNREADABLE,
                shown(file),
                f"test file {shown(file)} could not be read; its links are not counted",
                Location(file=plan_file, line=1),
                Location(file=shown(file)),
                None,
            )
        )
    return findings, coverage


def _finding(
    code: Code, subject: str, message: str, spec: Location, actual: Location, hint: str | None
) -> Finding:
    return Finding(
        code=code.code,
        severity=code.severity,
        source="tests",
        subject=subject,
        message=message,
        spec=spec,
        actual=actual,
        hint=hint,
    )
