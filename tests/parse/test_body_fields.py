"""Request body `Fields:` lists and parameter ranges (`1–100`) are read into the IR."""

from __future__ import annotations

from specc.diagnostics import Reporter
from specc.emit.markdown import render_endpoint
from specc.ir.model import Endpoint
from specc.parse import parse_spec

DOCUMENT = """# T

## API Contracts

### POST /api/auth/register

- **Auth:** None (public)
- **Query Parameters:**
  - `limit` (integer, optional, default 50): Max rooms per page (1–100)
  - `page` (integer, optional, at least 1): Page number
- **Request Body:**
  ```json
  { "email": "user@example.com", "password": "string", "age": 30 }
  ```
  - **Fields:**
    - `password` (string, required, 8–128 characters): Plain password
    - `age` (integer, optional, max 150): Age in years
- **Success Response (201):**
  ```json
  { "id": 1 }
  ```
"""


def _endpoint(text: str) -> Endpoint:
    reporter = Reporter()
    return parse_spec(text, "ARCHITECTURE.md", reporter).spec.endpoints[0]


def test_body_fields_reads_name_type_and_length_range_when_fields_list_under_request_body() -> None:
    # Arrange / Act
    endpoint = _endpoint(DOCUMENT)

    # Assert
    assert endpoint.request_body is not None
    fields = [(f.name, f.type, f.required, f.minimum, f.maximum) for f in endpoint.request_body.fields]
    assert fields == [("password", "string", True, 8, 128), ("age", "integer", False, None, 150)]


def test_parse_spec_reads_query_param_range_when_description_and_parentheses_give_it() -> None:
    # Arrange / Act
    endpoint = _endpoint(DOCUMENT)

    # Assert
    ranges = [(p.name, p.minimum, p.maximum) for p in endpoint.query_params]
    assert ranges == [("limit", 1, 100), ("page", 1, None)]


def test_render_endpoint_keeps_body_fields_when_written_and_read_again() -> None:
    # Arrange
    endpoint = _endpoint(DOCUMENT)

    # Act
    again = _endpoint("# T\n\n## API Contracts\n\n" + render_endpoint(endpoint) + "\n")

    # Assert
    assert again.request_body is not None and endpoint.request_body is not None
    assert [f.model_dump(exclude={"span"}) for f in again.request_body.fields] == [
        f.model_dump(exclude={"span"}) for f in endpoint.request_body.fields
    ]
    assert [(p.minimum, p.maximum) for p in again.query_params] == [(1, 100), (1, None)]
