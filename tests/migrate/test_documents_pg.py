"""The example spec and every corpus document that `specc check` finds no errors in: initial migration,
upgrade head, Alembic's comparison against the generated models finds no differences, downgrade base leaves
no tables, types or sequences."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specc.config import Config
from specc.frontend import load
from tests.conftest import EXAMPLE_SPEC, corpus_documents, needs_outside_types
from tests.migrate.harness import initial_roundtrip

pytestmark = pytest.mark.postgres


def _documents() -> list[object]:
    documents: list[object] = [EXAMPLE_SPEC]
    for path in corpus_documents():
        front = load(path, None, Config(root=path.parent))
        if front.errors == 0 and front.spec.tables and not needs_outside_types(front.spec):
            documents.append(path)
    return documents


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.stem[:40])
def test_initial_migration_of_check_clean_document_roundtrips_on_postgres(
    document: Path, tmp_path: Path, pg_database_factory: Callable[[], str]
) -> None:
    # Arrange
    spec = load(document, None, Config(root=document.parent)).spec
    url = pg_database_factory()

    # Act
    outcome = initial_roundtrip(spec, tmp_path / "generated", url)

    # Assert
    assert outcome.errors == []
    assert outcome.revisions == ["0001_initial.py"]
    assert outcome.model_differences == []
    assert outcome.db_schema_differences == []
    assert outcome.leftovers_after_downgrade == []
