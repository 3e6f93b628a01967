"""plan_build: revisions, lock file, integrity and destructive-change checks (no database)."""

from __future__ import annotations

import json
from pathlib import Path

from specc.diagnostics import Reporter
from specc.ir.model import Column, Span, Table
from specc.migrate import plan_build
from specc.migrate.lock import LOCK_FILE, dump_lock, parse_lock
from tests.migrate.harness import SOURCE, Project
from tests.migrate.samples import add_column, add_table, chat, drop_column, edit_column


def test_plan_build_first_build_writes_environment_initial_revision_and_lock(tmp_path: Path) -> None:
    # Arrange
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert reporter.diagnostics == []
    assert sorted(files) == [
        "migrations/alembic.ini",
        "migrations/env.py",
        "migrations/script.py.mako",
        "migrations/versions/0001_initial.py",
        LOCK_FILE,
    ]
    lock = parse_lock(files[LOCK_FILE])
    assert [r.id for r in lock.revisions] == ["0001_initial"]
    assert lock.revisions[0].down_revision is None


def test_plan_build_schema_change_writes_exactly_one_named_revision(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    # Act
    result = project.build(add_column(chat(), "rooms", Column(name="topic", type="TEXT")))
    # Assert
    assert list(result.files) == ["migrations/versions/0002_add_rooms_topic.py"]
    text = result.files["migrations/versions/0002_add_rooms_topic.py"]
    assert 'revision: str = "0002_add_rooms_topic"' in text
    assert 'down_revision: str | None = "0001_initial"' in text
    assert '    op.add_column("rooms", sa.Column("topic", sa.Text(), nullable=True))\n' in text
    assert '    op.drop_column("rooms", "topic")\n' in text


def test_plan_build_existing_revisions_returned_unchanged(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    initial = (tmp_path / "migrations/versions/0001_initial.py").read_text()
    reporter = Reporter()
    # Act
    files = plan_build(
        add_column(chat(), "rooms", Column(name="topic", type="TEXT")),
        tmp_path,
        source="another/ARCHITECTURE.md",
        allow_destructive=False,
        reporter=reporter,
    )
    # Assert
    assert files["migrations/versions/0001_initial.py"] == initial


def test_plan_build_edited_revision_reports_m001_and_plans_nothing(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    revision = tmp_path / "migrations/versions/0001_initial.py"
    revision.write_text(
        revision.read_text().replace("def upgrade() -> None:\n", "def upgrade() -> None:\n    pass\n")
    )
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    assert [(d.code, d.severity.value, d.file) for d in reporter.diagnostics] == [
        ("M001", "error", str(revision))
    ]
    assert "0001_initial was edited" in reporter.diagnostics[0].message


def test_plan_build_deleted_revision_reports_m002(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    project.build(add_column(chat(), "rooms", Column(name="topic", type="TEXT")))
    (tmp_path / "migrations/versions/0002_add_rooms_topic.py").unlink()
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    assert [d.code for d in reporter.diagnostics] == ["M002"]


def test_plan_build_crlf_checkout_is_not_an_edit(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    revision = tmp_path / "migrations/versions/0001_initial.py"
    revision.write_bytes(revision.read_bytes().replace(b"\n", b"\r\n"))
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert reporter.diagnostics == []
    assert "migrations/versions/0001_initial.py" in files


def test_plan_build_lock_missing_with_revisions_reports_m004(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    (tmp_path / LOCK_FILE).unlink()
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    assert [d.code for d in reporter.diagnostics] == ["M004"]


def test_plan_build_corrupt_lock_reports_m005(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    (tmp_path / LOCK_FILE).write_text("<<<<<<< HEAD\n{}")
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    assert [d.code for d in reporter.diagnostics] == ["M005"]


def test_plan_build_unknown_revision_file_warns_m003_and_continues(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    (tmp_path / "migrations/versions/9999_by_hand.py").write_text("x = 1\n")
    reporter = Reporter()
    # Act
    files = plan_build(chat(), tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert [(d.code, d.severity.value) for d in reporter.diagnostics] == [("M003", "warning")]
    assert "migrations/versions/9999_by_hand.py" not in files
    assert LOCK_FILE in files


def test_plan_build_destructive_without_flag_reports_m010_at_column(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    span = Span(file="docs/ARCHITECTURE.md", line=42, column=17)
    narrowed = edit_column(chat(), "users", "email", type="VARCHAR(50)", type_span=span)
    reporter = Reporter()
    # Act
    files = plan_build(narrowed, tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    [diag] = reporter.diagnostics
    assert (diag.code, diag.file, diag.line, diag.column) == ("M010", "docs/ARCHITECTURE.md", 42, 17)
    assert "users.email" in diag.message and "VARCHAR(50)" in diag.message


def test_plan_build_destructive_with_flag_writes_revision(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    # Act
    result = project.build(drop_column(chat(), "users", "display_name"), allow_destructive=True)
    # Assert
    assert result.errors == []
    assert list(result.files) == ["migrations/versions/0002_drop_users_display_name.py"]


def test_plan_build_lock_records_hash_and_schema_of_each_revision(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    project.build(add_column(chat(), "rooms", Column(name="topic", type="TEXT")))
    # Act
    text = (tmp_path / LOCK_FILE).read_text()
    data = json.loads(text)
    lock = parse_lock(text)
    # Assert
    assert data["head"] == "0002_add_rooms_topic"
    assert [r["file"] for r in data["revisions"]] == [
        "migrations/versions/0001_initial.py",
        "migrations/versions/0002_add_rooms_topic.py",
    ]
    assert all(len(r["sha256"]) == 64 for r in data["revisions"])
    first, second = (lock.schema_at(r) for r in lock.revisions)
    assert [c.name for c in first.table("rooms").columns][-1] == "created_at"  # type: ignore[union-attr]
    assert [c.name for c in second.table("rooms").columns][-1] == "topic"  # type: ignore[union-attr]


def test_plan_build_lock_shares_unchanged_tables_between_revisions(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    # Act
    project.build(add_column(chat(), "rooms", Column(name="topic", type="TEXT")))
    data = json.loads((tmp_path / LOCK_FILE).read_text())
    # Assert
    first, second = (set(r["tables"]) for r in data["revisions"])
    assert len(first & second) == 3
    assert len(data["tables"]) == 5


def test_parse_lock_dump_roundtrip_is_identity(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    text = (tmp_path / LOCK_FILE).read_text()
    # Act
    again = dump_lock(parse_lock(text))
    # Assert
    assert again == text


def test_plan_build_output_identical_across_runs(tmp_path: Path) -> None:
    # Arrange
    spec = chat()
    # Act
    first = plan_build(spec, tmp_path / "a", source=SOURCE, allow_destructive=False, reporter=Reporter())
    second = plan_build(spec, tmp_path / "b", source=SOURCE, allow_destructive=False, reporter=Reporter())
    # Assert
    assert first == second


def test_plan_build_add_not_null_column_without_default_reports_m010(tmp_path: Path) -> None:
    # Arrange
    Project(tmp_path).build(chat())
    added = add_column(chat(), "rooms", Column(name="topic", type="TEXT", nullable=False))
    reporter = Reporter()
    # Act
    files = plan_build(added, tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)
    # Assert
    assert files == {}
    [diag] = reporter.diagnostics
    assert diag.code == "M010"
    assert "rooms" in diag.message and "topic" in diag.message and "without a default" in diag.message


def test_plan_build_add_not_null_column_with_default_is_not_destructive(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    topic = Column(name="topic", type="TEXT", nullable=False, default="'general'")
    added = add_column(chat(), "rooms", topic)
    # Act
    result = project.build(added)
    # Assert
    assert result.diagnostics == []
    assert list(result.files) == ["migrations/versions/0002_add_rooms_topic.py"]


def test_plan_build_new_table_with_not_null_columns_is_not_destructive(tmp_path: Path) -> None:
    # Arrange
    project = Project(tmp_path)
    project.build(chat())
    tags = Table(
        name="tags",
        columns=(
            Column(name="id", type="INTEGER", nullable=False, primary_key=True),
            Column(name="label", type="TEXT", nullable=False),
        ),
    )
    # Act
    result = project.build(add_table(chat(), tags))
    # Assert
    assert result.diagnostics == []
    assert list(result.files) == ["migrations/versions/0002_create_tags.py"]
