"""Resolution: one contract per method and path (path parameters compared by position, not name)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Spec

_PARAM_RE = re.compile(r"\{[^{}]*\}")  # no brace inside: linear (a `{` run never rescans)


def route_key(method: str, path: str) -> tuple[str, str]:
    """What makes two routes the same: `/a/{id}` and `/a/{x}` match the same requests."""
    return method.upper(), _PARAM_RE.sub("{}", path)


@check_rule(
    "R011",
    Severity.ERROR,
    "Duplicate endpoint",
    "Two API contracts have the same method and path (path parameters match by position, so `/rooms/{id}` "
    "and `/rooms/{room_id}` are the same route). Only one handler can serve a route; merge the contracts.",
    "### GET /api/rooms/{id}\n\n- **Auth:** Required\n\n### GET /api/rooms/{room_id}\n\n- **Auth:** Required",
)
def duplicate_endpoints(spec: Spec) -> Iterator[Finding]:
    first: dict[tuple[str, str], tuple[str, int | None]] = {}
    for endpoint in spec.endpoints:
        key = route_key(endpoint.method, endpoint.path)
        if key in first:
            path, line = first[key]
            where = f" on line {line}" if line is not None else ""
            yield Finding(
                f"endpoint {endpoint.method} {endpoint.path} duplicates {endpoint.method} {path}{where}",
                (endpoint.span,),
                hint="merge the two contracts into one",
            )
        else:
            first[key] = (endpoint.path, endpoint.span.line if endpoint.span else None)
