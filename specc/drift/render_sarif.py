"""A drift report as SARIF 2.1.0: one run, a rule per drift code used, a result per finding.

Each result stands at the spec location (the document itself when the finding names no place in it) and
has the other side's location as a related location: physical when it has a file, logical when it only
names a database object or a route. Ignored findings are results with an external suppression.
"""

from __future__ import annotations

from collections.abc import Mapping

import specc.drift.codes  # noqa: F401  (registers the D-codes the rules describe)
from specc.diagnostics import registered_codes
from specc.drift.model import DriftReport, Finding, Location
from specc.drift.present import known
from specc.report import (
    SARIF_LEVEL,
    SARIF_SCHEMA_URI,
    SarifArtifactLocation,
    SarifDriver,
    SarifLocation,
    SarifLog,
    SarifLogicalLocation,
    SarifPhysicalLocation,
    SarifRegion,
    SarifResult,
    SarifRun,
    SarifSuppression,
    SarifText,
    SarifTool,
    sarif_rule,
    sarif_uri,
)

FINGERPRINT_KEY = "specc/v1"
"""The `partialFingerprints` key of `Finding.fingerprint`; a new key if the fingerprint ever changes."""


def _location(location: Location, message: str | None = None) -> SarifLocation:
    physical = None
    if location.file is not None:
        region = None
        if location.line is not None:
            column = max(location.column, 1) if location.column is not None else None
            region = SarifRegion(start_line=max(location.line, 1), start_column=column)
        physical = SarifPhysicalLocation(
            artifact_location=SarifArtifactLocation(uri=sarif_uri(location.file)), region=region
        )
    logical = (
        [SarifLogicalLocation(fully_qualified_name=location.logical)]
        if location.logical is not None
        else None
    )
    return SarifLocation(
        physical_location=physical,
        logical_locations=logical,
        message=SarifText(text=message) if message is not None else None,
    )


def _result(finding: Finding, rule_index: int, document: str, justification: str | None) -> SarifResult:
    spec = (
        finding.spec if finding.spec.file is not None else finding.spec.model_copy(update={"file": document})
    )
    text = finding.message
    related = None
    if known(finding.actual):
        text += f" (actual: {finding.actual.shown()})"
        related = [_location(finding.actual, f"actual ({finding.source})")]
    if finding.hint:
        text += f" (hint: {finding.hint})"
    fingerprint = finding.fingerprint or finding.with_fingerprint().fingerprint
    return SarifResult(
        rule_id=finding.code,
        rule_index=rule_index,
        level=SARIF_LEVEL[finding.severity],
        message=SarifText(text=text),
        locations=[_location(spec)],
        related_locations=related,
        partial_fingerprints={FINGERPRINT_KEY: fingerprint},
        suppressions=(
            [SarifSuppression(kind="external", justification=justification)]
            if justification is not None
            else None
        ),
    )


def drift_sarif_log(report: DriftReport) -> SarifLog:
    """The SARIF log of a `prepared` report: findings in order, then the ignored findings (suppressed)."""
    entries: list[tuple[Finding, str | None]] = [(f, None) for f in report.findings]
    entries += [(i.finding, i.reason) for i in report.ignored]
    severities = {finding.code: finding.severity for finding, _ in entries}
    codes = sorted(severities)
    known_codes = registered_codes()
    rules = [sarif_rule(code, known_codes, severities[code]) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    results = [
        _result(finding, index[finding.code], report.spec, justification)
        for finding, justification in entries
    ]
    driver = SarifDriver(name="specc", version=report.version, rules=rules)
    return SarifLog(
        schema_uri=SARIF_SCHEMA_URI,
        version="2.1.0",
        runs=[SarifRun(tool=SarifTool(driver=driver), results=results)],
    )


def render_sarif(report: DriftReport, sources: Mapping[str, str]) -> str:
    return drift_sarif_log(report).model_dump_json(indent=2, by_alias=True, exclude_none=True) + "\n"
