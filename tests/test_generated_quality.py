"""The whole generated tree (models, schemas, migrations, runtime modules) of the example and of every
corpus document that `specc check` finds no errors in passes `ruff check`, `ruff format --check` and
`mypy --strict` as generated."""

from __future__ import annotations

from pathlib import Path

import pytest

from specc.build import build
from specc.config import Config
from specc.frontend import load
from tests.conftest import EXAMPLE_SPEC, corpus_documents
from tests.emit.models_harness import LINT_CONFIG, VENV_BIN, run_tool


def _documents() -> list[Path]:
    documents = [EXAMPLE_SPEC]
    for path in corpus_documents():
        front = load(path, None, Config(root=path.parent))
        if front.errors == 0 and front.spec.tables:
            documents.append(path)
    return documents


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.stem[:24])
def test_generated_tree_passes_ruff_and_mypy_strict(document: Path, tmp_path: Path, mypy_cache: Path) -> None:
    # Arrange
    out = tmp_path / "generated"
    # Laid out for the line length LINT_CONFIG checks with (110).
    config = Config(root=document.parent, line_length=110)
    result = build(document, None, out, config, echo=lambda _: None)
    assert result.exit_code == 0
    (tmp_path / "pyproject.toml").write_text(LINT_CONFIG, encoding="utf-8")

    # Act
    lint = run_tool([str(VENV_BIN / "ruff"), "check", "generated"], tmp_path)
    formatted = run_tool([str(VENV_BIN / "ruff"), "format", "--check", "generated"], tmp_path)
    mypy = [str(VENV_BIN / "mypy"), "--strict", "--cache-dir", str(mypy_cache)]
    typed = run_tool(
        [*mypy, "models", "schemas", "migrations"], out
    )  # from `out`, as env.py imports `models`
    runtime = [f"generated.{path.stem}" for path in sorted(out.glob("*.py"))]
    runtime_typed = run_tool(
        [*mypy, *(arg for module in runtime for arg in ("-m", module))], tmp_path
    )  # as an app imports them: `generated` is a namespace package, its modules import `.models`, ...

    # Assert
    assert lint.returncode == 0, lint.stdout
    assert formatted.returncode == 0, formatted.stdout
    assert typed.returncode == 0, typed.stdout
    assert {"generated.config", "generated.contracts", "generated.database", "generated.errors"} <= set(
        runtime
    )
    assert runtime_typed.returncode == 0, runtime_typed.stdout
