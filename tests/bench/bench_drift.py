"""Benchmark: `specc drift` against a live database versus Alembic's own comparison (what `alembic check`
runs), side by side in one run; the cost of reading an app's OpenAPI side; and how the database comparison
grows with the number of tables.

    .venv/bin/python -m tests.bench.bench_drift [--tables 1000] [--repeat 3] [--scales 250 500]
    (PostgreSQL at SPECC_TEST_PG, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres)

1. Database. The synthetic spec (`tests.bench.synth`) is built with specc (models and migrations) into a
   temporary folder, a throwaway database is brought to head with the generated Alembic migrations (what a
   user has), then, each in a fresh interpreter with imports included, alternating, `--repeat` times:
   - specc: `specc drift SPEC --database-url URL --skip tests --skip generated --format json` (through
     `specc.cli.main`; the report is captured and must have exit 0 and no finding);
   - Alembic: `compare_metadata` with `compare_type` and `compare_server_default` on the generated models'
     `MetaData`, as `alembic check` does (imports of the 1,000 models included); its differences are printed
     by kind when there are any (the database was made by the same models' migrations: each is a false
     positive).
   Medians are printed with the ratio (target: specc at least 10x faster). A separate, untimed run of each
   counts the SQL statements sent (a `before_cursor_execute` listener on `Engine`) and times its phases;
   "catalog queries" are those that read `pg_*` or `information_schema`, "other" are e.g. Alembic's
   server-default comparisons, which it asks the server to evaluate (`SELECT 'active'::varchar = 'active'`);
   "executing SQL" is the time from sending each statement to having its rows (psycopg fetches them all);
   "of which read_catalog" is the catalog reader's part of reading the database (the rest: imports, the
   engine, connecting, the read-only transaction).
2. App. specc's side of the app comparison (the OpenAPI document it builds in memory from the spec, then
   `specc.read.fastapi_openapi.comparable`) and a FastAPI app of 4N simple routes (APIRouter per table,
   pydantic response models, a bearer dependency) written to a temporary module, whose `app.openapi()` is
   what drift's app source calls: time and peak memory (tracemalloc peak of the step, and the process's
   ru_maxrss). The app's routes do not reproduce the spec: this measures cost, not agreement.
3. Scale. specc's database comparison at the `--scales` sizes and at N, one run each, back to back: time per
   table, and per table added from one size to the next (the fixed cost of imports left out).

Every database is created with a unique name and dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

from tests.bench.common import Sample, run
from tests.bench.synth import synth_spec, table_name

ADMIN = os.environ.get("SPECC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

PYPROJECT = '[tool.specc]\nspec = "ARCHITECTURE.md"\nout = "generated"\n'
"""The temporary project's own configuration (so the repository's pyproject.toml is not read)."""

BUILD = """
import io, contextlib
from pathlib import Path
from specc import build as b
from specc.config import Config
render = [t for t in b.targets() if t.name in ("models", "migrations")]
with contextlib.redirect_stdout(io.StringIO()):
    result = b.build(
        Path({spec!r}), None, Path({out!r}), Config(root=Path({root!r})), durable=False, render=render
    )
assert result.exit_code == 0, result
"""

UPGRADE = """
import logging
import sqlalchemy as sa
from pathlib import Path
from specc.migrate.database import upgrade
logging.basicConfig(level=logging.WARNING)  # before env.py, which then leaves logging alone
engine = sa.create_engine({url!r})
upgrade(Path({out!r}), engine)
engine.dispose()
"""

DRIFT = """
import io, os, json, contextlib
os.chdir({root!r})
from specc.cli import main
captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    code = main(["drift", "ARCHITECTURE.md", "--database-url", {url!r},
                 "--skip", "tests", "--skip", "generated", "--format", "json"])
report = json.loads(captured.getvalue())
assert code == 0 and report["findings"] == [], (code, report["findings"][:5])
assert [s["name"] for s in report["sources"] if s["state"] == "compared"] == ["database"], report["sources"]
"""

ALEMBIC = """
import sys, json
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
sys.path.insert(0, {out!r})
from models import Base
engine = sa.create_engine({url!r}, poolclass=sa.pool.NullPool)
with engine.connect() as conn:
    context = MigrationContext.configure(conn, opts={{"compare_type": True, "compare_server_default": True}})
    diffs = compare_metadata(context, Base.metadata)
engine.dispose()

def kind(diff):
    return diff[0] if isinstance(diff, tuple) else diff[0][0]  # modify_* come as a list of tuples

with open({result!r}, "w") as f:
    json.dump({{"diffs": [kind(d) for d in diffs], "sample": [repr(d)[:200] for d in diffs[:5]]}}, f)
