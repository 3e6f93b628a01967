"""`[tool.specc.docs]`: read from pyproject.toml, checked, merged with `--out`."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.config import Config, ConfigError, load_config
from specc.site.settings import DEFAULT_OUT, docs_settings


def load_config_with(tmp_path: Path, table: str) -> Config:
    (tmp_path / "pyproject.toml").write_text(f"[tool.specc.docs]\n{table}\n", encoding="utf-8")
    return load_config(tmp_path)


def test_docs_settings_use_defaults_when_the_table_is_missing(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "pyproject.toml").write_text("[tool.specc]\n", encoding="utf-8")
    config = load_config(tmp_path)

    # Act
    settings = docs_settings(config)

    # Assert
    assert settings.out == DEFAULT_OUT
    assert settings.repo_url is None
    assert settings.line_link("docs/ARCHITECTURE.md", 3) is None


def test_docs_settings_link_lines_under_repo_url_when_only_repo_url_is_given(tmp_path: Path) -> None:
    # Arrange
    config = load_config_with(tmp_path, 'repo_url = "https://example.org/team/app/"\nout = "site-src"')

    # Act
    settings = docs_settings(config)

    # Assert
    assert settings.out == "site-src"
    assert settings.repo_url == "https://example.org/team/app"
    assert (
        settings.line_link("docs/my spec.md", 42)
        == "https://example.org/team/app/blob/HEAD/docs/my%20spec.md#L42"
    )
    assert settings.line_link("../outside.md", 1) is None


def test_docs_settings_fill_line_url_when_it_is_given(tmp_path: Path) -> None:
    # Arrange
    config = load_config_with(tmp_path, 'line_url = "https://git.example.org/app/-/blob/main/{path}#L{line}"')

    # Act
    settings = docs_settings(config, out="elsewhere")

    # Assert
    assert settings.out == "elsewhere"
    assert settings.line_link("a.md", 7) == "https://git.example.org/app/-/blob/main/a.md#L7"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('repo_url = "javascript:alert(1)"', "repo_url must be an http(s) address"),
        ('repo_url = "https://x.org/a\\" onclick=\\"b"', "repo_url must be an http(s) address"),
        (
            'line_url = "https://x.org/{path}"',
            "line_url must be an http(s) address holding {path} and {line}",
        ),
        ("out = 3", "out must be a non-empty string"),
        ('site_name = "a\\u001bb"', "site_name contains the control character U+001B"),
        ('colour = "red"', "unknown key(s) colour"),
    ],
)
def test_docs_settings_raise_config_error_when_a_value_is_bad(
    tmp_path: Path, table: str, message: str
) -> None:
    # Arrange
    config = load_config_with(tmp_path, table)

    # Act
    with pytest.raises(ConfigError) as raised:
        docs_settings(config)

    # Assert
    assert message in str(raised.value)


def test_load_config_raises_config_error_when_docs_is_not_a_table(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "pyproject.toml").write_text('[tool.specc]\ndocs = "site"\n', encoding="utf-8")

    # Act
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)

    # Assert
    assert "[tool.specc.docs] must be a table" in str(raised.value)
