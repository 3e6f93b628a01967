"""Adversarial names from the document (keywords, builtins, names Python folds together under NFKC, other
scripts, control characters in JSON keys): `specc build` never writes Python that does not compile, never
gives two columns or fields one Python name, and the models it writes create the tables on PostgreSQL."""

from __future__ import annotations

import ast
import json
import unicodedata
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from specc.config import Config
from specc.db.lower import lower
from specc.db.reflect import read_database
from specc.diagnostics import Reporter
from specc.emit.models import render_models
from specc.emit.schemas import render_schemas
from specc.frontend import load
from specc.ir.model import Column, Spec, Table
from tests.db.compare import schema_differences
from tests.emit.models_harness import (
    LINT_CONFIG,
    VENV_BIN,
    create_all,
    import_tree,
    metadata_of,
    run_tool,
    write_tree,
)
from tests.emit.names_harness import build_spec, compile_errors, table

NASTY = (
    "none",
    "class",
    "def",
    "import",
    "true",
    "match",
    "case",
    "type",
    "_",
    "__init__",
    "int",
    "str",
    "list",
    "dict",
    "bool",
    "id",
    "sa",
    "mapped",
    "base",
    "metadata",
    "registry",
    "datetime",
    "decimal",
    "uuid",
    "any",
    "pgtype",
    "declared_attr",
    "mapped_column",
    "relationship",
    "model_config",
    "model_dump",
    "field",
    "basemodel",
    "ﬁle",
    "file",
    "ｓａ",
    "ﬁ",
    "пользователи",
    "用户",
    "café",
    "cafe\u0301",
    "1st",
    "2024_x",
    "user-accounts",
    "a$b",
    "x_",
    "__x",
    "history[].type",
)
"""Names that every Python-name rule has to get right, all of them names the reader accepts."""

ACCEPTED = "abzAZ019_-$ﬁｓａяЖéß\u0301"
"""Letters (several scripts, a ligature, full-width forms), digits, marks, `_`, `-`, `$`: names the reader
takes as written."""
REJECTED = "'\"\\:.,;\u200b"
"""Quotes, backslash, punctuation, an invisible character: names the reader reports (P030–P033)."""

TABLE_NAMES = st.sampled_from(NASTY) | st.text(ACCEPTED, min_size=1, max_size=10)
NAMES = TABLE_NAMES | st.text(ACCEPTED + REJECTED, min_size=1, max_size=6)

