"""The reference app, its database and its tests: `specc drift --all` finds nothing.

Run as the command a CI job runs (a subprocess, from the project root, configured by `[tool.specc.drift]`
in pyproject.toml): the generated models, a database migrated to head, the reference FastAPI app, the
generated migrations on a scratch database, the reference and generated tests, and the generated output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.drift.support import ROOT, SERVER_URL, drop_template, example_database

SPECC = str(Path(sys.executable).with_name("specc"))


def _environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "SPECC_DRIFT_DATABASE_URL": database_url,
            "SPECC_DRIFT_SCRATCH_URL": SERVER_URL,
            "DATABASE_URL": database_url.replace("postgresql://", "postgresql+psycopg://"),
            "SECRET_KEY": "drift-test-secret-key-0123456789abcdef",
        }
    )
    return env


def test_drift_all_sources_find_nothing_for_the_reference_app_database_and_tests() -> None:
    # Arrange
    try:
        with example_database() as url:
            # Act
            result = subprocess.run(
                [SPECC, "drift", "--all", "--format", "json"],
                cwd=ROOT,
                env=_environment(url),
                capture_output=True,
                text=True,
                check=False,
                timeout=300,
            )
    finally:
        drop_template()
    # Assert
    assert result.returncode == 0, result.stderr + result.stdout
    report = json.loads(result.stdout)
    assert report["findings"] == [] and report["ignored"] == []
    assert [(s["name"], s["state"]) for s in report["sources"]] == [
        ("models", "compared"),
        ("database", "compared"),
        ("app", "compared"),
        ("migrations", "compared"),
        ("tests", "compared"),
        ("generated", "compared"),
    ]
    assert report["summary"] == {"errors": 0, "warnings": 0, "infos": 0, "ignored": 0}
