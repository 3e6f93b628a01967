"""CI integration files: `.pre-commit-hooks.yaml`, the composite action `action.yml` and docs/guide/ci.md.

The files are parsed with PyYAML and their structure checked; the action's shell steps are also run with
bash (the check step with the real `specc check`) to show what they record and how the job ends.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from specc.cli import main

ROOT = Path(__file__).resolve().parents[1]
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
ACTION_FILE = ROOT / "action.yml"
GUIDE_FILE = ROOT / "docs" / "guide" / "ci.md"

# The hook keys pre-commit documents for .pre-commit-hooks.yaml ("Creating new hooks").
MANIFEST_KEYS = {
    "id",
    "name",
    "entry",
    "language",
    "files",
    "exclude",
    "types",
    "types_or",
    "exclude_types",
    "always_run",
    "fail_fast",
    "verbose",
    "pass_filenames",
    "require_serial",
    "description",
    "language_version",
    "minimum_pre_commit_version",
    "args",
    "stages",
}
DRIFT_KEYS = {
    "models",
    "database_url_env",
    "schema",
    "app",
    "migrations",
    "scratch_url_env",
    "tests",
    "generated",
    "pythonpath",
    "fail_on",
    "ignore",
}
IGNORE_RULE_KEYS = {"code", "subject", "source", "reason", "until"}
UPLOAD_SARIF = "github/codeql-action/upload-sarif@"

CLEAN = """# Demo

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |
"""
WITH_ERROR = CLEAN + "| team_id | BIGINT | FK → teams.id, ON DELETE CASCADE, indexed |\n"
WITH_WARNING = CLEAN + "| born_at | TIMESTAMP | |\n"


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _hooks() -> list[dict[str, Any]]:
    hooks = _load(HOOKS_FILE)
    assert isinstance(hooks, list)
    return hooks


def _action() -> dict[str, Any]:
    action = _load(ACTION_FILE)
    assert isinstance(action, dict)
    return action


def _steps() -> list[dict[str, Any]]:
    steps = _action()["runs"]["steps"]
    assert isinstance(steps, list)
    return steps


def _step(step_id: str) -> dict[str, Any]:
    return next(s for s in _steps() if s.get("id") == step_id)


def _verdict_index(steps: list[dict[str, Any]]) -> int:
    return next(i for i, s in enumerate(steps) if s.get("name") == "Verdict")


def _guide_fences(language: str) -> list[str]:
    text = GUIDE_FILE.read_text(encoding="utf-8")
    return [m.group(1) for m in re.finditer(rf"^```{language}\n(.*?)^```", text, re.S | re.M)]


def _guide_yaml() -> list[Any]:
    return [yaml.safe_load(fence) for fence in _guide_fences("yaml")]


def _guide_workflow() -> dict[str, Any]:
    return next(doc for doc in _guide_yaml() if isinstance(doc, dict) and "jobs" in doc)


def _guide_steps() -> list[dict[str, Any]]:
    """Every step of the guide's GitHub snippets: the workflow's jobs and the bare step lists."""
    steps: list[dict[str, Any]] = []
    for doc in _guide_yaml():
        if isinstance(doc, dict) and "jobs" in doc:
            for job in doc["jobs"].values():
                steps += job["steps"]
        elif isinstance(doc, list) and all(isinstance(s, dict) and ("run" in s or "uses" in s) for s in doc):
            steps += doc
    return steps


def _run_step(
    step: dict[str, Any], env: dict[str, str], cwd: Path, output: Path
) -> subprocess.CompletedProcess[str]:
    """Run a `shell: bash` step the way the runner does (`bash --noprofile --norc -eo pipefail`)."""
    assert step["shell"] == "bash"
    full_env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": os.environ.get("HOME", str(cwd)),
        "GITHUB_OUTPUT": str(output),
        **{name: "" for name in step.get("env", {})},
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- .pre-commit-hooks.yaml -------------------------------------------------------------------------------


def test_precommit_hooks_define_check_and_build_check_with_their_commands() -> None:
    # Arrange
    hooks = _hooks()

    # Act
    entries = {hook["id"]: hook["entry"] for hook in hooks}

    # Assert
    assert entries == {"specc-check": "specc check", "specc-build-check": "specc build --check"}


def test_precommit_hooks_use_only_documented_keys_when_parsed() -> None:
    # Arrange
    hooks = _hooks()

    # Act
    unknown = {hook["id"]: set(hook) - MANIFEST_KEYS for hook in hooks}
    missing = {hook["id"]: {"id", "name", "entry", "language"} - set(hook) for hook in hooks}

    # Assert
    assert unknown == {"specc-check": set(), "specc-build-check": set()}
    assert missing == {"specc-check": set(), "specc-build-check": set()}


def test_precommit_hooks_install_with_python_and_pass_no_filenames_for_every_hook() -> None:
    # Arrange
    hooks = _hooks()

    # Act
    settings = {hook["id"]: (hook["language"], hook["pass_filenames"]) for hook in hooks}

    # Assert
    assert settings == {"specc-check": ("python", False), "specc-build-check": ("python", False)}


def test_precommit_hooks_always_run_only_for_build_check_when_parsed() -> None:
    # Arrange
    hooks = _hooks()

    # Act
    always = {hook["id"]: hook.get("always_run", False) for hook in hooks}

    # Assert
    assert always == {"specc-check": False, "specc-build-check": True}


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("docs/ARCHITECTURE.md", True),
        ("TESTPLAN.md", True),
        ("design/notes.md", True),
        ("pyproject.toml", True),
        ("services/api/pyproject.toml", True),
        ("app/models.py", False),
        ("generated/openapi.json", False),
        ("not_pyproject.toml", False),
        ("README.md.orig", False),
    ],
)
def test_precommit_hooks_files_pattern_selects_markdown_and_pyproject_for_path(
    path: str, matches: bool
) -> None:
    # Arrange
    patterns = {hook["files"] for hook in _hooks()}

    # Act
    results = {bool(re.search(pattern, path)) for pattern in patterns}

    # Assert
    assert results == {matches}


@pytest.mark.parametrize("hook_id", ["specc-check", "specc-build-check"])
def test_precommit_hook_entry_is_a_specc_command_when_run_with_help(
    hook_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    entry = next(hook["entry"] for hook in _hooks() if hook["id"] == hook_id).split()

    # Act
    with pytest.raises(SystemExit) as exit_info:
        main([*entry[1:], "--help"])

    # Assert
    assert entry[0] == "specc"
    assert exit_info.value.code == 0
    assert f"usage: specc {entry[1]}" in capsys.readouterr().out


# --- action.yml: structure ------------------------------------------------------------------------------


def test_action_runs_as_composite_with_steps() -> None:
    # Arrange
    action = _action()

    # Act
    runs = action["runs"]

    # Assert
    assert action["name"] == "specc"
    assert runs["using"] == "composite"
    assert len(runs["steps"]) >= 5


def test_action_run_steps_declare_shell_for_every_run_step() -> None:
    # Arrange
    run_steps = [s for s in _steps() if "run" in s]

    # Act
    shells = [s.get("shell") for s in run_steps]

    # Assert
    assert len(run_steps) >= 4
    assert shells == ["bash"] * len(run_steps)


def test_action_run_scripts_hold_no_expression_so_inputs_cannot_inject_code() -> None:
    # Arrange
    run_steps = [s for s in _steps() if "run" in s]

    # Act
    interpolating = [s["name"] for s in run_steps if "${{" in s["run"]]

    # Assert
    assert interpolating == []
    assert all("inputs." not in s["run"] for s in run_steps)


def test_action_expressions_reference_only_declared_inputs_and_use_every_input() -> None:
    # Arrange
    declared = set(_action()["inputs"])
    text = ACTION_FILE.read_text(encoding="utf-8")
    expressions = " ".join(re.findall(r"\$\{\{(.*?)\}\}", text))

    # Act
    referenced = set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", expressions))

    # Assert
    assert referenced - declared == set()
    assert declared - referenced == set()


def test_action_step_outputs_referenced_are_written_by_their_step() -> None:
    # Arrange
    steps_by_id = {s["id"]: s for s in _steps() if "id" in s}
    text = ACTION_FILE.read_text(encoding="utf-8")

    # Act
    references = set(re.findall(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)", text))
    unwritten = {
        (step_id, name)
        for step_id, name in references
        if step_id not in steps_by_id or f'echo "{name}=' not in steps_by_id[step_id]["run"]
    }

    # Assert
    assert ("drift", "code") in references
    assert ("drift", "sarif-file") in references
    assert unwritten == set()


def test_action_uploads_sarif_before_the_verdict_step_and_after_failures() -> None:
    # Arrange
    steps = _steps()

    # Act
    upload_index = next(i for i, s in enumerate(steps) if s.get("uses", "").startswith(UPLOAD_SARIF))
    upload = steps[upload_index]
    verdict_index = _verdict_index(steps)

    # Assert
    assert upload_index < verdict_index == len(steps) - 1
    assert "always()" in upload["if"] or "!cancelled()" in upload["if"]
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.drift.outputs.sarif-file }}"


@pytest.mark.parametrize("step_id", ["check", "drift"])
def test_action_specc_steps_record_exit_code_instead_of_failing_before_upload(step_id: str) -> None:
    # Arrange
    script = _step(step_id)["run"]

    # Act
    lines = [
        line.strip() for line in script.splitlines() if line.strip() and not line.strip().startswith("#")
    ]

    # Assert
    assert lines[0] == "set +e"
    assert lines[-1] == "exit 0"
    assert f"specc {step_id}" in script
    assert 'echo "code=' in script


def test_action_drift_step_writes_sarif_then_github_annotations() -> None:
    # Arrange
    script = _step("drift")["run"]

    # Act
    sarif_at = script.index('specc drift --format sarif -o "$SARIF_FILE"')
    github_at = script.index("specc drift --format github")

    # Assert
    assert sarif_at < github_at


def test_action_installs_own_checkout_when_install_input_empty() -> None:
    # Arrange
    install = next(s for s in _steps() if s.get("name") == "Install specc")

    # Act
    script = install["run"]

    # Assert
    assert _action()["inputs"]["install"]["default"] == ""
    assert install["env"] == {"SPECC_INSTALL": "${{ inputs.install }}"}
    assert 'target="${SPECC_INSTALL:-$GITHUB_ACTION_PATH}"' in script
    assert 'pip install --disable-pip-version-check --quiet -- "$target"' in script


def test_action_sets_up_python_with_setup_python_only_when_version_given() -> None:
    # Arrange
    setup = _steps()[0]

    # Act
    condition = setup["if"]

    # Assert
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"] == {"python-version": "${{ inputs.python-version }}"}
    assert condition == "${{ inputs.python-version != '' }}"


# --- action.yml: its shell steps, run -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("check_code", "drift_code", "expected"),
    [("0", "0", 0), ("1", "0", 1), ("0", "1", 1), ("1", "2", 2), ("2", "1", 2), ("", "0", 2)],
)
def test_action_verdict_exits_with_worst_code_for_recorded_codes(
    tmp_path: Path, check_code: str, drift_code: str, expected: int
) -> None:
    # Arrange
    step = _steps()[_verdict_index(_steps())]
    env = {"CHECK_CODE": check_code, "DRIFT_CODE": drift_code}

    # Act
    result = _run_step(step, env, tmp_path, tmp_path / "output")

    # Assert
    assert result.returncode == expected
    assert f"specc check exited {check_code or 2}, specc drift exited {drift_code}" in result.stdout


@pytest.mark.parametrize(
    ("document", "fail_on", "recorded"),
    [
        (CLEAN, "", "code=0"),
        (WITH_ERROR, "", "code=1"),
        (WITH_WARNING, "error", "code=0"),
        (WITH_WARNING, "warning", "code=1"),
        (CLEAN, "sometimes", "code=2"),
    ],
)
def test_action_check_step_records_exit_code_and_succeeds_for_document(
    tmp_path: Path, document: str, fail_on: str, recorded: str
) -> None:
    # Arrange
    (tmp_path / "ARCHITECTURE.md").write_text(document, encoding="utf-8")
    output = tmp_path / "github_output"

    # Act
    result = _run_step(_step("check"), {"SPEC": "ARCHITECTURE.md", "FAIL_ON": fail_on}, tmp_path, output)

    # Assert
    assert result.returncode == 0, result.stderr
    assert output.read_text(encoding="utf-8").splitlines() == [recorded]


def test_action_check_step_annotates_errors_in_github_format_when_document_has_errors(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "ARCHITECTURE.md").write_text(WITH_ERROR, encoding="utf-8")

    # Act
    result = _run_step(_step("check"), {"SPEC": "ARCHITECTURE.md"}, tmp_path, tmp_path / "output")

    # Assert
    assert "::error file=ARCHITECTURE.md,line=9,col=22,title=R003::" in result.stdout


def test_action_check_step_passes_input_as_data_when_value_holds_shell_syntax(tmp_path: Path) -> None:
    # Arrange
    marker = tmp_path / "pwned"
    hostile = f"$(touch {marker}); `touch {marker}`"
    output = tmp_path / "output"

    # Act
    result = _run_step(_step("check"), {"SPEC": hostile, "TESTPLAN": hostile}, tmp_path, output)

    # Assert
    assert result.returncode == 0
    assert not marker.exists()
    assert output.read_text(encoding="utf-8").splitlines() == ["code=2"]


# --- docs/guide/ci.md ---------------------------------------------------------------------------------------


def test_ci_guide_yaml_snippets_parse_for_every_fence() -> None:
    # Arrange
    fences = _guide_fences("yaml")

    # Act
    parsed = [yaml.safe_load(fence) for fence in fences]

    # Assert
    assert len(parsed) >= 5
    assert all(isinstance(doc, (dict, list)) for doc in parsed)


def test_ci_guide_workflow_uses_the_action_with_declared_inputs_only() -> None:
    # Arrange
    inputs = set(_action()["inputs"])
    job = _guide_workflow()["jobs"]["specc"]

    # Act
    uses_action = [s for s in job["steps"] if s.get("uses") == "./tools/specc"]

    # Assert
    assert len(uses_action) == 1
    assert set(uses_action[0]["with"]) <= inputs
    assert {"scratch-url", "database-url", "upload-sarif"} <= set(uses_action[0]["with"])


def test_ci_guide_workflow_grants_security_events_write_for_sarif_upload() -> None:
    # Arrange
    job = _guide_workflow()["jobs"]["specc"]

    # Act
    permissions = job["permissions"]

    # Assert
    assert permissions["security-events"] == "write"
    assert permissions["contents"] == "read"


def test_ci_guide_workflow_runs_postgres_service_and_keeps_secret_from_pull_requests() -> None:
    # Arrange
    job = _guide_workflow()["jobs"]["specc"]

    # Act
    action_step = next(s for s in job["steps"] if s.get("uses") == "./tools/specc")

    # Assert
    assert job["services"]["postgres"]["image"].startswith("postgres:")
    assert action_step["with"]["database-url"].startswith(
        "${{ github.event_name != 'pull_request' && secrets."
    )


def test_ci_guide_workflow_comments_on_pull_request_with_markdown_drift_report() -> None:
    # Arrange
    steps = _guide_workflow()["jobs"]["specc"]["steps"]

    # Act
    comment = next(s for s in steps if "gh pr comment" in s.get("run", ""))

    # Assert
    assert "specc drift --format markdown -o specc-drift.md" in comment["run"]
    assert comment["continue-on-error"] is True
    assert comment["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"


def test_ci_guide_run_scripts_hold_no_expression_in_any_snippet() -> None:
    # Arrange
    steps = _guide_steps()

    # Act
    interpolating = [s.get("name", s["run"]) for s in steps if "run" in s and "${{" in s["run"]]

    # Assert
    assert len(steps) >= 10
    assert interpolating == []


def test_ci_guide_plain_steps_upload_sarif_before_the_failing_drift_step() -> None:
    # Arrange
    plain = next(doc for doc in _guide_yaml() if isinstance(doc, list) and len(doc) > 3)

    # Act
    sarif = next(i for i, s in enumerate(plain) if "--format sarif" in s.get("run", ""))
    upload = next(i for i, s in enumerate(plain) if s.get("uses", "").startswith(UPLOAD_SARIF))
    last = plain[-1]

    # Assert
    assert sarif < upload < len(plain) - 1
    assert plain[sarif]["continue-on-error"] is True
    assert "!cancelled()" in plain[upload]["if"]
    assert last["run"].startswith("specc drift --format github")
    assert "continue-on-error" not in last


def test_ci_guide_precommit_snippet_uses_the_hook_ids_of_the_manifest() -> None:
    # Arrange
    manifest_ids = {hook["id"] for hook in _hooks()}
    configs = [doc for doc in _guide_yaml() if isinstance(doc, dict) and "repos" in doc]

    # Act
    remote = next(c for c in configs if c["repos"][0]["repo"] != "local")
    ids = {hook["id"] for hook in remote["repos"][0]["hooks"]}

    # Assert
    assert ids == manifest_ids
    assert remote["repos"][0]["rev"]


def test_ci_guide_drift_configuration_snippet_lists_every_key_and_ignore_field() -> None:
    # Arrange
    snippet = next(fence for fence in _guide_fences("toml") if "[tool.specc.drift]" in fence)

    # Act
    drift = tomllib.loads(snippet)["tool"]["specc"]["drift"]

    # Assert
    assert set(drift) == DRIFT_KEYS
    assert set(drift["ignore"][0]) == IGNORE_RULE_KEYS
    assert drift["database_url_env"] == "DATABASE_URL"
    assert "://" not in snippet


def test_ci_guide_reference_tables_name_every_drift_key_and_action_input() -> None:
    # Arrange
    text = GUIDE_FILE.read_text(encoding="utf-8")
    first_cells = re.findall(r"^\| ([^|]+)\|", text, re.M)
    table_cells = {name for cell in first_cells for name in re.findall(r"`([a-z_-]+)`", cell)}

    # Act
    undocumented_keys = DRIFT_KEYS - table_cells
    undocumented_inputs = set(_action()["inputs"]) - table_cells

    # Assert
    assert undocumented_keys == set()
    assert undocumented_inputs == set()


def test_ci_guide_is_in_the_mkdocs_navigation_under_guide() -> None:
    # Arrange
    nav = _load(ROOT / "mkdocs.yml")["nav"]

    # Act
    guide = next(entry["Guide"] for entry in nav if isinstance(entry, dict) and "Guide" in entry)
    pages = [page for entry in guide for page in entry.values()]

    # Assert
    assert "guide/ci.md" in pages
