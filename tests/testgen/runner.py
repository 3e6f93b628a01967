"""Running the generated tests of the example (generated/tests) in a pytest subprocess, against the
reference app or a mutant copy of it, and reading each test's outcome from its JUnit XML report."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from tests.conftest import PG_ADMIN_URL, require_postgres

ROOT = Path(__file__).resolve().parents[2]
GENERATED_TESTS = ROOT / "generated" / "tests"
REFERENCE_APP = ROOT / "docs" / "example" / "app"


def run_generated_tests(tmp_path: Path, *selection: str, app_parent: Path | None = None) -> dict[str, str]:
    """`test_module::test_name` → `passed`, `failed`, `error` or `skipped` for the generated tests
    (`selection`: extra pytest arguments such as `-k`). `app_parent`: a folder holding a (mutant) `app`
    package imported instead of the reference app."""
    require_postgres()
    report = tmp_path / "report.xml"
    pythonpath = f". {app_parent}" if app_parent is not None else ". docs/example"
    env = {**os.environ, "TEST_DATABASE_URL": PG_ADMIN_URL, "PYTHONHASHSEED": "0"}
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    command = [
        sys.executable,
        "-m",
        "pytest",
        str(GENERATED_TESTS),
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-o",
        f"pythonpath={pythonpath}",
        f"--junitxml={report}",
        *selection,
    ]
    subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    outcomes: dict[str, str] = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        state = "passed"
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                state = {"failure": "failed"}.get(child.tag, child.tag)
        module = case.get("classname", "").rsplit(".", 1)[-1]
        outcomes[f"{module}::{case.get('name', '')}"] = state
    return outcomes


def mutant_app(tmp_path: Path, module: str, old: str, new: str) -> Path:
    """A copy of the reference app with `old` replaced by `new` (once) in `routers/<module>.py`; returns
    the folder to put first on the path."""
    parent = tmp_path / "mutant"
    shutil.copytree(REFERENCE_APP, parent / "app", ignore=shutil.ignore_patterns("__pycache__"))
    router = parent / "app" / "routers" / f"{module}.py"
    text = router.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation's anchor is not unique in {router.name}: {old!r}"
    router.write_text(text.replace(old, new), encoding="utf-8")
    return parent
