"""specc.diff.location: where a change from the differ shows in the spec (the seam drift reports through)."""

from __future__ import annotations

from specc.db.lower import lower
from specc.diagnostics import Reporter
from specc.diff import SpecLocation, diff_db_schemas, locate
from specc.diff.changes import AlterColumnType, AlterEnumValues, DropTable
from specc.ir.model import Spec
from specc.parse import parse_spec

DOC = """# Design

## Database Schema

### users

| Column | Type | Constraints |
|--------|------|-------------|
| id | BIGSERIAL | PRIMARY KEY |
| role | ENUM('a','b') | NOT NULL |
| name | VARCHAR(50) | NOT NULL |
"""


def _spec(text: str) -> Spec:
    return parse_spec(text, "docs/ARCHITECTURE.md", Reporter()).spec


def test_locate_column_change_points_at_its_type_cell() -> None:
    # Arrange
    old, new = _spec(DOC.replace("VARCHAR(50)", "VARCHAR(20)")), _spec(DOC)
    change = next(c for c in diff_db_schemas(lower(old), lower(new)) if isinstance(c, AlterColumnType))
    # Act
    at = locate(new, change, "fallback.md")
    # Assert: line 11 is the `name` row; its Type cell starts at column 10
    assert at == SpecLocation("docs/ARCHITECTURE.md", 11, 10)


def test_locate_enum_change_points_at_the_first_column_using_it() -> None:
    # Arrange
    old, new = _spec(DOC), _spec(DOC.replace("ENUM('a','b')", "ENUM('a','b','c')"))
    change = next(c for c in diff_db_schemas(lower(old), lower(new)) if isinstance(c, AlterEnumValues))
    # Act
    at = locate(new, change, "fallback.md")
    # Assert
    assert (at.line, at.column) == (10, 10)


def test_locate_table_gone_from_the_spec_falls_back_to_the_file_start() -> None:
    # Arrange
    old, new = _spec(DOC), _spec("# Design\n")
    change = next(c for c in diff_db_schemas(lower(old), lower(new)) if isinstance(c, DropTable))
    # Act
    at = locate(new, change, "docs/ARCHITECTURE.md")
    # Assert
    assert at == SpecLocation("docs/ARCHITECTURE.md", 1, 1)
