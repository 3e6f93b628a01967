"""Lint rules on API contracts, L009–L014: one failing and one passing case each (more for heuristics)."""

from __future__ import annotations

import pytest

from specc.check.lint_auth import public_looking
from specc.diagnostics import Severity
from specc.ir.model import ArrayShape
from tests.check.check_builders import endpoint, found, obj, response, spec, string


@pytest.mark.parametrize(
    ("path", "word"),
    [
        ("/api/auth/login", "login"),
        ("/api/auth/sign-in", "sign in"),
        ("/api/auth/register", "register"),
        ("/api/auth/password-reset", "password reset"),
        ("/api/auth/forgot-password", "forgot"),
        ("/api/auth/token", "token"),
        ("/api/auth/refresh", "refresh"),
        ("/healthz", "healthz"),
        ("/api/rooms", None),
        ("/api/tokens/{id}", None),
        ("/api/users/{login}", None),
    ],
)
def test_public_looking_detects_public_paths(path: str, word: str | None) -> None:
    # Act / Assert
    assert public_looking(path) == word


def test_l009_public_looking_endpoint_without_auth_line_warned() -> None:
    # Arrange
    ep = endpoint("POST", "/api/auth/login", 200, 401, 422, 429, auth_text=None, line=40)
    # Act
    result = found(spec(endpoints=(ep,)), "L009")
    # Assert
    assert [(d.line, d.column, d.severity) for d in result] == [(40, 5, Severity.WARNING)]
    assert "looks public (login)" in result[0].message


def test_l009_ambiguous_auth_line_warned() -> None:
    # Arrange
    ep = endpoint("GET", "/api/posts", 200, 401, auth_text="Optional (Bearer token)")
    # Act
    result = found(spec(endpoints=(ep,)), "L009")
    # Assert
    assert [d.message for d in result] == [
        'GET /api/posts has an ambiguous **Auth:** line ("Optional (Bearer token)")'
    ]


@pytest.mark.parametrize(
    ("path", "auth_text", "public"),
    [
        ("/api/auth/login", "None (public)", True),
        ("/api/rooms", None, False),
        ("/api/rooms", "Required", False),
    ],
)
def test_l009_marked_or_ordinary_endpoints_silent(path: str, auth_text: str | None, public: bool) -> None:
    # Arrange
    ep = endpoint("POST", path, 201, 401, 422, 429, auth_text=auth_text, public=public)
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L009") == []


def test_l010_response_with_password_hash_is_an_error_naming_the_field_path() -> None:
    # Arrange
    ep = endpoint("GET", "/api/users/me", 401)
    ok = response(200, obj(user=obj(id=string(), password_hash=string())), line=60)
    ep = ep.model_copy(update={"responses": (ok, *ep.responses)})
    # Act
    result = found(spec(endpoints=(ep,)), "L010")
    # Assert
    assert [(d.line, d.severity) for d in result] == [(61, Severity.ERROR)]
    assert result[0].message == "GET /api/users/me response 200 exposes `user.password_hash`"


def test_l010_secret_inside_array_items_reported() -> None:
    # Arrange
    body = obj(items=ArrayShape(items=obj(api_key=string())))
    ep = endpoint("GET", "/api/keys", 401).model_copy(update={"responses": (response(200, body),)})
    # Act
    result = found(spec(endpoints=(ep,)), "L010")
    # Assert
    assert ["items[].api_key" in d.message for d in result] == [True]


def test_l010_login_response_with_issued_tokens_silent() -> None:
    # Arrange
    body = obj(access_token=string(), refresh_token=string(), token_type=string())
    ep = endpoint("POST", "/api/auth/login", 401, 422, 429, auth_text="None (public)", public=True)
    ep = ep.model_copy(update={"responses": (response(200, body), *ep.responses)})
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L010") == []


def test_l011_login_without_429_warned() -> None:
    # Arrange
    ep = endpoint("POST", "/api/auth/login", 200, 401, 422, auth_text="None (public)", public=True)
    # Act
    result = found(spec(endpoints=(ep,)), "L011")
    # Assert
    assert [d.message for d in result] == [
        "POST /api/auth/login is rate-limited by convention but documents no 429"
    ]


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("POST", "/api/auth/register", (201, 409, 422, 429)),
        ("GET", "/api/auth/login", (200,)),
        ("POST", "/api/rooms", (201, 401, 422)),
    ],
)
def test_l011_documented_429_or_other_endpoints_silent(
    method: str, path: str, statuses: tuple[int, ...]
) -> None:
    # Arrange
    ep = endpoint(method, path, *statuses, auth_text="None (public)", public=True)  # type: ignore[arg-type]
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L011") == []


