"""The runtime writer on its own: deterministic, document text only ever quoted, modules present only when
they apply, formatted for the line length it is given."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from specc.config import Config
from specc.emit.openapi import build_openapi
from specc.emit.runtime import render_runtime
from specc.frontend import load
from specc.ir.model import Spec
from tests.conftest import EXAMPLE_SPEC

VENV_BIN = Path(sys.executable).parent
HOSTILE = 'Say """hi""" \\ it\'s "done" {x} # not a comment'

DOCUMENT = """# {title}

## Database Schema

### {table}

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | NOT NULL |

## API Contracts

### POST /api/things/{{thing_id}}/{segment}

{summary}

- **Auth:** {auth}
- **Request Body:**
  ```json
  {{ "email": "a@example.com" }}
  ```
- **Success Response (201):**
  ```json
  {{ "id": 1, "email": "a@example.com" }}
  ```
- **Error Responses:**
  - 404: {error}
"""


def _spec(tmp_path: Path, **fields: str) -> Spec:
    values = {
        "title": "Things",
        "table": "users",
        "segment": "archive",
        "summary": "Archive a thing.",
        "auth": "Required",
        "error": "Thing not found",
        **fields,
    }
    path = tmp_path / "ARCHITECTURE.md"
    path.write_text(DOCUMENT.format(**values), encoding="utf-8")
    front = load(path, None, Config(root=tmp_path))
    assert front.errors == 0
    return front.spec


def _render(spec: Spec, root: Path, line_length: int = 110) -> dict[str, str]:
    return render_runtime(spec, "ARCHITECTURE.md", root, "/api", line_length)


def _contract(text: str, name: str) -> dict[str, ast.expr]:
    """The keyword arguments of the `RouteContract(...)` / `AppOptions(...)` assigned to `name`."""
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and [ast.unparse(t) for t in node.targets] == [name]:
            assert isinstance(node.value, ast.Call)
            return {keyword.arg: keyword.value for keyword in node.value.keywords if keyword.arg}
    raise AssertionError(f"{name} not found")


def test_render_runtime_is_deterministic_for_the_example() -> None:
    # Arrange
    spec = load(EXAMPLE_SPEC, None, Config(root=EXAMPLE_SPEC.parent)).spec

    # Act
    first, second = _render(spec, EXAMPLE_SPEC.parent), _render(spec, EXAMPLE_SPEC.parent)

    # Assert
    assert first == second
    assert sorted(first) == ["config.py", "contracts.py", "database.py", "errors.py", "security.py"]


def test_render_runtime_quotes_document_text_when_hostile(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(tmp_path, title=HOSTILE, summary=HOSTILE, error=HOSTILE)
    document: dict[str, Any] = build_openapi(spec, "/api", tmp_path)

    # Act
    text = _render(spec, tmp_path)["contracts.py"]

    # Assert
    contract = _contract(text, "post_things_by_thing_id_archive")
    operation = document["paths"]["/api/things/{thing_id}/archive"]["post"]
    assert ast.literal_eval(contract["summary"]) == operation["summary"] == HOSTILE
    responses = contract["responses"]
    assert isinstance(responses, ast.Dict)
    error = responses.values[0]
    assert isinstance(error, ast.Dict)
    assert ast.literal_eval(error.values[1]) == HOSTILE
    options = _contract(text, "APP_OPTIONS")
    assert ast.literal_eval(options["title"]) == HOSTILE


def test_render_runtime_writes_no_security_when_every_operation_is_public(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(tmp_path, auth="None (public)")

    # Act
    files = _render(spec, tmp_path)

    # Assert
    assert "security.py" not in files
    assert "bearer_auth" not in files["contracts.py"]
    assert (
        ast.unparse(_contract(files["contracts.py"], "post_things_by_thing_id_archive")["dependencies"])
        == "[]"
    )


def test_render_runtime_user_is_the_users_model_when_users_table(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(tmp_path)

    # Act
    security = _render(spec, tmp_path)["security.py"]

    # Assert
    assert "from .models import User\n" in security
    assert "CurrentUser = Annotated[User, Depends(get_current_user)]" in security
    assert 'scheme_name="bearerAuth"' in security


def test_render_runtime_user_is_any_when_no_users_table(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(tmp_path, table="accounts")

    # Act
    security = _render(spec, tmp_path)["security.py"]

    # Assert
    assert "\nUser = Any\n" in security
    assert ".models" not in security


@pytest.mark.parametrize("line_length", [79, 88, 110])
@pytest.mark.parametrize("words", ["A summary far longer than any line ", "長い要約の文 ", "x" * 30])
def test_render_runtime_passes_ruff_when_lines_are_long(tmp_path: Path, line_length: int, words: str) -> None:
    # Arrange
    long_text = words * 5
    spec = _spec(tmp_path, summary=long_text, error=long_text, segment="archive_" + "x" * 60, table=words[:2])
    out = tmp_path / "generated"
    out.mkdir()
    for name, text in _render(spec, tmp_path, line_length).items():
        (out / name).write_text(text, encoding="utf-8")
    (tmp_path / "ruff.toml").write_text(
        f'line-length = {line_length}\n[lint]\nselect = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]\n',
        encoding="utf-8",
    )

    # Act
    lint = subprocess.run(
        [str(VENV_BIN / "ruff"), "check", "generated"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    formatted = subprocess.run(
        [str(VENV_BIN / "ruff"), "format", "--diff", "generated"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    # Assert
    assert lint.returncode == 0, lint.stdout
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_build_areas_cover_every_runtime_module_when_the_api_target_writes_them() -> None:
    # Arrange
    from specc.build import areas
    from specc.emit.runtime import MODULES

    # Act
    owned = areas()

    # Assert
    assert set(MODULES) <= set(owned)