"""

COUNTING = """
import json, time
import sqlalchemy as sa
statements = []
phases = {{}}
sql = [0.0, 0.0]  # start of the statement in flight, seconds spent in statements so far


def before(conn, cursor, statement, *rest):
    statements.append(statement)
    sql[0] = time.perf_counter()


def after(*args):
    sql[1] += time.perf_counter() - sql[0]


sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
sa.event.listen(sa.engine.Engine, "after_cursor_execute", after)

def timed(name, fn):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
    return wrapper
{body}

def catalog(stmt):
    low = stmt.lower()
    return "pg_" in low or "information_schema" in low

with open({result!r}, "w") as f:
    phases["executing SQL (of the above)"] = sql[1]
    counted = {{"statements": len(statements), "catalog": sum(map(catalog, statements)), "phases": phases}}
    json.dump(counted, f)
"""

DRIFT_PHASES = """
import io, os, json, contextlib
os.chdir({root!r})
import specc.cli, specc.drift.run, specc.drift.sources
specc.cli.load = timed("read the spec", specc.cli.load)
specc.drift.sources.read_database = timed("read the database", specc.drift.sources.read_database)
specc.drift.sources.read_catalog = timed("of which read_catalog", specc.drift.sources.read_catalog)
specc.drift.run.compare_schema = timed("compare", specc.drift.run.compare_schema)
captured = io.StringIO()
with contextlib.redirect_stdout(captured):
    code = specc.cli.main(["drift", "ARCHITECTURE.md", "--database-url", {url!r}, "--skip", "tests",
                           "--skip", "generated", "--format", "json"])
assert code == 0 and json.loads(captured.getvalue())["findings"] == []
"""

ALEMBIC_PHASES = """
import sys
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
sys.path.insert(0, {out!r})
started = time.perf_counter()
from models import Base
phases["import the models"] = time.perf_counter() - started
started = time.perf_counter()
engine = sa.create_engine({url!r}, poolclass=sa.pool.NullPool)
with engine.connect() as conn:
    context = MigrationContext.configure(conn, opts={{"compare_type": True, "compare_server_default": True}})
    compare_metadata(context, Base.metadata)
engine.dispose()
phases["compare"] = time.perf_counter() - started
"""

SPEC_OPENAPI = """
import json, time, tracemalloc
from pathlib import Path
from specc.config import Config
from specc.emit.openapi import build_openapi
from specc.frontend import load
from specc.read.fastapi_openapi import comparable
config = Config(root=Path({root!r}))
started = time.perf_counter()
front = load(Path({spec!r}), None, config)
parsed = time.perf_counter() - started
assert not front.errors
if {trace}:
    tracemalloc.start()
started = time.perf_counter()
document = comparable(build_openapi(front.spec, config.api_prefix, config.root))
step = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if {trace} else 0
assert len(document["paths"]) == {paths}, len(document["paths"])
with open({result!r}, "w") as f:
    json.dump({{"before": parsed, "step": step, "traced_peak": peak}}, f)
"""

APP_OPENAPI = """
import json, sys, time, tracemalloc
sys.path.insert(0, {folder!r})
started = time.perf_counter()
from bench_drift_app import app
built = time.perf_counter() - started
if {trace}:
    tracemalloc.start()
started = time.perf_counter()
document = app.openapi()
step = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1] if {trace} else 0
operations = sum(len(item) for item in document["paths"].values())
assert operations == {operations}, operations
with open({result!r}, "w") as f:
    json.dump({{"before": built, "step": step, "traced_peak": peak}}, f)
"""

APP_HEADER = '''"""A synthetic FastAPI app: 4 routes per table, pydantic models, a bearer dependency."""

from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

bearer = HTTPBearer()


def current_user(credentials: HTTPAuthorizationCredentials = Depends(bearer)) -> str:
    return credentials.credentials


app = FastAPI(title="Synthetic", version="0.1.0")
'''

APP_TABLE = """

class {cls}Item(BaseModel):
    id: int
    name: str = Field(max_length=100)
    email: str = Field(max_length=255)


class {cls}Page(BaseModel):
    items: list[{cls}Item]


class {cls}Create(BaseModel):
    name: str = Field(max_length=100)
    email: str = Field(max_length=255)
    amount: float = Field(ge=0)


class {cls}Created({cls}Item):
    created_at: datetime


router_{i} = APIRouter(prefix="/api/{name}", tags=["{name}"], dependencies=[Depends(current_user)])


