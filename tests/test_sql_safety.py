"""SQL from the document stays where it is put: PostgreSQL's lexical rules, the safety rules (S001–S003), the
escaping for SQLAlchemy's `text()`, the one-statement execution path of the generated env.py, and the
issue's injection payloads run end to end on a real PostgreSQL server."""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql

from specc.cli import main
from specc.config import Config
from specc.frontend import load
from specc.ir.model import Column, Spec, Table
from specc.migrate.database import upgrade
from specc.migrate.environment import _ALEMBIC_INI
from specc.sql.expression import expression_problem, type_problem
from specc.sql.lexer import Kind, same_boundaries, tokenize
from specc.sql.quoting import dollar_quoted, literal
from specc.sql.textclause import parameter_like
from tests.migrate.harness import Project

PAYLOAD_DEFAULT = (
    "DEFAULT ($$'$$); COPY (SELECT 1) TO PROGRAM $$touch {marker}$$; CREATE TABLE absorb (id int)"
)
PAYLOAD_CHECK = (
    "CHECK (note <> $$'$$)); COPY (SELECT 1) TO PROGRAM $$touch {marker}$$; "
    "CREATE TABLE absorb2 (note text CHECK (true)"
)


def spec_with(rows: str, table: str = "notes") -> str:
    return (
        "# Notes\n\n## Database Schema\n\n"
        f"### {table}\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
        "| id | BIGINT | PK, auto-increment |\n" + rows
    )


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check_codes(workdir: Path, text: str) -> list[tuple[str, int, int]]:
    spec = workdir / "ARCHITECTURE.md"
    spec.write_text(text, encoding="utf-8")
    front = load(spec, None, Config(root=workdir))
    return [(d.code, d.line, d.column) for d in front.diagnostics if d.code.startswith(("S", "P0"))]


# --- the lexer ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("$$'$$", [(Kind.STRING, "$$'$$")]),
        ("$a$ ) ; $b$ $a$", [(Kind.STRING, "$a$ ) ; $b$ $a$")]),
        ("x$$;", [(Kind.WORD, "x$$"), (Kind.SEMICOLON, ";")]),
        ("E'\\''", [(Kind.STRING, "E'\\''")]),
        ("'it''s'", [(Kind.STRING, "'it''s'")]),
        ("B'01' X'0f'", [(Kind.STRING, "B'01'"), (Kind.SPACE, " "), (Kind.STRING, "X'0f'")]),
        ('"a""b"', [(Kind.QUOTED_IDENTIFIER, '"a""b"')]),
        ("U&'\\0041'", [(Kind.STRING, "U&'\\0041'")]),
        ("1+--c", [(Kind.WORD, "1"), (Kind.OPERATOR, "+"), (Kind.COMMENT, "--c")]),
        ("/* a /* b */ c */x", [(Kind.COMMENT, "/* a /* b */ c */"), (Kind.WORD, "x")]),
        ("$1", [(Kind.PARAMETER, "$1")]),
        ("a::text", [(Kind.WORD, "a"), (Kind.OPERATOR, "::"), (Kind.WORD, "text")]),
    ],
)
def test_tokenize_reads_boundaries_as_postgresql_does(text: str, pieces: list[tuple[Kind, str]]) -> None:
    # Act
    tokens = tokenize(text)
    # Assert
    assert [(t.kind, text[t.start : t.end]) for t in tokens] == pieces


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("'abc", "unterminated string"),
        ("$tag$ never closed", "unterminated $tag$-quoted string"),
        ('"open', "unterminated quoted identifier"),
        ("/* open", "unterminated /* comment"),
        ("ab'1'", "a quote directly after a word"),
        ("1e'x'", "a quote directly after a word"),
    ],
)
def test_tokenize_ends_with_an_error_token_when_text_is_unterminated_or_glued(
    text: str, problem: str
) -> None:
    # Act
    last = tokenize(text)[-1]
    # Assert
    assert last.kind is Kind.ERROR
    assert last.problem == problem
    assert last.end == len(text)


