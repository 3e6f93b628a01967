"""A version-1 lock (the spec's own tables, written before the database layer) is read and upgraded to the
database-level version 2 without planning a revision of its own."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from specc.db.lower import lower
from specc.diagnostics import Reporter
from specc.ir.model import Column, Spec
from specc.migrate import plan_build
from specc.migrate.lock import LOCK_FILE, LOCK_VERSION, Lock, LockError, dump_lock, node_key, parse_lock
from specc.parse import parse_spec
from tests.migrate.harness import SOURCE, Project
from tests.migrate.samples import add_column, add_table, chat, edit_column, messages

RELEASED = Path(__file__).parent.parent / "data" / "locks" / "example-v1"
"""What the release before the database layer wrote for the example project: its lock, its one revision
and the document it was built from."""


def _v1_lock(lock: Lock, specs: list[Spec]) -> str:
    """`lock` rewritten the way version 1 stored it: each revision's spec tables, pooled by their JSON."""
    pool: dict[str, object] = {}
    revisions = []
    for revision, spec in zip(lock.revisions, specs, strict=True):
        keys = []
        for table in spec.tables:
            data = table.model_dump(mode="json", by_alias=True, exclude_defaults=True)
            key = f"{len(pool):020d}"
            pool[key] = data
            keys.append(key)
        revisions.append({**revision.model_dump(mode="json", exclude={"enums"}), "tables": keys})
    head = lock.revisions[-1].id
    return json.dumps({"version": 1, "head": head, "revisions": revisions, "tables": pool}, indent=2)


def test_plan_build_released_v1_lock_upgrades_without_a_new_revision(tmp_path: Path) -> None:
    # Arrange: the example project exactly as the previous release left it
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    shutil.copy(RELEASED / "0001_initial.py", versions / "0001_initial.py")
    shutil.copy(RELEASED / "specc.lock.json", tmp_path / LOCK_FILE)
    text = (RELEASED / "ARCHITECTURE.md").read_text(encoding="utf-8")
    spec = parse_spec(text, "docs/example/ARCHITECTURE.md", Reporter()).spec
    assert json.loads((RELEASED / "specc.lock.json").read_text(encoding="utf-8"))["version"] == 1
    reporter = Reporter()

    # Act
    files = plan_build(spec, tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)

    # Assert
    assert reporter.diagnostics == []
    assert sorted(p for p in files if p.startswith("migrations/versions/")) == [
        "migrations/versions/0001_initial.py"
    ]
    lock = parse_lock(files[LOCK_FILE])
    assert lock.version == LOCK_VERSION == 2
    assert lock.head_schema() == lower(spec)
    assert len(lock.head_schema().tables) == len(spec.tables) == 5
    assert len(lock.head_schema().enums) == 1


def test_plan_build_v1_lock_of_a_long_history_upgrades_to_the_same_lock_a_fresh_history_writes(
    tmp_path: Path,
) -> None:
    # Arrange: five revisions (a table, a column, a type change, a column rename), then the lock as v1
    project = Project(tmp_path)
    steps = [chat()]
    steps.append(add_table(steps[-1], messages().model_copy(update={"name": "archived_messages"})))
    steps.append(add_column(steps[-1], "rooms", Column(name="topic", type="VARCHAR(100)")))
    steps.append(edit_column(steps[-1], "rooms", "topic", type="TEXT"))
    steps.append(edit_column(steps[-1], "rooms", "topic", name="subject", renamed_from="topic"))
    for spec in steps:
        assert project.build(spec).errors == []
    written = (tmp_path / LOCK_FILE).read_text(encoding="utf-8")
    lock = parse_lock(written)
    assert len(lock.revisions) == len(steps) == len(project.specs)
    (tmp_path / LOCK_FILE).write_text(_v1_lock(lock, project.specs), encoding="utf-8")
    reporter = Reporter()

    # Act
    files = plan_build(steps[-1], tmp_path, source=SOURCE, allow_destructive=False, reporter=reporter)

    # Assert: no new revision, and the upgraded lock is byte for byte the one the history wrote
    assert reporter.diagnostics == []
    assert len([p for p in files if p.startswith("migrations/versions/")]) == len(steps)
    assert files[LOCK_FILE] == written == dump_lock(lock)
    assert all(node_key(t) in lock.tables for t in lower(steps[-1]).tables)


def test_parse_lock_unknown_version_is_refused_with_its_number() -> None:
    # Arrange
    text = json.dumps({"version": 3, "head": None, "revisions": [], "tables": {}})
    # Act / Assert
    with pytest.raises(LockError, match=r"version 3 is not supported \(expected 2\)"):
        parse_lock(text)