@router_{i}.get("", response_model={cls}Page, responses={{401: {{"description": "Missing token"}}}})
def list_{name}(limit: int = Query(50, ge=1, le=500, description="Page size")) -> {cls}Page:
    return {cls}Page(items=[])


@router_{i}.post(
    "", status_code=201, response_model={cls}Created, responses={{401: {{"description": "Missing token"}}}}
)
def create_{name}(body: {cls}Create) -> {cls}Created:
    raise HTTPException(501)


@router_{i}.get("/{{item_id}}", response_model={cls}Item, responses={{404: {{"description": "Not found"}}}})
def get_{name}(item_id: int) -> {cls}Item:
    raise HTTPException(404)


@router_{i}.delete("/{{item_id}}", status_code=204, responses={{403: {{"description": "Not the owner"}}}})
def delete_{name}(item_id: int) -> Response:
    return Response(status_code=204)


app.include_router(router_{i})
"""


def app_source(n: int) -> str:
    parts = [APP_HEADER]
    for i in range(n):
        name = table_name(i)
        cls = "".join(part.capitalize() for part in name.split("_"))
        parts.append(APP_TABLE.format(i=i, name=name, cls=cls))
    return "".join(parts)


class Databases:
    """Throwaway databases on the benchmark server, each dropped by `drop_all` (also after a failure)."""

    def __init__(self) -> None:
        self.admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        self.names: list[str] = []

    def create(self) -> str:
        name = f"specc_bench_{uuid.uuid4().hex[:10]}"
        self.names.append(name)  # before CREATE: a half-done create is still dropped
        with self.admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        return ADMIN.rsplit("/", 1)[0] + "/" + name

    def drop_all(self) -> None:
        with self.admin.connect() as conn:
            for name in self.names:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def prepare(databases: Databases, root: Path, n: int) -> tuple[str, Path, float, float]:
    """A project with the N-table spec built (models, migrations) and a database at its head: the database
    URL, the output folder, and the seconds the build and the upgrade took."""
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    spec, out = root / "ARCHITECTURE.md", root / "generated"
    spec.write_text(synth_spec(n), encoding="utf-8")
    built = run(BUILD.format(spec=str(spec), out=str(out), root=str(root)), repeat=1)
    url = databases.create()
    upgraded = run(UPGRADE.format(url=url, out=str(out)), repeat=1)
    return url, out, built.seconds, upgraded.seconds


DRIFT_APP = """
import contextlib, io, json, sys
sys.path.insert(0, {folder!r})
from specc.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["drift", {spec!r}, "--only", "app", "--app", "bench_drift_app:app", "--format", "json"])
report = json.loads(out.getvalue())
assert code == 1, code
with open({result!r}, "w") as f:
    json.dump({{"findings": len(report["findings"])}}, f)
"""


def fresh(code: str, result: Path) -> tuple[Sample, dict[str, object]]:
    """One fresh-interpreter run of `code` (imports included), and what it wrote to `result`."""
    sample = run(code, repeat=1)
    data: dict[str, object] = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    return sample, data


def database_side_by_side(databases: Databases, tmp: Path, n: int, repeat: int) -> str:
    """Prints the side-by-side figures; returns the database's URL."""
    root = tmp / f"n{n}"
    url, out, built, upgraded = prepare(databases, root, n)
    print(
        f"setup, N = {n}: specc build (models, migrations) {built:.1f} s, "
        f"alembic upgrade head {upgraded:.1f} s"
    )
    result = tmp / "result.json"
    drift = DRIFT.format(root=str(root), url=url)
    alembic = ALEMBIC.format(out=str(out), url=url, result=str(result))
    specc_runs: list[Sample] = []
    alembic_runs: list[Sample] = []
    diffs: list[str] = []
    sample_diffs: list[str] = []
    for _ in range(repeat):  # alternating, so a change in the machine's load falls on both sides alike
        specc_runs.append(run(drift, repeat=1))
        sample, data = fresh(alembic, result)
        alembic_runs.append(sample)
        diffs, sample_diffs = list(data["diffs"]), list(data["sample"])  # type: ignore[call-overload]
    specc_median = statistics.median(s.seconds for s in specc_runs)
    alembic_median = statistics.median(s.seconds for s in alembic_runs)
    print()
    print(f"Database, N = {n} tables, {repeat} run(s) each, median (min-max), peak RSS:")
    for label, runs, median in (
        ("specc drift", specc_runs, specc_median),
        ("alembic compare_metadata", alembic_runs, alembic_median),
    ):
        low, high = min(s.seconds for s in runs), max(s.seconds for s in runs)
        peak = max(s.peak_mb for s in runs)
        print(f"  {label:<26} {median:>7.2f} s ({low:.2f}-{high:.2f})  {peak:>5.0f} MB")
    print(f"  speed-up: {alembic_median / specc_median:.1f}x (target: at least 10x)")
    if diffs:
        kinds = {kind: diffs.count(kind) for kind in sorted(set(diffs))}
        print(
            f"  Alembic reported {len(diffs)} difference(s) on a database at head (false positives): {kinds}"
        )
        for line in sample_diffs:
            print(f"    {line}")
    else:
        print("  Alembic reported no difference; specc drift no finding")
    print()
    print(f"SQL statements sent and time by phase (one untimed run each, N = {n}):")
    for label, body in (
        ("specc drift", DRIFT_PHASES.format(root=str(root), url=url)),
        ("alembic compare_metadata", ALEMBIC_PHASES.format(out=str(out), url=url)),
    ):
        _, data = fresh(COUNTING.format(body=body, result=str(result)), result)
        phases = data["phases"]
        assert isinstance(phases, dict)
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in phases.items())
        statements, catalog = int(data["statements"]), int(data["catalog"])  # type: ignore[call-overload]
        print(
            f"  {label:<26} {statements:>5} statements ({catalog} catalog queries, "
            f"{statements - catalog} other); {shown}"
        )
    return url


