"""Alembic migrations from the spec: planning, rendering, the lock file, integrity and `migrate verify`.

Modules: `plan` (plan_build: files migrations own, new revision, destructive checks), `revision` (one
revision file from typed changes), `ops` (change → Alembic operation code, a registry, laid out by
`specc.pycode`), `environment` (alembic.ini, env.py, script.py.mako), `lock` (specc.lock.json: the
database-level schema of every revision), `codes` (M0xx diagnostics), `database` (running the environment:
upgrade/downgrade/compare), `verify` (`specc migrate verify`, reading the database with `specc.db.catalog`).
"""

from specc.migrate.plan import check_integrity, plan_build, plan_changes

__all__ = ["check_integrity", "plan_build", "plan_changes"]
