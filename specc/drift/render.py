"""Render a drift report: text (with the spec line and a caret), JSON, GitHub annotations, SARIF, JUnit XML
and Markdown for a pull-request comment.

Every format shows the findings in `Finding.sort_key` order, grouped by source in report order, each at
its spec location with the other side's location beside it; the same report renders byte-identically.
Text from the document or the user's code is shown, never obeyed (`specc.report.visible`).

The JSON report is `DriftReport`; its JSON Schema is checked in at `schemas/specc-drift.schema.json`
(refresh: `.venv/bin/python -m specc.drift.render`, `--check` only compares).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from specc.drift.model import DriftReport, Finding
from specc.drift.present import (
    ignored_note,
    known,
    position,
    prepared,
    source_groups,
    spec_shown,
    summary_text,
)
from specc.drift.render_junit import render_junit
from specc.drift.render_markdown import render_markdown
from specc.drift.render_sarif import render_sarif
from specc.report import (
    SourceLines,
    github_annotation,
    model_schema_text,
    plural,
    refresh_schema_file,
    visible,
)

DriftFormat = Literal["text", "json", "github", "sarif", "junit", "markdown"]

DRIFT_SCHEMA_PATH = Path("schemas/specc-drift.schema.json")


# --- text ---------------------------------------------------------------------------------------------


def _text_finding(finding: Finding, document: str, lines: SourceLines) -> list[str]:
    spec = finding.spec
    where = position(spec) if spec.file is not None else spec_shown(finding, document)
    out = [f"{visible(where)}: {finding.severity.value} {finding.code} {visible(finding.message)}"]
    if spec.file is not None and spec.line is not None:
        out += lines.excerpt(spec.file, spec.line, spec.column or 1)
    if known(finding.actual):
        out.append(f"  actual: {visible(finding.actual.shown())}")
    if finding.hint:
        out.append(f"  hint: {visible(finding.hint)}")
    return out


def render_text(report: DriftReport, sources: Mapping[str, str]) -> str:
    lines = SourceLines(sources)
    out: list[str] = []
    for group in source_groups(report):
        if group.findings:
            out.append(f"{group.name}: {plural(len(group.findings), 'finding')}")
        for finding in group.findings:
            out += _text_finding(finding, report.spec, lines)
    if report.ignored:
        out.append(f"{plural(len(report.ignored), 'finding')} ignored:")
        out += [
            f"  {i.finding.code} {visible(i.finding.subject)}: {visible(ignored_note(i))}"
            for i in report.ignored
        ]
    out += [f"{status.state}: {status.name} ({visible(status.detail)})" for status in report.sources]
    out.append(summary_text(report))
    return "\n".join(out) + "\n"


# --- json ---------------------------------------------------------------------------------------------


def render_json(report: DriftReport, sources: Mapping[str, str]) -> str:
    return report.model_dump_json(indent=2) + "\n"


def drift_report_schema() -> str:
    """The JSON Schema of `DriftReport`, as checked in at `schemas/specc-drift.schema.json`."""
    return model_schema_text(DriftReport)


# --- github -------------------------------------------------------------------------------------------


def _github_annotation(finding: Finding) -> str:
    spec = finding.spec
    properties: list[tuple[str, str]] = []
    if spec.file is not None:
        properties.append(("file", spec.file))
        if spec.line is not None:
            properties.append(("line", str(spec.line)))
            if spec.column is not None:
                properties.append(("col", str(spec.column)))
    properties.append(("title", finding.code))
    message = finding.message
    if spec.file is None and spec.logical is not None:
        message += f"\nspec: {spec.logical}"
    if known(finding.actual):
        message += f"\nactual: {finding.actual.shown()}"
    if finding.hint:
        message += f"\nhint: {finding.hint}"
    return github_annotation(finding.severity, properties, message)


def render_github(report: DriftReport, sources: Mapping[str, str]) -> str:
    return "".join(_github_annotation(finding) + "\n" for finding in report.findings)


# --- entry point --------------------------------------------------------------------------------------

DriftRenderer = Callable[[DriftReport, Mapping[str, str]], str]

RENDERERS: Mapping[DriftFormat, DriftRenderer] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
    "junit": render_junit,
    "markdown": render_markdown,
}


def render_drift(report: DriftReport, fmt: DriftFormat, sources: Mapping[str, str]) -> str:
    """Render `report` in `fmt`; `sources` maps a spec file's display path to its text (for excerpts)."""
    return RENDERERS[fmt](prepared(report), sources)


def main(argv: list[str]) -> int:
    return refresh_schema_file(DRIFT_SCHEMA_PATH, drift_report_schema(), argv, "specc.drift.render")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
