"""Issue 9, item 10: inputs that gave tracebacks in `specc check` / `specc ir` / `specc build` now give
located diagnostics and exit code 1 (and nothing is written)."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.cli import main

TABLE = """# Demo

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| note | {type} | |
"""

CONTRACT = (
    TABLE.format(type="TEXT")
    + """
## API Contracts

### POST /api/users

- **Auth:** required
- **Request Body:**

```json
{body}
```

- **Success Response (201):**

```json
{{"id": 1}}
```

- **Error Responses:**
  - 401: Not authenticated
  - 422: Validation error
"""
)

CASES = {
    "integer of 5,000 digits": (CONTRACT.format(body='{"a": ' + "9" * 5000 + "}"), "P021", "spec.md:18:7"),
    "VARCHAR of 5,000 digits": (TABLE.format(type="VARCHAR(" + "9" * 5000 + ")"), "P025", "spec.md:8:10"),
    "NUMERIC of 5,000 digits": (TABLE.format(type="NUMERIC(" + "9" * 5000 + ")"), "P025", "spec.md:8:10"),
    "VECTOR of 5,000 digits": (TABLE.format(type="VECTOR(" + "9" * 5000 + ")"), "P025", "spec.md:8:10"),
    "300 nested objects": (CONTRACT.format(body='{"a":' * 300 + "1" + "}" * 300), "P021", "spec.md:18:161"),
    "900 nested objects": (CONTRACT.format(body='{"a":' * 900 + "1" + "}" * 900), "P021", "spec.md:18:161"),
    "500 nested arrays": (
        CONTRACT.format(body='{"a":' + "[" * 500 + "1" + "]" * 500 + "}"),
        "P021",
        "spec.md:18:37",
    ),
    "INTEGER and 5,000 []": (TABLE.format(type="INTEGER" + "[]" * 5000), "P021", "spec.md:8:10"),
    "lone surrogate value": (CONTRACT.format(body='{"a": "\\ud800"}'), "P023", "spec.md:18:8"),
    "lone surrogate key": (CONTRACT.format(body='{"\\ud800": 1}'), "P023", "spec.md:18:3"),
    "empty enum": (TABLE.format(type="ENUM()"), "P018", "spec.md:8:10"),
    "number out of range": (CONTRACT.format(body='{"a": 1e400}'), "P022", "spec.md:18:7"),
}


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["check", "ir", "build"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_reports_located_error_instead_of_traceback_for_issue_input(
    workdir: Path, capsys: pytest.CaptureFixture[str], command: str, case: str
) -> None:
    # Arrange
    text, code, where = CASES[case]
    (workdir / "spec.md").write_text(text, encoding="utf-8")
    argv = [command, "spec.md"] + (["--out", "out"] if command == "build" else [])

    # Act
    exit_code = main(argv)

    # Assert
    captured = capsys.readouterr()
    assert exit_code == 1
    assert f"{where}: error[{code}]" in captured.out + captured.err
    assert not (workdir / "out").exists()


def test_build_reports_p021_not_validator_recursion_for_200_nested_arrays(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange: issue 9 (low): "B042 generated OpenAPI document is invalid: maximum recursion depth exceeded"
    body = '{"a":' + "[" * 200 + "1" + "]" * 200 + "}"
    (workdir / "spec.md").write_text(CONTRACT.format(body=body), encoding="utf-8")

    # Act
    exit_code = main(["build", "spec.md", "--out", "out"])

    # Assert
    err = capsys.readouterr().err
    assert exit_code == 1
    assert "spec.md:18:37: error[P021]: JSON nested more than 32 levels deep" in err
    assert "B042" not in err and "recursion" not in err


def test_check_warns_p024_and_build_keeps_last_value_for_duplicate_key(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    body = '{"email": "string", "email": "user@example.com"}'
    (workdir / "spec.md").write_text(CONTRACT.format(body=body), encoding="utf-8")

    # Act
    check_code = main(["check", "spec.md"])
    build_code = main(["build", "spec.md", "--out", "out"])

    # Assert
    out = capsys.readouterr().out
    assert (check_code, build_code) == (0, 0)
    assert 'spec.md:18:21: warning[P024]: duplicate key "email": the last value wins' in out
    openapi = (workdir / "out" / "openapi.json").read_text(encoding="utf-8")
    assert '"format": "email"' in openapi
