"""`specc drift` as a command: environment errors, the tests and generated sources, ignore rules and
severities, `--all`, and the exit codes."""

from __future__ import annotations

import datetime
import shutil
import textwrap
from pathlib import Path

import pytest

from specc.cli import main
from tests.drift.pgfake import password_rejecting_server
from tests.drift.support import PLAN, ROOT, SPEC, brief, example_database, run_drift, spec_line

PASSWORD = "s3cr3t-Pa55word"


def _project(tmp_path: Path, drift: str = "", plan: str | None = None, extra: str = "") -> Path:
    """A project in tmp_path: the example's document and plan, `[tool.specc.drift]` as given."""
    shutil.copy(SPEC, tmp_path / "ARCHITECTURE.md")
    (tmp_path / "TESTPLAN.md").write_text(plan if plan is not None else PLAN.read_text("utf-8"), "utf-8")
    (tmp_path / "tests").mkdir()
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            """\
            [tool.specc]
            spec = "ARCHITECTURE.md"
            testplan = "TESTPLAN.md"
            """
        )
        + extra
        + "\n[tool.specc.drift]\n"
        + textwrap.dedent(drift),
        encoding="utf-8",
    )
    return tmp_path


def _error_run(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    source = "models" if "--models" in args else "database"
    code, report, err = run_drift([*args, "--only", source], capsys, monkeypatch)
    assert (code, report) == (2, {})
    return err


# --- environment errors -------------------------------------------------------------------------------


def test_drift_malformed_database_url_exits_2_with_one_line_and_no_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act
    err = _error_run(
        ["--database-url", f"postgresql://app:{PASSWORD}@127.0.0.1:notaport/x"], capsys, monkeypatch
    )
    # Assert
    assert err.count("\n") == 1 and err.startswith("specc drift: --database-url: malformed database URL")
    assert PASSWORD not in err and "***" in err


def test_drift_unreachable_database_exits_2_with_one_line_and_no_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act: nothing listens on port 1
    err = _error_run(["--database-url", f"postgresql://app:{PASSWORD}@127.0.0.1:1/app"], capsys, monkeypatch)
    # Assert
    assert err.count("\n") == 1
    assert err.startswith("specc drift: cannot read the database at postgresql://app:***@127.0.0.1:1/app: ")
    assert PASSWORD not in err


def test_drift_wrong_password_exits_2_with_the_server_s_reason_and_no_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a server that asks for the password and rejects it, as PostgreSQL does
    with password_rejecting_server() as (port, received):
        # Act
        err = _error_run(
            ["--database-url", f"postgresql://app:{PASSWORD}@127.0.0.1:{port}/app"], capsys, monkeypatch
        )
    # Assert: the driver really sent the password, and no line shows it
    assert any(PASSWORD.encode() in message for message in received)
    assert err.count("\n") == 1
    assert 'password authentication failed for user "app"' in err
    assert PASSWORD not in err


def test_drift_non_postgresql_url_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act
    err = _error_run(["--database-url", f"mysql://root:{PASSWORD}@127.0.0.1/x"], capsys, monkeypatch)
    # Assert
    assert "is not PostgreSQL" in err and err.count("\n") == 1 and PASSWORD not in err


def test_drift_missing_schema_exits_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database() as url:
        # Act
        err = _error_run(["--database-url", url, "--schema", "nope"], capsys, monkeypatch)
    # Assert
    assert err == "specc drift: the database has no schema 'nope'\n"


def test_drift_models_import_error_shows_the_users_traceback_not_specc_s(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    package = tmp_path / "broken_models_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("import os\nfrom .inner import Base\n", encoding="utf-8")
    (package / "inner.py").write_text("import not_installed_anywhere\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    # Act
    err = _error_run(["--models", "broken_models_pkg"], capsys, monkeypatch)
    # Assert
    first, *rest = err.splitlines()
    assert first.startswith(
        "specc drift: cannot import the models broken_models_pkg: ModuleNotFoundError: No module named "
        "'not_installed_anywhere' ("
    )
    assert first.endswith("broken_models_pkg/inner.py:1)")
    assert "Traceback of your code" in rest[0]
    assert any("inner.py" in line for line in rest)
    assert not any("/specc/" in line for line in rest)


def test_drift_models_module_without_models_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    (tmp_path / "no_models_here.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    # Act
    err = _error_run(["--models", "no_models_here"], capsys, monkeypatch)
    # Assert
    assert err.startswith("specc drift: models: module no_models_here defines no SQLAlchemy models")
    assert err.count("\n") == 1


def test_drift_all_refuses_to_run_with_a_source_not_configured(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act
    code, report, err = run_drift(["--all", "--models", "generated.models"], capsys, monkeypatch)
    # Assert
    assert (code, report) == (2, {})
    assert err.startswith("specc: error: --all: every source must be configured; skipped database: ")


# --- tests source -------------------------------------------------------------------------------------


def test_drift_tests_reports_a_plan_case_with_no_test_at_its_plan_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a new case in the plan; the reference tests and generated tests are read
    case = "- Room names are trimmed before saving {#create-room-trimmed}"
    anchor = "- Creating room immediately after deleting one with same name works {#create-room-name-reused}"
    plan = PLAN.read_text("utf-8")
    assert plan.count(anchor) == 1
    project = _project(tmp_path, plan=plan.replace(anchor, anchor + "\n" + case))
    args = [
        "--tests",
        str(ROOT / "docs/example/tests"),
        "--out",
        str(ROOT / "generated"),
        "--skip",
        "generated",
    ]
    # Act
    code, report, err = run_drift(args, capsys, monkeypatch, cwd=project)
    # Assert
    assert code == 1, err
    assert brief(report) == [("D301", "tests", "create-room-trimmed")]
    finding = report["findings"][0]
    assert finding["spec"] == {
        "file": "TESTPLAN.md",
        "line": spec_line(case, project / "TESTPLAN.md"),
        "column": 1,
        "logical": None,
    }
    assert finding["actual"]["logical"] == "no test links to it"
    assert '@pytest.mark.spec("create-room-trimmed")' in finding["hint"]


def test_drift_tests_reports_a_test_linked_to_a_deleted_case_at_the_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the plan loses a case the reference tests link to
    case = "{#create-room-listed}"
    plan = PLAN.read_text("utf-8")
    lines = [line for line in plan.splitlines() if case in line]
    assert len(lines) == 1
    project = _project(tmp_path, plan=plan.replace(lines[0] + "\n", ""))
    tests = ROOT / "docs/example/tests"
    args = ["--tests", str(tests), "--out", str(ROOT / "generated"), "--skip", "generated"]
    # Act
    code, report, err = run_drift(args, capsys, monkeypatch, cwd=project)
    # Assert
    assert code == 1, err
    assert [(f["code"], f["source"]) for f in report["findings"]] == [("D303", "tests")]
    finding = report["findings"][0]
    test_file = tests / "test_create_room.py"
    marker = [
        n
        for n, line in enumerate(test_file.read_text("utf-8").splitlines(), 1)
        if "create-room-listed" in line
    ]
    assert finding["actual"]["file"].endswith("docs/example/tests/test_create_room.py")
    assert finding["actual"]["line"] in (marker[0], marker[0] + 1)
    assert finding["actual"]["logical"].startswith("test_")
    assert "links to case create-room-listed, which the plan no longer has" in finding["message"]
    assert finding["spec"]["file"] == "TESTPLAN.md"


# --- generated source ---------------------------------------------------------------------------------


def test_drift_generated_reports_stale_output_and_nothing_once_rebuilt(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a project built once, then its document changed
    project = _project(tmp_path, extra="generate_tests = false\n")
    monkeypatch.chdir(project)
    assert main(["build"]) == 0
    clean_code, clean, _ = run_drift(["--skip", "tests"], capsys, monkeypatch, cwd=project)
    spec = project / "ARCHITECTURE.md"
    spec.write_text(spec.read_text("utf-8").replace("VARCHAR(500)", "VARCHAR(600)"), "utf-8")
    # Act
    code, report, err = run_drift(["--skip", "tests"], capsys, monkeypatch, cwd=project)
    # Assert
    assert (clean_code, clean["findings"]) == (0, [])
    assert code == 1, err
    assert brief(report) == [("D401", "generated", "generated")]
    finding = report["findings"][0]
    assert "generated/models/rooms.py" in finding["message"]
    assert finding["hint"] == "run `specc build` and commit the result"


# --- ignore rules and severities ----------------------------------------------------------------------


_DEFAULT_CHANGED = "ALTER TABLE rooms ALTER COLUMN is_private SET DEFAULT true"


def _rule(until: str = "") -> str:
    rule = [
        "[[tool.specc.drift.ignore]]",
        'code = "D108"',
        'source = "database"',
        'subject = "rooms.*"',
        'reason = "set by the DBA until the next release"',
    ]
    return "\n".join([*rule, *([f'until = "{until}"'] if until else [])]) + "\n"


def test_drift_ignore_rule_hides_its_finding_and_keeps_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _project(tmp_path, drift=_rule(until="2999-01-01"))
    with example_database(_DEFAULT_CHANGED) as url:
        # Act
        code, report, err = run_drift(
            ["--database-url", url, "--skip", "tests"], capsys, monkeypatch, project
        )
    # Assert
    assert code == 0, err
    assert report["findings"] == []
    assert [(i["finding"]["code"], i["reason"], i["until"]) for i in report["ignored"]] == [
        ("D108", "set by the DBA until the next release", "2999-01-01")
    ]
    assert report["summary"]["ignored"] == 1


def test_drift_expired_ignore_rule_stops_hiding_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    project = _project(tmp_path, drift=_rule(until=yesterday))
    with example_database(_DEFAULT_CHANGED) as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, "--skip", "tests"], capsys, monkeypatch, project)
    # Assert
    assert code == 1
    assert sorted(f["code"] for f in report["findings"]) == ["D108", "D501"]
    expired = next(f for f in report["findings"] if f["code"] == "D501")
    assert f"expired on {yesterday}" in expired["message"] and "would hide findings" in expired["message"]
    header = spec_line("[[tool.specc.drift.ignore]]", project / "pyproject.toml")
    assert (expired["spec"]["file"], expired["spec"]["line"]) == ("pyproject.toml", header)
    assert report["ignored"] == []


def test_drift_ignore_rule_that_hides_nothing_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _project(tmp_path, drift=_rule())
    with example_database() as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, "--skip", "tests"], capsys, monkeypatch, project)
    # Assert: a warning, which fails only with --fail-on warning
    assert code == 0
    assert brief(report) == [("D502", "config", "ignore rule 1 D108 rooms.*")]


def test_drift_severity_override_decides_the_exit_code_with_fail_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _project(tmp_path, extra='\n[tool.specc.severity]\nD108 = "warning"\n')
    with example_database(_DEFAULT_CHANGED) as url:
        args = ["--database-url", url, "--skip", "tests"]
        # Act
        on_error, report, _ = run_drift(args, capsys, monkeypatch, project)
        on_warning, _, _ = run_drift([*args, "--fail-on", "warning"], capsys, monkeypatch, project)
    # Assert
    assert [(f["code"], f["severity"]) for f in report["findings"]] == [("D108", "warning")]
    assert (on_error, on_warning) == (0, 1)


def test_drift_ignore_rule_without_reason_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _project(tmp_path, drift='[[tool.specc.drift.ignore]]\ncode = "D108"\n')
    # Act
    code, report, err = run_drift(["--skip", "tests"], capsys, monkeypatch, project)
    # Assert
    assert (code, report) == (2, {})
    assert "ignore rule 1: a reason is required" in err


def test_drift_skipped_sources_are_named_in_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = _project(tmp_path)
    # Act
    code, report, _ = run_drift(["--skip", "tests"], capsys, monkeypatch, project)
    # Assert
    states = {s["name"]: (s["state"], s["detail"]) for s in report["sources"]}
    assert code == 0
    assert states["models"] == ("skipped", "not configured (--models or [tool.specc.drift] models)")
    assert states["tests"] == ("skipped", "skipped on request (--skip)")
    assert states["generated"][0] == "skipped"


def test_drift_cli_source_choices_are_the_report_s_sources() -> None:
    # Arrange
    from specc.cli import DRIFT_SOURCES
    from specc.drift.model import SOURCES

    # Act / Assert: --only and --skip offer exactly the sources a report names
    assert list(SOURCES) == DRIFT_SOURCES
