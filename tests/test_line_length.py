"""Generated Python is formatted for the project that receives it: the line length comes from `[tool.specc]
line_length`, else `[tool.ruff] line-length`, else `[tool.black] line-length`, else 88 (issue 10, item 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from specc.build import BuildContext, build
from specc.config import ConfigError, load_config
from specc.ir.model import Spec

VENV_BIN = Path(sys.executable).parent
GENERATED_PYTHON = ["generated"]
"""Every generated Python file: models, migrations, schemas and the runtime modules."""
SPECC_RULES = ["--select", "E,F,W,I,UP,B,SIM,RUF", "--ignore", "RUF001,RUF002,RUF003"]

ACCOUNTS = "customer_subscription_billing_accounts"
ARCHIVE = "customer_subscription_invoice_line_items_archive"


def _table(name: str, *rows: tuple[str, str, str]) -> str:
    lines = [f"### {name}", "", "| Column | Type | Constraints |", "| --- | --- | --- |"]
    lines += [f"| {column} | {type_} | {constraints} |" for column, type_, constraints in rows]
    return "\n".join(lines) + "\n\n"


LONG_NAMES_SPEC = (
    "# Billing — Architecture\n\n## Database Schema\n\n"
    + _table("auditors", ("id", "BIGINT", "PK, auto-increment"), ("name", "VARCHAR(100)", "NOT NULL"))
    + _table(
        ACCOUNTS,
        ("id", "BIGINT", "PK, auto-increment"),
        ("billing_account_display_name_text", "VARCHAR(255)", "NOT NULL, UNIQUE"),
        (
            "billing_account_lifecycle_status",
            "ENUM('provisioning','active','suspended','terminated')",
            "NOT NULL, DEFAULT 'provisioning'",
        ),
        ("created_at", "TIMESTAMPTZ", "NOT NULL, DEFAULT now()"),
        ("updated_at", "TIMESTAMPTZ", "NOT NULL, DEFAULT now()"),
    )
    + _table(
        ARCHIVE,
        ("id", "BIGINT", "PK, auto-increment"),
        (f"{ACCOUNTS[:-1]}_id", "BIGINT", f"NOT NULL, indexed, FK → {ACCOUNTS}.id, ON DELETE CASCADE"),
        ("reviewing_auditor_id", "BIGINT", "FK → auditors.id, ON DELETE SET NULL"),
        (
            "invoice_line_item_amount_in_minor_units",
            "NUMERIC(12,2)",
            "NOT NULL, CHECK (invoice_line_item_amount_in_minor_units >= 0)",
        ),
        (
            "invoice_line_item_description_text",
            "VARCHAR(1000)",
            "NOT NULL, DEFAULT 'no description was provided for this invoice line item'",
        ),
        ("created_at", "TIMESTAMPTZ", "NOT NULL, DEFAULT now()"),
    )
    + f"### Indexes\n\n- {ARCHIVE}({ACCOUNTS[:-1]}_id, created_at)\n\n"
    + "## API Contracts\n\n"
    + f"### POST /api/{ACCOUNTS}\n\n"
    + "Open a customer subscription billing account for the signed-in auditor.\n\n"
    + "- **Auth:** Required (Bearer token)\n"
    + "- **Request Body:**\n"
    + '  ```json\n  { "billing_account_display_name_text": "string" }\n  ```\n'
    + "- **Success Response (201):**\n"
    + '  ```json\n  { "id": 1, "billing_account_display_name_text": "string",'
    + ' "billing_account_lifecycle_status": "active" }\n  ```\n'
    + "- **Error Responses:**\n"
    + "  - 401: Missing or invalid access token\n"
    + "  - 409: A billing account with that display name already exists for this customer subscription\n"
)


def _ruff(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [str(VENV_BIN / "ruff"), *args, "--isolated", "--no-cache", *GENERATED_PYTHON]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)


def _build(root: Path, pyproject: str | None) -> None:
    (root / "ARCHITECTURE.md").write_text(LONG_NAMES_SPEC, encoding="utf-8")
    if pyproject is not None:
        (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    config = load_config(root)
    result = build(root / "ARCHITECTURE.md", None, root / "generated", config, echo=lambda _: None)
    assert result.exit_code == 0


def test_build_output_passes_ruff_at_88_when_project_configures_no_line_length(tmp_path: Path) -> None:
    # Arrange
    _build(tmp_path, None)
    # Act
    formatted = _ruff(tmp_path, "format", "--check", "--diff", "--line-length", "88")
    default_rules = _ruff(tmp_path, "check")
    specc_rules = _ruff(tmp_path, "check", "--line-length", "88", *SPECC_RULES)
    # Assert
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    assert default_rules.returncode == 0, default_rules.stdout
    assert specc_rules.returncode == 0, specc_rules.stdout


def test_build_output_formatted_for_100_when_ruff_line_length_is_100(tmp_path: Path) -> None:
    # Arrange
    _build(tmp_path, "[tool.ruff]\nline-length = 100\n")
    # Act
    at_100 = _ruff(tmp_path, "format", "--check", "--diff", "--line-length", "100")
    at_88 = _ruff(tmp_path, "format", "--check", "--line-length", "88")
    specc_rules = _ruff(tmp_path, "check", "--line-length", "100", *SPECC_RULES)
    # Assert
    assert at_100.returncode == 0, at_100.stdout + at_100.stderr
    assert at_88.returncode == 1  # laid out for 100, not for 88
    assert specc_rules.returncode == 0, specc_rules.stdout


@pytest.mark.parametrize(
    ("pyproject", "expected"),
    [
        ("[tool.specc]\nline_length = 120\n[tool.ruff]\nline-length = 100\n", 120),
        ("[tool.ruff]\nline-length = 100\n[tool.black]\nline-length = 79\n", 100),
        ("[tool.black]\nline-length = 79\n", 79),
        ("[tool.black]\nline_length = 99\n", 99),
        ("[tool.ruff.lint]\nselect = ['E']\n", 88),
        ("[tool.ruff]\nline-length = 40\n", 79),
        ("", 88),
    ],
)
def test_config_line_length_resolves_specc_then_ruff_then_black_then_88(
    tmp_path: Path, pyproject: str, expected: int
) -> None:
    # Arrange
    (tmp_path / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    # Act
    config = load_config(tmp_path)
    # Assert
    assert config.line_length == expected


def test_config_line_length_is_88_when_there_is_no_pyproject(tmp_path: Path) -> None:
    # Arrange
    folder = tmp_path / "no_project"
    folder.mkdir()
    # Act
    config = load_config(folder)
    # Assert
    assert config.line_length == 88


@pytest.mark.parametrize("value", ["50", "1000", '"88"', "true"])
def test_config_line_length_refuses_value_when_not_an_integer_from_79_to_320(
    tmp_path: Path, value: str
) -> None:
    # Arrange
    (tmp_path / "pyproject.toml").write_text(f"[tool.specc]\nline_length = {value}\n", encoding="utf-8")
    # Act / Assert
    with pytest.raises(ConfigError, match=r"\[tool.specc\] line_length must be an integer from 79 to 320"):
        load_config(tmp_path)


def test_build_context_exposes_the_line_length_when_configured(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n", encoding="utf-8")
    config = load_config(tmp_path)
    # Act
    ctx = BuildContext(
        spec=Spec(),
        source="spec.md",
        root=tmp_path,
        out=tmp_path / "generated",
        config=config,
        allow_destructive=False,
    )
    # Assert
    assert ctx.line_length == 100
