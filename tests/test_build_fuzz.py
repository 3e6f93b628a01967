"""Fuzzing `specc build` with hostile documents: no traceback, an exit code in {0, 1, 2}, and when it builds,
every generated Python file compiles and every SQL statement the migrations would run is one statement.

Documents are assembled from hostile pieces (names in every script and with quotes, dollar signs, invisible
characters; SQL payloads in DEFAULT, CHECK and Type cells; JSON bodies with odd keys and deep nesting) and
from random fragments, so builds both succeed and fail. The SQL is what `alembic upgrade head --sql` writes
(offline mode, no database), read back with PostgreSQL's lexical rules (`specc.sql.lexer`).
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config as AlembicConfig
from hypothesis import given, settings
from hypothesis import strategies as st

from specc.cli import main
from specc.sql.lexer import Kind, tokenize

# Each pool mixes plain pieces (most draws, so that many documents build), pieces that are legal but tricky
# (they must build and still give compiling Python and single statements) and hostile ones (refused).
_PLAIN_NAMES = ["users", "items", "orders", "notes", "tags", "events"]
NAMES = st.sampled_from(
    _PLAIN_NAMES * 3
    + ["none", "class", "ﬁle", "file", "user-accounts", "пользователи", "metadata", "Base", "sa", "naïve"]
    + ["日本", "a$$b", "%(x)s", "a:b", "it's", 'say"hi', "us\u200bers", "x" * 70, "1abc", "_private"]
)
TYPES = st.sampled_from(
    ["BIGINT", "TEXT", "VARCHAR(255)", "NUMERIC(10,2)", "JSONB", "TIMESTAMPTZ", "BOOLEAN"] * 3
    + ["ENUM('a','b''c','$$')", "citext", "vector(3)", "INTEGER[][]", "ENUM('x:y', 'it''s')"]
    + ["ENUM()", "x(1; DROP TABLE users; --)", "VARCHAR(99999999999999999999)", "INTEGER" + "[]" * 300]
)
SQL = st.sampled_from(
    ["'a'", "now()", "0", "true", "x > 0", "length(x) > 0"] * 2
    + ["'it''s'", "E'\\''", "$$'$$", "$a$ ; DROP TABLE users; $a$", "'{\"a\":1}'", "' :x %s %(y)s'"]
    + ["CASE WHEN true THEN NULL END", "'a\\b'"]
    + ["($$'$$); DROP TABLE users; --", "'abc", "1 -- x", "0 NOT NULL", "pg_read_file('/etc/passwd')"]
)
CONSTRAINTS = st.one_of(
    st.sampled_from(["", "NOT NULL", "UNIQUE", "indexed", "NOT NULL, UNIQUE"]),
    SQL.map(lambda e: f"DEFAULT {e}"),
    SQL.map(lambda e: f"CHECK ({e})"),
    st.sampled_from(["FK → users.id, ON DELETE CASCADE", "FK → nowhere.id, ON DELETE CASCADE"]),
)
JSON_BODIES = st.sampled_from(
    ['{"name": "string"}', '{"count": 1, "tags": ["a"]}'] * 3
    + ['{"x\\u0000y": 1}', '{"\\ud800": "a"}', '{"a": 1, "a": 2}', '{"n": 1e400}']
    + ['{"big": ' + "9" * 5000 + "}", "[" * 300 + "]" * 300]
    + ['{"class": true, "none": null, "ﬁle": "a", "file": "b", "x:y": 1, "it\'s": 2}']
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


@st.composite
def documents(draw: st.DrawFn) -> str:
    parts = ["# Fuzz\n\n## Database Schema\n"]
    tables = ["users", *draw(st.lists(NAMES.filter(lambda n: n != "users"), max_size=2, unique=True))]
    for table in tables:
        parts.append(f"\n### {table}\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n")
        parts.append("| id | BIGINT | PK, auto-increment |\n")
        for column in draw(st.lists(NAMES.filter(lambda n: n != "id"), max_size=4, unique=True)):
            parts.append(f"| {_cell(column)} | {_cell(draw(TYPES))} | {_cell(draw(CONSTRAINTS))} |\n")
    if draw(st.booleans()):
        parts.append(
            "\n## API Contracts\n\n### POST /api/things\n\n**Auth:** Required\n\n**Request Body:**\n"
            f"```json\n{draw(JSON_BODIES)}\n```\n\n**Success Response (201):**\n```json\n{{}}\n```\n"
        )
    if draw(st.integers(0, 3)) == 0:
        parts.append(draw(st.text(alphabet="|`#-*$'\"\\(); \n\u200b\x1b", max_size=60)))
    return "".join(parts)


class _Statements(io.StringIO):
    """Alembic's offline output, one entry per statement (each statement is one write)."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


def _offline_statements(out: Path) -> list[str]:
    buffer = _Statements()
    config = AlembicConfig(str(out / "migrations" / "alembic.ini"), output_buffer=buffer)
    config.set_main_option("sqlalchemy.url", "postgresql+psycopg://fuzz@localhost/fuzz")
    command.upgrade(config, "head", sql=True)
    return [w for w in buffer.writes if w.strip()]


def _one_statement(chunk: str) -> bool:
    tokens = [t for t in tokenize(chunk) if t.kind is not Kind.SPACE]
    if not tokens:
        return True
    if tokens[0].kind is Kind.COMMENT:
        return len(tokens) == 1  # Alembic's "-- Running upgrade" line
    semicolons = [t for t in tokens if t.kind is Kind.SEMICOLON]
    no_errors = all(t.kind not in (Kind.ERROR, Kind.COMMENT) for t in tokens)
    return no_errors and len(semicolons) <= 1 and (not semicolons or semicolons[0] is tokens[-1])


@pytest.mark.slow
@settings(max_examples=120)
@given(documents())
def test_build_answers_every_document_with_compiling_python_and_single_statements(text: str) -> None:
    # Arrange
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):
        spec = Path(folder) / "ARCHITECTURE.md"
        spec.write_text(text, encoding="utf-8")
        # Act
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(["build", str(spec), "--out", "out", "--no-cache"])
        # Assert
        assert code in (0, 1, 2)
        out = Path(folder) / "out"
        if code != 0:
            return
        for path in sorted(out.rglob("*.py")):
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        statements = _offline_statements(out)
        assert statements, "the migrations wrote no SQL"
        bad = [s for s in statements if not _one_statement(s)]
        assert bad == []
