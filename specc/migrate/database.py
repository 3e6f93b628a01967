"""Running the generated Alembic environment against a live database (verify, tests, pytest-alembic).

Everything goes through Alembic's own command API with a connection handed to `env.py` in
`config.attributes["connection"]`, so exactly the code a user runs is exercised.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from specc.migrate.environment import MIGRATIONS


def alembic_config(out: Path, connection: sa.Connection | None = None) -> Config:
    config = Config(str(out / MIGRATIONS / "alembic.ini"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run(out: Path, engine: sa.Engine, action: str, target: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(out, connection)
        if action == "upgrade":
            command.upgrade(config, target)
        else:
            command.downgrade(config, target)


def upgrade(out: Path, engine: sa.Engine, target: str = "head") -> None:
    _run(out, engine, "upgrade", target)


def downgrade(out: Path, engine: sa.Engine, target: str) -> None:
    _run(out, engine, "downgrade", target)


def revision_chain(out: Path) -> list[str]:
    """Revision ids from base to head (a single line of history)."""
    script = ScriptDirectory.from_config(alembic_config(out))
    return [rev.revision for rev in reversed(list(script.walk_revisions("base", "heads")))]


def current_revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def load_models_metadata(out: Path) -> sa.MetaData:
    """`Base.metadata` of the generated models under `out/models`, imported fresh (no stale `models`)."""
    folder = str(out.resolve())
    for name in [n for n in sys.modules if n == "models" or n.startswith("models.")]:
        del sys.modules[name]
    if folder in sys.path:
        sys.path.remove(folder)
    sys.path.insert(0, folder)
    importlib.invalidate_caches()
    module = importlib.import_module("models")
    metadata = module.Base.metadata
    assert isinstance(metadata, sa.MetaData)
    return metadata


def compare_with_models(engine: sa.Engine, metadata: sa.MetaData) -> list[Any]:
    """Alembic's autogenerate comparison (types and server defaults on): differences, [] when in sync."""
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


_LEFTOVERS = sa.text(
    """
    SELECT 'table ' || tablename FROM pg_tables
     WHERE schemaname = current_schema() AND tablename <> 'alembic_version'
    UNION ALL
    SELECT 'type ' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'c', 'd')
       AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.reltype = t.oid)
    UNION ALL
    SELECT 'sequence ' || sequencename FROM pg_sequences WHERE schemaname = current_schema()
    ORDER BY 1
    """
)


def leftovers(engine: sa.Engine) -> list[str]:
    """Tables (besides alembic_version), enum/composite/domain types and sequences still in the schema."""
    with engine.connect() as connection:
        return [str(row[0]) for row in connection.execute(_LEFTOVERS)]
