"""Lint: error responses the conventions require (WORKFLOW.md §8: rate limits, auth, ownership, validation).

Endpoints that document no responses at all are skipped: there is nothing to be incomplete yet.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from specc.check.lint_auth import public_looking
from specc.check.registry import Finding, check_rule
from specc.check.util import path_tokens, statuses
from specc.diagnostics import Severity
from specc.ir.model import Endpoint, Spec

_RATE_LIMITED_WORDS = frozenset({"login", "logon", "signin", "register", "registration", "signup", "forgot"})
_RATE_LIMITED_PAIRS = frozenset(
    {("log", "in"), ("sign", "in"), ("sign", "up"), ("password", "reset"), ("reset", "password")}
)
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_OWNED_METHODS = frozenset({"PUT", "PATCH", "DELETE"})


def _documented(endpoint: Endpoint) -> bool:
    return bool(endpoint.responses)


def _requires_auth(endpoint: Endpoint) -> bool:
    """Authenticated, and not an unmarked public-looking endpoint (L009 reports those instead)."""
    if endpoint.auth != "required":
        return False
    return endpoint.auth_explicit or public_looking(endpoint.path) is None


def is_rate_limited_auth(endpoint: Endpoint) -> bool:
    """Login, registration and password-reset calls (the ones §8 says to rate-limit)."""
    if endpoint.method in _SAFE_METHODS:
        return False
    tokens = path_tokens(endpoint.path)
    if _RATE_LIMITED_WORDS.intersection(tokens):
        return True
    return any(pair in _RATE_LIMITED_PAIRS for pair in itertools.pairwise(tokens))


@check_rule(
    "L011",
    Severity.WARNING,
    "Authentication endpoint without a documented 429",
    "WORKFLOW.md §8 requires rate limiting on login, register and password reset. Document the 429 Too "
    "Many Requests response so the limit is implemented and tested.",
    "### POST /api/auth/login\n\n- **Auth:** None (public)\n- **Error Responses:**\n"
    "  - 401: Invalid credentials",
)
def auth_without_429(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        if _documented(endpoint) and is_rate_limited_auth(endpoint) and 429 not in statuses(endpoint):
            yield Finding(
                f"{endpoint.method} {endpoint.path} is rate-limited by convention but documents no 429",
                (endpoint.span,),
                hint="add `- 429: Too many attempts` to Error Responses",
            )


@check_rule(
    "L012",
    Severity.WARNING,
    "Authenticated endpoint without a documented 401",
    "An endpoint that requires authentication should document 401 Unauthorized (missing or expired token), "
    "so clients handle it and a test checks it.",
    "### GET /api/rooms\n\n- **Auth:** Required\n- **Success Response (200):**\n  ```json\n  []\n  ```",
)
def authenticated_without_401(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        if _documented(endpoint) and _requires_auth(endpoint) and 401 not in statuses(endpoint):
            yield Finding(
                f"{endpoint.method} {endpoint.path} requires authentication but documents no 401",
                (endpoint.span,),
                hint="add `- 401: Not authenticated` to Error Responses",
            )


def _has_path_parameter(endpoint: Endpoint) -> bool:
    return bool(endpoint.path_params) or "{" in endpoint.path


@check_rule(
    "L013",
    Severity.WARNING,
    "Update or delete without a documented 403 or 404",
    "WORKFLOW.md §8: check ownership before UPDATE and DELETE. An authenticated PUT, PATCH or DELETE on "
    "`/things/{id}` should document what happens when the row belongs to someone else or does not exist: "
    "403 Forbidden or 404 Not Found.",
    "### DELETE /api/rooms/{id}\n\n- **Auth:** Required\n- **Success Response (204):** No content\n"
    "- **Error Responses:**\n  - 401: Not authenticated",
)
def mutation_without_ownership_error(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        if not (
            _documented(endpoint)
            and endpoint.method in _OWNED_METHODS
            and _requires_auth(endpoint)
            and _has_path_parameter(endpoint)
        ):
            continue
        if not {403, 404} & statuses(endpoint):
            yield Finding(
                f"{endpoint.method} {endpoint.path} changes a resource but documents neither 403 nor 404",
                (endpoint.span,),
                hint="add `- 404: Not found` (or `- 403: Not the owner`)",
            )


@check_rule(
    "L014",
    Severity.INFO,
    "Request body without a documented 422",
    "An endpoint that takes a request body is validated by Pydantic, which answers 422 Unprocessable Entity "
    "for invalid input. Document it (400 is accepted too) so clients and tests cover it.",
    '### POST /api/rooms\n\n- **Auth:** Required\n- **Request Body:**\n  ```json\n  { "name": "string" }\n'
    '  ```\n- **Success Response (201):**\n  ```json\n  { "id": 1 }\n  ```',
)
def body_without_422(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        if (
            _documented(endpoint)
            and endpoint.request_body is not None
            and not {400, 422} & statuses(endpoint)
        ):
            yield Finding(
                f"{endpoint.method} {endpoint.path} takes a request body but documents no 422",
                (endpoint.span,),
                hint="add `- 422: Validation error` to Error Responses",
            )