def app_side(tmp: Path, n: int) -> None:
    result = tmp / "result.json"
    root = tmp / f"n{n}"
    folder = tmp / "app"
    folder.mkdir()
    (folder / "bench_drift_app.py").write_text(app_source(n), encoding="utf-8")
    sides = (
        (
            "specc: spec -> OpenAPI -> comparable",
            "parse",
            lambda trace: SPEC_OPENAPI.format(
                root=str(root),
                spec=str(root / "ARCHITECTURE.md"),
                result=str(result),
                trace=trace,
                paths=2 * n,
            ),
        ),
        (
            "FastAPI app.openapi()",
            "import + build the app",
            lambda trace: APP_OPENAPI.format(
                folder=str(folder), result=str(result), trace=trace, operations=4 * n
            ),
        ),
    )
    print()
    print(
        f"App side, N = {n} tables, {4 * n} endpoints (one run each; the step's tracemalloc peak in another):"
    )
    for label, before, code in sides:
        sample, data = fresh(code(False), result)
        _, traced = fresh(code(True), result)
        peak = float(traced["traced_peak"]) / 2**20  # type: ignore[arg-type]
        print(
            f"  {label:<36} {sample.seconds:>6.2f} s in all ({before} {data['before']:.2f} s, "
            f"the step {data['step']:.2f} s); step peak {peak:.0f} MB; ru_maxrss {sample.peak_mb:.0f} MB"
        )
    # The whole command: `specc drift --only app` on that app (it does not implement the synthetic spec, so
    # every spec operation is missing from it and every app route is extra: the comparison runs in full).
    sample, data = fresh(
        DRIFT_APP.format(folder=str(folder), spec=str(root / "ARCHITECTURE.md"), result=str(result)), result
    )
    print(
        f"  {'specc drift --only app (whole command)':<36} {sample.seconds:>6.2f} s; "
        f"ru_maxrss {sample.peak_mb:.0f} MB; {data['findings']} findings"
    )


def scale(databases: Databases, tmp: Path, sizes: list[int], n: int, url: str) -> None:
    """specc drift at each size, one run each, back to back (the N database again, so the machine's load
    is about the same for every size)."""
    urls = {n: url}
    for size in sizes:
        urls[size], _, _, _ = prepare(databases, tmp / f"n{size}", size)
    print()
    print("Scale: specc drift against the database, one run per size, back to back:")
    print(f"  {'N':>6} {'seconds':>8} {'ms per table':>13} {'ms per added table':>19}")
    previous: tuple[int, float] | None = None
    for size in sorted(urls):
        taken = run(DRIFT.format(root=str(tmp / f"n{size}"), url=urls[size]), repeat=1).seconds
        added = f"{1000 * (taken - previous[1]) / (size - previous[0]):>19.2f}" if previous else ""
        print(f"  {size:>6} {taken:>8.2f} {1000 * taken / size:>13.2f} {added}")
        previous = (size, taken)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", type=int, nargs="*", default=[250, 500])
    args = parser.parse_args()
    started = time.perf_counter()
    databases = Databases()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = database_side_by_side(databases, Path(tmp), args.tables, args.repeat)
            app_side(Path(tmp), args.tables)
            scale(databases, Path(tmp), [n for n in args.scales if n != args.tables], args.tables, url)
    finally:
        databases.drop_all()
    print(
        f"\n(whole benchmark: {time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
