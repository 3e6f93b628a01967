"""Lint: every string a client sends has a maximum length (WORKFLOW.md §8 Input Validation)."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Spec


@check_rule(
    "L015",
    Severity.WARNING,
    "Request string without a maximum length",
    "A string field of a request body gets no maximum length from the document: no `VARCHAR(n)` column of "
    "that name, no CHECK on its length, no `Fields:` entry with a range. WORKFLOW.md §8: string fields have "
    "explicit `max_length` constraints, so the generated schema could accept a string of any size. State "
    "the limit under the request body: `- **Fields:**` with "
    "`` - `name` (string, required, 1–100 characters)``.",
    "### POST /api/auth/refresh\n\n- **Auth:** None (public)\n- **Request Body:**\n  ```json\n"
    '  { "refresh_token": "string" }\n  ```',
)
def request_string_without_max_length(spec: Spec) -> Iterator[Finding]:
    from specc.emit.schemas.plan import unbounded_request_strings

    for item in unbounded_request_strings(spec):
        endpoint = item.endpoint
        body = endpoint.request_body
        yield Finding(
            f"{endpoint.method} {endpoint.path} request field `{item.path}` is a string with no maximum "
            "length",
            (body.span if body is not None else None, endpoint.span),
            hint=f"add `- **Fields:**` under the request body with `` - `{item.path}` (string, "
            "required, 1–255 characters)`` (your limits), or give the field a VARCHAR(n) column",
        )
