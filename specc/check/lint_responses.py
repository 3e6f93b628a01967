"""Lint: response bodies never expose credentials (WORKFLOW.md §8 Output Security)."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import is_secret_name
from specc.diagnostics import Severity
from specc.ir.model import ArrayShape, ObjectShape, ScalarShape, Shape, Spec


def secret_fields(shape: Shape | None, prefix: str = "") -> Iterator[str]:
    """Dotted paths (`user.password_hash`, `items[].api_key`) of secret-named fields in a body shape."""
    if shape is None or isinstance(shape, ScalarShape):
        return
    if isinstance(shape, ArrayShape):
        yield from secret_fields(shape.items, prefix + "[]")
        return
    if isinstance(shape, ObjectShape):
        for field in shape.fields:
            path = f"{prefix}.{field.name}" if prefix else field.name
            if is_secret_name(field.name):
                yield path
            yield from secret_fields(field.shape, path)


@check_rule(
    "L010",
    Severity.ERROR,
    "Response exposes a secret",
    "A response body contains a password, password hash, secret, token hash or API key. WORKFLOW.md §8: "
    "API responses never include `password_hash` or other sensitive fields; use a response model that "
    "leaves them out. Issued tokens (`access_token`, `refresh_token`) are fine: returning them is the point "
    "of a login.",
    "### GET /api/users/me\n\n- **Auth:** Required\n- **Success Response (200):**\n  ```json\n"
    '  { "id": 1, "email": "a@example.com", "password_hash": "..." }\n  ```',
)
def response_exposes_secret(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        for response in endpoint.responses:
            if response.body is None:
                continue
            for path in secret_fields(response.body.shape):
                yield Finding(
                    f"{endpoint.method} {endpoint.path} response {response.status} exposes `{path}`",
                    (response.body.span, response.span, endpoint.span),
                    hint="remove the field from the response model",
                )
