"""The code reference documents the drift codes (`specc.drift.codes` is one of the code modules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_codes_markdown_documents_drift_codes_when_only_specc_check_is_imported() -> None:
    # Arrange: a fresh interpreter, where no test has imported specc.drift.codes already
    script = "import sys\nfrom specc.check import codes_markdown\nsys.stdout.write(codes_markdown())\n"

    # Act
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=True
    )

    # Assert
    assert '<a id="D101"></a>\n\n## D101: Table in the spec is missing\n' in done.stdout
    assert "| [D502](#D502) | warning | Ignore rule matches nothing |" in done.stdout
    assert "`D…` codes come from `specc drift`" in done.stdout
