"""Lint: the test plan covers what the seed asks (WORKFLOW.md §3 and §9: never only the happy path).

A feature with no error cases or no edge cases tests only what goes right; an endpoint that no feature's
cases name has no planned test at all. Both are read from TESTPLAN.md against the spec's contracts; a spec
without a test plan is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import CaseCategory, Spec
from specc.parse.testplan import endpoint_key

_REQUIRED: tuple[tuple[CaseCategory, str], ...] = (("error", "error"), ("edge", "edge"))


@check_rule(
    "L020",
    Severity.WARNING,
    "Feature has no error or no edge cases",
    "The seed's rule is never to test only the happy path: every feature of TESTPLAN.md lists error cases "
    "(invalid input, missing auth, conflicts) and edge cases (empty, longest, unicode, concurrent). A "
    "feature without one of these categories plans tests that pass while the failures users meet go "
    "untested.",
    "## Feature: Create Room\n\n### Happy Path\n\n- POST /api/rooms with valid name returns 201\n\n"
    "(no `### Error Cases`, no `### Edge Cases`)",
)
def missing_categories(spec: Spec) -> Iterator[Finding]:
    if spec.test_plan is None:
        return
    for feature in spec.test_plan.features:
        present = {case.category for case in feature.cases}
        missing = [word for category, word in _REQUIRED if category not in present]
        if missing:
            yield Finding(
                f"feature {feature.name!r} has no {' and no '.join(missing)} cases",
                (feature.span,),
                hint=f"add `### {' / '.join(m.capitalize() + ' Cases' for m in missing)}` with the cases "
                "that must fail or sit at a limit",
            )


@check_rule(
    "L021",
    Severity.INFO,
    "Endpoint is not named by any test case",
    "No case of TESTPLAN.md names this endpoint (`POST /api/rooms`, path parameters as any value), so no "
    "feature plans a test for it. Name it in the cases of the feature that covers it.",
    "### DELETE /api/rooms/{room_id}\n\n(and no case in TESTPLAN.md says `DELETE /api/rooms/...`)",
)
def uncovered_endpoints(spec: Spec) -> Iterator[Finding]:
    if spec.test_plan is None or not spec.test_plan.features:
        return
    covered = {key for feature in spec.test_plan.features for key in feature.endpoints}
    for endpoint in spec.endpoints:
        key = endpoint_key(endpoint)
        if key not in covered:
            yield Finding(f"no test case names {key}", (endpoint.span,), hint="name it in a feature's cases")
