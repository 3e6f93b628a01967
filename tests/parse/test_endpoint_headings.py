"""A heading that lists several endpoints gives each the contract under it (issue 15, item 11); before, every
endpoint after the first was dropped without a word."""

from __future__ import annotations

import pytest

from specc.diagnostics import Reporter
from specc.parse import parse_spec

DOCUMENT = """# T

## API Contracts

### `GET /api/reports/daily` / `GET /api/reports/{period}`

Report rows.

- **Auth:** Required (Bearer token)
- **Success Response (200):**
  ```json
  { "total": 1 }
  ```
- **Error Responses:**
  - 401: Missing token

### GET /api/single Read one thing

- **Auth:** None (public)
"""


def test_parse_spec_reads_every_endpoint_when_heading_lists_several() -> None:
    # Arrange
    reporter = Reporter()

    # Act
    spec = parse_spec(DOCUMENT, "ARCHITECTURE.md", reporter).spec

    # Assert
    read = [(e.method, e.path, e.path_params, e.summary) for e in spec.endpoints]
    assert read == [
        ("GET", "/api/reports/daily", (), "Report rows."),
        ("GET", "/api/reports/{period}", ("period",), "Report rows."),
        ("GET", "/api/single", (), "Read one thing"),
    ]
    first, second = spec.endpoints[:2]
    assert first.responses == second.responses and len(first.responses) == 2
    assert first.auth == second.auth == "required"
    assert first.span is not None and second.span is not None
    assert (first.span.line, first.span.column) == (5, 6)
    assert (second.span.line, second.span.column) == (5, 37)
    assert reporter.diagnostics == []


def test_parse_spec_keeps_one_endpoint_when_heading_prose_mentions_another() -> None:
    # Arrange
    text = DOCUMENT.replace(
        "### GET /api/single Read one thing",
        "### GET /api/single Read one thing (POST /api/single creates it)",
    )

    # Act
    spec = parse_spec(text, "ARCHITECTURE.md", Reporter()).spec

    # Assert
    assert [(e.method, e.path) for e in spec.endpoints][2:] == [("GET", "/api/single")]
    summary = spec.endpoints[2].summary
    assert summary is not None and summary.startswith("Read one thing (POST /api/single creates it")


@pytest.mark.parametrize(
    ("heading", "endpoints"),
    [
        ("`GET /api/users` / `/api/orders`", [("GET", "/api/users"), ("GET", "/api/orders")]),
        ("GET /v1/users · /v2/users", [("GET", "/v1/users"), ("GET", "/v2/users")]),
        ("GET /users and /orders", [("GET", "/users"), ("GET", "/orders")]),
        (
            "`GET /api/obs` · `/summary` · `/kinds`",
            [("GET", "/api/obs"), ("GET", "/api/obs/summary"), ("GET", "/api/obs/kinds")],
        ),
        (
            "`GET /api/notices` · `/notices/summary`",
            [("GET", "/api/notices"), ("GET", "/api/notices/summary")],
        ),
        ("`GET` / `POST` `/api/causes`", [("GET", "/api/causes"), ("POST", "/api/causes")]),
        ("1. POST /api/issues", [("POST", "/api/issues")]),
        ("`GET /api/audit?limit=50`", [("GET", "/api/audit")]),
    ],
)
def test_endpoint_list_heading_gives_the_endpoints_it_spells_out(
    heading: str, endpoints: list[tuple[str, str]]
) -> None:
    # Arrange (corpus-2 documents 38 and 44; the first three were found by review)
    text = f"# API\n\n### {heading}\n\n- **Auth:** None\n"

    # Act
    spec = parse_spec(text, "d.md", Reporter()).spec

    # Assert
    assert [(e.method, e.path) for e in spec.endpoints] == endpoints