# --- the expression rules -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "context"),
    [
        ("now()", "default"),
        ("'it''s'", "default"),
        ("E'a\\'b'", "default"),
        ("$$;DROP TABLE users;$$", "default"),
        ("'{\"a\":1}'::jsonb", "default"),
        ("NULL::text", "default"),
        ("CASE WHEN true THEN NULL ELSE 1 END", "default"),
        ("ARRAY[]::text[]", "default"),
        ("length(content) > 0", "check"),
        ("status IN ('a', 'b')", "check"),
        ("x IS NOT NULL", "check"),
        ("email ~ '^[^@]+@[^@]+\\.[^@]+$'", "check"),
    ],
)
def test_expression_problem_accepts_one_expression_when_well_formed(text: str, context: str) -> None:
    # Act
    problem = expression_problem(text, "default" if context == "default" else "check")
    # Assert
    assert problem is None


@pytest.mark.parametrize(
    ("text", "context", "offset", "words"),
    [
        ("($$'$$); DROP TABLE users", "default", 7, "';' would end the SQL statement"),
        ("note <> $$'$$) OR (true", "check", 13, "closes a bracket"),
        ("1 -- rest", "default", 2, "comments are not allowed"),
        ("1, other_column int", "default", 1, "a comma outside parentheses"),
        ("0 REFERENCES users", "default", 2, "would start a column constraint"),
        ("'a' COLLATE \"C\"", "default", 4, "would start a column constraint"),
        ("0 NOT NULL", "default", 2, "would start a column constraint"),
        ("'a\\'b'", "default", 2, "standard_conforming_strings"),
        ("x > $1", "check", 4, "parameters such as $1"),
        ("(1", "default", 2, "')' missing"),
        ("CASE WHEN true THEN 1", "default", 21, "'end' missing"),
        ("a\x1b[31m", "check", 1, "control character U+001B"),
        ("", "default", 0, "is empty"),
    ],
)
def test_expression_problem_locates_what_would_leave_the_expression(
    text: str, context: str, offset: int, words: str
) -> None:
    # Act
    problem = expression_problem(text, "default" if context == "default" else "check")
    # Assert
    assert problem is not None
    assert problem.offset == offset
    assert words in problem.message


@pytest.mark.parametrize(
    "text",
    ["pg_read_file('/etc/passwd')", "query_to_xml('delete from users', true, true, '')", '"pg_sleep"(10)'],
)
def test_expression_problem_marks_refused_functions_when_called(text: str) -> None:
    # Act
    problem = expression_problem(text, "check")
    # Assert
    assert problem is not None
    assert problem.dangerous_call


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("citext", True),
        ("vector(1536)", True),
        ("geometry(Point, 4326)", True),
        ("public.money_amount[]", True),
        ('"MyType"[3]', True),
        ("x(1; DROP TABLE users; --)", False),
        ("mytype DEFAULT 1", False),
        ("x()", False),
        ("x(1", False),
        ("1abc", False),
    ],
)
def test_type_problem_accepts_only_plain_type_names(text: str, ok: bool) -> None:
    # Act
    problem = type_problem(text)
    # Assert
    assert (problem is None) is ok


# --- the safety rules on documents --------------------------------------------------------------------


