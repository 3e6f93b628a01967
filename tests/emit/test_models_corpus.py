"""The models writer on every real-world document of the corpus and the example: the generated package is
lint-clean, formatted, type-checks, imports, and its MetaData reads back as the spec lowered."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from models_harness import (
    import_tree,
    metadata_of,
    mypy_strict,
    ruff_check,
    ruff_format_check,
    write_tree,
)

from specc.db.lower import lower
from specc.db.metadata import db_from_metadata
from specc.diagnostics import Reporter
from specc.emit.models import render_models
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.conftest import corpus_documents
from tests.db.compare import schema_differences

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parents[1] / "docs" / "example" / "ARCHITECTURE.md"
DOCUMENTS = [*corpus_documents(), EXAMPLE]


def _spec(path: Path) -> Spec:
    return parse_spec(path.read_text(encoding="utf-8"), path.name, Reporter()).spec


@pytest.mark.parametrize("path", DOCUMENTS, ids=[p.name[:40] for p in DOCUMENTS])
def test_models_corpus_document_generates_clean_importable_round_tripping_package(
    path: Path, tmp_path: Path
) -> None:
    # Arrange
    spec = _spec(path)
    package = write_tree(render_models(spec, "docs/ARCHITECTURE.md"), tmp_path)
    # Act
    check, fmt = ruff_check(tmp_path, package), ruff_format_check(tmp_path, package)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        module = import_tree(tmp_path, package)
    # Assert
    assert check.returncode == 0, check.stdout
    assert fmt.returncode == 0, fmt.stdout
    assert schema_differences(db_from_metadata(metadata_of(module)), lower(spec)) == []


def test_models_corpus_all_packages_pass_mypy_strict(tmp_path: Path) -> None:
    # Arrange
    trees = [render_models(_spec(p), "docs/ARCHITECTURE.md") for p in DOCUMENTS]
    packages = [write_tree(files, tmp_path) for files in trees]
    # Act
    result = mypy_strict(tmp_path, *packages)
    # Assert
    assert result.returncode == 0, result.stdout
    assert f"no issues found in {sum(len(files) for files in trees)} source files" in result.stdout
