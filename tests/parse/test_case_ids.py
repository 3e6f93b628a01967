"""Explicit test-case ids (`{#id}` at the end of a case): stable across text edits, checked for clashes."""

from __future__ import annotations

from specc.diagnostics import Reporter
from specc.emit.markdown import render_testplan
from specc.parse import parse_testplan

PLAN = """# Test Plan

## Feature: Create Room

### Error Cases

- Returns 422 if room name exceeds 100 characters {#room-name-too-long}
- Returns 401 if no auth token provided
"""


def _ids(text: str) -> tuple[list[str], list[tuple[str, int, int]]]:
    reporter = Reporter()
    plan = parse_testplan(text, "TESTPLAN.md", reporter)
    ids = [case.id for feature in plan.features for case in feature.cases]
    return ids, [(d.code, d.line, d.column) for d in reporter.sorted()]


def test_parse_testplan_explicit_id_is_the_case_id_and_leaves_the_text() -> None:
    # Act
    plan = parse_testplan(PLAN, "TESTPLAN.md", Reporter())
    # Assert
    first, second = plan.features[0].cases
    assert (first.id, first.text) == ("room-name-too-long", "Returns 422 if room name exceeds 100 characters")
    assert second.id == "create-room/error/returns-401-if-no-auth-token-provided"


def test_parse_testplan_explicit_id_survives_an_edit_of_the_case_text() -> None:
    # Arrange
    edited = PLAN.replace("exceeds 100 characters", "is longer than 100 characters")
    # Act
    before, _ = _ids(PLAN)
    after, _ = _ids(edited)
    # Assert: the explicit id stays; the derived one of an edited case would not
    assert before[0] == after[0] == "room-name-too-long"


def test_parse_testplan_id_used_twice_reports_p042_and_keeps_the_first() -> None:
    # Arrange
    text = PLAN.replace("provided", "provided {#room-name-too-long}")
    # Act
    ids, found = _ids(text)
    # Assert
    assert ids[0] == "room-name-too-long"
    assert ids[1].startswith("create-room/error/returns-401-if-no-auth-token-provided")
    assert found == [("P042", 8, 41)]


def test_parse_testplan_malformed_id_reports_p042_and_derives_one() -> None:
    # Arrange: a `/` would let an explicit id take a derived one's place
    text = PLAN.replace("{#room-name-too-long}", "{#create-room/error/x}")
    # Act
    ids, found = _ids(text)
    # Assert
    assert ids[0].startswith("create-room/error/returns-422-if-room-name-exceeds-100-characters")
    assert [code for code, _, _ in found] == ["P042"]


def test_render_testplan_writes_explicit_ids_back_and_reads_the_same_ids() -> None:
    # Arrange
    plan = parse_testplan(PLAN, "TESTPLAN.md", Reporter())
    # Act
    written = render_testplan(plan)
    again = parse_testplan(written, "TESTPLAN.md", Reporter())
    # Assert
    assert "- Returns 422 if room name exceeds 100 characters {#room-name-too-long}" in written
    assert [c.id for c in again.features[0].cases] == [c.id for c in plan.features[0].cases]
