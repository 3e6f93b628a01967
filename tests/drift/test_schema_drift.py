"""`specc drift` against the example's models, database and migrations, each seeded with one mutation.

Every test changes one thing on the other side (a migrated copy of the example database, a copy of the
generated models, a document ahead of the migrations) and checks the exact findings: code, subject and
both locations (the document's cell or row, and the model line, database object or migration file).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.drift.support import (
    ROOT,
    SERVER_URL,
    SPEC,
    brief,
    copy_models,
    drop_template,
    example_database,
    line_of,
    relative,
    run_drift,
    scalar,
    spec_line,
)

ONLY_DATABASE = ["--only", "database"]


@pytest.fixture(scope="module", autouse=True)
def _template_database() -> Iterator[None]:
    yield
    drop_template()


def _one(report: dict[str, object]) -> dict[str, object]:
    findings = report["findings"]
    assert isinstance(findings, list) and len(findings) == 1, findings
    finding = findings[0]
    assert isinstance(finding, dict)
    return finding


def _spec_at(finding: dict[str, object], text: str) -> None:
    spec = finding["spec"]
    assert isinstance(spec, dict)
    assert (spec["file"], spec["line"]) == ("docs/example/ARCHITECTURE.md", spec_line(text))


def test_drift_database_reports_nothing_for_the_migrated_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database() as url:
        # Act
        code, report, err = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 0, err
    assert report["findings"] == [] and report["ignored"] == []
    assert {s["name"]: s["state"] for s in report["sources"]}["database"] == "compared"


def test_drift_database_reports_a_dropped_column_at_its_spec_row(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("ALTER TABLE rooms DROP COLUMN description") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["source"], finding["subject"]) == (
        "D104",
        "database",
        "rooms.description",
    )
    _spec_at(finding, "| description | VARCHAR(500) |")
    assert finding["actual"] == {
        "file": None,
        "line": None,
        "column": None,
        "logical": "database: table rooms",
    }
    assert "alembic upgrade head" in str(finding["hint"])


def test_drift_database_reports_a_flipped_nullability_at_the_constraints_cell(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("ALTER TABLE users ALTER COLUMN display_name DROP NOT NULL") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D107", "users.display_name")
    _spec_at(finding, "| display_name  | VARCHAR(100) |")
    spec = finding["spec"]
    assert isinstance(spec, dict)
    row = SPEC.read_text(encoding="utf-8").splitlines()[spec["line"] - 1]
    assert row[spec["column"] - 1 :].startswith("NOT NULL")
    assert finding["actual"]["logical"] == "database: table users, column display_name"  # type: ignore[index]
    assert (
        finding["message"] == "column users.display_name is nullable in the database, the spec says NOT NULL"
    )


def test_drift_database_reports_a_changed_server_default(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("ALTER TABLE rooms ALTER COLUMN is_private SET DEFAULT true") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D108", "rooms.is_private default")
    _spec_at(finding, "| is_private  | BOOLEAN      |")
    assert finding["message"] == (
        "column rooms.is_private has DEFAULT true in the database, the spec says DEFAULT false"
    )
    assert finding["actual"]["logical"] == "database: table rooms, column is_private"  # type: ignore[index]


def test_drift_database_treats_current_timestamp_as_the_spec_s_now(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the same default in another spelling is no drift
    with example_database("ALTER TABLE rooms ALTER COLUMN created_at SET DEFAULT CURRENT_TIMESTAMP") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert (code, report["findings"]) == (0, [])


def test_drift_database_reports_an_enum_value_added_in_the_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("ALTER TYPE room_members_role ADD VALUE 'guest'") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D112", "enum room_members_role")
    _spec_at(finding, "| role      | ENUM('owner','admin','member')")
    assert "has 'guest' the spec does not list" in str(finding["message"])
    assert finding["actual"]["logical"] == "database: table room_members, column role"  # type: ignore[index]


def test_drift_database_reports_a_missing_index_at_its_indexes_row(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database() as url:
        name = scalar(
            url,
            "SELECT indexname FROM pg_indexes WHERE tablename = 'messages' "
            "AND indexdef LIKE '%(room_id, id)'",
        )
    with example_database(f'DROP INDEX "{name}"') as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D118", "messages index (room_id, id)")
    _spec_at(finding, "| messages     | room_id, id         |")
    assert finding["actual"]["logical"] == "database: table messages, column room_id"  # type: ignore[index]


def test_drift_database_reports_a_changed_on_delete_as_one_finding(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database() as url:
        name = scalar(
            url,
            "SELECT conname FROM pg_constraint WHERE conrelid = 'messages'::regclass AND contype = 'f' "
            "AND pg_get_constraintdef(oid) LIKE 'FOREIGN KEY (user_id)%'",
        )
    change = (
        f'ALTER TABLE messages DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" FOREIGN KEY (user_id) '
        "REFERENCES users(id) ON DELETE RESTRICT"
    )
    with example_database(change) as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D123", "messages.user_id foreign key")
    _spec_at(finding, "| user_id    | BIGINT        | NOT NULL, indexed, FK → users.id")
    assert "ON DELETE RESTRICT, the spec CASCADE" in str(finding["message"])
    assert finding["actual"]["logical"] == "database: table messages, column user_id"  # type: ignore[index]


def test_drift_database_suggests_a_rename_but_never_assumes_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("ALTER TABLE rooms RENAME COLUMN description TO summary") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert: the missing column and the extra one, with the rename suggested on the extra one
    assert code == 1
    assert brief(report) == [("D104", "database", "rooms.description"), ("D105", "database", "rooms.summary")]
    extra = report["findings"][1]
    assert "rooms.summary is rooms.description renamed" in extra["hint"]
    assert "renamed from summary" in extra["hint"]


def test_drift_models_reports_a_type_widened_only_in_the_models_at_the_attribute_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    old = "name: Mapped[str] = mapped_column(sa.String(100), nullable=False)"
    package, edited = copy_models(tmp_path, old, old.replace("String(100)", "String(200)"), "rooms.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    # Act
    code, report, err = run_drift(["--models", package, "--only", "models"], capsys, monkeypatch)
    # Assert
    assert code == 1, err
    finding = _one(report)
    assert (finding["code"], finding["source"], finding["subject"]) == ("D106", "models", "rooms.name")
    _spec_at(finding, "| name        | VARCHAR(100) |")
    assert finding["actual"] == {
        "file": relative(edited),
        "line": line_of(edited, "String(200)"),
        "column": None,
        "logical": "Room.name",
    }
    assert finding["message"] == "column rooms.name is VARCHAR(200) in the models, the spec says VARCHAR(100)"


def test_drift_models_reports_nothing_for_the_generated_models(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act
    code, report, err = run_drift(["--models", "generated.models", "--only", "models"], capsys, monkeypatch)
    # Assert
    assert (code, report["findings"]) == (0, []), err


def test_drift_migrations_that_stop_short_of_the_spec_say_to_run_specc_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the document gains a column no migration creates yet
    spec = tmp_path / "ARCHITECTURE.md"
    row = "| is_private  | BOOLEAN      | NOT NULL, DEFAULT false                           |"
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(row) == 1
    pinned = "| pinned      | BOOLEAN      | NOT NULL, DEFAULT false                           |"
    spec.write_text(text.replace(row, row + "\n" + pinned), encoding="utf-8")
    shutil.copy(ROOT / "docs/example/TESTPLAN.md", tmp_path / "TESTPLAN.md")
    args = [
        str(spec),
        "--migrations",
        "generated/migrations",
        "--scratch-url",
        SERVER_URL,
        "--only",
        "migrations",
    ]
    # Act
    code, report, err = run_drift(args, capsys, monkeypatch)
    # Assert
    assert code == 1, err
    finding = _one(report)
    assert (finding["code"], finding["source"], finding["subject"]) == ("D104", "migrations", "rooms.pinned")
    assert finding["spec"]["line"] == spec_line("| pinned ", spec)  # type: ignore[index]
    actual = finding["actual"]
    assert isinstance(actual, dict)
    assert actual["file"] == "generated/migrations/versions/0001_initial.py"
    assert actual["logical"] == "revision 0001_initial (head): table rooms"
    assert "run `specc build`" in str(finding["hint"])


def test_drift_migrations_reach_the_spec_for_the_example(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Act
    args = ["--migrations", "generated/migrations", "--scratch-url", SERVER_URL, "--only", "migrations"]
    code, report, err = run_drift(args, capsys, monkeypatch)
    # Assert
    assert (code, report["findings"]) == (0, []), err
    assert {s["name"]: s["state"] for s in report["sources"]}["migrations"] == "compared"


def test_drift_database_reports_a_changed_check_expression_as_one_finding(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database() as url:
        name = scalar(
            url, "SELECT conname FROM pg_constraint WHERE conrelid = 'messages'::regclass AND contype = 'c'"
        )
    change = (
        f'ALTER TABLE messages DROP CONSTRAINT "{name}", ADD CONSTRAINT "{name}" CHECK (length(content) > 1)'
    )
    with example_database(change) as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D116", f"messages check {name}")
    _spec_at(finding, "| content    | VARCHAR(4000) |")
    assert finding["message"] == (
        f"CHECK {name} in the database is (length(content) > 1), the spec says (length(content) > 0)"
    )


def test_drift_database_reports_an_index_whose_column_order_changed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the same index name over the same columns in the other order
    with example_database() as url:
        name = scalar(
            url,
            "SELECT indexname FROM pg_indexes WHERE tablename = 'messages' "
            "AND indexdef LIKE '%(room_id, created_at)'",
        )
    with example_database(
        f'DROP INDEX "{name}"', f'CREATE INDEX "{name}" ON messages (created_at, room_id)'
    ) as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D120", f"messages index {name}")
    _spec_at(finding, "| messages     | room_id, created_at |")
    assert finding["message"] == (
        f"index {name} in the database is btree (created_at, room_id), "
        "the spec says btree (room_id, created_at)"
    )


def test_drift_database_reports_a_table_the_spec_does_not_describe(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    with example_database("CREATE TABLE audit_log (id bigint PRIMARY KEY, note text)") as url:
        # Act
        code, report, _ = run_drift(["--database-url", url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert code == 1
    finding = _one(report)
    assert (finding["code"], finding["subject"]) == ("D102", "audit_log")
    assert finding["actual"]["logical"] == "database: table audit_log"  # type: ignore[index]
    assert finding["spec"] == {
        "file": "docs/example/ARCHITECTURE.md",
        "line": 1,
        "column": 1,
        "logical": None,
    }


def test_drift_fingerprints_are_the_same_for_the_same_drift_in_another_database(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: the same change in two databases with different names (as on two machines)
    change = "ALTER TABLE users ALTER COLUMN display_name DROP NOT NULL"
    with example_database(change) as first_url, example_database(change) as second_url:
        # Act
        _, first, _ = run_drift(["--database-url", first_url, *ONLY_DATABASE], capsys, monkeypatch)
        _, second, _ = run_drift(["--database-url", second_url, *ONLY_DATABASE], capsys, monkeypatch)
    # Assert
    assert first_url != second_url
    prints = [f["fingerprint"] for f in first["findings"]]
    assert len(prints) == 1 and len(prints[0]) == 32
    assert prints == [f["fingerprint"] for f in second["findings"]]
