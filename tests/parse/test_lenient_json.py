"""JSON examples with `//` or `/* */` comments or trailing commas are read, with a located warning (P034);
other invalid JSON stays an error (P007)."""

from __future__ import annotations

from specc.diagnostics import Reporter
from specc.parse import parse_spec

DOCUMENT = """# T

## API Contracts

### POST /api/things

- **Auth:** None (public)
- **Request Body:**
  ```json
  {
    "name": "string", // shown in lists
    "url": "http://example.com/a,]",
    "tags": ["string",],
  }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, /* set by the server */ "name": "string" }
  ```
"""


def test_parse_spec_reads_body_with_warning_when_json_has_comments_and_trailing_commas() -> None:
    # Arrange
    reporter = Reporter()

    # Act
    spec = parse_spec(DOCUMENT, "ARCHITECTURE.md", reporter).spec

    # Assert
    (endpoint,) = spec.endpoints
    assert endpoint.request_body is not None and endpoint.request_body.shape is not None
    assert endpoint.responses[0].body is not None and endpoint.responses[0].body.shape is not None
    found = sorted((d.code, d.line, d.column) for d in reporter.diagnostics)
    assert found == [("P034", 11, 23), ("P034", 18, 14)]


def test_parse_spec_keeps_p007_error_when_json_is_invalid_otherwise() -> None:
    # Arrange
    reporter = Reporter()
    text = DOCUMENT.replace('"name": "string", // shown in lists', "name: 'string',")

    # Act
    spec = parse_spec(text, "ARCHITECTURE.md", reporter).spec

    # Assert
    assert spec.endpoints[0].request_body is not None
    assert spec.endpoints[0].request_body.shape is None
    assert [d.code for d in reporter.diagnostics if d.code == "P007"] == ["P007"]


def test_parse_json_body_reports_no_duplicate_key_when_the_repeat_is_in_a_comment() -> None:
    # Arrange
    from specc.parse.shapes import parse_json_body

    text = '{"a": 1, // "a": 2 was the old name\n "b": 2,}'

    # Act
    read = parse_json_body(text)

    # Assert
    assert read.shape is not None
    assert [(p.code.code, p.line, p.column) for p in read.problems] == [("P034", 0, 10)]
