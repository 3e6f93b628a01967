"""Names with dollar signs and dashes reach SQL only quoted for their context: migrations that name them in
raw SQL (serial on/off, enum value changes) run and verify on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.diagnostics import Reporter, Severity
from specc.ir.model import Spec
from specc.migrate.verify import verify
from specc.parse import parse_spec
from tests.emit.names_harness import table
from tests.migrate.harness import Project, expected_db

pytestmark = pytest.mark.postgres

ODD = "i$$d-x"
"""A column name the reader accepts that breaks SQL written around it naively: `$$` ends a dollar-quoted
body (the generated `DO` block that turns a serial column off), `-` needs quoting."""


def _spec(text: str) -> Spec:
    reporter = Reporter()
    spec = parse_spec(text, "spec.md", reporter).spec
    assert [d for d in reporter.sorted() if d.severity == Severity.ERROR] == []
    return spec


def test_verify_passes_when_serial_and_enum_changes_name_a_column_with_quote_dollars_and_colon(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange
    out = tmp_path / "generated"
    project = Project(out, pg_url)
    steps = [
        f"| {ODD} | BIGINT | PK, auto-increment |",
        f"| {ODD} | BIGINT | PK |",
        f"| {ODD} | BIGINT | PK, auto-increment |",
    ]
    specs = [
        _spec("# Shop\n\n" + table("od$$t-x", row, f"| st$$a-te | ENUM('a','b{n}') | NOT NULL |"))
        for n, row in enumerate(steps)
    ]
    for spec in specs:
        assert project.build(spec, allow_destructive=True).errors == []
    lines: list[str] = []

    # Act
    code = verify(out, pg_url, lines.append)
    project.upgrade()
    db = project.db_schema()
    project.close()

    # Assert
    assert code == 0, "\n".join(lines)
    assert len(project.revision_files()) == 3
    assert db == expected_db(specs[-1])