def test_l012_authenticated_without_401_warned() -> None:
    # Arrange
    ep = endpoint("GET", "/api/rooms", 200)
    # Act
    result = found(spec(endpoints=(ep,)), "L012")
    # Assert
    assert [d.message for d in result] == ["GET /api/rooms requires authentication but documents no 401"]


@pytest.mark.parametrize(
    ("statuses", "auth_text", "public", "path"),
    [
        ((200, 401), "Required", False, "/api/rooms"),
        ((200,), "None (public)", True, "/api/rooms"),
        ((), "Required", False, "/api/rooms"),
        ((200,), None, False, "/api/auth/login"),
    ],
)
def test_l012_documented_public_undocumented_or_unmarked_public_silent(
    statuses: tuple[int, ...], auth_text: str | None, public: bool, path: str
) -> None:
    # Arrange
    ep = endpoint("GET", path, *statuses, auth_text=auth_text, public=public)
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L012") == []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_l013_mutation_on_path_parameter_without_403_or_404_warned(method: str) -> None:
    # Arrange
    ep = endpoint(method, "/api/rooms/{room_id}", 200, 401)  # type: ignore[arg-type]
    # Act
    result = found(spec(endpoints=(ep,)), "L013")
    # Assert
    assert len(result) == 1
    assert result[0].message.endswith("documents neither 403 nor 404")


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("DELETE", "/api/rooms/{room_id}", (204, 401, 404)),
        ("PATCH", "/api/rooms/{room_id}", (200, 401, 403)),
        ("POST", "/api/rooms/{room_id}/join", (200, 401)),
        ("PATCH", "/api/me", (200, 401)),
    ],
)
def test_l013_documented_or_non_owned_mutations_silent(
    method: str, path: str, statuses: tuple[int, ...]
) -> None:
    # Arrange
    ep = endpoint(method, path, *statuses)  # type: ignore[arg-type]
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L013") == []


def test_l014_request_body_without_422_is_info() -> None:
    # Arrange
    ep = endpoint("POST", "/api/rooms", 201, 401, request=obj(name=string()))
    # Act
    result = found(spec(endpoints=(ep,)), "L014")
    # Assert
    assert [(d.severity, d.message) for d in result] == [
        (Severity.INFO, "POST /api/rooms takes a request body but documents no 422")
    ]


@pytest.mark.parametrize("status", [400, 422])
def test_l014_request_body_with_validation_error_silent(status: int) -> None:
    # Arrange
    ep = endpoint("POST", "/api/rooms", 201, 401, status, request=obj(name=string()))
    # Act / Assert
    assert found(spec(endpoints=(ep,)), "L014") == []


L015_DOCUMENT = """# T

## Database Schema

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | NOT NULL |

## API Contracts

### POST /api/auth/login

- **Auth:** None (public)
- **Request Body:**
  ```json
  { "email": "a@example.com", "password": "string", "code": "string" }
  ```
  - **Fields:**
    - `password` (string, required, 8–128 characters): Plain password
- **Success Response (200):**
  ```json
  { "ok": true }
  ```
- **Error Responses:**
  - 422: Validation error
"""


def test_l015_request_string_without_max_length_warned_when_no_column_or_fields_entry() -> None:
    # Arrange
    from specc.check import run_checks
    from specc.diagnostics import Reporter
    from specc.parse import parse_spec

    reporter = Reporter()
    document = parse_spec(L015_DOCUMENT, "ARCHITECTURE.md", reporter).spec

    # Act
    run_checks(document, reporter)

    # Assert
    l015 = [d for d in reporter.diagnostics if d.code == "L015"]
    assert [(d.message, d.severity, d.line) for d in l015] == [
        (
            "POST /api/auth/login request field `code` is a string with no maximum length",
            Severity.WARNING,
            18,
        )
    ]


