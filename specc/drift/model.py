"""What drift reports: findings with two locations, the sources that ran or were skipped, ignored findings.

The JSON report is the pydantic model `DriftReport`; its JSON Schema is checked in at
`schemas/specc-drift.schema.json` (refresh: `.venv/bin/python -m specc.drift.render`).
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from specc.diagnostics import Severity

SourceName = Literal["models", "database", "app", "migrations", "tests", "generated", "config"]
SOURCES: tuple[SourceName, ...] = ("models", "database", "app", "migrations", "tests", "generated")
"""The sources drift compares the document with, in report order (`config`: findings about the ignore
rules themselves)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(_Frozen):
    """A place: a file position (`file`, `line`, `column`; line and column 1-based) and/or a logical
    place that has no file (`database table users, column email`)."""

    file: str | None = None
    line: int | None = None
    column: int | None = None
    logical: str | None = None

    def shown(self) -> str:
        if self.file is None:
            return self.logical or "?"
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where if self.logical is None else f"{where} ({self.logical})"


class Finding(_Frozen):
    code: str
    severity: Severity
    source: SourceName
    subject: str
    """What the finding is about, stable across runs: `users.email`, `GET /api/rooms`, a case id."""
    message: str
    spec: Location
    """Where the document says it (the cell, row or heading), or the document itself."""
    actual: Location
    """Where the other side says it: the model's column line, the route function, the test, the migration
    file, or the database object."""
    hint: str | None = None
    """What to run or write to fix it, when that is mechanical."""
    fingerprint: str = ""
    """Stable across runs and machines: a hash of code, source, subject and message (no line numbers, no
    absolute paths), so a moved line keeps its fingerprint."""

    def with_fingerprint(self) -> Finding:
        digest = hashlib.sha256(
            "\x1f".join((self.code, self.source, self.subject, self.message)).encode("utf-8", "replace")
        ).hexdigest()
        return self.model_copy(update={"fingerprint": digest[:32]})

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        order = SOURCES.index(self.source) if self.source in SOURCES else len(SOURCES)
        return (order, self.subject, self.code, self.message)


class IgnoredFinding(_Frozen):
    finding: Finding
    reason: str
    until: str | None = None


class SourceStatus(_Frozen):
    name: SourceName
    state: Literal["compared", "skipped"]
    detail: str
    """What was compared (`generated.models`, `postgresql://app@db/app`) or why it was skipped."""


class DriftSummary(_Frozen):
    errors: int
    warnings: int
    infos: int
    ignored: int


class DriftReport(_Frozen):
    """The result of one `specc drift` run."""

    tool: str = "specc"
    version: str
    spec: str
    sources: tuple[SourceStatus, ...] = ()
    findings: tuple[Finding, ...] = ()
    ignored: tuple[IgnoredFinding, ...] = Field(default=())
    summary: DriftSummary

    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for f in self.findings if f.severity == s) for s in Severity}
