"""Source positions are pinned: a click on a diagnostic must land on the exact cell."""

from __future__ import annotations

from specc.diagnostics import Reporter
from specc.parse import parse_spec

DOC = """# Demo

### users

| Column | Type         | Constraints     |
| ------ | ------------ | --------------- |
| id     | BIGINT       | PK              |
|  email |  VARCHAR(255)| UNIQUE, NOT NULL|

### Indexes

| Table | Column(s) | Type | Why |
| --- | --- | --- | --- |
| users | email | UNIQUE | Login |

## API

###   GET /api/users/{user_id}

- **Auth:** Required
"""


def test_column_cell_span_points_at_name_type_and_constraints_cells() -> None:
    # Arrange
    reporter = Reporter()

    # Act
    spec = parse_spec(DOC, "demo.md", reporter).spec

    # Assert
    email = spec.tables[0].columns[1]
    assert email.span is not None and (email.span.line, email.span.column) == (8, 4)
    assert email.type_span is not None and (email.type_span.line, email.type_span.column) == (8, 13)
    assert email.constraints_span is not None and (
        email.constraints_span.line,
        email.constraints_span.column,
    ) == (8, 27)


def test_table_span_points_at_name_in_heading() -> None:
    # Arrange / Act
    spec = parse_spec(DOC, "demo.md", Reporter()).spec

    # Assert
    users = spec.tables[0]
    assert users.span is not None and (users.span.file, users.span.line, users.span.column) == (
        "demo.md",
        3,
        5,
    )


def test_index_row_span_points_at_row_line() -> None:
    # Arrange / Act
    spec = parse_spec(DOC, "demo.md", Reporter()).spec

    # Assert
    index = spec.tables[0].indexes[0]
    assert index.span is not None and (index.span.line, index.span.column) == (14, 1)


def test_endpoint_span_points_at_method_in_heading() -> None:
    # Arrange / Act
    spec = parse_spec(DOC, "demo.md", Reporter()).spec

    # Assert
    endpoint = spec.endpoints[0]
    assert endpoint.span is not None and (endpoint.span.line, endpoint.span.column) == (18, 7)


def test_unknown_type_diagnostic_points_at_type_cell() -> None:
    # Arrange
    doc = "### t\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| a | WIBBLE | |\n"
    reporter = Reporter()

    # Act
    parse_spec(doc, "t.md", reporter)

    # Assert
    [diagnostic] = [d for d in reporter.diagnostics if d.code == "P005"]
    assert (diagnostic.line, diagnostic.column) == (5, 7)


def test_enum_without_values_is_an_error_at_the_type_cell() -> None:
    # Arrange: the enum is named, its values are not, so no migration could create the type
    doc = "### t\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| role | `user_role` (enum) | |\n"
    reporter = Reporter()

    # Act
    parse_spec(doc, "t.md", reporter)

    # Assert
    [diagnostic] = [d for d in reporter.diagnostics if d.code == "P018"]
    assert (diagnostic.line, diagnostic.column, diagnostic.severity.value) == (5, 10, "error")
    assert "user_role" in diagnostic.message
    assert not [d for d in reporter.diagnostics if d.code == "P005"]


def test_json_body_with_nan_is_invalid_json_at_the_constant() -> None:
    # Arrange: Python's reader takes NaN; JSON (and every schema) does not. "NaN" inside a string is text.
    doc = (
        "## API\n\n### POST /api/items\n\n- **Request Body:**\n"
        '  ```json\n  { "label": "NaN", "ratio": NaN }\n  ```\n'
    )
    reporter = Reporter()

    # Act
    spec = parse_spec(doc, "demo.md", reporter).spec

    # Assert
    [diagnostic] = [d for d in reporter.diagnostics if d.code == "P007"]
    assert "NaN is not a JSON value" in diagnostic.message
    assert (diagnostic.line, diagnostic.column) == (7, 30)
    assert spec.endpoints[0].request_body is not None and spec.endpoints[0].request_body.shape is None
