"""The reference app type-checks under `mypy --strict` with the repository's configuration.

It imports generated modules for everything the document says, so a change of the generated API that
breaks an app shows up here. (ruff checks docs/example with the rest of the repository.)
"""

import subprocess
import sys

from chatter_support import ROOT


def test_app_passes_mypy_strict_against_the_generated_package() -> None:
    # Arrange
    command = [sys.executable, "-m", "mypy", "--strict", "docs/example/app"]

    # Act
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)

    # Assert
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")
