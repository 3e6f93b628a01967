"""Drift reports built by hand for the renderer tests."""

from __future__ import annotations

from specc.diagnostics import Severity
from specc.drift.model import (
    DriftReport,
    DriftSummary,
    Finding,
    IgnoredFinding,
    Location,
    SourceName,
    SourceStatus,
)

DOC = "docs/ARCHITECTURE.md"
SOURCE = "# Shop\n\n| email | TEXT | NOT NULL |\n\t| legacy | TEXT | |\n"


def finding(
    code: str,
    source: SourceName,
    subject: str,
    message: str,
    spec: Location,
    actual: Location,
    severity: Severity = Severity.ERROR,
    hint: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        source=source,
        subject=subject,
        message=message,
        spec=spec,
        actual=actual,
        hint=hint,
    ).with_fingerprint()


def report(
    findings: tuple[Finding, ...] = (),
    ignored: tuple[IgnoredFinding, ...] = (),
    sources: tuple[SourceStatus, ...] = (),
) -> DriftReport:
    def n(severity: Severity) -> int:
        return sum(1 for f in findings if f.severity == severity)

    return DriftReport(
        version="0.1.0",
        spec=DOC,
        sources=sources,
        findings=findings,
        ignored=ignored,
        summary=DriftSummary(
            errors=n(Severity.ERROR),
            warnings=n(Severity.WARNING),
            infos=n(Severity.INFO),
            ignored=len(ignored),
        ),
    )


COLUMN_MISSING = finding(
    "D104",
    "models",
    "users.email",
    "column users.email is missing from the models",
    Location(file=DOC, line=3, column=3),
    Location(file="generated/models.py", line=12, logical="class User"),
    hint="run specc build",
)
ENUM_EXTRA = finding(
    "D111",
    "database",
    "mood",
    "enum type mood is not in the spec",
    Location(file=DOC),
    Location(logical="database type mood"),
    severity=Severity.WARNING,
)
ENDPOINT_EXTRA = finding(
    "D202",
    "app",
    "GET /api/rooms",
    "the app serves GET /api/rooms",
    Location(),
    Location(file="app/routes.py", line=40, column=1),
)
LEGACY_IGNORED = IgnoredFinding(
    finding=finding(
        "D105",
        "database",
        "users.legacy",
        "column users.legacy is not in the spec",
        Location(file=DOC, line=4, column=4),
        Location(logical="database table users, column legacy"),
    ),
    reason="dropped in the Q3 migration",
    until="2025-09-30",
)
STATUSES = (
    SourceStatus(name="tests", state="compared", detail="tests/"),
    SourceStatus(name="models", state="compared", detail="generated.models"),
    SourceStatus(name="database", state="compared", detail="postgresql://app@db/app"),
    SourceStatus(name="app", state="skipped", detail="not configured"),
)

SAMPLE = report(
    findings=(ENDPOINT_EXTRA, ENUM_EXTRA, COLUMN_MISSING),
    ignored=(LEGACY_IGNORED,),
    sources=STATUSES,
)
"""Findings, statuses and an ignored finding, each given out of report order."""

HOSTILE = "a|b <script>alert(1)</script> \x1b[2J\u202e `x` [l](javascript:x) *y*\nz"
