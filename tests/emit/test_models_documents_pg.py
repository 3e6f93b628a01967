"""The example spec and every corpus document that `specc check` finds no errors in: the generated models
import, `Base.metadata.create_all` succeeds on PostgreSQL, and the reflected database has every table,
column type, nullability, default, foreign key (with ON DELETE), unique constraint, index and check the
spec states, under the names the spec lowers to (compared as `DbSchema`s)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from specc.config import Config
from specc.db.lower import lower
from specc.db.reflect import read_database
from specc.emit.models import render_models
from specc.frontend import FrontEnd, load
from tests.conftest import EXAMPLE_SPEC, corpus_documents, needs_outside_types
from tests.db.compare import schema_differences
from tests.emit.models_harness import create_all, import_tree, metadata_of, write_tree

pytestmark = pytest.mark.postgres


def _check_clean(path: Path) -> FrontEnd:
    return load(path, None, Config(root=path.parent))


def _documents() -> list[object]:
    documents: list[object] = [EXAMPLE_SPEC]
    for path in corpus_documents():
        front = _check_clean(path)
        if front.errors == 0 and front.spec.tables and not needs_outside_types(front.spec):
            documents.append(path)
    return documents


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.stem[:24])
def test_models_of_check_clean_document_create_and_reflect_as_specified(
    document: Path, tmp_path: Path, pg_database_factory: Callable[[], str]
) -> None:
    # Arrange
    front = _check_clean(document)
    package = write_tree(render_models(front.spec, document.name), tmp_path)
    metadata = metadata_of(import_tree(tmp_path, package))
    url = pg_database_factory()

    # Act
    create_all(metadata, url)
    reflected = read_database(url)

    # Assert
    assert schema_differences(reflected, lower(front.spec)) == []
