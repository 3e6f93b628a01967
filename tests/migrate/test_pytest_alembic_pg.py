"""pytest-alembic's built-in tests on the example spec's migrations (initial revision plus two edits).

The built-in tests are imported so pytest collects them here, with this module's `alembic_config` and
`alembic_engine` fixtures: the generated environment, and a throwaway PostgreSQL database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from pytest_alembic.config import Config
from pytest_alembic.runner import MigrationContext, runner
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)

from specc.ir.model import Column, Index
from tests.conftest import EXAMPLE_SPEC
from tests.migrate.harness import Project, parse_document
from tests.migrate.samples import add_column, edit_table

pytestmark = pytest.mark.postgres

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


@pytest.fixture(scope="module")
def example_migrations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec, errors = parse_document(EXAMPLE_SPEC)
    assert errors == []
    out = tmp_path_factory.mktemp("example") / "generated"
    project = Project(out)
    first = spec.tables[0]
    column = next(n for n in ("nickname", "extra_note", "zz_note") if first.column(n) is None)
    edited = add_column(spec, first.name, Column(name=column, type="VARCHAR(40)"))
    indexed = edit_table(edited, first.name, indexes=(*first.indexes, Index(columns=(column,), unique=True)))
    for version in (spec, edited, indexed):
        assert project.build(version).errors == []
    assert len(project.revision_files()) == 3
    return out


@pytest.fixture
def alembic_config(example_migrations: Path) -> Config:
    return Config(config_options={"file": str(example_migrations / "migrations" / "alembic.ini")})


@pytest.fixture
def alembic_engine(pg_url: str) -> Iterator[sa.Engine]:
    engine = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_runner(alembic_config: Config, alembic_engine: sa.Engine) -> Iterator[MigrationContext]:
    with runner(config=alembic_config, engine=alembic_engine) as context:
        yield context
