"""Resolution: what TESTPLAN.md's cases name must exist in the spec.

A case that names an endpoint (`POST /api/rooms/{room_id}/join`) the spec has no contract for, or expects a
status code (`returns 409`) that none of the endpoints it tests documents, describes a test that cannot pass
against the contract. The endpoints a case tests are the ones it names; a case that names none tests its
feature's (`Feature.endpoints`); a feature whose cases name no endpoint is not checked for statuses.

422 counts as documented on every endpoint with a path or query parameter or a request body: the generated
OpenAPI declares it there (the framework's validation error), whether or not the contract lists it.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.check.util import statuses, suggestion
from specc.diagnostics import Severity
from specc.ir.model import Endpoint, Spec
from specc.parse.testplan import endpoint_key, matching_endpoints

VALIDATION_ERROR = 422


def documented(endpoint: Endpoint) -> frozenset[int]:
    """The status codes a contract documents, with 422 where the generated OpenAPI adds it."""
    found = statuses(endpoint)
    if endpoint.path_params or endpoint.query_params or endpoint.request_body is not None:
        found |= {VALIDATION_ERROR}
    return found


@check_rule(
    "R019",
    Severity.ERROR,
    "Test case names an endpoint the spec does not have",
    "A case in TESTPLAN.md names an endpoint (an HTTP method and a path) that no API contract of the spec "
    "describes, so the test it describes has nothing to call. Path parameters match any value or name "
    "(`/api/rooms/42` and `/api/rooms/{id}` name `/api/rooms/{room_id}`); the method and every other segment "
    "must be the contract's. Fix the case, or add the contract to the spec.",
    "## Feature: Join Room\n\n### Happy Path\n\n- POST /api/rooms/{room_id}/enter returns 201\n\n"
    "(the spec has `### POST /api/rooms/{room_id}/join`)",
)
def unknown_endpoints(spec: Spec) -> Iterator[Finding]:
    if spec.test_plan is None:
        return
    known = [endpoint_key(e) for e in spec.endpoints]
    for feature in spec.test_plan.features:
        for case in feature.cases:
            for mention in case.endpoints:
                if matching_endpoints(mention, spec.endpoints):
                    continue
                yield Finding(
                    f"test case of feature {feature.name!r} names {mention.method} {mention.path}, which "
                    "no API contract of the spec describes",
                    (mention.span, case.span),
                    hint=suggestion(f"{mention.method} {mention.path}", known)
                    or "add the contract to the spec, or fix the method or path in the test plan",
                )


@check_rule(
    "R020",
    Severity.ERROR,
    "Test case expects a status code its endpoints do not document",
    "A case in TESTPLAN.md expects a status code (`returns 409`) that none of the endpoints it tests "
    "documents (the endpoints the case names, else those its feature's cases name). The contract and the "
    "test plan disagree: document the response in the contract (Success Response or Error Responses), or "
    "fix the case. 422 counts as documented on endpoints with parameters or a body (the generated OpenAPI "
    "declares it).",
    "## Feature: Get Room\n\n### Error Cases\n\n- GET /api/rooms/{room_id} returns 410 for a deleted room\n\n"
    "(the contract documents 200, 401, 403 and 404)",
)
def undocumented_statuses(spec: Spec) -> Iterator[Finding]:
    if spec.test_plan is None:
        return
    by_key = {endpoint_key(e): e for e in reversed(spec.endpoints)}
    for feature in spec.test_plan.features:
        linked = [by_key[key] for key in feature.endpoints if key in by_key]
        for case in feature.cases:
            if not case.statuses:
                continue
            named = [e for mention in case.endpoints for e in matching_endpoints(mention, spec.endpoints)]
            tested = named or ([] if case.endpoints else linked)
            if not tested:
                continue
            allowed = frozenset().union(*(documented(e) for e in tested))
            for mention in case.statuses:
                if mention.status in allowed:
                    continue
                names = ", ".join(dict.fromkeys(endpoint_key(e) for e in tested))
                yield Finding(
                    f"test case of feature {feature.name!r} expects {mention.status}, which {names} "
                    f"{'does' if len(tested) == 1 else 'do'} not document",
                    (mention.span, case.span),
                    hint=f"document `- {mention.status}: …` in the contract's responses, or fix the case",
                )
