"""Names from the document in generated Python: every file compiles, no two columns or fields share one
Python name, and the real SQL name and JSON key are kept."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.emit.models_harness import LINT_CONFIG, VENV_BIN, run_tool
from tests.emit.names_harness import ISSUE_SPEC, RICH_SPEC, build_spec, compile_errors, table

ID = "| id | BIGINT | PK, auto-increment |"


def _class_names(source: str) -> list[str]:
    return [node.name for node in ast.parse(source).body if isinstance(node, ast.ClassDef)]


def test_build_models_compile_when_table_is_named_none(tmp_path: Path) -> None:
    # Arrange
    text = "# Shop\n\n" + table("none", ID, "| label | TEXT | NOT NULL |")

    # Act
    built = build_spec(tmp_path, text)

    # Assert
    assert built.exit_code == 0, built.text()
    files = built.python_files()
    assert compile_errors(files) == {}
    assert _class_names(files["models/none.py"]) == ["None_"]
    assert '__tablename__ = "none"' in files["models/none.py"]


def test_build_schemas_compile_when_json_key_holds_nul(tmp_path: Path) -> None:
    # Arrange
    text = (
        "# Shop\n\n"
        + table("items", ID)
        + "### POST /api/items\n\n- **Auth:** Required\n- **Request:**\n  ```json\n"
        + '  { "x\\u0000y": { "a": 1 } }\n  ```\n'
        + '- **Success Response (201):**\n  ```json\n  { "id": 1 }\n  ```\n'
        + "- **Error Responses:**\n  - 401: Missing token\n"
    )

    # Act
    built = build_spec(tmp_path, text)

    # Assert
    assert built.exit_code == 0, built.text()
    files = built.python_files()
    assert compile_errors(files) == {}
    api = files["schemas/api/items.py"]
    assert 'alias="x\\x00y"' in api
    assert "The `x<U+0000>y` object" in api


def _mapped_columns(source: str, class_name: str) -> dict[str, str]:
    """Attribute → SQL column name of every `mapped_column` in the class (name given or the attribute)."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    result: dict[str, str] = {}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Name) and func.id == "mapped_column":
                assert isinstance(node.target, ast.Name)
                first = node.value.args[0] if node.value.args else None
                sql = first.value if isinstance(first, ast.Constant) else node.target.id
                result[node.target.id] = sql
    return result


def _fields(source: str, class_name: str) -> dict[str, str]:
    """Field → JSON key (the alias, else the field name) of a generated Pydantic model."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    result: dict[str, str] = {}
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            key = node.target.id
            if isinstance(node.value, ast.Call):
                for kw in node.value.keywords:
                    if kw.arg in ("alias", "serialization_alias") and isinstance(kw.value, ast.Constant):
                        key = kw.value.value
            result[node.target.id] = key
    return result


def test_build_keeps_both_columns_and_fields_when_names_are_equal_under_nfkc(tmp_path: Path) -> None:
    # Arrange
    text = (
        "# Shop\n\n"
        + table(
            "files", ID, "| ﬁle | TEXT | |", "| file | TEXT | |", "| ｓａ | TEXT | |", "| int | INTEGER | |"
        )
        + "### GET /api/files/{id}\n\n- **Auth:** Required\n- **Success Response (200):**\n  ```json\n"
        + '  { "id": 1, "ﬁle": "a", "file": "b" }\n  ```\n'
        + "- **Error Responses:**\n  - 401: Missing token\n"
    )

    # Act
    built = build_spec(tmp_path, text)

    # Assert
    assert built.exit_code == 0, built.text()
    files = built.python_files()
    assert compile_errors(files) == {}
    columns = _mapped_columns(files["models/files.py"], "File")
    assert sorted(columns.values()) == sorted(["id", "ﬁle", "file", "ｓａ", "int"])
    assert columns["file"] == "file"
    assert len({ast.parse(a).body[0].value.id for a in columns}) == 5  # type: ignore[attr-defined]
    response = _fields(files["schemas/api/files.py"], "FileResponse")
    assert sorted(response.values()) == ["file", "id", "ﬁle"]
    assert 'validation_alias=AliasChoices("file_", "\\ufb01le")' in files["schemas/api/files.py"]


def test_generated_tree_passes_ruff_and_mypy_strict_when_names_are_long(tmp_path: Path) -> None:
    # Arrange: 50- to 60-character table names, shortened constraint names, 63-byte enum type names
    built = build_spec(tmp_path, RICH_SPEC + ISSUE_SPEC.replace("# Shop", ""))
    assert built.exit_code == 0, built.text()
    (tmp_path / "pyproject.toml").write_text(LINT_CONFIG, encoding="utf-8")

    # Act
    lint = run_tool([str(VENV_BIN / "ruff"), "check", "--no-cache", "generated"], tmp_path)
    formatted = run_tool([str(VENV_BIN / "ruff"), "format", "--check", "--no-cache", "generated"], tmp_path)
    mypy = [str(VENV_BIN / "mypy"), "--strict", "--cache-dir", str(tmp_path / ".mypy")]
    typed = run_tool([*mypy, "models", "schemas", "migrations"], built.out)

    # Assert
    assert lint.returncode == 0, lint.stdout
    assert formatted.returncode == 0, formatted.stdout
    assert typed.returncode == 0, typed.stdout