KEY_TEXT = st.text(
    st.characters(min_codepoint=0, max_codepoint=0xFFFF, exclude_categories=("Cs",)), min_size=1, max_size=8
)
JSON_KEYS = st.sampled_from((*NASTY, "x\x00y", 'a"""b', 'tail"', "back\\slash", "line\u2028sep")) | KEY_TEXT


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A document with one or two tables and one endpoint, names and JSON keys drawn adversarially."""
    parts = ["# Adversarial\n\n"]
    table_names = draw(st.lists(TABLE_NAMES, min_size=1, max_size=2, unique_by=str.lower))
    for i, name in enumerate(table_names):
        columns = draw(
            st.lists(NAMES.filter(lambda n: n not in ("id", "state")), min_size=1, max_size=4, unique=True)
        )
        rows = ["| id | BIGINT | PK, auto-increment |"]
        rows += [f"| {c} | TEXT | |" for c in columns]
        if i == 0 and draw(st.booleans()):
            rows.append("| state | ENUM('a','b') | NOT NULL |")
        parts.append(table(name, *rows))
    keys = draw(st.lists(JSON_KEYS, min_size=1, max_size=4))
    nested = draw(JSON_KEYS)
    body = "{ " + ", ".join(f"{json.dumps(k)}: 1" for k in keys) + f', {json.dumps(nested)}: {{ "a": 1 }} }}'
    parts.append(
        "### POST /api/items\n\n- **Auth:** Required\n- **Request:**\n  ```json\n"
        f"  {body}\n  ```\n- **Success Response (201):**\n  ```json\n  {body}\n  ```\n"
        "- **Error Responses:**\n  - 401: Missing token\n  - 422: Invalid body\n"
    )
    return "".join(parts)


def _python_names(source: str, class_name: str) -> list[str]:
    """The attribute names Python itself reads in a class body (NFKC-normalised by the parser)."""
    cls = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef) and n.name == class_name)
    return [n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(documents())
@example("# A\n\n" + table("none", "| id | BIGINT | PK |", "| ﬁle | TEXT | |", "| file | TEXT | |"))
@example("# A\n\n" + table("true", "| id | BIGINT | PK |", "| ｓａ | TEXT | |", "| sa | TEXT | |"))
def test_build_writes_only_compiling_python_and_keeps_every_column_for_adversarial_names(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    # Arrange
    tmp = tmp_path_factory.mktemp("adversarial")

    # Act
    built = build_spec(tmp, text)

    # Assert
    assert built.exit_code in (0, 1), built.text()
    if built.exit_code != 0:
        assert not (built.out / "models").exists()
        return
    files = built.python_files()
    assert compile_errors(files) == {}
    json.loads((built.out / "openapi.json").read_text(encoding="utf-8"))
    spec = load(tmp / "ARCHITECTURE.md", None, Config(root=tmp)).spec
    for module, source in files.items():
        if module.startswith("models/") and module not in ("models/__init__.py", "models/base.py"):
            classes = [n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)]
            tablename = next(
                s.value.value  # type: ignore[attr-defined]
                for s in classes[0].body
                if isinstance(s, ast.Assign) and getattr(s.targets[0], "id", "") == "__tablename__"
            )
            ir = spec.table(tablename)
            assert ir is not None
            attributes = _python_names(source, classes[0].name)
            assert len(set(attributes)) == len(attributes) == len({c.name for c in ir.columns})


IR_NAMES = st.text(
    st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), min_size=1, max_size=8
)
"""Any text at all, lone surrogates and control characters included: the writers must survive names the
reader would never produce."""


@st.composite
def ir_specs(draw: st.DrawFn) -> Spec:
    tables: list[Table] = []
    for name in draw(st.lists(IR_NAMES, min_size=1, max_size=3, unique=True)):
        columns = [Column(name="id", type="BIGINT", nullable=False, primary_key=True)]
        for col in draw(st.lists(IR_NAMES.filter(lambda n: n != "id"), max_size=3, unique=True)):
            kind = draw(st.sampled_from(("TEXT", "ENUM('a','b')", "INTEGER")))
            columns.append(
                Column(name=col, type=kind, unique=draw(st.booleans()), check=f"length('{col}') > 0")
            )
        tables.append(Table(name=name, columns=tuple(columns)))
    return Spec(tables=tuple(tables))


@settings(max_examples=60)
@given(ir_specs())
@example(Spec(tables=(Table(name="none", columns=(Column(name="a\x00b\ud800", type="TEXT"),)),)))
def test_models_and_schemas_writers_emit_compiling_python_for_any_names(spec: Spec) -> None:
    # Arrange
    source = "spec\u2028.md"

    # Act
    files = {**render_models(spec, "spec.md"), **render_schemas(spec, source, Path("."), Reporter())}

    # Assert
    assert compile_errors(files) == {}
    for rel, text in files.items():
        text.encode("utf-8")  # no lone surrogate reaches a file
        if rel.startswith("models/") and rel not in ("models/__init__.py", "models/base.py"):
            cls = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
            attributes = _python_names(text, cls.name)
            assert len(set(attributes)) == len(attributes)


PG_NAMES = (
    "none",
    "class",
    "int",
    "sa",
    "metadata",
    "ﬁle",
    "file",
    "ｓａ",
    "пользователи",
    "user-accounts",
    "a$b",
    "1st",
    "café",
    "type",
    "match",
)


def adversarial_document() -> str:
    """Every name of `PG_NAMES` as a table holding every other one as a column, plus an enum column, and an
    endpoint whose body has those names and control characters as keys."""
    text = "# Adversarial\n\n" + "".join(
        table(
            name,
            "| id | BIGINT | PK, auto-increment |",
            *(f"| {c} | TEXT | |" for c in PG_NAMES if c != name),
            "| state | ENUM('a','b') | NOT NULL |",
        )
        for name in PG_NAMES
    )
    keys = [*PG_NAMES, "x\x00y", 'a"""b', 'tail"', "back\\slash", "line\u2028sep"]
    body = "{ " + ", ".join(f"{json.dumps(k)}: 1" for k in keys) + ', "nested": { "a": 1 } }'
    return text + (
        "### POST /api/items\n\n- **Auth:** Required\n- **Request:**\n  ```json\n"
        f"  {body}\n  ```\n- **Success Response (201):**\n  ```json\n  {body}\n  ```\n"
        "- **Error Responses:**\n  - 401: Missing token\n  - 422: Invalid body\n"
    )


