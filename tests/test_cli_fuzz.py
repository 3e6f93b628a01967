"""Fuzzing the whole CLI (issue 9): documents made of grammar pieces, at extreme sizes and nesting and with
odd Unicode, through `specc check`, `specc ir` and `specc build` in-process. Whatever the input: no traceback,
an exit code in {0, 1, 2}, output that a strict UTF-8 stream accepts, and every generated `.py` compiles.

`FUZZ_EXAMPLES` can be raised for a long local run:
    SPECC_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_cli_fuzz.py -q
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specc.cli import main

FUZZ_EXAMPLES = int(os.environ.get("SPECC_FUZZ_EXAMPLES", "25"))

HEAD = "# Fuzz\n\n## Database Schema\n\n### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
ROW = "| {name} | {type} | {constraints} |\n"
CONTRACT = (
    "\n## API Contracts\n\n### {method} /api/{path}\n\n- **Auth:** {auth}\n- **Request Body:**\n\n"
    "```json\n{body}\n```\n\n- **Success Response (201):**\n\n```json\n{response}\n```\n"
)

_odd = st.sampled_from(
    [
        "\x1b[2J",
        "\x1b]0;t\x07",
        "\u202e",
        "\u2066",
        "\u200b",
        "\x00",
        "\x7f",
        "\x9b",
        "\u2028",
        "\ufeff",
        "²",
        "٣",
        "𝟘",
        "ﬁ",
        "é",
        "日本",
        "😀",
        "\\",
        "|",
        "`",
        "'",
        '"',
        "$$",
        ";",
    ]
)


@st.composite
def _repeat(draw: st.DrawFn, piece: str, low: int = 0, high: int = 5000) -> str:
    return piece * draw(st.integers(low, high))


def _word() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["id", "note", "email", "user_id", "x", "first name", "ﬁle", "class", "None"]),
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8),
        _odd,
    )


def _type() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(
            ["BIGINT", "TEXT", "VARCHAR(255)", "NUMERIC(10,2)", "ENUM('a','b')", "ENUM()", "JSONB"]
        ),
        st.builds(lambda d: f"VARCHAR({d})", _repeat("9", 1, 6000)),
        st.builds(lambda d: f"NUMERIC({d},{d})", _repeat("7", 1, 60)),
        st.builds(lambda d: f"VECTOR({d})", _repeat("1", 1, 30)),
        st.builds(lambda a: "INTEGER" + a, _repeat("[]", 0, 40)),
        st.builds(lambda p: "VARCHAR" + p, _repeat("(", 1, 200)),
        st.builds(lambda v: f"ENUM({v})", st.text(max_size=30)),
        _odd,
    )


def _constraints() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(["", "PK", "NOT NULL", "UNIQUE", "FK → users.id, ON DELETE CASCADE", "indexed"]),
        st.builds(lambda x: f"DEFAULT '{x}'", _repeat("x", 0, 20000)),
        st.builds(lambda x: f"DEFAULT {x}", _repeat("9", 1, 5000)),
        st.builds(lambda p: "DEFAULT " + p + "1" + p.replace("(", ")"), _repeat("(", 0, 3000)),
        st.builds(lambda q: f"CHECK (note <> '{q}')", _repeat("''", 0, 3000)),
        st.builds(lambda w: w, _repeat("x ", 0, 5000)),
        st.builds(lambda o: f"DEFAULT '{o}'", _odd),
        st.text(max_size=20),
    )


def _json_key(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A JSON object key, any text (NUL included: it must reach generated code only escaped)."""
    return text.map(json.dumps)


def _json() -> st.SearchStrategy[str]:
    scalar = st.one_of(
        st.sampled_from(['"string"', "1", "true", "null", '"user@example.com"', "1e400", "-1e-400", "1.5"]),
        st.builds(lambda d: d, _repeat("9", 1, 5000)),
        st.sampled_from(['"\\ud800"', '"\\udc00x"', '"\\ud83d\\ude00"', '"\\u0000"', '"\\u001b[31m"']),
        st.builds(json.dumps, st.text(max_size=10)),
    )
    return st.one_of(
        st.builds(lambda v: '{"a": ' + v + "}", scalar),
        st.builds(lambda n, v: '{"a":' * n + v + "}" * n, st.integers(1, 400), scalar),
        st.builds(lambda n, v: "[" * n + v + "]" * n, st.integers(1, 400), scalar),
        st.builds(lambda k, v: "{" + k + ": 1, " + k + ": " + v + "}", _json_key(_word()), scalar),
        st.builds(lambda k: '{"\\ud800": 1, ' + k + ": 2}", _json_key(_word())),
        st.text(max_size=30),
    )


