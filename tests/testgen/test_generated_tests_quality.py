"""The generated tests as code: ruff- and mypy --strict-clean as generated, and byte-identical across
builds under two hash seeds."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
TEST_OUTPUT = ("testing/__init__.py", "testing/factories.py", "tests/")


def _build_copy(tmp_path: Path, seed: str) -> dict[str, str]:
    """Build the example into a copy of the project with PYTHONHASHSEED=`seed`; sha256 of each generated
    test file. The example's own tests implement every plan case; in the copy the List Rooms tests link to
    none, so the build also writes the pending file of plan stubs."""
    project = tmp_path / f"project-{seed}"
    shutil.copytree(
        ROOT / "docs" / "example", project / "docs" / "example", ignore=shutil.ignore_patterns("__pycache__")
    )
    unlinked = project / "docs" / "example" / "tests" / "test_list_rooms.py"
    lines = unlinked.read_text(encoding="utf-8").splitlines(keepends=True)
    unlinked.write_text("".join(line for line in lines if not line.startswith("@pytest.mark.spec(")), "utf-8")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    env = {**os.environ, "PYTHONHASHSEED": seed}
    result = subprocess.run(
        [str(VENV_BIN / "specc"), "build"], cwd=project, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    out = project / "generated"
    return {
        path.relative_to(out).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(out.rglob("*.py"))
        if path.relative_to(out).as_posix().startswith(TEST_OUTPUT)
    }


def test_generated_tests_are_identical_under_two_hash_seeds(tmp_path: Path) -> None:
    # Arrange / Act
    first = _build_copy(tmp_path, "1")
    second = _build_copy(tmp_path, "4242")

    # Assert
    assert len(first) == 7
    assert "tests/test_plan_pending.py" in first
    assert first == second


def test_generated_tests_pass_ruff_and_mypy_strict(tmp_path: Path) -> None:
    # Arrange: the example's generated tests as committed (tests/test_example.py keeps them current)
    files = [
        ROOT / "generated" / "testing" / "__init__.py",
        ROOT / "generated" / "testing" / "factories.py",
        *sorted((ROOT / "generated" / "tests").glob("*.py")),
    ]

    # Act
    ruff = subprocess.run(
        [str(VENV_BIN / "ruff"), "check", "--no-cache", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    fmt = subprocess.run(
        [str(VENV_BIN / "ruff"), "format", "--check", "--no-cache", *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    mypy = subprocess.run(
        [
            str(VENV_BIN / "mypy"),
            "--strict",
            "--explicit-package-bases",
            "--cache-dir",
            str(tmp_path / "mypy"),
            *map(str, files),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )

    # Assert
    assert ruff.returncode == 0, ruff.stdout
    assert fmt.returncode == 0, fmt.stdout
    assert mypy.returncode == 0, mypy.stdout
