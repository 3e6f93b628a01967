"""Drift renderers: text, JSON and its schema, GitHub annotations, and the same bytes for the same report.

SARIF, JUnit and Markdown: tests/drift/test_render_formats.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from specc.diagnostics import Severity
from specc.drift.model import DriftReport, IgnoredFinding, Location, SourceStatus
from specc.drift.render import DRIFT_SCHEMA_PATH, DriftFormat, drift_report_schema, render_drift
from specc.drift.render import main as render_main
from tests.drift.drift_builders import (
    COLUMN_MISSING,
    DOC,
    ENDPOINT_EXTRA,
    ENUM_EXTRA,
    LEGACY_IGNORED,
    SAMPLE,
    SOURCE,
    STATUSES,
    finding,
    report,
)

ROOT = Path(__file__).resolve().parents[2]
FORMATS: tuple[DriftFormat, ...] = ("text", "json", "github", "sarif", "junit", "markdown")
TERMINAL = "ok\x1b[2J\x1b]0;t\x07 \u202egnp\u202c \x9b31m"
TERMINAL_SHOWN = "ok\\x1b[2J\\x1b]0;t\\x07 \\u202egnp\\u202c \\x9b31m"


# --- text ---------------------------------------------------------------------------------------------


def test_render_drift_text_groups_findings_by_source_with_excerpt_actual_and_hint() -> None:
    # Act
    out = render_drift(SAMPLE, "text", {DOC: SOURCE})

    # Assert
    assert out.splitlines()[:12] == [
        "models: 1 finding",
        "docs/ARCHITECTURE.md:3:3: error D104 column users.email is missing from the models",
        " 3 | | email | TEXT | NOT NULL |",
        "   |   ^",
        "  actual: generated/models.py:12 (class User)",
        "  hint: run specc build",
        "database: 1 finding",
        "docs/ARCHITECTURE.md: warning D111 enum type mood is not in the spec",
        "  actual: database type mood",
        "app: 1 finding",
        "docs/ARCHITECTURE.md: error D202 the app serves GET /api/rooms",
        "  actual: app/routes.py:40:1",
    ]


def test_render_drift_text_lists_ignored_findings_sources_and_summary_after_the_findings() -> None:
    # Act
    out = render_drift(SAMPLE, "text", {DOC: SOURCE})

    # Assert
    assert out.splitlines()[12:] == [
        "1 finding ignored:",
        "  D105 users.legacy: dropped in the Q3 migration (until 2025-09-30)",
        "compared: models (generated.models)",
        "compared: database (postgresql://app@db/app)",
        "skipped: app (not configured)",
        "compared: tests (tests/)",
        "2 errors, 1 warning, 0 infos; 1 ignored",
    ]


def test_render_drift_text_says_no_drift_found_when_report_has_no_findings() -> None:
    # Arrange
    empty = report(sources=(SourceStatus(name="models", state="compared", detail="generated.models"),))

    # Act
    out = render_drift(empty, "text", {})

    # Assert
    assert out == "compared: models (generated.models)\nno drift found\n"


def test_render_drift_text_shows_logical_spec_place_and_counts_ignored_without_expiry() -> None:
    # Arrange
    logical = finding(
        "D303", "tests", "case-9", "test links case-9", Location(logical="case case-9"), Location()
    )
    ignored = IgnoredFinding(finding=ENUM_EXTRA, reason="kept for reports")

    # Act
    out = render_drift(report(findings=(logical,), ignored=(ignored, LEGACY_IGNORED)), "text", {})

    # Assert
    assert out.splitlines() == [
        "tests: 1 finding",
        "case case-9: error D303 test links case-9",
        "2 findings ignored:",
        "  D111 mood: kept for reports",
        "  D105 users.legacy: dropped in the Q3 migration (until 2025-09-30)",
        "1 error, 0 warnings, 0 infos; 2 ignored",
    ]


def test_render_drift_text_escapes_terminal_sequences_from_document_and_code() -> None:
    # Arrange
    hostile = finding(
        "D104",
        "models",
        f"s{TERMINAL}",
        f"m{TERMINAL}",
        Location(file=f"f{TERMINAL}.md", line=1, column=1),
        Location(file=f"a{TERMINAL}.py", line=2),
        hint=f"h{TERMINAL}",
    )
    ignored = IgnoredFinding(finding=hostile, reason=f"r{TERMINAL}", until=f"u{TERMINAL}")
    status = SourceStatus(name="database", state="skipped", detail=f"d{TERMINAL}")
    hostile_report = report(findings=(hostile,), ignored=(ignored,), sources=(status,))

    # Act
    out = render_drift(hostile_report, "text", {f"f{TERMINAL}.md": f"x{TERMINAL}"})

    # Assert
    assert "\x1b" not in out and "\u202e" not in out and "\x9b" not in out and "\x07" not in out
    assert out.splitlines()[1:] == [
        f"f{TERMINAL_SHOWN}.md:1:1: error D104 m{TERMINAL_SHOWN}",
        f" 1 | x{TERMINAL_SHOWN}",
        "   | ^",
        f"  actual: a{TERMINAL_SHOWN}.py:2",
        f"  hint: h{TERMINAL_SHOWN}",
        "1 finding ignored:",
        f"  D104 s{TERMINAL_SHOWN}: r{TERMINAL_SHOWN} (until u{TERMINAL_SHOWN})",
        f"skipped: database (d{TERMINAL_SHOWN})",
        "1 error, 0 warnings, 0 infos; 1 ignored",
    ]


# --- json ---------------------------------------------------------------------------------------------


def test_render_drift_json_is_the_report_with_findings_and_sources_in_report_order() -> None:
    # Act
    data = json.loads(render_drift(SAMPLE, "json", {}))

    # Assert
    assert [f["code"] for f in data["findings"]] == ["D104", "D111", "D202"]
    assert [s["name"] for s in data["sources"]] == ["models", "database", "app", "tests"]
    assert data["findings"][0] == json.loads(COLUMN_MISSING.model_dump_json())
    assert data["ignored"][0]["reason"] == "dropped in the Q3 migration"
    assert data["summary"] == {"errors": 2, "warnings": 1, "infos": 0, "ignored": 1}
    assert DriftReport.model_validate(data).findings[2] == ENDPOINT_EXTRA


def test_render_drift_json_validates_against_the_checked_in_schema() -> None:
    # Arrange
    schema = json.loads((ROOT / DRIFT_SCHEMA_PATH).read_text(encoding="utf-8"))

    # Act
    data = json.loads(render_drift(SAMPLE, "json", {}))

    # Assert
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(data)
    assert schema["$defs"]["Finding"]["required"] == [
        "code",
        "severity",
        "source",
        "subject",
        "message",
        "spec",
        "actual",
    ]


def test_drift_report_schema_file_is_current() -> None:
    # Arrange
    path = ROOT / DRIFT_SCHEMA_PATH

    # Act
    current = path.read_text(encoding="utf-8") if path.is_file() else ""

    # Assert
    assert current == drift_report_schema(), (
        f"{path} is stale; refresh with: .venv/bin/python -m specc.drift.render"
    )


def test_render_main_writes_the_schema_then_check_detects_staleness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    monkeypatch.chdir(tmp_path)

    # Act
    missing = render_main(["--check"])
    written = render_main([])
    fresh = render_main(["--check"])
    (tmp_path / DRIFT_SCHEMA_PATH).write_text("{}\n", encoding="utf-8")
    stale = render_main(["--check"])

    # Assert
    assert (missing, written, fresh, stale) == (1, 0, 0, 1)
    assert "run .venv/bin/python -m specc.drift.render" in capsys.readouterr().err


def test_render_drift_json_escapes_lone_surrogate_from_file_name_and_stays_utf8() -> None:
    # Arrange: a file name read with surrogateescape holds a lone surrogate, which UTF-8 cannot encode
    odd = finding(
        "D104", "models", "t.c", "m\udcff", Location(file="f\udcff.md"), Location(file="a\ud800.py")
    )

    # Act
    out = render_drift(report(findings=(odd,)), "json", {})

    # Assert
    out.encode("utf-8")
    data = json.loads(out)
    assert data["findings"][0]["spec"]["file"] == "f\\udcff.md"
    assert data["findings"][0]["actual"]["file"] == "a\\ud800.py"
    assert data["findings"][0]["message"] == "m\\udcff"


# --- github -------------------------------------------------------------------------------------------


def test_render_drift_github_annotates_the_spec_location_with_actual_location_and_hint() -> None:
    # Act
    out = render_drift(SAMPLE, "github", {})

    # Assert
    assert out.splitlines() == [
        "::error file=docs/ARCHITECTURE.md,line=3,col=3,title=D104::column users.email is missing from the "
        "models%0Aactual: generated/models.py:12 (class User)%0Ahint: run specc build",
        "::warning file=docs/ARCHITECTURE.md,title=D111::enum type mood is not in the spec"
        "%0Aactual: database type mood",
        "::error title=D202::the app serves GET /api/rooms%0Aactual: app/routes.py:40:1",
    ]


def test_render_drift_github_names_logical_spec_place_in_message_when_spec_has_no_file() -> None:
    # Arrange
    logical = finding(
        "D303", "tests", "c-1", "gone", Location(logical="case c-1"), Location(file="t.py", line=3)
    )

    # Act
    out = render_drift(report(findings=(logical,)), "github", {})

    # Assert
    assert out == "::error title=D303::gone%0Aspec: case c-1%0Aactual: t.py:3\n"


def test_render_drift_github_escapes_properties_data_and_terminal_sequences() -> None:
    # Arrange
    hostile = finding(
        "D104",
        "models",
        "x",
        f"100% a\r\nb {TERMINAL}",
        Location(file="dir,x/a:b.md", line=2, column=1),
        Location(),
        severity=Severity.INFO,
    )

    # Act
    out = render_drift(report(findings=(hostile,)), "github", {})

    # Assert
    assert out == (
        f"::notice file=dir%2Cx/a%3Ab.md,line=2,col=1,title=D104::100%25 a%0D%0Ab {TERMINAL_SHOWN}\n"
    )


# --- every format -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_drift_is_byte_identical_whatever_order_the_report_was_built_in(fmt: DriftFormat) -> None:
    # Arrange
    shuffled = report(
        findings=(COLUMN_MISSING, ENDPOINT_EXTRA, ENUM_EXTRA),
        ignored=(LEGACY_IGNORED,),
        sources=tuple(reversed(STATUSES)),
    )

    # Act
    first = render_drift(SAMPLE, fmt, {DOC: SOURCE})
    again = render_drift(SAMPLE, fmt, {DOC: SOURCE})
    other_order = render_drift(shuffled, fmt, {DOC: SOURCE})

    # Assert
    assert first == again == other_order
    assert first.index("D104") < first.index("D111") < first.index("D202")


def test_render_drift_orders_findings_of_one_source_by_subject_then_code() -> None:
    # Arrange
    findings = tuple(
        finding(code, "models", subject, f"{subject} {code}", Location(), Location())
        for subject, code in (("users.b", "D104"), ("orders.a", "D106"), ("users.b", "D101"))
    )

    # Act
    out = render_drift(report(findings=findings), "text", {})

    # Assert
    assert [line.split(": ", 1)[1] for line in out.splitlines()[1:4]] == [
        "error D106 orders.a D106",
        "error D101 users.b D101",
        "error D104 users.b D104",
    ]
