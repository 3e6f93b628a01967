"""Run the registered rules over a spec: safety first, then resolution, then lint."""

from __future__ import annotations

from specc.check.registry import Finding, Phase, rules
from specc.diagnostics import Reporter
from specc.ir.model import Span, Spec

UNKNOWN_FILE = "<spec>"
PHASES: tuple[Phase, ...] = ("safety", "resolve", "lint")


def locate(finding: Finding, spec: Spec) -> Span:
    """The first span the finding names, else line 1 column 1 of the spec's source."""
    for span in finding.spans:
        if span is not None:
            return span
    return Span(file=spec.source or UNKNOWN_FILE, line=1, column=1)


def run_checks(spec: Spec, reporter: Reporter) -> None:
    """Report every safety problem, then every resolution problem, then every lint finding, of `spec`."""
    for phase in PHASES:
        for rule in rules(phase):
            for finding in rule.func(spec):
                span = locate(finding, spec)
                reporter.report(rule.code, finding.message, span.file, span.line, span.column, finding.hint)
