"""What every drift format shows alike: the report in a fixed order, findings grouped by source, places.

`prepared` is applied once before any format renders, so that each format sees the same order and no
string that cannot be written as UTF-8.
"""

from __future__ import annotations

from dataclasses import dataclass

from specc.drift.model import (
    SOURCES,
    DriftReport,
    Finding,
    IgnoredFinding,
    Location,
    SourceName,
    SourceStatus,
)
from specc.report import encodable, plural

REPORT_ORDER: tuple[SourceName, ...] = (*SOURCES, "config")
"""Sources in the order every format shows them; `config` (findings about the ignore rules) last."""


def finding_order(finding: Finding) -> tuple[tuple[int, str, str, str], str, str, str, str, str]:
    """`Finding.sort_key`, then everything else that can tell two findings apart, so that the order never
    depends on the order the report was built in."""
    return (
        finding.sort_key,
        finding.spec.shown(),
        finding.actual.shown(),
        finding.severity.value,
        finding.hint or "",
        finding.fingerprint,
    )


def _source_order(status: SourceStatus) -> tuple[int, str]:
    return (REPORT_ORDER.index(status.name), status.detail)


def _encodable_tree(value: object) -> object:
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, dict):
        return {key: _encodable_tree(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable_tree(item) for item in value]
    return value


def prepared(report: DriftReport) -> DriftReport:
    """`report` with lone surrogates escaped in every string (a file name read with `surrogateescape`
    cannot be written as UTF-8), findings and ignored findings in `finding_order`, sources in report
    order."""
    clean = DriftReport.model_validate(_encodable_tree(report.model_dump()))
    return clean.model_copy(
        update={
            "findings": tuple(sorted(clean.findings, key=finding_order)),
            "ignored": tuple(sorted(clean.ignored, key=lambda ignored: finding_order(ignored.finding))),
            "sources": tuple(sorted(clean.sources, key=_source_order)),
        }
    )


@dataclass(frozen=True)
class SourceGroup:
    """One source's part of a report: its status (none for `config`) and its findings."""

    name: SourceName
    status: SourceStatus | None
    findings: tuple[Finding, ...]
    ignored: tuple[IgnoredFinding, ...]


def source_groups(report: DriftReport) -> list[SourceGroup]:
    """The sources that ran, were skipped or have findings, in report order (of a `prepared` report)."""
    groups: list[SourceGroup] = []
    for name in REPORT_ORDER:
        group = SourceGroup(
            name=name,
            status=next((s for s in report.sources if s.name == name), None),
            findings=tuple(f for f in report.findings if f.source == name),
            ignored=tuple(i for i in report.ignored if i.finding.source == name),
        )
        if group.status is not None or group.findings or group.ignored:
            groups.append(group)
    return groups


def known(location: Location) -> bool:
    """Whether `location` names a file or a logical place at all."""
    return location.file is not None or location.logical is not None


def position(location: Location) -> str:
    """`file:line:column` (as far as known) without the logical place; `location` has a file."""
    return location.model_copy(update={"logical": None}).shown()


def spec_shown(finding: Finding, document: str) -> str:
    """Where the document says it; a finding that names no place in the document is about all of it."""
    return finding.spec.shown() if known(finding.spec) else document


def ignored_note(ignored: IgnoredFinding) -> str:
    """`reason (until 2025-09-30)`."""
    return ignored.reason if ignored.until is None else f"{ignored.reason} (until {ignored.until})"


def summary_text(report: DriftReport) -> str:
    """`1 error, 2 warnings, 0 infos` or `no drift found`, then the ignored count when there is one."""
    s = report.summary
    counted = (
        "no drift found"
        if s.errors + s.warnings + s.infos == 0
        else f"{plural(s.errors, 'error')}, {plural(s.warnings, 'warning')}, {plural(s.infos, 'info')}"
    )
    return counted if s.ignored == 0 else f"{counted}; {s.ignored} ignored"