def test_check_reads_dollar_quoted_default_as_one_expression_and_reports_the_rest(workdir: Path) -> None:
    # Arrange
    row = f"| note | TEXT | {PAYLOAD_DEFAULT.format(marker='/tmp/x')} |\n"
    spec = workdir / "ARCHITECTURE.md"
    spec.write_text(spec_with(row), encoding="utf-8")
    # Act
    front = load(spec, None, Config(root=workdir))
    # Assert
    column = front.spec.tables[0].columns[1]
    assert column.default == "($$'$$)"
    unknown = sorted(d.message for d in front.diagnostics if d.code == "P006")
    assert unknown == [
        "unrecognised constraint 'COPY'; ignored",
        "unrecognised constraint 'CREATE TABLE absorb'; ignored",
        "unrecognised constraint 'TO PROGRAM $$touch /tmp/x$$'; ignored",
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("| a | TEXT | DEFAULT 'abc |\n", [("S001", 10, 14)]),
        ("| a | TEXT | DEFAULT (1 -- x) |\n", [("S001", 10, 14)]),
        ("| a | INTEGER | CHECK (a > 0 |\n", [("S001", 10, 17)]),
        ("| a | TEXT | DEFAULT 'a\\'b' |\n", [("S001", 10, 14), ("P006", 10, 26)]),
        ("| a | TEXT | DEFAULT pg_read_file('/etc/passwd') |\n", [("S003", 10, 14)]),
        ("| a | x(1; DROP TABLE users; --) | |\n", [("P017", 10, 7)]),
    ],
)
def test_check_reports_unsafe_sql_at_its_cell(
    workdir: Path, row: str, expected: list[tuple[str, int, int]]
) -> None:
    # Act
    found = check_codes(workdir, spec_with(row))
    # Assert
    assert found == expected


