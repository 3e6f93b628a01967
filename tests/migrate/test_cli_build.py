"""`specc build` on a markdown spec: migration errors become diagnostics and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE_SPEC

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION_ROW = "| description | VARCHAR(500) |                                                   |\n"


def _specc(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "specc.cli", *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _project(tmp_path: Path) -> Path:
    spec = tmp_path / "ARCHITECTURE.md"
    spec.write_text(EXAMPLE_SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    first = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated")
    assert first.returncode == 0, first.stdout + first.stderr
    return spec


def test_cli_build_edited_revision_reports_m001_and_exits_1(tmp_path: Path) -> None:
    # Arrange
    _project(tmp_path)
    revision = tmp_path / "generated/migrations/versions/0001_initial.py"
    revision.write_text(
        revision.read_text().replace("def downgrade() -> None:\n", "def downgrade() -> None:\n    pass\n")
    )
    # Act
    build = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated")
    check = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated", "--check")
    # Assert
    assert build.returncode == 1
    assert check.returncode == 1
    assert "M001" in build.stdout + build.stderr
    assert "0001_initial was edited after specc wrote it" in build.stdout + build.stderr
    assert "M001" in check.stdout + check.stderr


def test_cli_build_dropped_column_without_flag_reports_m010_and_exits_1(tmp_path: Path) -> None:
    # Arrange
    spec = _project(tmp_path)
    text = spec.read_text(encoding="utf-8")
    assert DESCRIPTION_ROW in text
    spec.write_text(text.replace(DESCRIPTION_ROW, ""), encoding="utf-8")
    # Act
    refused = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated")
    allowed = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated", "--allow-destructive")
    # Assert
    assert refused.returncode == 1
    assert "M010" in refused.stdout + refused.stderr
    assert "rooms.description" in refused.stdout + refused.stderr
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    assert (tmp_path / "generated/migrations/versions/0002_drop_rooms_description.py").is_file()


def test_cli_build_renamed_column_hint_writes_rename_revision(tmp_path: Path) -> None:
    # Arrange
    spec = _project(tmp_path)
    text = spec.read_text(encoding="utf-8")
    renamed = DESCRIPTION_ROW.replace("| description |", "| summary     |").replace(
        "|                                                   |",
        "| renamed from description                          |",
    )
    spec.write_text(text.replace(DESCRIPTION_ROW, renamed), encoding="utf-8")
    # Act
    result = _specc(tmp_path, "build", "ARCHITECTURE.md", "--out", "generated")
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr
    revision = tmp_path / "generated/migrations/versions/0002_rename_rooms_description.py"
    text = revision.read_text()
    assert '        "rooms",\n        "description",\n        new_column_name="summary",\n' in text
    assert "op.drop_column" not in text
    assert "op.add_column" not in text
