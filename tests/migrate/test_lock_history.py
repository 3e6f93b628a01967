"""The lock file as untrusted input (issue 9): a hostile or corrupt `specc.lock.json` is reported (M005, at
the place), never a traceback; a lock whose revision history was reordered or edited is refused (M012) instead
of planning a revision on the wrong head; a hand-written revision on specc's head blocks a forking one
(M013)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from specc.cli import main
from specc.diagnostics import Diagnostic, Reporter
from specc.ir.model import Column
from specc.migrate import plan_build
from specc.migrate.lock import LOCK_FILE
from tests.migrate.harness import SOURCE, Project
from tests.migrate.samples import add_column, chat

SPEC = """# Demo

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
"""


def _plan(out: Path, columns: int = 0) -> tuple[dict[str, str], list[Diagnostic]]:
    spec = chat()
    for i in range(columns):
        spec = add_column(spec, "rooms", Column(name=f"c{i}", type="TEXT"))
    reporter = Reporter()
    files = plan_build(spec, out, source=SOURCE, allow_destructive=False, reporter=reporter)
    return files, reporter.sorted()


def _three_revisions(out: Path) -> Project:
    project = Project(out)
    for columns in range(3):
        spec = chat()
        for i in range(columns):
            spec = add_column(spec, "rooms", Column(name=f"c{i}", type="TEXT"))
        assert project.build(spec).errors == []
    return project


def test_plan_build_reports_m011_when_a_recorded_index_method_is_not_the_dialects(tmp_path: Path) -> None:
    # Arrange: a recorded index method reaches the DDL unquoted (`USING <method>`) in a later revision
    _three_revisions(tmp_path)
    lock = (tmp_path / LOCK_FILE).read_text(encoding="utf-8")
    recorded = '{"columns":["name"],"name":"ix_rooms_name"}'
    edited = lock.replace(
        recorded, '{"columns":["name"],"method":"btree; DROP TABLE users","name":"ix_rooms_name"}'
    )
    assert edited.count("DROP TABLE users") == 3  # the rooms table at each revision
    (tmp_path / LOCK_FILE).write_text(edited, encoding="utf-8")

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert [d.code for d in diagnostics] == ["M011"] * 3
    assert all("has the method 'btree; DROP TABLE users'" in d.message for d in diagnostics)


# --- unreadable locks --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message", "line", "column"),
    [
        (
            b"[" * 100_000 + b"]" * 100_000,  # issue 9: 100,000 levels of nesting (RecursionError)
            "cannot read the lock file: nested more than 32 levels deep",
            1,
            33,
        ),
        (
            b'{"version": ' + b"9" * 5000 + b"}",  # issue 9: a 5,000-digit integer (ValueError)
            "cannot read the lock file: a number of 5000 characters (specc writes at most 20)",
            1,
            13,
        ),
        (
            b'\xff\xfe{"version": 1}',  # issue 9: bytes \xff\xfe
            "cannot read the lock file: byte 0xff is not valid UTF-8",
            1,
            1,
        ),
        (
            b'{\n  "version": 1,\n  "revisions": [}',
            "cannot read the lock file: Expecting value",
            3,
            17,
        ),
    ],
)
def test_plan_build_reports_m005_at_place_when_lock_is_hostile(
    tmp_path: Path, content: bytes, message: str, line: int, column: int
) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    (tmp_path / LOCK_FILE).write_bytes(content)

    # Act
    files, diagnostics = _plan(tmp_path)

    # Assert
    assert files == {}
    assert [(d.code, d.message, d.line, d.column) for d in diagnostics] == [("M005", message, line, column)]


@pytest.mark.parametrize("check", [False, True])
def test_build_exits_1_when_lock_is_hostile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], check: bool
) -> None:
    # Arrange
    monkeypatch.chdir(tmp_path)
    (tmp_path / "spec.md").write_text(SPEC, encoding="utf-8")
    assert main(["build", "spec.md", "--out", "out"]) == 0
    (tmp_path / "out" / LOCK_FILE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")

    # Act
    code = main(["build", "spec.md", "--out", "out", "--no-cache"] + (["--check"] if check else []))

    # Assert
    err = capsys.readouterr().err
    assert code == 1
    assert "out/specc.lock.json:1:33: error[M005]" in err


def test_parse_lock_reports_m005_when_revision_hash_is_not_sha256(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    lock = tmp_path / LOCK_FILE
    lock.write_text(re.sub(r'"sha256": "[0-9a-f]+"', '"sha256": "x"', lock.read_text()), encoding="utf-8")

    # Act
    files, diagnostics = _plan(tmp_path)

    # Assert
    assert files == {}
    assert [d.code for d in diagnostics] == ["M005"]
    assert diagnostics[0].message.startswith(
        "cannot read the lock file: revisions.0.sha256: String should match"
    )


# --- the revision history ----------------------------------------------------------------------------------


def _swap_revision_lines(lock: Path, first: int, second: int) -> None:
    lines = lock.read_text(encoding="utf-8").split("\n")
    rows = [i for i, line in enumerate(lines) if line.startswith('    {"id": ')]
    a, b = rows[first], rows[second]
    body_a, body_b = lines[a].rstrip(","), lines[b].rstrip(",")
    lines[a] = body_b + ("," if lines[a].endswith(",") else "")
    lines[b] = body_a + ("," if lines[b].endswith(",") else "")
    text = "\n".join(lines)
    head = json.loads(text)["revisions"][-1]["id"]
    lock.write_text(re.sub(r'"head": "[^"]*"', f'"head": "{head}"', text), encoding="utf-8")


def test_plan_build_reports_m012_when_two_revisions_are_swapped_in_lock(tmp_path: Path) -> None:
    # Arrange: issue 9 (low): swapping two revisions gave a misleading M010, or (here) a forking revision
    _three_revisions(tmp_path)
    _swap_revision_lines(tmp_path / LOCK_FILE, 1, 2)

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert [(d.code, d.line, d.message) for d in diagnostics] == [
        (
            "M012",
            7,
            "the lock's revision history is broken: revision 2 is '0003_add_rooms_c1'; its number should be "
            "0002",
        ),
        (
            "M012",
            8,
            "the lock's revision history is broken: revision 3 is '0002_add_rooms_c0'; its number should be "
            "0003",
        ),
    ]
    assert sorted(p.name for p in (tmp_path / "migrations/versions").glob("0*.py")) == [
        "0001_initial.py",
        "0002_add_rooms_c0.py",
        "0003_add_rooms_c1.py",
    ]


def test_build_writes_no_forking_revision_when_lock_revisions_are_swapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange: issue 9 (low): the reproduction through the CLI; before, exit 0 and two Alembic heads
    monkeypatch.chdir(tmp_path)
    text = SPEC
    for column in ("a", "b", "c"):
        text += f"| {column} | TEXT | |\n"
        (tmp_path / "spec.md").write_text(text, encoding="utf-8")
        assert main(["build", "spec.md", "--out", "out"]) == 0
    _swap_revision_lines(tmp_path / "out" / LOCK_FILE, 1, 2)
    (tmp_path / "spec.md").write_text(text + "| d | TEXT | |\n", encoding="utf-8")

    # Act
    codes = [main(["build", "spec.md", "--out", "out", *extra]) for extra in ([], ["--allow-destructive"])]

    # Assert
    assert codes == [1, 1]
    assert "error[M012]" in capsys.readouterr().err
    versions = sorted(p.name for p in (tmp_path / "out/migrations/versions").glob("0*.py"))
    assert versions == ["0001_initial.py", "0002_add_users_b.py", "0003_add_users_c.py"]


def test_plan_build_reports_m012_when_down_revision_is_edited_in_lock(tmp_path: Path) -> None:
    # Arrange
    _three_revisions(tmp_path)
    lock = tmp_path / LOCK_FILE
    text = lock.read_text(encoding="utf-8")
    lock.write_text(
        text.replace('"down_revision": "0002_add_rooms_c0"', '"down_revision": "0001_initial"'),
        encoding="utf-8",
    )

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert [(d.code, d.line, d.message) for d in diagnostics] == [
        (
            "M012",
            8,
            "the lock's revision history is broken: revision '0003_add_rooms_c1' revises '0001_initial', "
            "but the revision before it is '0002_add_rooms_c0'",
        )
    ]


def test_plan_build_reports_m012_when_revision_file_path_is_not_its_own(tmp_path: Path) -> None:
    # Arrange: a lock naming another file would make specc read (and rewrite) a file outside its revisions
    _three_revisions(tmp_path)
    lock = tmp_path / LOCK_FILE
    text = lock.read_text(encoding="utf-8")
    lock.write_text(
        text.replace('"file": "migrations/versions/0002_add_rooms_c0.py"', '"file": "../../elsewhere.py"'),
        encoding="utf-8",
    )

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert [(d.code, d.line) for d in diagnostics] == [("M012", 7)]
    assert "is recorded in '../../elsewhere.py', not in its own file" in diagnostics[0].message


def test_plan_build_reports_m012_when_revision_files_are_swapped_with_their_lock_entries(
    tmp_path: Path,
) -> None:
    # Arrange: files renamed into each other's place and the lock's file hashes swapped along: every hash
    # matches, but the files declare another history than the lock
    _three_revisions(tmp_path)
    versions = tmp_path / "migrations/versions"
    second, third = versions / "0002_add_rooms_c0.py", versions / "0003_add_rooms_c1.py"
    second_text, third_text = second.read_text(), third.read_text()
    second.write_text(third_text)
    third.write_text(second_text)
    lock = tmp_path / LOCK_FILE
    data = lock.read_text(encoding="utf-8")
    hashes = re.findall(r'"sha256": "([0-9a-f]+)"', data)
    data = data.replace(hashes[1], "SECOND").replace(hashes[2], hashes[1]).replace("SECOND", hashes[2])
    lock.write_text(data, encoding="utf-8")

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert [(d.code, d.line) for d in diagnostics] == [("M012", 7), ("M012", 8)]
    assert diagnostics[0].message == (
        "the lock's revision history is broken: migrations/versions/0002_add_rooms_c0.py does not declare "
        "revision 0002_add_rooms_c0 revising 0001_initial"
    )


def test_plan_build_reports_m013_when_hand_written_revision_revises_head(tmp_path: Path) -> None:
    # Arrange
    _three_revisions(tmp_path)
    (tmp_path / "migrations/versions/by_hand.py").write_text(
        'revision = "by_hand"\ndown_revision = "0003_add_rooms_c1"\n', encoding="utf-8"
    )

    # Act
    files, diagnostics = _plan(tmp_path, columns=4)

    # Assert
    assert files == {}
    assert [(d.code, d.severity.value) for d in diagnostics] == [("M003", "warning"), ("M013", "error")]
    assert diagnostics[1].message == (
        "by_hand.py revises specc's head revision 0003_add_rooms_c1; a revision from specc would give "
        "Alembic two heads"
    )


def test_plan_build_accepts_hand_written_revision_on_an_older_revision_with_m003_only(tmp_path: Path) -> None:
    # Arrange
    _three_revisions(tmp_path)
    (tmp_path / "migrations/versions/by_hand.py").write_text(
        "revision = 'by_hand'\ndown_revision = '0001_initial'\n", encoding="utf-8"
    )

    # Act
    files, diagnostics = _plan(tmp_path, columns=4)

    # Assert
    assert [d.code for d in diagnostics] == ["M003"]
    assert "migrations/versions/0004_add_rooms_c2.py" in files


# --- SQL recorded in the lock -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("default", "0); DROP TABLE users; --", "';' would end the SQL statement"),
        ("check", "x > 0) OR (true", "closes a bracket"),
        ("type", "vector(3); DROP TABLE users", "is not a plain SQL type name"),
        ("default", "pg_read_file('/etc/passwd')", "calls pg_read_file()"),
    ],
)
def test_plan_build_reports_m011_and_plans_nothing_when_lock_sql_was_edited(
    tmp_path: Path, field: str, value: str, words: str
) -> None:
    # Arrange: the lock's recorded SQL comes back in the next revision's downgrade(), so it is checked
    _three_revisions(tmp_path)
    lock = (tmp_path / LOCK_FILE).read_text(encoding="utf-8")
    edited = lock.replace(
        '"name":"c0","type":"TEXT"', f'"name":"c0","type":"TEXT","{field}":{json.dumps(value)}'
    )
    if field == "type":
        edited = lock.replace('"name":"c0","type":"TEXT"', f'"name":"c0","type":{json.dumps(value)}')
    if field == "check":  # a recorded CHECK is a table's named constraint
        recorded = f'{{"checks":[{{"expression":{json.dumps(value)},"name":"ck_rooms_c0"}}],"columns":['
        edited = "".join(
            line.replace('{"columns":[', recorded, 1) if '"name":"c0","type":"TEXT"' in line else line
            for line in lock.splitlines(keepends=True)
        )
    assert edited != lock
    (tmp_path / LOCK_FILE).write_text(edited, encoding="utf-8")
    lines = {i for i, text in enumerate(edited.splitlines(), 1) if json.dumps(value) in text}

    # Act
    files, diagnostics = _plan(tmp_path, columns=3)

    # Assert
    assert files == {}
    assert {(d.code, d.line) for d in diagnostics} == {("M011", line) for line in lines}
    assert len(lines) == 2  # the table at revisions 2 and 3
    assert all(words in d.message for d in diagnostics)
