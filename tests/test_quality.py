"""The project's own quality gates run inside the suite: ruff and mypy --strict on specc/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_is_clean() -> None:
    # Act
    result = _run("ruff", "check", ".")

    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_check_is_clean() -> None:
    # Act
    result = _run("ruff", "format", "--check", ".")

    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_on_specc_is_clean() -> None:
    # Act
    result = _run("mypy", "--strict", "specc")

    # Assert
    assert result.returncode == 0, result.stdout + result.stderr
