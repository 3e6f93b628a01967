"""Text of the document reaches the generated tests only as quoted data: hostile field names, paths, feature
and case texts leave the modules compiling, with no call or name they did not write."""

from __future__ import annotations

import ast
from pathlib import Path

from specc.build import build
from specc.config import Config

EVIL = "x\"'}{__import__('os').system('id')}\\"

SPEC = """# Evil

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |

### POST /api/users

- **Auth:** Required
- **Request Body:**
  ```json
  { "email": "user@example.com", "EVILKEY": "text" }
  ```
- **Success Response (201):**
  ```json
  { "id": 1, "email": "user@example.com" }
  ```
- **Error Responses:**
  - 401: Missing token
  - 422: Validation error
""".replace("EVILKEY", EVIL.replace("\\", "\\\\").replace('"', '\\"'))

PLAN = f"""# Test Plan

## Feature: Evil {EVIL}

### Happy Path

- POST /api/users with a valid email returns 201 and the user object

### Error Cases

- Returns 422 if {EVIL} is missing \"\"\" ; import os
"""

ALLOWED_CALLS = {
    "pytest.mark.spec",
    "pytest.fail",
    "client.post",
    "auth_client.post",
    "sample_text",
    "unique_email",
    "documented_fields",
    "secret_fields",
    "set",
    "response.json",
    "schemas.UserResponse.model_validate",
}


def test_generated_tests_quote_every_document_text_as_data(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "ARCHITECTURE.md").write_text(SPEC, encoding="utf-8")
    (tmp_path / "TESTPLAN.md").write_text(PLAN, encoding="utf-8")
    lines: list[str] = []

    # Act
    result = build(
        tmp_path / "ARCHITECTURE.md",
        tmp_path / "TESTPLAN.md",
        tmp_path / "generated",
        Config(root=tmp_path),
        echo=lines.append,
        echo_err=lines.append,
    )

    # Assert
    assert result.exit_code == 0, lines
    modules = sorted((tmp_path / "generated" / "tests").glob("test_*.py")) + sorted(
        (tmp_path / "tests").glob("test_*.py")
    )
    assert len(modules) >= 2
    constants: list[str] = []
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert calls <= ALLOWED_CALLS, (module.name, calls - ALLOWED_CALLS)
        assert "__import__" not in {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert not any(isinstance(n, ast.Import) and n.names[0].name == "os" for n in ast.walk(tree))
        constants += [
            n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
        ]
    assert EVIL in constants  # the hostile key is sent as a key: data, not code
