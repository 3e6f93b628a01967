"""A contract's list items may wrap onto continuation lines; the whole item is its text (an error
description, a query parameter's range, a field's constraints), never only its first line."""

from __future__ import annotations

from specc.diagnostics import Reporter
from specc.ir.model import Endpoint
from specc.parse import parse_spec

DOCUMENT = """# T

## API Contracts

### POST /api/things

- **Auth:** None (public)
- **Query Parameters:**
  - `limit` (integer, optional, default 50): Max things per page,
    between (1–100)
- **Request Body:**
  ```json
  { "name": "string", "secret": "string" }
  ```
  - **Fields:**
    - `secret` (string, required,
      8–128 characters): A secret
- **Success Response (201):**
  ```json
  { "id": 1, "name": "string" }
  ```
- **Error Responses:**
  - 422: Validation error (missing fields,
    empty name)
  - 409: Conflict
"""


def _endpoint(text: str) -> Endpoint:
    return parse_spec(text, "ARCHITECTURE.md", Reporter()).spec.endpoints[0]


def test_api_error_description_includes_continuation_line_when_item_wraps() -> None:
    # Arrange / Act
    endpoint = _endpoint(DOCUMENT)

    # Assert
    descriptions = {r.status: r.description for r in endpoint.responses}
    assert descriptions[422] == "Validation error (missing fields, empty name)"
    assert descriptions[409] == "Conflict"


def test_api_query_parameter_range_read_from_continuation_line_when_item_wraps() -> None:
    # Arrange / Act
    endpoint = _endpoint(DOCUMENT)

    # Assert
    (limit,) = endpoint.query_params
    assert (limit.minimum, limit.maximum) == (1, 100)


def test_api_body_field_constraints_read_from_continuation_line_when_item_wraps() -> None:
    # Arrange / Act
    endpoint = _endpoint(DOCUMENT)

    # Assert
    assert endpoint.request_body is not None
    (secret,) = endpoint.request_body.fields
    assert (secret.name, secret.minimum, secret.maximum) == ("secret", 8, 128)
