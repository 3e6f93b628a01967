"""run_checks on real documents: the example spec is clean, and every corpus document gets located answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc import parse
from specc.check import run_checks
from specc.diagnostics import Reporter
from tests.conftest import corpus_documents

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "example" / "ARCHITECTURE.md"
CORPUS = corpus_documents()


def test_example_spec_has_no_check_findings() -> None:
    # Arrange
    reporter = Reporter()
    result = parse.parse_spec(EXAMPLE.read_text(encoding="utf-8"), "docs/example/ARCHITECTURE.md", reporter)
    before = len(reporter.diagnostics)
    # Act
    run_checks(result.spec, reporter)
    # Assert
    assert reporter.diagnostics[before:] == []


@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:40] for p in CORPUS])
def test_corpus_document_checks_point_inside_the_document(path: Path) -> None:
    # Arrange
    text = path.read_text(encoding="utf-8", errors="replace")
    reporter = Reporter()
    result = parse.parse_spec(text, path.name, reporter)
    before = len(reporter.diagnostics)
    # Act
    run_checks(result.spec, reporter)
    # Assert
    lines = len(text.splitlines())
    checked = reporter.diagnostics[before:]
    assert all(d.file == path.name and 1 <= d.line <= max(lines, 1) and d.column >= 1 for d in checked)