L016_DOCUMENT = """# T

## Database Schema

### rooms

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| name | VARCHAR(100) | NOT NULL |
| secret_hash | VARCHAR(64) | |
| created_by | BIGINT | NOT NULL |
| created_at | TIMESTAMPTZ | NOT NULL, DEFAULT now() |

## API Contracts

### POST /api/rooms

- **Auth:** Required
- **Request Body:**
  ```json
  { "id": 1, "name": "string", "secret_hash": "x", "created_by": 1, "created_at": "2026-01-01T00:00:00Z" }
  ```
- **Success Response (201):**
  ```json
  { "id": 1 }
  ```
"""


def test_run_checks_warns_l016_when_request_field_names_server_owned_column() -> None:
    # Arrange
    from specc.check import run_checks
    from specc.diagnostics import Reporter
    from specc.parse import parse_spec

    reporter = Reporter()
    document = parse_spec(L016_DOCUMENT, "ARCHITECTURE.md", reporter).spec

    # Act
    run_checks(document, reporter)

    # Assert
    l016 = [d.message.split(": a client")[0] for d in reporter.diagnostics if d.code == "L016"]
    assert l016 == [
        "POST /api/rooms request field `id` is rooms.id, generated by the database",
        "POST /api/rooms request field `secret_hash` is rooms.secret_hash, a stored secret",
        "POST /api/rooms request field `created_by` is rooms.created_by, set by the server",
        "POST /api/rooms request field `created_at` is rooms.created_at, set by the server",
    ]


FIELDS_DOCUMENT = """# T

## Database Schema

### users

| Column | Type | Constraints |
| ------ | ---- | ----------- |
| id     | BIGINT | PK, auto-increment |
| email  | VARCHAR(255) | NOT NULL |
| nick   | VARCHAR(50) | |
| plan   | VARCHAR(20) | NOT NULL, DEFAULT 'free' |

## API Contracts

### POST /api/auth/register

- **Auth:** None (public)
- **Request Body:**
  ```json
  { "email": "user@example.com", "password": "string", "nick": "n", "age": 3, "plan": "free" }
  ```
  - **Fields:**
    - `pasword` (string, required, 8–128 characters): typo
    - `password` (string, required, 128–8 characters): reversed
    - `nick` (string, required, 1–50 characters): required despite nullable column
    - `age` (integer, optional, 0–150): no column
    - `plan` (string, optional, 1–20 characters): the column has a default
    - `email` (string, optional, 5–255 characters, default "a@b.c"): optional
- **Success Response (201):**
  ```json
  { "id": 1 }
  ```

### PATCH /api/users/{user_id}

- **Auth:** Required
- **Request Body:**
  ```json
  { "email": "user@example.com" }
  ```
  - **Fields:**
    - `email` (string, optional, 5–255 characters): a partial update
- **Success Response (200):**
  ```json
  { "id": 1 }
  ```
"""


def test_run_checks_reports_fields_entries_when_key_missing_range_reversed_or_column_required() -> None:
    # Arrange
    from specc.check import run_checks
    from specc.diagnostics import Reporter
    from specc.parse import parse_spec

    reporter = Reporter()
    document = parse_spec(FIELDS_DOCUMENT, "ARCHITECTURE.md", reporter).spec

    # Act
    run_checks(document, reporter)

    # Assert
    found_codes = [
        (d.code, d.severity, d.line, d.message)
        for d in reporter.diagnostics
        if d.code in ("L017", "L018", "L019")
    ]
    assert found_codes == [
        (
            "L017",
            Severity.WARNING,
            24,
            "POST /api/auth/register Fields entry `pasword` names no key of the request body",
        ),
        (
            "L018",
            Severity.ERROR,
            25,
            "POST /api/auth/register Fields entry `password` has the range 128–8, whose minimum is above "
            "its maximum",
        ),
        (
            "L019",
            Severity.WARNING,
            29,
            "POST /api/auth/register Fields entry `email` is optional, but users.email is NOT NULL without "
            "a default",
        ),
    ]


def test_plan_requires_field_when_fields_entry_says_required_on_nullable_column() -> None:
    # Arrange
    from specc.diagnostics import Reporter
    from specc.emit.openapi import build_openapi
    from specc.parse import parse_spec

    document = parse_spec(FIELDS_DOCUMENT, "ARCHITECTURE.md", Reporter()).spec

    # Act
    component = build_openapi(document)["components"]["schemas"]["UserCreate"]

    # Assert
    assert component["required"] == ["password", "nick"]
    nick = {"maxLength": 50, "minLength": 1, "title": "Nick", "type": "string"}
    assert component["properties"]["nick"] == nick
