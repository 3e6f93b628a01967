"""Lint: authentication is explicit (WORKFLOW.md §8 "Public endpoints must be explicitly marked")."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import path_tokens
from specc.diagnostics import Severity
from specc.ir.model import Endpoint, Spec

_PUBLIC_WORDS = frozenset(
    {"login", "logon", "signin", "register", "registration", "signup", "forgot", "health", "healthz",
     "livez", "readyz", "ping"}
)  # fmt: skip
_PUBLIC_LAST_WORDS = frozenset({"token", "refresh"})
_PUBLIC_PAIRS = frozenset(
    {("log", "in"), ("sign", "in"), ("sign", "up"), ("password", "reset"), ("reset", "password"),
     ("verify", "email"), ("confirm", "email"), ("resend", "verification")}
)  # fmt: skip
_AMBIGUOUS_RE = re.compile(
    r"(?i)\b(optional(ly)?|maybe|sometimes|depends|if (logged in|authenticated|present|available))\b"
)


def public_looking(path: str) -> str | None:
    """The word that makes a path look like a public endpoint (`login`, `password reset`), or None."""
    tokens = path_tokens(path)
    for word in tokens:
        if word in _PUBLIC_WORDS:
            return word
    for pair in itertools.pairwise(tokens):
        if pair in _PUBLIC_PAIRS:
            return " ".join(pair)
    if tokens and tokens[-1] in _PUBLIC_LAST_WORDS:
        return tokens[-1]
    return None


def _finding(endpoint: Endpoint) -> Finding | None:
    if not endpoint.auth_explicit:
        word = public_looking(endpoint.path)
        if word is None:
            return None
        return Finding(
            f"{endpoint.method} {endpoint.path} looks public ({word}) but has no **Auth:** line; "
            "endpoints are authenticated by default",
            (endpoint.span,),
            hint="add `- **Auth:** None (public)` or `- **Auth:** Required`",
        )
    text = endpoint.auth_text or ""
    if _AMBIGUOUS_RE.search(text):
        return Finding(
            f'{endpoint.method} {endpoint.path} has an ambiguous **Auth:** line ("{text.strip()}")',
            (endpoint.span,),
            hint="say either `None (public)` or `Required`; document what anonymous callers get separately",
        )
    return None


@check_rule(
    "L009",
    Severity.WARNING,
    "Public endpoint not explicitly marked",
    "Every endpoint is authenticated by default (WORKFLOW.md §8); public ones must say so. This fires "
    "when an endpoint whose path looks public (login, register, signup, token, refresh, password reset, "
    'forgot, health) has no **Auth:** line, or when the Auth line is ambiguous ("Optional").',
    '### POST /api/auth/login\n\n- **Request Body:**\n  ```json\n  { "email": "string" }\n  ```',
)
def public_not_marked(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        finding = _finding(endpoint)
        if finding is not None:
            yield finding