@st.composite
def documents(draw: st.DrawFn) -> str:
    rows = draw(st.lists(st.tuples(_word(), _type(), _constraints()), max_size=4))
    text = HEAD + "| id | BIGINT | PK, auto-increment |\n"
    text += "".join(ROW.format(name=n, type=t, constraints=c) for n, t, c in rows)
    if draw(st.booleans()):
        text += CONTRACT.format(
            method=draw(st.sampled_from(["GET", "POST", "PATCH"])),
            path=draw(st.one_of(st.sampled_from(["users", "users/{id}", "{", "}{"]), _repeat("{", 0, 3000))),
            auth=draw(st.sampled_from(["required", "none", "\x1b[2J"])),
            body=draw(_json()),
            response=draw(_json()),
        )
    if draw(st.booleans()):
        text += draw(
            st.sampled_from(["\n### Relationships\n\n- users → ", "\n- **Check:** id > 0", "\n> > > "])
        )
        text += draw(_repeat(draw(st.sampled_from(["[a](", "<!--", "> ", "  - ", " ", "{"])), 0, 3000))
    return text


_LETTERS = st.characters(categories=("Lu", "Ll", "Lo", "Nd", "Pc"), exclude_characters="\u0130")
_ODD_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)


def _plausible_json(depth: int) -> st.SearchStrategy[str]:
    scalar = st.one_of(
        st.sampled_from(['"string"', "1", "true", "null", '"user@example.com"', "1.5e300", '"2024-01-01"']),
        st.builds(lambda d: d, _repeat("9", 1, 100)),
        st.builds(json.dumps, _ODD_TEXT),
        st.builds(lambda t: json.dumps(t, ensure_ascii=False), _ODD_TEXT),
    )
    if depth == 0:
        return scalar
    inner = _plausible_json(depth - 1)
    key = _json_key(st.one_of(st.text(_LETTERS, min_size=1, max_size=8), _ODD_TEXT))
    return st.one_of(
        scalar,
        st.builds(lambda items: "[" + ", ".join(items) + "]", st.lists(inner, max_size=2)),
        st.builds(
            lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}",
            st.lists(st.tuples(key, inner), max_size=3),
        ),
    )


@st.composite
def plausible_documents(draw: st.DrawFn) -> str:
    """Documents that mostly pass `specc check`, so that the writers see odd names, values and nesting."""
    name = st.one_of(
        st.sampled_from(
            ["note", "ﬁle", "naïve", "пользователь", "class", "None", "x" * 70, "id2", "first name"]
        ),
        st.text(_LETTERS, min_size=1, max_size=10),
    )
    literal = st.builds(lambda t: "'" + t.replace("'", "''").replace("|", "\\|") + "'", _ODD_TEXT)
    value_type = st.sampled_from(
        ["TEXT", "VARCHAR(20)", "BIGINT", "NUMERIC(10,2)", "BOOLEAN", "JSONB", "TEXT[]"]
    )
    enum = st.builds(
        lambda values: (
            "ENUM(" + ",".join("'" + v.replace("'", "''").replace("|", "\\|") + "'" for v in values) + ")"
        ),
        st.lists(st.text(_LETTERS, min_size=1, max_size=6), min_size=1, max_size=3, unique=True),
    )
    constraints = st.one_of(
        st.sampled_from(
            ["", "NOT NULL", "UNIQUE", "indexed", "DEFAULT 0", "DEFAULT now()", "CHECK (id > 0)"]
        ),
        st.builds(lambda v: f"DEFAULT {v}", literal),
    )
    columns = draw(
        st.lists(
            st.tuples(name, st.one_of(value_type, enum), constraints),
            max_size=4,
            unique_by=lambda c: c[0].casefold().split(" ")[0],
        ).filter(lambda cs: all(c[0].casefold().split(" ")[0] != "id" for c in cs))
    )
    text = "# Fuzz\n\n## Database Schema\n\n### " + draw(
        st.sampled_from(["users", "user_accounts", "ünïcode"])
    )
    text += "\n\n| Column | Type | Constraints | Description |\n| --- | --- | --- | --- |\n"
    text += "| id | BIGINT | PK, auto-increment | key |\n"
    for column, column_type, column_constraints in columns:
        description = draw(_ODD_TEXT).replace("|", "\\|").replace("\n", " ")
        text += f"| {column} | {column_type} | {column_constraints} | {description} |\n"
    if draw(st.booleans()):
        body = draw(_plausible_json(3))
        text += CONTRACT.format(method="POST", path="users", auth="required", body=body, response='{"id": 1}')
        text += "- **Error Responses:**\n  - 401: Not authenticated\n  - 422: Validation error\n"
    return text


@contextlib.contextmanager
def _in(directory: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(before)


def _run(argv: list[str]) -> int:
    """`main(argv)` with stdout and stderr as strict UTF-8 streams (as a terminal or a pipe would be)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
        out.flush()
        err.flush()
    return code


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(st.one_of(documents(), plausible_documents()))
def test_cli_answers_every_document_without_traceback_and_writes_only_compilable_python(text: str) -> None:
    # Arrange
    with tempfile.TemporaryDirectory() as tmp, _in(Path(tmp)):
        Path("spec.md").write_text(text, encoding="utf-8", errors="surrogatepass")

        # Act
        check = _run(["check", "spec.md"])
        ir = _run(["ir", "spec.md", "-o", "ir.json"])
        build = _run(["build", "spec.md", "--out", "out", "--no-cache"])

        # Assert
        assert {check, ir, build} <= {0, 1, 2}
        if ir in (0, 1):
            json.loads(Path("ir.json").read_text(encoding="utf-8"))
        for path in sorted(Path("out").rglob("*.py")):
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
