"""Long lines of a revision file: marked `noqa: E501` exactly where ruff's E501 would report them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from specc.diff.changes import RenameTable
from specc.migrate.revision import render_revision

RUFF = Path(sys.executable).parent / "ruff"
RULES = "--select=E,F,W,I,UP,B,SIM,RUF"


def test_render_revision_leaves_noqa_off_when_long_line_is_one_word(tmp_path: Path) -> None:
    # Arrange: the split call puts the 90-character name alone on its line, which E501 never reports
    change = RenameTable(old_name="t" * 90, new_name="short")

    # Act
    text = render_revision("0002_rename", "0001_initial", [change], "spec.md", number=2, width=79)

    # Assert
    name_lines = [line for line in text.split("\n") if '"' + "t" * 90 + '"' in line]
    assert name_lines == ["        " + '"' + "t" * 90 + '",'] * 2
    path = tmp_path / "revision.py"
    path.write_text(text)
    lint = subprocess.run(
        [str(RUFF), "check", "--isolated", RULES, "--line-length=79", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
