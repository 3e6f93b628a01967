"""The example spec and the corpus documents: initial migration, upgrade, compare, downgrade to base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CORPUS, EXAMPLE_SPEC
from tests.migrate.harness import initial_roundtrip, models_create_all_problem, parse_document

pytestmark = pytest.mark.postgres

DOCUMENTS = [EXAMPLE_SPEC, *sorted(CORPUS.glob("*.md"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem[:40])
def test_initial_migration_document_roundtrips_on_postgres(
    document: Path, tmp_path: Path, pg_database_factory: Callable[[], str]
) -> None:
    # Arrange
    spec, errors = parse_document(document)
    if errors or not spec.tables:
        pytest.skip(f"{document.name}: {len(errors)} parse error(s), {len(spec.tables)} table(s)")
    rejected = models_create_all_problem(spec, tmp_path / "models_only", pg_database_factory())
    if rejected is not None:
        pytest.skip(f"PostgreSQL rejects the document's schema itself (models create_all): {rejected}")
    url = pg_database_factory()
    # Act
    outcome = initial_roundtrip(spec, tmp_path / "generated", url)
    # Assert
    assert outcome.errors == []
    assert outcome.revisions == ["0001_initial.py"]
    assert outcome.model_differences == []
    assert outcome.db_schema_matches
    assert outcome.reflected_matches
    assert outcome.leftovers_after_downgrade == []


def test_initial_migration_example_spec_is_accepted_by_postgres(
    tmp_path: Path, pg_database_factory: Callable[[], str]
) -> None:
    # Arrange
    spec, errors = parse_document(EXAMPLE_SPEC)
    # Act
    rejected = models_create_all_problem(spec, tmp_path / "models_only", pg_database_factory())
    # Assert
    assert errors == []
    assert rejected is None