def test_generated_tree_passes_ruff_and_mypy_strict_for_adversarial_names(tmp_path: Path) -> None:
    # Arrange
    built = build_spec(tmp_path, adversarial_document())
    assert built.exit_code == 0, built.text()
    (tmp_path / "pyproject.toml").write_text(LINT_CONFIG, encoding="utf-8")

    # Act
    lint = run_tool([str(VENV_BIN / "ruff"), "check", "--no-cache", "generated"], tmp_path)
    formatted = run_tool([str(VENV_BIN / "ruff"), "format", "--check", "--no-cache", "generated"], tmp_path)
    typed = run_tool(
        [
            str(VENV_BIN / "mypy"),
            "--strict",
            "--cache-dir",
            str(tmp_path / ".mypy"),
            "models",
            "schemas",
            "migrations",
        ],
        built.out,
    )

    # Assert
    assert lint.returncode == 0, lint.stdout
    assert formatted.returncode == 0, formatted.stdout
    assert typed.returncode == 0, typed.stdout


@pytest.mark.postgres
def test_generated_models_import_and_create_every_table_on_postgres_for_adversarial_names(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange: every adversarial name as a table, each table with every adversarial name as a column
    spec = load_text(adversarial_document(), tmp_path)
    files = render_models(spec, "ARCHITECTURE.md")

    # Act
    package = write_tree(files, tmp_path)
    module = import_tree(tmp_path, package)
    metadata = metadata_of(module)
    create_all(metadata, pg_url)
    reflected = read_database(pg_url)

    # Assert
    assert sorted(t.name for t in spec.tables) == sorted(n.lower() for n in PG_NAMES)
    assert schema_differences(reflected, lower(spec)) == []
    engine = sa.create_engine(pg_url)
    try:
        with engine.connect() as conn:
            columns = conn.execute(
                sa.text(
                    "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped"
                )
            ).scalar()
    finally:
        engine.dispose()
    assert columns == len(PG_NAMES) * (len(PG_NAMES) + 1)  # id, the other names, state


def load_text(text: str, root: Path) -> Spec:
    """The IR of `text`, with no error diagnostic (the names above are all names the reader accepts)."""
    path = root / "ARCHITECTURE.md"
    path.write_text(text, encoding="utf-8")
    front = load(path, None, Config(root=root))
    assert front.errors == 0, [d.message for d in front.diagnostics if d.severity == "error"]
    return front.spec


def test_nfkc_names_in_pg_names_collide_in_python() -> None:
    # Arrange / Act
    folded = [unicodedata.normalize("NFKC", n) for n in PG_NAMES]

    # Assert: the PostgreSQL test really covers names Python reads as one
    assert len(set(folded)) < len(PG_NAMES)
