"""The repository eats its own cooking: the example spec is clean, and generated/ is its current output."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from specc.build import build
from specc.cli import main
from specc.config import load_config
from tests.conftest import EXAMPLE_SPEC, EXAMPLE_TESTPLAN, ROOT


def test_example_spec_is_clean_under_strict_check(capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    os.chdir(ROOT)

    # Act
    code = main(["check", str(EXAMPLE_SPEC), "--testplan", str(EXAMPLE_TESTPLAN), "--strict"])

    # Assert
    assert code == 0, capsys.readouterr().out


def test_generated_folder_is_current_output_of_example(capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    config = load_config(ROOT)
    out = ROOT / config.out

    # Act
    result = build(EXAMPLE_SPEC, EXAMPLE_TESTPLAN, out, config, check=True)

    # Assert
    assert result.exit_code == 0, "generated/ is stale; run `specc build`\n" + capsys.readouterr().out


def test_default_spec_in_pyproject_is_the_example() -> None:
    # Act
    config = load_config(ROOT)

    # Assert
    assert Path(config.root / config.spec) == EXAMPLE_SPEC
    assert config.testplan is not None and Path(config.root / config.testplan) == EXAMPLE_TESTPLAN
