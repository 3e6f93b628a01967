"""The status of each test-plan case (implemented, stub, missing) shown on the site, and where it came from.

Two sources: a `specc drift --format json` report (`--drift REPORT.json`: its `tests` findings D301, case
missing, and D302, case only a stub, ignored ones included; a case without either is implemented), or, when no
report is given, plan coverage of the tests folder (`[tool.specc] tests`, plus the generated tests under
`<out>/tests`), read from the tests' syntax tree as `specc coverage` does (nothing is imported or run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from specc.drift.model import DriftReport
from specc.ir.model import TestPlan
from specc.plancoverage import CaseState, plan_coverage

MAX_REPORT_BYTES = 64 * 1024 * 1024
STATES: tuple[CaseState, ...] = ("implemented", "stub", "missing")
_BY_CODE: dict[str, CaseState] = {"D301": "missing", "D302": "stub"}


class StatusError(Exception):
    """The drift report cannot be used (exit 2)."""


@dataclass(frozen=True)
class CaseStatuses:
    states: dict[str, CaseState]
    """Case id → its state, for every case of the plan."""
    origin: str
    """Where the states come from, as shown on the site."""

    def count(self, state: CaseState) -> int:
        return sum(1 for s in self.states.values() if s == state)


def from_coverage(
    plan: TestPlan, tests: Path, tests_shown: str, generated: tuple[Path, str] | None
) -> CaseStatuses:
    """Plan coverage of `tests` (and the generated tests, when given)."""
    coverage = plan_coverage(plan, tests, generated)
    shown = tests_shown + (f" and {generated[1].rstrip('/')}" if generated else "")
    return CaseStatuses({case.id: case.state for case in coverage.cases}, f"plan coverage of {shown}")


def from_drift(plan: TestPlan, data: bytes, shown: str) -> CaseStatuses:
    """The states a drift report gives; raises StatusError when it is not a report, or did not compare the
    tests."""
    if len(data) > MAX_REPORT_BYTES:
        raise StatusError(f"{shown} is larger than {MAX_REPORT_BYTES:,} bytes")
    try:
        report = DriftReport.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the top level"
        raise StatusError(
            f"{shown} is not a `specc drift --format json` report ({where}: {first['msg']})"
        ) from None
    tests = next((s for s in report.sources if s.name == "tests"), None)
    if tests is None or tests.state != "compared":
        why = f": {tests.detail}" if tests is not None and tests.detail else ""
        raise StatusError(f"{shown} did not compare the tests (the tests source was skipped{why})")
    found: dict[str, CaseState] = {}
    findings = [*report.findings, *(ignored.finding for ignored in report.ignored)]
    for finding in findings:
        state = _BY_CODE.get(finding.code)
        if finding.source == "tests" and state is not None:
            found[finding.subject] = "missing" if found.get(finding.subject) == "missing" else state
    states = {
        case.id: found.get(case.id, "implemented") for feature in plan.features for case in feature.cases
    }
    return CaseStatuses(states, f"drift report {shown}")
