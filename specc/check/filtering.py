"""What the user turned off: `[tool.specc] disable`, severity overrides, and inline suppressions."""

from __future__ import annotations

from collections.abc import Sequence

from specc.config import Config
from specc.diagnostics import Diagnostic, Severity, Suppression

PROTECTED_PREFIXES = ("P", "S", "B", "M")
"""Parse (P), safety (S), build (B) and migration (M) errors."""


def is_protected(diagnostic: Diagnostic) -> bool:
    """Parse, safety, build and migration errors cannot be disabled, suppressed or downgraded: the document
    was not understood, its text would reach SQL unquoted, or writing would lose data (a hand-written file,
    an applied migration, a dropped column)."""
    return diagnostic.code.startswith(PROTECTED_PREFIXES) and diagnostic.severity == Severity.ERROR


def _suppressed(diagnostic: Diagnostic, suppressions: Sequence[Suppression]) -> bool:
    return any(
        s.file == diagnostic.file
        and s.first_line <= diagnostic.line <= s.last_line
        and diagnostic.code in s.codes
        for s in suppressions
    )


def filter_diagnostics(
    diagnostics: list[Diagnostic], config: Config, suppressions: Sequence[Suppression]
) -> list[Diagnostic]:
    """Apply the configuration and inline suppressions; sort the rest by (file, line, column, code)."""
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if is_protected(diagnostic):
            kept.append(diagnostic)
            continue
        if diagnostic.code in config.disable or _suppressed(diagnostic, suppressions):
            continue
        override = config.severity.get(diagnostic.code)
        if override is not None and override != diagnostic.severity:
            diagnostic = diagnostic.model_copy(update={"severity": Severity(override)})
        kept.append(diagnostic)
    return sorted(kept, key=lambda d: d.sort_key)
