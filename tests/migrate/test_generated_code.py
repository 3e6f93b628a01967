"""Generated migration code is formatted, lint-clean, type-checks and is byte-identical across hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specc.pycode.literals import py_str
from tests.migrate.harness import Project
from tests.migrate.history import history

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RUFF_CONFIG = """\
[tool.ruff]
line-length = 110
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]
ignore = ["RUF001", "RUF002", "RUF003"]
"""


@pytest.fixture(scope="module")
def history_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("history") / "generated"
    project = Project(out)
    for step in history():
        result = project.build(step.spec, allow_destructive=True)
        assert result.errors == [], step.name
    (out / "pyproject.toml").write_text(RUFF_CONFIG)
    return out


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def test_generated_migrations_ruff_check_clean(history_tree: Path) -> None:
    # Arrange
    command = [str(BIN / "ruff"), "check", "migrations"]
    # Act
    result = _run(command, history_tree)
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_migrations_ruff_format_unchanged(history_tree: Path) -> None:
    # Arrange
    command = [str(BIN / "ruff"), "format", "--check", "--diff", "migrations"]
    # Act
    result = _run(command, history_tree)
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_migrations_mypy_strict_clean(history_tree: Path) -> None:
    # Arrange
    files = sorted(str(p.relative_to(history_tree)) for p in (history_tree / "migrations").rglob("*.py"))
    command = [str(BIN / "mypy"), "--strict", "--follow-imports=silent", "--no-incremental", *files]
    # Act
    result = _run(command, history_tree)
    # Assert
    assert len(files) == len(history()) + 1
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_migrations_identical_under_different_hash_seeds(tmp_path: Path) -> None:
    # Arrange
    script = (
        "import sys, json\n"
        "from pathlib import Path\n"
        "from tests.migrate.harness import Project\n"
        "from tests.migrate.history import history\n"
        "out = Path(sys.argv[1])\n"
        "project = Project(out)\n"
        "for step in history():\n"
        "    project.build(step.spec, allow_destructive=True)\n"
    )
    outputs = []
    # Act
    for seed in ("1", "12345"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, env=env, check=True)
        outputs.append(
            {str(p.relative_to(out)): p.read_bytes() for p in sorted((out / "migrations").rglob("*.py"))}
            | {"lock": (out / "specc.lock.json").read_bytes()}
        )
    # Assert
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) == len(history()) + 2


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("plain", '"plain"'),
        ("it's", '"it\'s"'),
        ('say "hi"', "'say \"hi\"'"),
        ("back\\slash", '"back\\\\slash"'),
    ],
)
def test_py_str_quotes_like_ruff_format(text: str, literal: str) -> None:
    # Arrange
    expected_value = text
    # Act
    rendered = py_str(text)
    # Assert
    assert rendered == literal
    assert eval(rendered) == expected_value
