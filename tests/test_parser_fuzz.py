"""Fuzzing the markdown reader: every input gets an answer (a Spec / TestPlan plus diagnostics), never a
traceback, and every diagnostic points inside the document."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc import parse
from specc.diagnostics import Reporter
from specc.ir.model import Spec, TestPlan

FUZZ_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces of the document grammar, in whole and broken form, so random concatenations reach deep into the
# reader (tables, fences, contracts, bodies, constraints) instead of staying in paragraph text.
FRAGMENTS = (
    "\n",
    "\n\n",
    "  ",
    "\t",
    "|",
    " | ",
    "\\|",
    "| Column | Type | Constraints |\n",
    "| --- | --- | --- |\n",
    "| --- |\n",
    "| id | BIGINT | PK, auto-increment |\n",
    "| a | VARCHAR( | FK → |\n",
    "| b | NUMERIC(10, | DEFAULT ( |\n",
    "| c | ENUM('x | CHECK (c > |\n",
    "| Table | Column(s) | Type | Name | Why |\n",
    "| Layer | Technology | Why |\n",
    "| Decision | Choice | Alternatives Considered | Why |\n",
    "```",
    "```json\n",
    "```\n",
    "~~~",
    "# ",
    "## ",
    "### ",
    "#### ",
    "## Database Schema\n",
    "## API Contracts\n",
    "## System Diagram\n",
    "### Relationships\n",
    "### Indexes\n",
    "### users (renamed from",
    "### GET /x/{",
    "### POST /api/{id}/}{\n",
    "### DELETE /\n",
    "- ",
    "  - ",
    "* ",
    "1. ",
    "- **Auth:**",
    "- **Query Parameters:**\n",
    "  - `limit` (integer, default",
    "- **Request Body:**\n",
    "- **Success Response (",
    "- **Success Response (201):** `schemas/",
    "- **Error Responses:**\n",
    "  - 4",
    "  - 999: x\n",
    "- **Check (",
    "- users → ",
    "- a ↔ b: many-to-many through",
    ": one-to-",
    "{",
    "}",
    "[",
    "]",
    '"',
    '{"a": ',
    '[{"b": [',
    "null",
    "1e999",
    "FK → t.",
    "ON DELETE ",
    "**",
    "__",
    "`",
    "<!-- specc: ignore P001 -->",
    "<!--",
    "## Feature: ",
    "### Happy Path\n",
    "### Error Cases\n",
    "\r\n",
    "\x00",
    "\ufeff",
    "→",
    "↔",
    "é",
)

markdownish = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=6), max_size=40).map("".join)
decoded_bytes = st.binary(max_size=300).map(lambda raw: raw.decode("utf-8", errors="replace"))
any_text = st.text(max_size=300)
documents = st.one_of(markdownish, decoded_bytes, any_text)


def _assert_diagnostics_inside(reporter: Reporter, text: str) -> None:
    n_lines = len(re.split(r"\r\n|\r|\n", text))
    for diagnostic in reporter.diagnostics:
        assert 1 <= diagnostic.line <= n_lines + 1, diagnostic
        assert diagnostic.column >= 1, diagnostic


def _parse_spec(text: str) -> tuple[Any, Reporter]:
    reporter = Reporter()
    return parse.parse_spec(text, "ARCHITECTURE.md", reporter), reporter


@FUZZ_SETTINGS
@given(documents)
def test_parse_spec_any_text_returns_spec_without_raising(text: str) -> None:
    # Arrange: the text is the generated document

    # Act
    result, reporter = _parse_spec(text)

    # Assert
    assert isinstance(result.spec, Spec)
    _assert_diagnostics_inside(reporter, text)


@FUZZ_SETTINGS
@given(documents)
def test_parse_testplan_any_text_returns_plan_without_raising(text: str) -> None:
    # Arrange
    reporter = Reporter()

    # Act
    plan = parse.parse_testplan(text, "TESTPLAN.md", reporter)

    # Assert
    assert isinstance(plan, TestPlan)
    _assert_diagnostics_inside(reporter, text)


@FUZZ_SETTINGS
@given(markdownish)
def test_parse_spec_result_serializes_to_ir_json(text: str) -> None:
    # Arrange
    result, _ = _parse_spec(text)

    # Act
    revalidated = Spec.model_validate_json(result.spec.model_dump_json(by_alias=True))

    # Assert
    assert revalidated.model_dump(by_alias=True) == result.spec.model_dump(by_alias=True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "### GET /x/{",
        "### GET /x/{}\n",
        "| a |\n| --- |\n| b | c |\n",
        '## API Contracts\n\n### POST /x\n\n- **Request Body:**\n  ```json\n  {"a": \n  ```\n',
        "## Database Schema\n\n### t\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
        "| id | ENUM( | CHECK ( |\n",
        "```\nunclosed fence",
        "\ufeff# Title\r\n\r\n## System Overview\r\n\r\ntext\r\n",
    ],
)
def test_parse_spec_known_awkward_inputs_return_spec(text: str) -> None:
    # Arrange: the text is the parameter

    # Act
    result, reporter = _parse_spec(text)

    # Assert
    assert isinstance(result.spec, Spec)
    _assert_diagnostics_inside(reporter, text)


def test_parse_spec_lone_carriage_return_line_break_returns_spec() -> None:
    # Arrange
    text = "a\rb"

    # Act
    result, _ = _parse_spec(text)

    # Assert
    assert isinstance(result.spec, Spec)
