"""`specc docs` as a writer: incremental (unchanged pages keep their modification time), owning only what it
wrote, crash-safe, deterministic across runs and hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specc.cli import main
from specc.config import load_config
from specc.site.command import DOCS_MANIFEST, DocsRequest, docs
from specc.site.settings import docs_settings
from tests.site.support import SPEC, project, read_tree, write_site

OLD = 1_000_000_000
"""A modification time far in the past: a page written again gets a new one."""


def _age(folder: Path) -> None:
    for base, _, files in os.walk(folder):
        for name in files:
            os.utime(Path(base) / name, (OLD, OLD))


def _specc(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "specc.cli", "docs", *args],
        cwd=root,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def test_docs_keeps_unchanged_pages_untouched_when_one_table_changes(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    write_site(root)
    _age(root / "site-src")
    spec = root / "docs" / "ARCHITECTURE.md"
    spec.write_text(SPEC.replace("| Buyer |", "| The buyer |"), encoding="utf-8")

    # Act
    result = write_site(root)

    # Assert
    assert result.written == ["docs/tables/orders.md"]
    pages = root / "site-src" / "docs"
    assert (pages / "tables" / "orders.md").stat().st_mtime != OLD
    assert (pages / "tables" / "users.md").stat().st_mtime == OLD
    assert (pages / "api" / "orders.md").stat().st_mtime == OLD


def test_docs_writes_nothing_and_says_up_to_date_when_nothing_changed(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    write_site(root)
    _age(root / "site-src")

    # Act
    result = write_site(root)

    # Assert
    assert result.up_to_date is True
    assert {p.stat().st_mtime for p in (root / "site-src").rglob("*") if p.is_file()} == {OLD}


def test_docs_deletes_a_removed_tables_page_and_leaves_files_it_does_not_own(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    write_site(root)
    notes = root / "site-src" / "docs" / "tables" / "notes.md"
    notes.write_text("# Notes by hand\n", encoding="utf-8")
    beside = root / "site-src" / "README.md"
    beside.write_text("mine\n", encoding="utf-8")
    without_users = SPEC.replace(
        "| user_id | BIGINT | NOT NULL, FK → users.id, ON DELETE CASCADE, indexed | Buyer |\n", ""
    )
    start, end = without_users.index("### users"), without_users.index("### orders")
    (root / "docs" / "ARCHITECTURE.md").write_text(
        without_users[:start] + without_users[end:], encoding="utf-8"
    )

    # Act
    result = write_site(root)

    # Assert
    assert result.exit_code == 0
    assert result.deleted == ["docs/tables/users.md"]
    assert not (root / "site-src" / "docs" / "tables" / "users.md").exists()
    assert notes.read_text(encoding="utf-8") == "# Notes by hand\n"
    assert beside.read_text(encoding="utf-8") == "mine\n"


def test_docs_writes_nothing_when_a_page_path_holds_a_file_specc_did_not_write(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    page = root / "site-src" / "docs" / "tables" / "users.md"
    page.parent.mkdir(parents=True)
    page.write_text("# my own users page\n", encoding="utf-8")

    # Act
    result = write_site(root)

    # Assert
    assert result.exit_code == 1
    assert page.read_text(encoding="utf-8") == "# my own users page\n"
    assert read_tree(root / "site-src") == {"docs/tables/users.md": b"# my own users page\n"}


def test_docs_writes_nothing_when_a_generated_page_was_edited_by_hand(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    write_site(root)
    page = root / "site-src" / "docs" / "tables" / "orders.md"
    edited = page.read_text(encoding="utf-8") + "\nMy note.\n"
    page.write_text(edited, encoding="utf-8")
    (root / "docs" / "ARCHITECTURE.md").write_text(
        SPEC.replace("| Buyer |", "| The buyer |"), encoding="utf-8"
    )

    # Act
    result = write_site(root)

    # Assert
    assert result.exit_code == 1
    assert page.read_text(encoding="utf-8") == edited


def test_docs_refuses_specc_builds_output_folder(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    out = root / "generated"
    out.mkdir()
    (out / ".specc-manifest.json").write_text("{}", encoding="utf-8")

    # Act
    result = write_site(root, out=out)

    # Assert
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == [".specc-manifest.json"]


def test_docs_output_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)

    # Act
    first = _specc(root, "--out", "one", "--no-cache", env={"PYTHONHASHSEED": "1"})
    second = _specc(root, "--out", "two", "--no-cache", env={"PYTHONHASHSEED": "2024"})

    # Assert
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    one, two = read_tree(root / "one"), read_tree(root / "two")
    assert len(one) == 13
    assert one == two


@pytest.mark.parametrize("step", ["staged", "journal-temp"])
def test_docs_leaves_the_old_site_when_killed_before_the_commit_point(tmp_path: Path, step: str) -> None:
    # Arrange
    root = project(tmp_path)
    assert _specc(root, "--out", "site-src").returncode == 0
    before = read_tree(root / "site-src")
    (root / "docs" / "ARCHITECTURE.md").write_text(
        SPEC.replace("| Buyer |", "| The buyer |"), encoding="utf-8"
    )

    # Act
    crashed = _specc(root, "--out", "site-src", env={"SPECC_TEST_CRASH_AT": step})
    after = {
        rel: data
        for rel, data in read_tree(root / "site-src").items()
        if not rel.startswith(".specc-commit/")
    }

    # Assert
    assert crashed.returncode == -9
    assert after == before


@pytest.mark.parametrize("step", ["journaled", "placing", "deleted", "manifest"])
def test_docs_finishes_the_new_site_on_the_next_run_when_killed_after_the_commit_point(
    tmp_path: Path, step: str
) -> None:
    # Arrange
    root = project(tmp_path)
    assert _specc(root, "--out", "expected").returncode == 0
    assert _specc(root, "--out", "site-src").returncode == 0
    changed = SPEC.replace("| Buyer |", "| The buyer |").replace("| Surrogate key |", "| Key |")
    (root / "docs" / "ARCHITECTURE.md").write_text(changed, encoding="utf-8")
    assert _specc(root, "--out", "expected").returncode == 0

    # Act
    crashed = _specc(root, "--out", "site-src", env={"SPECC_TEST_CRASH_AT": step})
    again = _specc(root, "--out", "site-src")

    # Assert
    assert crashed.returncode == -9
    assert again.returncode == 0, again.stderr
    assert read_tree(root / "site-src") == read_tree(root / "expected")


def test_cli_docs_exits_2_when_the_out_option_is_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    root = project(tmp_path)
    monkeypatch.chdir(root)

    # Act
    code = main(["docs", "--out", ""])

    # Assert
    assert code == 2
    assert not (root / DOCS_MANIFEST).exists()


def test_docs_rewrites_the_plans_source_lines_when_the_test_plan_moves_unchanged(tmp_path: Path) -> None:
    # Arrange
    root = project(tmp_path)
    write_site(root)
    moved = root / "plans" / "TESTPLAN.md"
    moved.parent.mkdir()
    (root / "docs" / "TESTPLAN.md").rename(moved)
    config = load_config(root)
    request = DocsRequest(
        spec_path=root / "docs" / "ARCHITECTURE.md",
        testplan=moved,
        out=root / "site-src",
        config=config,
        settings=docs_settings(config),
        cache=False,
        durable=False,
    )

    # Act
    result = docs(request, echo=lambda _: None, echo_err=lambda _: None)

    # Assert
    assert result.up_to_date is False
    assert "docs/testplan.md" in result.written
    plan = (root / "site-src" / "docs" / "testplan.md").read_text(encoding="utf-8")
    assert '<span class="specc-source">plans/TESTPLAN.md, line 3</span>' in plan
