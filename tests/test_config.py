"""`[tool.specc]` as untrusted input (issue 9): every bad value is a usage error (exit 2) with a message that
names the key, never a traceback and never the raw value (which may hold control characters)."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.cli import main
from specc.config import ConfigError, load_config

SPEC = "# Demo\n\n### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n| id | BIGINT | PK |\n"


def _project(root: Path, section: str) -> Path:
    (root / "spec.md").write_text(SPEC, encoding="utf-8")
    (root / "pyproject.toml").write_text(f"[tool.specc]\n{section}\n", encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ('spec = "sp\\u0000ec.md"', "[tool.specc] spec contains the control character U+0000"),  # issue 9
        ('spec = "spec.md"\nout = "o\\u0000ut"', "[tool.specc] out contains the control character U+0000"),
        ('testplan = "T\\u0000.md"', "[tool.specc] testplan contains the control character U+0000"),
        ('spec = "\\u001b[2J.md"', "[tool.specc] spec contains the control character U+001B"),
        ('spec = "a\\nb.md"', "[tool.specc] spec contains the control character U+000A"),
        ('spec = "\\u202espec.md"', "[tool.specc] spec contains the control character U+202E"),
        ('api_prefix = "/a\\u0000pi"', "[tool.specc] api_prefix contains the control character U+0000"),
        ('disable = ["L0\\u000004"]', "[tool.specc] disable contains the control character U+0000"),
        (
            'severity = { "L\\u001b" = "error" }',
            "[tool.specc] severity contains the control character U+001B",
        ),
        ('spec = "' + "a" * 5000 + '"', "[tool.specc] spec is 5,000 characters long (at most 4,096)"),
        ('spec = ""', "[tool.specc] spec must not be empty"),
        ('out = ""', "[tool.specc] out must not be empty"),
        ('api_prefix = "api"', "[tool.specc] api_prefix must start with / and contain no blanks"),
        ('api_prefix = "/a b"', "[tool.specc] api_prefix must start with / and contain no blanks"),
        ("disable = " + "[" * 5000 + "]" * 5000, "cannot read [tool.specc]: values are nested too deeply"),
        ("x = " + "9" * 5000, "cannot read [tool.specc]: a number is too long"),
        ("spec = 1", "[tool.specc] spec must be a string"),
    ],
)
def test_load_config_raises_config_error_naming_key_when_value_is_bad(
    tmp_path: Path, section: str, message: str
) -> None:
    # Arrange
    root = _project(tmp_path, section)

    # Act
    with pytest.raises(ConfigError) as caught:
        load_config(root)

    # Assert
    assert str(caught.value) == f"{root / 'pyproject.toml'}: {message}"


def test_load_config_accepts_empty_api_prefix_and_unicode_paths(tmp_path: Path) -> None:
    # Arrange
    root = _project(tmp_path, 'spec = "докум/spec.md"\napi_prefix = ""\nout = "gén"')

    # Act
    config = load_config(root)

    # Assert
    assert (config.spec, config.api_prefix, config.out) == ("докум/spec.md", "", "gén")


@pytest.mark.parametrize("command", ["check", "build", "ir"])
def test_cli_exits_2_without_traceback_when_spec_path_holds_nul(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    # Arrange: issue 9: `spec = "sp\u0000ec.md"` in pyproject gave a traceback (embedded null byte)
    _project(tmp_path, 'spec = "sp\\u0000ec.md"')
    monkeypatch.chdir(tmp_path)

    # Act
    code = main([command])

    # Assert
    assert code == 2
    assert "[tool.specc] spec contains the control character U+0000" in capsys.readouterr().err
