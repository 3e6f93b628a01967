"""Every construct's golden case: the parsed IR and diagnostics equal the expected JSON next to it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.parse.golden import UPDATE, cases, dump, expected_path, parse_case


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
def test_parser_matches_golden_ir_for_case(case: Path) -> None:
    # Arrange
    expected_file = expected_path(case)

    # Act
    actual = parse_case(case)

    # Assert
    if UPDATE:
        expected_file.write_text(dump(actual), encoding="utf-8")
    assert expected_file.exists(), f"no expected file; run SPECC_UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == json.loads(expected_file.read_text(encoding="utf-8"))
