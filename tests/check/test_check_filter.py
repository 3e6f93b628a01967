"""filter_diagnostics: disable, severity overrides, inline suppressions, protected parse errors, order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from specc.check import filter_diagnostics
from specc.config import Config
from specc.diagnostics import Diagnostic, Severity, Suppression

FILE = "docs/ARCHITECTURE.md"


def diag(
    code: str, line: int, severity: Severity = Severity.WARNING, file: str = FILE, column: int = 1
) -> Diagnostic:
    return Diagnostic(
        code=code, severity=severity, message=f"{code} message", file=file, line=line, column=column
    )


def config(disable: set[str] | None = None, severity: dict[str, str] | None = None) -> Config:
    return Config(root=Path("."), disable=frozenset(disable or ()), severity=severity or {})


def test_filter_drops_disabled_codes() -> None:
    # Arrange
    diagnostics = [diag("L006", 3), diag("L007", 4)]
    # Act
    result = filter_diagnostics(diagnostics, config(disable={"L006"}), [])
    # Assert
    assert [d.code for d in result] == ["L007"]


def test_filter_applies_severity_override() -> None:
    # Arrange
    diagnostics = [diag("L007", 4)]
    # Act
    result = filter_diagnostics(diagnostics, config(severity={"L007": "error"}), [])
    # Assert
    assert [(d.code, d.severity) for d in result] == [("L007", Severity.ERROR)]


def test_filter_drops_diagnostics_inside_a_matching_suppression() -> None:
    # Arrange
    diagnostics = [diag("L006", 9), diag("L006", 10), diag("L006", 12), diag("L007", 11)]
    suppression = Suppression(codes=frozenset({"L006"}), file=FILE, first_line=10, last_line=12)
    # Act
    result = filter_diagnostics(diagnostics, config(), [suppression])
    # Assert
    assert [(d.code, d.line) for d in result] == [("L006", 9), ("L007", 11)]


def test_filter_ignores_suppression_for_another_file() -> None:
    # Arrange
    suppression = Suppression(codes=frozenset({"L006"}), file="other.md", first_line=1, last_line=100)
    # Act
    result = filter_diagnostics([diag("L006", 5)], config(), [suppression])
    # Assert
    assert len(result) == 1


def test_filter_never_drops_or_downgrades_parse_errors() -> None:
    # Arrange
    error = diag("P004", 5, Severity.ERROR)
    suppression = Suppression(codes=frozenset({"P004"}), file=FILE, first_line=1, last_line=10)
    cfg = config(disable={"P004"}, severity={"P004": "info"})
    # Act
    result = filter_diagnostics([error], cfg, [suppression])
    # Assert
    assert result == [error]


def test_filter_allows_disabling_parse_warnings() -> None:
    # Arrange
    warning = diag("P005", 5, Severity.WARNING)
    # Act
    result = filter_diagnostics([warning], config(disable={"P005"}), [])
    # Assert
    assert result == []


def test_filter_sorts_by_file_line_column_code() -> None:
    # Arrange
    diagnostics = [diag("L002", 3), diag("L001", 3), diag("R001", 1, file="b.md"), diag("L009", 3, column=0)]
    # Act
    result = filter_diagnostics(diagnostics, config(), [])
    # Assert
    assert [(d.file, d.line, d.column, d.code) for d in result] == [
        ("b.md", 1, 1, "R001"),
        (FILE, 3, 0, "L009"),
        (FILE, 3, 1, "L001"),
        (FILE, 3, 1, "L002"),
    ]


_codes = st.sampled_from(["L001", "L006", "R003", "P004", "P005"])
_diags = st.builds(
    diag,
    code=_codes,
    line=st.integers(1, 30),
    severity=st.sampled_from(list(Severity)),
    file=st.sampled_from([FILE, "TESTPLAN.md"]),
)
_suppressions = st.builds(
    Suppression,
    codes=st.frozensets(_codes, max_size=2),
    file=st.just(FILE),
    first_line=st.integers(1, 30),
    last_line=st.integers(1, 30),
)


@settings(max_examples=80, deadline=None)
@given(st.lists(_diags, max_size=12), st.frozensets(_codes, max_size=3), st.lists(_suppressions, max_size=3))
def test_filter_output_is_sorted_idempotent_and_keeps_parse_errors(
    diagnostics: list[Diagnostic], disabled: frozenset[str], suppressions: list[Suppression]
) -> None:
    # Arrange
    cfg = config(disable=set(disabled))
    # Act
    once = filter_diagnostics(diagnostics, cfg, suppressions)
    twice = filter_diagnostics(once, cfg, suppressions)
    # Assert
    assert once == sorted(once, key=lambda d: d.sort_key)
    assert twice == once
    parse_errors = [d for d in diagnostics if d.code.startswith("P") and d.severity == Severity.ERROR]
    assert sorted(parse_errors, key=lambda d: d.sort_key) == [d for d in once if d in parse_errors]
    assert all(d.code not in disabled or d in parse_errors for d in once)


def test_filter_never_drops_build_or_migration_errors() -> None:
    # Arrange
    errors = [diag("B001", 1, Severity.ERROR), diag("M010", 2, Severity.ERROR)]
    cfg = config(disable={"B001", "M010"}, severity={"B001": "info", "M010": "warning"})

    # Act
    result = filter_diagnostics(errors, cfg, [])

    # Assert
    assert result == errors
