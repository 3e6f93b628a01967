"""Diagnostics: every problem specc finds, with a stable code, a severity and a source location.

Codes are registered once, in the module that reports them (`register_code`); registering a code twice
is a programming error. The registry feeds the docs site (one page per code) and the config validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Code:
    """A documented diagnostic code."""

    code: str
    severity: Severity
    title: str
    explanation: str
    """Why this matters and how to fix it (rendered on the docs site)."""
    example: str = ""
    """A document snippet that triggers the code."""


_REGISTRY: dict[str, Code] = {}


def register_code(code: str, severity: Severity, title: str, explanation: str, example: str = "") -> Code:
    if code in _REGISTRY:
        raise ValueError(f"diagnostic code {code} is registered twice")
    entry = Code(code=code, severity=severity, title=title, explanation=explanation, example=example)
    _REGISTRY[code] = entry
    return entry


def registered_codes() -> dict[str, Code]:
    """All registered codes, sorted by code. Importing `specc.check` registers every code."""
    return dict(sorted(_REGISTRY.items()))


class Diagnostic(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    hint: str | None = None

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.message)


class Reporter:
    """Collects diagnostics. Parsing and checking never raise for document problems: they report here."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def report(
        self,
        code: Code,
        message: str,
        file: str,
        line: int,
        column: int = 1,
        hint: str | None = None,
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                code=code.code,
                severity=code.severity,
                message=message,
                file=file,
                line=line,
                column=column,
                hint=hint,
            )
        )

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.diagnostics, key=lambda d: d.sort_key)


def count(diagnostics: list[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in diagnostics if d.severity == severity)


@dataclass(frozen=True)
class Suppression:
    """An inline `<!-- specc: ignore CODE[, CODE] -->`: silences `codes` on lines first..last of `file`."""

    codes: frozenset[str]
    file: str
    first_line: int
    last_line: int
