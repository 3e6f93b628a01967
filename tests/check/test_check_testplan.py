"""TESTPLAN.md against the spec: cases name endpoints that exist (R019) and expect statuses their endpoints
document (R020), each reported where the case says it; features link to the endpoints their cases name."""

from __future__ import annotations

from pathlib import Path

from specc.config import Config
from specc.diagnostics import Diagnostic
from specc.frontend import load
from tests.conftest import EXAMPLE_SPEC, EXAMPLE_TESTPLAN

SPEC = """\
# Rooms

## API Contracts

### GET /api/rooms/{room_id}

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1 }
  ```
- **Error Responses:**
  - 401: Not authenticated
  - 404: Room not found

### POST /api/rooms/{room_id}/join

- **Auth:** Required
- **Success Response (201):**
  ```json
  { "room_id": 1 }
  ```
- **Error Responses:**
  - 401: Not authenticated
  - 409: Already a member
"""

PLAN = """\
# Test Plan

## Feature: Join Room

### Happy Path

- POST /api/rooms/42/join returns 201 and the membership
- The room then appears in GET /api/rooms/{id}

### Error Cases

- Returns 409 when already a member
- Returns 410 when the room was archived
- POST /api/rooms/{room_id}/enter returns 201
"""


def _check(tmp_path: Path, plan: str) -> tuple[list[Diagnostic], tuple[str, ...]]:
    (tmp_path / "ARCHITECTURE.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "TESTPLAN.md").write_text(plan, encoding="utf-8")
    front = load(tmp_path / "ARCHITECTURE.md", tmp_path / "TESTPLAN.md", Config(root=tmp_path))
    assert front.spec.test_plan is not None
    features = front.spec.test_plan.features
    found = [d for d in front.diagnostics if d.code in ("R019", "R020")]
    return found, features[0].endpoints if features else ()


def test_testplan_feature_links_endpoints_its_cases_name_in_order(tmp_path: Path) -> None:
    # Arrange / Act
    _, endpoints = _check(tmp_path, PLAN)
    # Assert
    assert endpoints == ("POST /api/rooms/{room_id}/join", "GET /api/rooms/{room_id}")


def test_testplan_unknown_endpoint_reports_r019_at_the_mention(tmp_path: Path) -> None:
    # Arrange / Act
    found, _ = _check(tmp_path, PLAN)
    # Assert
    unknown = [(d.file, d.line, d.column, d.message) for d in found if d.code == "R019"]
    assert unknown == [
        (
            "TESTPLAN.md",
            14,
            3,
            "test case of feature 'Join Room' names POST /api/rooms/{room_id}/enter, which no API "
            "contract of the spec describes",
        )
    ]


def test_testplan_undocumented_status_reports_r020_at_the_status(tmp_path: Path) -> None:
    # Arrange / Act
    found, _ = _check(tmp_path, PLAN)
    # Assert
    undocumented = [(d.line, d.column, d.severity.value, d.message) for d in found if d.code == "R020"]
    assert undocumented == [
        (
            13,
            11,
            "error",
            "test case of feature 'Join Room' expects 410, which POST /api/rooms/{room_id}/join, "
            "GET /api/rooms/{room_id} do not document",
        )
    ]


def test_testplan_status_422_counts_as_documented_when_endpoint_has_path_parameters(tmp_path: Path) -> None:
    # Arrange
    plan = "# Test Plan\n\n## Feature: Get Room\n\n### Error Cases\n\n- GET /api/rooms/abc returns 422\n"
    # Act
    found, endpoints = _check(tmp_path, plan)
    # Assert
    assert (found, endpoints) == ([], ("GET /api/rooms/{room_id}",))


def test_testplan_statuses_unchecked_when_feature_names_no_endpoint(tmp_path: Path) -> None:
    # Arrange
    plan = "# Test Plan\n\n## Feature: Misc\n\n### Error Cases\n\n- Returns 418 when the kettle is a teapot\n"
    # Act
    found, endpoints = _check(tmp_path, plan)
    # Assert
    assert (found, endpoints) == ([], ())


def test_testplan_example_links_every_feature_without_findings() -> None:
    # Arrange
    config = Config(root=EXAMPLE_SPEC.parents[2])
    # Act
    front = load(EXAMPLE_SPEC, EXAMPLE_TESTPLAN, config)
    # Assert
    assert front.spec.test_plan is not None
    features = {f.name: f.endpoints for f in front.spec.test_plan.features}
    assert [d for d in front.diagnostics if d.code in ("R019", "R020")] == []
    assert all(features.values())
    assert features["Join Room"] == ("POST /api/rooms/{room_id}/join", "GET /api/rooms")


# --- L020 / L021: what the plan covers ------------------------------------------------------------------


def _lint(tmp_path: Path, plan: str) -> list[tuple[str, int, str]]:
    (tmp_path / "ARCHITECTURE.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "TESTPLAN.md").write_text(plan, encoding="utf-8")
    front = load(tmp_path / "ARCHITECTURE.md", tmp_path / "TESTPLAN.md", Config(root=tmp_path))
    return [(d.code, d.line, d.message) for d in front.diagnostics if d.code in ("L020", "L021")]


def test_lint_testplan_feature_without_edge_cases_warns_l020_at_its_heading(tmp_path: Path) -> None:
    # Arrange: PLAN's feature has happy-path and error cases but no edge cases
    # Act
    found = _lint(tmp_path, PLAN)
    # Assert
    assert ("L020", 3, "feature 'Join Room' has no edge cases") in found


def test_lint_testplan_feature_with_every_category_reports_no_l020(tmp_path: Path) -> None:
    # Arrange
    plan = PLAN + "\n### Edge Cases\n\n- Joining a room twice at once makes one membership\n"
    # Act
    found = _lint(tmp_path, plan)
    # Assert
    assert [f for f in found if f[0] == "L020"] == []


def test_lint_testplan_endpoint_no_case_names_is_l021_at_its_contract(tmp_path: Path) -> None:
    # Arrange: the plan names only the join endpoint
    plan = "# Test Plan\n\n## Feature: Join\n\n### Error Cases\n\n- POST /api/rooms/1/join returns 409\n"
    # Act
    found = _lint(tmp_path, plan)
    # Assert
    assert ("L021", 5, "no test case names GET /api/rooms/{room_id}") in found
    assert not any("POST /api/rooms/{room_id}/join" in message for _, _, message in found)
