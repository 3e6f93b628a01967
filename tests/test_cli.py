"""`specc check` / `specc ir`: exit codes, formats, and no traceback for any input."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from specc.cli import main

CLEAN = """# Demo

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |
"""

WITH_ERROR = CLEAN + "| team_id | BIGINT | FK → teams.id, ON DELETE CASCADE, indexed |\n"
WITH_WARNING = CLEAN + "| born_at | TIMESTAMP | |\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_check_exits_0_for_clean_spec(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    spec = write(workdir / "A.md", CLEAN)

    # Act
    code = main(["check", str(spec), "--strict"])

    # Assert
    assert code == 0
    assert "no problems found" in capsys.readouterr().out


def test_check_exits_1_when_spec_has_errors(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    spec = write(workdir / "A.md", WITH_ERROR)

    # Act
    code = main(["check", str(spec)])

    # Assert
    assert code == 1
    assert "R003" in capsys.readouterr().out


def test_check_strict_exits_1_on_warnings_only(workdir: Path) -> None:
    # Arrange
    spec = write(workdir / "A.md", WITH_WARNING)

    # Act
    relaxed = main(["check", str(spec)])
    strict = main(["check", str(spec), "--strict"])

    # Assert
    assert (relaxed, strict) == (0, 1)


def test_check_json_format_has_documented_shape(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    spec = write(workdir / "A.md", WITH_ERROR)

    # Act
    main(["check", str(spec), "--format", "json"])

    # Assert
    report = json.loads(capsys.readouterr().out)
    first = report["diagnostics"][0]
    assert {"code", "severity", "message", "file", "line", "column", "hint"} <= set(first)
    assert report["summary"]["errors"] >= 1
    assert (first["file"], first["line"]) == ("A.md", 9)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing.md"], "no such file"),
        (["check", "."], "is a directory"),
        (["check", "/"], "specc: /: is a directory"),
        (["check", ""], "the spec path must not be empty"),
        (["build", "A.md", "--out", ""], "--out must not be empty"),
        (["build", "A.md", "--out", " "], "--out must not be empty"),
        (["build", "A.md", "--testplan", ""], "--testplan must not be empty"),
        (["ir", "A.md", "-o", ""], "--output must not be empty"),
        (
            ["migrate", "verify", "--out", "", "--database-url", "postgresql://x@h/d"],
            "--out must not be empty",
        ),
        (["check", "A.md", "--format", "xml"], "invalid choice"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_cli_exits_2_on_usage_and_io_errors(
    workdir: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    # Arrange
    write(workdir / "A.md", CLEAN)

    # Act
    with pytest.raises(SystemExit) as exited:
        raise SystemExit(main(argv))

    # Assert
    assert exited.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "code", "exit_code"),
    [
        (b"", "P003", 0),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "P002", 1),
        (b"# ok\n\ncaf\xe9 au lait\n", "P001", 1),
        (b"### t\n\n| Column | Type |\n| --- | --- |\n| a | TEXT | x | y |\n", "P004", 1),
        (b"### t\n\n```markdown\n| Column | Type |\n| --- | --- |\n| a | TEXT |\n", "P003", 0),
        (b'### GET /x/{\n\n- **Request Body:**\n  ```json\n  {"a": \n', "P008", 1),
    ],
    ids=["empty", "binary", "latin1", "ragged", "unclosed-fence", "broken-endpoint"],
)
def test_check_answers_broken_input_with_diagnostic_not_traceback(
    workdir: Path, capsys: pytest.CaptureFixture[str], content: bytes, code: str, exit_code: int
) -> None:
    # Arrange
    spec = write(workdir / "A.md", content)

    # Act
    result = main(["check", str(spec), "--format", "json"])

    # Assert
    report = json.loads(capsys.readouterr().out)
    assert code in [d["code"] for d in report["diagnostics"]]
    assert result == exit_code


def test_check_non_utf8_reports_line_and_column_of_bad_byte(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec = write(workdir / "A.md", b"# ok\n\ncaf\xe9\n")

    # Act
    main(["check", str(spec), "--format", "json"])

    # Assert
    [diagnostic] = json.loads(capsys.readouterr().out)["diagnostics"]
    assert (diagnostic["code"], diagnostic["line"], diagnostic["column"]) == ("P001", 3, 4)


def test_check_handles_ten_megabyte_single_line(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    spec = write(workdir / "A.md", "| " + "x|" * 5_000_000 + "\n")

    # Act
    code = main(["check", str(spec), "--format", "json"])

    # Assert
    assert code == 0
    assert json.loads(capsys.readouterr().out)["summary"]["errors"] == 0


def test_ir_prints_documented_field_names(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Arrange
    doc = WITH_ERROR.replace("teams.id", "users.id") + (
        "\n### Relationships\n\n- users → users: one-to-many\n\n"
        "### GET /api/users\n\n- **Auth:** None (public)\n"
    )
    spec = write(workdir / "A.md", doc)
    write(workdir / "TESTPLAN.md", "## Feature: List\n\n### Happy Path\n\n- Lists users\n")

    # Act
    code = main(["ir", str(spec)])

    # Assert
    ir = json.loads(capsys.readouterr().out)
    assert code == 0
    column = ir["tables"][0]["columns"][2]
    assert {"name", "type", "nullable", "primary_key", "unique", "default", "foreign_key"} <= set(column)
    assert column["foreign_key"]["table"] == "users" and column["foreign_key"]["on_delete"] == "CASCADE"
    assert set(ir["relationships"][0]) >= {"from", "to", "kind", "through"}
    assert ir["endpoints"][0]["auth"] == "public"
    assert ir["test_plan"]["features"][0]["cases"][0]["id"] == "list/happy-path/lists-users"
    assert {"tables", "relationships", "endpoints", "decisions", "test_plan"} <= set(ir)


def test_ir_writes_output_file(workdir: Path) -> None:
    # Arrange
    spec = write(workdir / "A.md", CLEAN)

    # Act
    code = main(["ir", str(spec), "-o", "out.json"])

    # Assert
    assert code == 0
    assert json.loads((workdir / "out.json").read_text())["tables"][0]["name"] == "users"


def test_build_exits_2_when_output_folder_is_a_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec = write(workdir / "A.md", CLEAN)
    write(workdir / "out", "not a folder\n")

    # Act
    code = main(["build", str(spec), "--out", "out"])

    # Assert
    assert code == 2
    assert "specc: out: is not a folder" in capsys.readouterr().err


def test_cli_reports_environment_error_without_empty_path(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: an error without a file name, as a full disk gives on write()
    spec = write(workdir / "A.md", CLEAN)

    def full_disk(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("specc.build.run_build", full_disk)

    # Act
    code = main(["build", str(spec)])

    # Assert
    assert code == 2
    assert capsys.readouterr().err == "specc: No space left on device\n"


def test_cli_exits_2_when_pyproject_tool_is_not_a_table(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    spec = write(workdir / "A.md", CLEAN)
    write(workdir / "pyproject.toml", 'tool = "x"\n')

    # Act
    code = main(["check", str(spec)])

    # Assert
    assert code == 2
    assert "[tool.specc]" in capsys.readouterr().err


def test_check_inline_ignore_under_heading_covers_finding_on_heading(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    endpoint = (
        "\n### GET /api/users/{user_id}\n\n{comment}- **Auth:** Required\n"
        "- **Success Response (204):** No content\n- **Error Responses:**\n  - 404: Not found\n"
    )
    plain = write(workdir / "A.md", CLEAN + endpoint.replace("{comment}", ""))
    quiet = write(workdir / "B.md", CLEAN + endpoint.replace("{comment}", "<!-- specc: ignore L012 -->\n\n"))

    # Act
    main(["check", str(plain), "--format", "json"])
    reported = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]
    main(["check", str(quiet), "--format", "json"])
    silenced = [d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]]

    # Assert
    assert "L012" in reported
    assert "L012" not in silenced


@pytest.mark.parametrize("key", ["spec", "out", "testplan"])
def test_cli_exits_2_when_configured_path_holds_nul(
    workdir: Path, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    # Arrange
    write(workdir / "A.md", CLEAN)
    write(workdir / "pyproject.toml", f'[tool.specc]\n{key} = "a\\u0000b"\n')

    # Act
    code = main(["build"])

    # Assert
    assert code == 2
    err = capsys.readouterr().err
    assert f"[tool.specc] {key} contains the control character U+0000" in err and "Traceback" not in err
