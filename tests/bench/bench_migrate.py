"""Benchmark: the everyday migration — one column added to a 1,000-table spec — `specc build` (the whole
command: new revision + regenerated models/schemas/OpenAPI) versus Alembic autogenerate (compare + render)
against a database at the previous head, on the same models; side by side in one run.

    .venv/bin/python -m tests.bench.bench_migrate [--tables 1000] [--repeat 3]
    (PostgreSQL at SPECC_TEST_PG, default postgresql+psycopg://postgres@127.0.0.1:5432/postgres)

Both sides run in a fresh interpreter with imports included. Target: specc at least 3x faster.

specc's side starts from what the previous build left: the generated folder and `.specc_cache/` (the parsed
sections of the spec before the edit), both restored before every repeat so no repeat profits from another.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

from specc.build import CACHE_DIR
from tests.bench.common import run
from tests.bench.synth import synth_spec

ADMIN = os.environ.get("SPECC_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

SPECC_BUILD = """
import io, contextlib
from pathlib import Path
from specc.build import build
from specc.config import Config
with contextlib.redirect_stdout(io.StringIO()):
    result = build(Path({spec!r}), None, Path({out!r}), Config(root=Path({root!r})))
assert result.exit_code == 0 and any("versions/0002_" in f for f in result.written), result
"""

AUTOGENERATE = """
import sys
import sqlalchemy as sa
from alembic.autogenerate import produce_migrations, render_python_code
from alembic.runtime.migration import MigrationContext
sys.path.insert(0, {out!r})
from models import Base
engine = sa.create_engine({url!r})
with engine.connect() as conn:
    context = MigrationContext.configure(conn, opts={{"compare_type": True, "compare_server_default": True}})
    script = produce_migrations(context, Base.metadata)
    code = render_python_code(script.upgrade_ops)
assert "add_column" in code, code
"""

SETUP_DB = """
import sys
import sqlalchemy as sa
sys.path.insert(0, {out!r})
from models import Base
engine = sa.create_engine({url!r})
Base.metadata.create_all(engine)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    name = f"specc_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            spec = root / "ARCHITECTURE.md"
            out = root / "generated"
            spec.write_text(synth_spec(args.tables), encoding="utf-8")
            run(
                SPECC_BUILD.replace("versions/0002_", "versions/0001_").format(
                    spec=str(spec), out=str(out), root=str(root)
                ),
                repeat=1,
            )
            run(SETUP_DB.format(out=str(out), url=url), repeat=1)
            baseline_copy = root / "generated-at-head"
            shutil.copytree(out, baseline_copy)
            cache = root / CACHE_DIR
            cache_copy = root / "cache-at-head"
            shutil.copytree(cache, cache_copy)
            spec.write_text(synth_spec(args.tables, extra_column=True), encoding="utf-8")
            best_specc = None
            for _ in range(args.repeat):
                shutil.rmtree(out)
                shutil.copytree(baseline_copy, out)
                shutil.rmtree(cache)  # as the previous build left it: every repeat reuses the same sections
                shutil.copytree(cache_copy, cache)
                sample = run(SPECC_BUILD.format(spec=str(spec), out=str(out), root=str(root)), repeat=1)
                best_specc = (
                    sample if best_specc is None or sample.seconds < best_specc.seconds else best_specc
                )
            assert best_specc is not None
            autogen = run(AUTOGENERATE.format(out=str(out), url=url), repeat=args.repeat)
            print(f"{'N':>6} {'specc build':>12} {'alembic autogenerate':>21} {'speed-up':>9}")
            print(
                f"{args.tables:>6} {best_specc.seconds:>11.2f}s {autogen.seconds:>20.2f}s "
                f"{autogen.seconds / best_specc.seconds:>8.1f}x"
            )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
