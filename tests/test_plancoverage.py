"""Plan coverage (`specc coverage`): which TESTPLAN.md cases a tests folder implements, read from syntax
trees without running a line of the tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from specc.cli import main
from specc.diagnostics import Reporter
from specc.ir.model import TestPlan
from specc.parse import parse_testplan
from specc.plancoverage import SCHEMA_PATH, coverage_report, coverage_schema, coverage_text, plan_coverage

ROOT = Path(__file__).resolve().parent.parent

PLAN = """# Test Plan

## Feature: Create Room

### Error Cases

- Returns 401 if no auth token provided {#create-room-401}
- Returns 422 if room name exceeds 100 characters {#room-name-too-long}

### Edge Cases

- Room name with unicode characters works {#room-name-unicode}
- Two rooms with the same name are allowed
"""

TESTS = '''
import pytest

@pytest.mark.spec("create-room-401")
async def test_create_room_returns_401_without_token():
    assert 1 + 1 == 2

@pytest.mark.spec("room-name-too-long")
def test_create_room_returns_422_when_name_is_too_long():
    """Returns 422 if room name exceeds 100 characters."""
    pytest.fail("not implemented")

@pytest.mark.spec("room-name-unicod")
class TestUnicode:
    def test_emoji(self):
        raise NotImplementedError
'''


def _plan() -> TestPlan:
    return parse_testplan(PLAN, "TESTPLAN.md", Reporter())


def test_plan_coverage_classifies_implemented_stub_and_missing_cases(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "test_rooms.py").write_text(TESTS, encoding="utf-8")
    # Act
    coverage = plan_coverage(_plan(), tmp_path)
    # Assert
    assert [(c.id, c.state) for c in coverage.cases] == [
        ("create-room-401", "implemented"),
        ("room-name-too-long", "stub"),
        ("room-name-unicode", "missing"),
        ("create-room/edge/two-rooms-with-the-same-name-are-allowed", "missing"),
    ]
    assert [(t.file, t.line, t.name) for t in coverage.cases[0].tests] == [
        ("test_rooms.py", 5, "test_create_room_returns_401_without_token")
    ]


def test_plan_coverage_link_to_a_vanished_id_names_the_likely_rename(tmp_path: Path) -> None:
    # Arrange: the class links `room-name-unicod`, a typo of an id the plan has
    (tmp_path / "test_rooms.py").write_text(TESTS, encoding="utf-8")
    # Act
    coverage = plan_coverage(_plan(), tmp_path)
    # Assert
    assert [(v.test.name, v.test.case_id, v.likely) for v in coverage.vanished] == [
        ("TestUnicode::test_emoji", "room-name-unicod", "room-name-unicode")
    ]
    assert "likely renamed to room-name-unicode" in coverage_text(coverage)


def test_plan_coverage_reworded_case_with_derived_id_is_found_by_text(tmp_path: Path) -> None:
    # Arrange: a test linked to the derived id of the case before it was reworded
    old = "create-room/edge/two-rooms-with-the-same-name-are-fine"
    (tmp_path / "test_x.py").write_text(
        f'import pytest\n@pytest.mark.spec("{old}")\ndef test_a():\n    pass\n'
    )
    # Act
    coverage = plan_coverage(_plan(), tmp_path)
    # Assert
    assert [v.likely for v in coverage.vanished] == [
        "create-room/edge/two-rooms-with-the-same-name-are-allowed"
    ]


def test_plan_coverage_never_runs_test_code_and_lists_unreadable_files(tmp_path: Path) -> None:
    # Arrange: importing this file would create a marker file; the other does not parse
    marker = tmp_path / "ran"
    (tmp_path / "test_side_effect.py").write_text(f"open({str(marker)!r}, 'w').close()\n", encoding="utf-8")
    (tmp_path / "test_broken.py").write_text("def test_(:\n", encoding="utf-8")
    # Act
    coverage = plan_coverage(_plan(), tmp_path)
    # Assert
    assert not marker.exists()
    assert coverage.unreadable == ("test_broken.py",)
    assert coverage.files_read == 2


def test_coverage_report_validates_against_the_checked_in_schema(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "test_rooms.py").write_text(TESTS, encoding="utf-8")
    schema = json.loads((ROOT / SCHEMA_PATH).read_text(encoding="utf-8"))
    # Act
    report = json.loads(coverage_report(plan_coverage(_plan(), tmp_path)).model_dump_json())
    # Assert
    jsonschema.validate(report, schema)
    assert report["summary"] == {
        "cases": 4,
        "implemented": 1,
        "stub": 1,
        "missing": 2,
        "vanished_links": 1,
        "files_read": 1,
    }
    assert (ROOT / SCHEMA_PATH).read_text(encoding="utf-8") == coverage_schema()


def test_cli_coverage_exits_1_on_a_vanished_link_and_0_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec = tmp_path / "ARCHITECTURE.md"
    spec.write_text("# App\n\n## Overview\n\nRooms.\n", encoding="utf-8")
    (tmp_path / "TESTPLAN.md").write_text(PLAN, encoding="utf-8")
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "test_rooms.py").write_text(TESTS, encoding="utf-8")
    command = ["coverage", str(spec), "--tests", str(tests)]
    # Act
    broken = main(command)
    capsys.readouterr()
    (tests / "test_rooms.py").write_text(TESTS.replace('unicod"', 'unicode"'), encoding="utf-8")
    fixed = main(command)
    out = capsys.readouterr().out
    # Assert
    assert (broken, fixed) == (1, 0)
    assert out.splitlines()[-1] == (
        "4 cases: 1 implemented, 2 stub, 1 missing; 0 link(s) to vanished cases; 1 test file(s) read"
    )


def test_plan_coverage_example_create_room_cases_are_implemented_by_the_reference_app_tests() -> None:
    # Arrange: the example's Create Room cases carry explicit ids its own tests link to
    text = (ROOT / "docs/example/TESTPLAN.md").read_text(encoding="utf-8")
    plan = parse_testplan(text, "docs/example/TESTPLAN.md", Reporter())
    # Act
    coverage = plan_coverage(plan, ROOT / "docs/example/tests")
    # Assert: the performance case included (create-room-fast)
    create_room = {c.id: c.state for c in coverage.cases if c.feature == "Create Room"}
    assert len(create_room) == 13
    assert create_room["create-room-fast"] == "implemented"
    assert [i for i, state in create_room.items() if state != "implemented"] == []
    assert coverage.vanished == () and coverage.unreadable == ()


def test_coverage_command_counts_the_reference_tests_and_the_generated_ones_for_the_example() -> None:
    # Arrange: the example's tests folder (docs/example/tests) and its generated tests (generated/tests)
    command = [str(Path(sys.executable).with_name("specc")), "coverage", "--format", "json"]

    # Act
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    # Assert: the reference tests implement every case (no pending stub is left); the generated contract
    # tests are read too and link to the cases they answer
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    summary = report["summary"]
    assert (summary["implemented"], summary["stub"], summary["missing"]) == (171, 0, 0)
    generated = {t["file"] for c in report["cases"] for t in c["tests"] if t["file"].startswith("generated/")}
    assert generated == {
        "generated/tests/test_contracts_auth.py",
        "generated/tests/test_contracts_messages.py",
        "generated/tests/test_contracts_rooms.py",
    }
    by_reference_tests = {
        c["id"]
        for c in report["cases"]
        for t in c["tests"]
        if not t["file"].startswith("generated/") and not t["stub"]
    }
    assert len(by_reference_tests) == 171