def test_check_keeps_safety_errors_when_disabled_or_suppressed(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange
    (workdir / "pyproject.toml").write_text('[tool.specc]\ndisable = ["S001"]\n', encoding="utf-8")
    text = spec_with("| a | TEXT | DEFAULT 'abc |\n").replace(
        "### notes", "### notes\n\n<!-- specc: ignore S001 -->"
    )
    spec = workdir / "ARCHITECTURE.md"
    spec.write_text(text, encoding="utf-8")
    # Act
    code = main(["check", str(spec)])
    # Assert
    assert code == 1
    assert "error[S001]: DEFAULT of notes.a: unterminated string" in capsys.readouterr().out


def test_build_refuses_a_spec_with_an_unsafe_default(workdir: Path) -> None:
    # Arrange
    spec = workdir / "ARCHITECTURE.md"
    spec.write_text(spec_with("| a | TEXT | DEFAULT (1; SELECT 2) |\n"), encoding="utf-8")
    # Act
    code = main(["build", str(spec), "--out", "out"])
    # Assert
    assert code == 1
    assert not (workdir / "out").exists()


# --- SQLAlchemy's text() -------------------------------------------------------------------------------

_TEXT_ALPHABET = st.sampled_from([":", ":", "\\", "a", "b1", "$", " ", "'", "_", "é", "::", "{", '"'])
# SQLAlchemy 2.0's parameter patterns (2.1 dropped `$` from them): text with no lone colon is safe in both.
_SQLALCHEMY_20_BIND = re.compile(r"(?<![:\w\$\x5c]):([\w\$]+)(?![:\w\$])")
_SQLALCHEMY_20_ESCAPE = re.compile(r"\x5c(:[\w\$]*)(?![:\w\$])")


def _compiled(element: sa.ClauseElement) -> str:
    return str(element.compile(dialect=postgresql.psycopg.dialect(), compile_kwargs={"literal_binds": True}))


@settings(max_examples=300)
@given(st.lists(_TEXT_ALPHABET, max_size=14).map("".join))
@example("'{\"a\":1}'::jsonb")
@example("'x :b y'")
@example("$:a")
def test_sql_text_compiles_to_itself_when_written_the_way_specc_writes_it(sql: str) -> None:
    # Act
    written = sa.literal_column(sql) if parameter_like(sql) else sa.text(sql)
    # Assert
    assert _compiled(written) == sql
    if not parameter_like(sql):
        assert _SQLALCHEMY_20_BIND.search(sql) is None
        assert _SQLALCHEMY_20_ESCAPE.search(sql) is None


def test_parameter_like_is_true_only_for_a_colon_some_sqlalchemy_release_could_rewrite() -> None:
    # Arrange
    texts = ("a::text", "a:::b", "'{\"a\":1}'", "x :b", "x := 1", "'a\\: '", "plain")
    # Act
    verdicts = [parameter_like(t) for t in texts]
    # Assert
    assert verdicts == [False, False, True, True, False, True, False]


# --- on PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture
def pg(pg_url: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    url = sa.engine.make_url(pg_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as connection:
        yield connection


def _probe(connection: psycopg.Connection[tuple[object, ...]], ddl: str, conforming: bool) -> None:
    """Run `ddl` the way a naive tool would (the simple protocol, which runs every statement in the text)
    and check it created exactly table `probe` with one column `c` and at most its one CHECK."""
    with connection.transaction(force_rollback=True):
        connection.execute(f"SET LOCAL standard_conforming_strings = {'on' if conforming else 'off'}")
        try:
            with connection.transaction():
                connection.execute(ddl)  # type: ignore[call-overload]  # no parameters: simple protocol
        except psycopg.Error:
            return
        relations = connection.execute(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' ORDER BY 1"
        ).fetchall()
        constraints = connection.execute(
            "SELECT contype FROM pg_constraint WHERE conrelid = 'probe'::regclass"
        ).fetchall()
        columns = connection.execute(
            "SELECT attname, attnotnull FROM pg_attribute WHERE attrelid = 'probe'::regclass AND attnum > 0"
        ).fetchall()
    assert relations == [("probe",)], ddl
    assert constraints in ([], [("c",)]), ddl
    assert columns == [("c", False)], ddl


_PIECES = st.sampled_from(
    [
        "'", "''", "\\", "$$", "$a$", "$b$", "E'", "e'", "U&'", "N'", "B'", "X'", '"', '""', "(", ")", "[",
        "]", ",", ";", "--", "/*", "*/", " ", "\n", "1", "c", "x$", "CASE", "END", "NULL", "NOT",
        " REFERENCES probe ", "CREATE TABLE pwned (i int)", "||", "::text", "'a'", "$$;$$", "E'\\''",
    ]
)  # fmt: skip
_BODY = st.text(alphabet="';)(-/*$\\ ,aE\n", max_size=12)


@st.composite
def _literal(draw: st.DrawFn) -> str:
    body = draw(_BODY)
    form = draw(st.sampled_from(["plain", "e", "dollar", "tagged", "unicode", "national"]))
    if form == "plain":
        return "'" + body.replace("'", "''") + "'"
    if form == "e":
        return "E'" + body.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if form == "unicode":
        return "U&'" + body.replace("'", "''") + "'"
    if form == "national":
        return "N'" + body.replace("'", "''") + "'"
    tag = "$$" if form == "dollar" else "$q$"
    return tag + body.replace(tag, "") + tag


@st.composite
def _expression(draw: st.DrawFn, depth: int = 0) -> str:
    kind = draw(st.integers(0, 5 if depth < 2 else 1))
    if kind == 0:
        return draw(_literal())
    if kind == 1:
        return draw(st.sampled_from(["1", "c", "NULL", "true"]))
    inner = draw(_expression(depth + 1))
    if kind == 2:
        return f"({inner})"
    if kind == 3:
        return f"{inner} || {draw(_expression(depth + 1))}"
    if kind == 4:
        return f"CASE WHEN {inner} IS NULL THEN {draw(_expression(depth + 1))} END"
    return f"coalesce({inner}, {draw(_literal())})"


@pytest.mark.postgres
@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fragment=st.one_of(st.lists(_PIECES, min_size=1, max_size=10).map("".join), _expression()),
    context=st.sampled_from(["default", "check"]),
    conforming=st.booleans(),
)
@example(fragment="$a$ ) ; CREATE TABLE pwned (i int); $a$", context="default", conforming=True)
@example(fragment="E'\\'' || ' ; CREATE TABLE pwned (i int); --'", context="check", conforming=False)
def test_accepted_fragment_creates_only_its_table_when_postgresql_runs_it(
    pg: psycopg.Connection[tuple[object, ...]], fragment: str, context: str, conforming: bool
) -> None:
    # Arrange
    if expression_problem(fragment, "default" if context == "default" else "check") is not None:
        return
    column = f"c text DEFAULT {fragment}" if context == "default" else f"c text CHECK ({fragment})"
    # Act / Assert
    _probe(pg, f"CREATE TABLE probe ({column})", conforming)


@pytest.mark.postgres
@pytest.mark.parametrize(
    "fragment",
    [
        "$a$ ) ; CREATE TABLE pwned (i int); $a$",
        "E'\\'' || ' ; CREATE TABLE pwned (i int); --'",
        "'it''s; CREATE TABLE pwned (i int)'",
        "CASE WHEN true THEN '' END",
    ],
)
def test_accepted_fragment_is_stored_whole_when_it_hides_statements_in_strings(
    pg: psycopg.Connection[tuple[object, ...]], fragment: str
) -> None:
    # Arrange
    assert expression_problem(fragment, "default") is None
    # Act
    with pg.transaction(force_rollback=True):
        pg.execute(f"CREATE TABLE probe (c text DEFAULT {fragment})")  # type: ignore[call-overload]
        relations = pg.execute("SELECT count(*) FROM pg_class WHERE relname = 'pwned'").fetchone()
    # Assert
    assert relations == (0,)


def _built(workdir: Path, rows: str) -> Path:
    spec = workdir / "ARCHITECTURE.md"
    spec.write_text(spec_with(rows), encoding="utf-8")
    assert main(["build", str(spec), "--out", "out"]) == 0
    return workdir / "out"


@pytest.mark.postgres
def test_upgrade_runs_no_second_statement_when_the_document_carries_the_issue_payloads(
    workdir: Path, pg_url: str
) -> None:
    # Arrange
    marker = Path("/tmp") / f"specc-pwned-{uuid.uuid4().hex}"
    rows = (
        f"| note | TEXT | {PAYLOAD_DEFAULT.format(marker=marker)} |\n"
        f"| body | TEXT | NOT NULL, {PAYLOAD_CHECK.format(marker=marker)} |\n"
    ).replace("note <>", "body <>")
    out = _built(workdir, rows)
    engine = sa.create_engine(pg_url)
    # Act
    upgrade(out, engine)
    # Assert
    with engine.connect() as connection:
        tables = connection.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).all()
        default = connection.execute(
            sa.text(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attname = 'note'"
            )
        ).scalar_one()
    engine.dispose()
    assert tables == [("alembic_version",), ("notes",)]
    assert default == "''''::text"
    assert not marker.exists()


@pytest.mark.postgres
def test_upgrade_keeps_colons_when_a_default_or_check_holds_one(workdir: Path, pg_url: str) -> None:
    # Arrange
    out = _built(workdir, "| doc | TEXT | DEFAULT '{\"a\":1}', CHECK (doc <> ' :x 50%') |\n")
    engine = sa.create_engine(pg_url)
    # Act
    upgrade(out, engine)
    # Assert
    with engine.connect() as connection:
        default = connection.execute(
            sa.text(
                "SELECT pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a "
                "ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE a.attname = 'doc'"
            )
        ).scalar_one()
        check = connection.execute(
            sa.text(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE contype = 'c' AND conrelid = 'notes'::regclass"
            )
        ).scalar_one()
    engine.dispose()
    assert default == "'{\"a\":1}'::text"
    assert check == "CHECK ((doc <> ' :x 50%'::text))"


@pytest.mark.postgres
def test_env_refuses_a_second_statement_when_a_revision_carries_one(workdir: Path, pg_url: str) -> None:
    # Arrange: a revision edited by hand to run two statements in one call (specc itself never writes one);
    # through the simple protocol PostgreSQL would run both.
    out = _built(workdir, "| note | TEXT | DEFAULT 'a' |\n")
    revision = next((out / "migrations" / "versions").glob("0001_*.py"))
    text = revision.read_text(encoding="utf-8")
    revision.write_text(
        text.replace(
            "def upgrade() -> None:\n",
            'def upgrade() -> None:\n    op.execute("SELECT 1; CREATE TABLE pwned (i int)")\n',
        ),
        encoding="utf-8",
    )
    engine = sa.create_engine(pg_url)
    # Act
    with pytest.raises(sa.exc.ProgrammingError, match="cannot insert multiple commands into a prepared"):
        upgrade(out, engine)
    # Assert
    with engine.connect() as connection:
        pwned = connection.execute(sa.text("SELECT to_regclass('pwned')")).scalar_one()
    engine.dispose()
    assert pwned is None


# --- templates: the spec's file name ------------------------------------------------------------------


def test_alembic_revision_runs_no_code_when_the_spec_name_holds_a_mako_block(workdir: Path) -> None:
    # Arrange
    name = 'x\n;<% __import__("os").system("touch PWNED_MAKO") %>\n#.md'
    spec = workdir / name
    spec.write_text(spec_with("| note | TEXT | |\n"), encoding="utf-8")
    assert main(["build", str(spec), "--out", "out"]) == 0
    migrations = workdir / "out" / "migrations"
    # Act
    done = subprocess.run(
        [sys.executable, "-m", "alembic", "revision", "-m", "manual"],
        cwd=migrations,
        capture_output=True,
        text=True,
        check=False,
    )
    # Assert
    assert done.returncode == 0, done.stderr
    assert not (migrations / "PWNED_MAKO").exists()
    assert not (workdir / "PWNED_MAKO").exists()
    header = (migrations / "script.py.mako").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("## Generated by specc from x<U+000A>;< % __import__")
    # The header stays one comment line above alembic.ini's fixed body.
    ini_body = _ALEMBIC_INI.count("\n")
    assert (migrations / "alembic.ini").read_text(encoding="utf-8").count("\n") == ini_body + 1


# --- SQL specc composes itself ------------------------------------------------------------------------


def test_literal_reads_the_same_with_either_string_setting_when_text_has_quotes_and_backslashes() -> None:
    # Act
    written = [literal(t) for t in ("plain", "it's", "a\\'b")]
    # Assert
    assert written == ["'plain'", "'it''s'", "E'a\\\\''b'"]
    assert all(tokenize(w)[0].end == len(w) and same_boundaries(w) for w in written)


def test_dollar_quoted_picks_a_tag_the_body_does_not_hold() -> None:
    # Act
    quoted = dollar_quoted("a $specc$ b $specc1$")
    # Assert
    assert quoted == "$specc2$a $specc$ b $specc1$$specc2$"


@pytest.mark.postgres
def test_autoincrement_toggle_keeps_quotes_and_dollars_of_a_column_name_as_data(
    tmp_path: Path, pg_url: str
) -> None:
    # Arrange: a column whose name would end a string constant or a dollar-quoted block if pasted raw
    hostile = "it'$$em"
    key = Column(name=hostile, type="BIGINT", nullable=False, primary_key=True)
    plain_spec = Spec(tables=(Table(name="items", columns=(key,)),))
    serial_spec = Spec(
        tables=(Table(name="items", columns=(key.model_copy(update={"autoincrement": True}),)),)
    )
    project = Project(tmp_path / "out", url=pg_url)
    # Act
    built = [project.build(plain_spec), project.build(serial_spec), project.build(plain_spec)]
    project.upgrade()
    # Assert
    assert [b.errors for b in built] == [[], [], []]
    assert len(project.revision_files()) == 3
    with project.engine.connect() as connection:
        sequences = connection.execute(sa.text("SELECT relname FROM pg_class WHERE relkind = 'S'")).all()
        tables = connection.execute(
            sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        ).all()
    project.downgrade("base")
    project.close()
    assert sequences == []
    assert tables == [("alembic_version",), ("items",)]
