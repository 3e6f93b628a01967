"""Filesystem safety of `specc build`: nothing outside the files specc owns is written or deleted, nothing the
user wrote is lost, and a crash at any instant of the commit leaves the old output or the new.

Every test hashes the whole temporary tree (files outside the output folder included) before and after, and
compares what must not change. The crash tests run `specc build` in a subprocess that kills itself with
SIGKILL at a named step of the commit (`SPECC_TEST_CRASH_AT`, see specc/commit.py), or is killed at a few
instants while it commits a larger rebuild; the next run must recover to exactly the output of an
uninterrupted build.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specc import commit as commit_module
from specc import fsio as fsio_module
from specc.build import MANIFEST, Manifest, build, path_refusal, recover_output
from specc.cli import main
from specc.commit import COMMIT_DIR, CRASH_ENV, CRASH_STEPS, JOURNAL, MARKER, locked
from specc.config import Config
from specc.fsio import OutputTree, UnsafeOutput, path_problem
from specc.migrate.lock import LOCK_FILE
from specc.migrate.plan import file_hash
from tests.bench.synth import synth_spec

OLD_SPEC = """# Shop

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| email | VARCHAR(255) | UNIQUE, NOT NULL |

### tags

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| label | VARCHAR(50) | NOT NULL |

### GET /api/users/{user_id}

- **Auth:** Required
- **Success Response (200):**
  ```json
  { "id": 1, "email": "user@example.com" }
  ```
- **Error Responses:**
  - 401: Missing token
  - 404: Not found
"""

NEW_SPEC = (
    OLD_SPEC.replace(
        "| email | VARCHAR(255) | UNIQUE, NOT NULL |",
        "| email | VARCHAR(255) | UNIQUE, NOT NULL |\n| nickname | VARCHAR(50) | |",
    )
    .replace("### tags", "### rooms")
    .replace("| label | VARCHAR(50) | NOT NULL |", "| topic | TEXT | |")
)
"""users changes, tags is dropped (files deleted), rooms is added (files created)."""

HANDWRITTEN = {
    "proj/generated/NOTES.md": "my notes\n",
    "proj/generated/handwritten/deep/file.txt": "keep this tree\n",
    "proj/generated/models/custom.py": "class Mine: ...\n",
    "proj/NOTES.md": "project notes\n",
    "outside/victim.txt": "important data outside the project\n",
    "outside/important.txt": "x\n",
}

CACHE = "proj/.specc_cache"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under `root` (links not followed): file → sha256, folder → "dir", link → "link:target"."""
    found: dict[str, str] = {}
    for folder, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                found[rel] = f"link:{os.readlink(path)}"
            elif stat.S_ISDIR(mode):
                found[rel] = "dir"
            else:
                found[rel] = sha(path.read_bytes())
    return found


def outside_output(tree: dict[str, str]) -> dict[str, str]:
    """What specc never owns: everything but the output folder's generated files and the section cache."""
    return {
        k: v
        for k, v in tree.items()
        if not k.startswith(CACHE) and (not k.startswith("proj/generated/") or k in HANDWRITTEN)
    }


def output_of(tree: dict[str, str], out: str = "proj/generated/") -> dict[str, str]:
    return {k[len(out) :]: v for k, v in tree.items() if k.startswith(out) and "__pycache__" not in k}


@dataclass
class World:
    root: Path

    @property
    def proj(self) -> Path:
        return self.root / "proj"

    @property
    def out(self) -> Path:
        return self.proj / "generated"

    def build(self, **kwargs: bool) -> tuple[int, str]:
        lines: list[str] = []
        result = build(
            self.proj / "ARCHITECTURE.md",
            None,
            self.out,
            Config(root=self.proj),
            echo=lines.append,
            echo_err=lines.append,
            **kwargs,
        )
        return result.exit_code, "\n".join(lines)

    def manifest(self) -> dict[str, object]:
        data = json.loads((self.out / MANIFEST).read_text(encoding="utf-8"))
        assert isinstance(data, dict)
        return data

    def edit_manifest(self, change: Callable[[dict[str, str]], None]) -> None:
        data = self.manifest()
        files = data["files"]
        assert isinstance(files, dict)
        change(files)
        data["fingerprint"] = "stale"
        (self.out / MANIFEST).write_text(json.dumps(data, indent=2), encoding="utf-8")


def _world(root: Path, spec: str = OLD_SPEC, handwritten: bool = True) -> World:
    world = World(root)
    world.proj.mkdir(parents=True)
    (root / "outside").mkdir()
    (world.proj / "pyproject.toml").write_text('[tool.specc]\nspec = "ARCHITECTURE.md"\n', encoding="utf-8")
    (world.proj / "ARCHITECTURE.md").write_text(spec, encoding="utf-8")
    if handwritten:
        for rel, text in HANDWRITTEN.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    return world


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A project built from OLD_SPEC, with hand-written files inside and outside the output folder."""
    built = _world(tmp_path)
    code, output = built.build()
    assert code == 0, output
    return built


# --- links --------------------------------------------------------------------------------------------


def test_build_fresh_refuses_models_folder_linked_outside(tmp_path: Path) -> None:
    # Arrange: the reproduction: out/models -> ../outside2 before the first build
    world = _world(tmp_path, handwritten=False)
    (tmp_path / "outside2").mkdir()
    world.out.mkdir()
    os.symlink("../../outside2", world.out / "models")
    before = snapshot(tmp_path)

    # Act
    code, output = world.build()

    # Assert
    assert code == 2
    assert "generated/models: is a symbolic link" in output
    assert list((tmp_path / "outside2").iterdir()) == []
    assert outside_output(snapshot(tmp_path)) == outside_output(before)
    assert output_of(snapshot(tmp_path)) == output_of(before)


LINKS = [
    pytest.param("models", "../../outside", id="folder-to-outside"),
    pytest.param("migrations", "../../outside", id="migrations-to-outside"),
    pytest.param("migrations/versions", "../../../outside", id="versions-to-outside"),
    pytest.param("schemas/api", "../../../outside", id="nested-folder-to-outside"),
    pytest.param("models", "schemas", id="folder-to-inside"),
    pytest.param("openapi.json", "../../outside/victim.txt", id="file-to-outside"),
    pytest.param("models/users.py", "../openapi.json", id="file-to-inside"),
    pytest.param(MANIFEST, "../../outside/victim.txt", id="manifest-to-outside"),
    pytest.param(LOCK_FILE, "../../outside/victim.txt", id="lock-to-outside"),
    pytest.param("migrations/versions/0001_initial.py", "../../../../outside/victim.txt", id="revision-link"),
    pytest.param("models/users.py", "../../../outside/missing.py", id="dangling-file-link"),
]


@pytest.mark.parametrize("check", [False, True], ids=["build", "check"])
@pytest.mark.parametrize(("rel", "target"), LINKS)
def test_build_exits_2_and_changes_nothing_when_owned_path_is_a_link(
    world: World, tmp_path: Path, rel: str, target: str, check: bool
) -> None:
    # Arrange: replace an owned file or folder by a link; the spec changed so the build has work to do
    path = world.out / rel
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    os.symlink(target, path)
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = snapshot(tmp_path)

    # Act
    code, output = world.build(check=check, allow_destructive=True)

    # Assert
    assert code == 2, output
    assert f"generated/{rel}: is a symbolic link" in output
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(CACHE)} == {
        k: v for k, v in before.items() if not k.startswith(CACHE)
    }


def test_build_writes_into_output_folder_that_is_itself_a_link(tmp_path: Path) -> None:
    # Arrange: the output folder the user names is a link to a real folder (allowed: the user's choice)
    world = _world(tmp_path, handwritten=False)
    (tmp_path / "real-out").mkdir()
    os.symlink("../real-out", world.out)

    # Act
    code, output = world.build()

    # Assert
    assert code == 0, output
    assert (tmp_path / "real-out" / "models" / "users.py").is_file()
    assert world.out.is_symlink()


def test_build_leaves_unrelated_link_in_output_folder_alone(world: World, tmp_path: Path) -> None:
    # Arrange: a hand-made link next to the generated folders, on no path specc writes
    os.symlink("../../outside", world.out / "docs")
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 0, output
    assert os.readlink(world.out / "docs") == "../../outside"
    assert outside_output(snapshot(tmp_path)) == before


# --- edited manifests ---------------------------------------------------------------------------------


def test_build_does_not_delete_outside_through_linked_folder_named_in_manifest(
    world: World, tmp_path: Path
) -> None:
    # Arrange: the reproduction: out/extra -> outside, manifest entry extra/important.txt
    os.symlink("../../outside", world.out / "extra")
    os.symlink("../../outside", world.out / "models" / "extra")
    important = (tmp_path / "outside" / "important.txt").read_bytes()
    world.edit_manifest(
        lambda files: files.update(
            {
                "extra/important.txt": "0" * 64,
                "models/extra/important.txt": sha(important),  # the right hash: the link alone must stop it
            }
        )
    )
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build()

    # Assert
    assert code == 0, output
    assert (tmp_path / "outside" / "important.txt").read_bytes() == important
    assert "B002" in output and "'extra/important.txt'" in output
    assert "B004" in output and "models/extra/important.txt is not deleted" in output
    assert outside_output(snapshot(tmp_path)) == before


def _files_digest(world: World, rel: str) -> str:
    path = world.out / rel
    return sha(path.read_bytes()) if path.is_file() else "0" * 64


EDITED_ENTRIES = [
    pytest.param("NOTES.md", "B002", id="hand-written-file"),
    pytest.param("handwritten", "B002", id="hand-written-folder"),
    pytest.param("handwritten/deep/file.txt", "B002", id="file-in-hand-written-folder"),
    pytest.param("migrations/versions", "B004", id="versions-folder"),
    pytest.param("migrations//versions/0001_initial.py", "B002", id="double-slash-revision"),
    pytest.param("migrations/./versions/0001_initial.py", "B002", id="dot-revision"),
    pytest.param("models/.", "B002", id="models-dot"),
    pytest.param("models", "B002", id="models-folder"),
    pytest.param("models/../NOTES.md", "B002", id="dot-dot"),
    pytest.param("/etc/hostname", "B002", id="absolute"),
    pytest.param("models\\..\\NOTES.md", "B002", id="backslash"),
    pytest.param("models/custom.py", "B004", id="hand-written-file-in-models"),
    pytest.param("models/users.py/", "B002", id="trailing-slash"),
    pytest.param("", "B002", id="empty"),
    pytest.param("models/a\x00b.py", "B002", id="nul"),
    pytest.param("models/\x1b[31mred.py", "B002", id="escape"),
]


@pytest.mark.parametrize(("entry", "code"), EDITED_ENTRIES)
def test_build_refuses_edited_manifest_entry_and_keeps_user_data(
    world: World, tmp_path: Path, entry: str, code: str
) -> None:
    # Arrange: the entry carries the real sha256 of what is there, so only the path rules can stop it
    digest = _files_digest(world, entry.replace("\\", "/")) if "\x00" not in entry else "0" * 64
    world.edit_manifest(lambda files: files.update({entry: digest}))
    before = outside_output(snapshot(tmp_path))
    revisions = snapshot(world.out / "migrations" / "versions")

    # Act
    code_, output = world.build()

    # Assert
    assert code_ == 0, output
    assert code in output
    assert outside_output(snapshot(tmp_path)) == before
    assert snapshot(world.out / "migrations" / "versions") == revisions
    assert (world.out / "models").is_dir()
    assert entry not in world.manifest()["files"]  # type: ignore[operator]


def test_build_keeps_generated_file_edited_before_spec_dropped_it(world: World, tmp_path: Path) -> None:
    # Arrange
    tags = world.out / "models" / "tags.py"
    tags.write_text(tags.read_text(encoding="utf-8") + "\n# my addition\n", encoding="utf-8")
    edited = tags.read_bytes()
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 0, output
    assert "B003" in output and "models/tags.py" in output
    assert tags.read_bytes() == edited
    assert "models/tags.py" not in world.manifest()["files"]  # type: ignore[operator]


def test_build_refuses_to_overwrite_generated_file_edited_by_hand(world: World, tmp_path: Path) -> None:
    # Arrange
    users = world.out / "models" / "users.py"
    users.write_text(users.read_text(encoding="utf-8") + "\n# my addition\n", encoding="utf-8")
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = snapshot(tmp_path)

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 1
    assert "B005" in output and "models/users.py was edited" in output
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(CACHE)} == {
        k: v for k, v in before.items() if not k.startswith(CACHE)
    }


def test_build_overwrites_generated_file_whose_line_endings_a_checkout_converted(world: World) -> None:
    # Arrange
    users = world.out / "models" / "users.py"
    users.write_bytes(users.read_bytes().replace(b"\n", b"\r\n"))
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 0, output
    assert b"\r\n" not in users.read_bytes() and b"nickname" in users.read_bytes()


GARBAGE_MANIFESTS = [
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deep-nesting"),
    pytest.param(b'{"files": {}, "fingerprint": ' + b"9" * 5000 + b"}", id="5000-digit-integer"),
    pytest.param(b"\xff\xfe{}", id="not-utf8"),
    pytest.param(b'{"files": ["models/users.py"]}', id="files-not-object"),
    pytest.param(b"<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n", id="merge-conflict"),
]


@pytest.mark.parametrize("content", GARBAGE_MANIFESTS)
def test_build_check_reports_unreadable_manifest_as_stale_not_current(
    world: World, content: bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    (world.out / MANIFEST).write_bytes(content)
    monkeypatch.chdir(world.proj)

    # Act
    code = main(["build", "--check"])

    # Assert
    output = capsys.readouterr()
    assert code == 1
    assert "is current" not in output.out
    assert "unreadable" in output.out
    assert (world.out / MANIFEST).read_bytes() == content


@pytest.mark.parametrize("content", GARBAGE_MANIFESTS)
def test_build_rewrites_unreadable_manifest_deleting_nothing(
    world: World, tmp_path: Path, content: bytes
) -> None:
    # Arrange
    (world.out / MANIFEST).write_bytes(content)
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 0, output
    assert "B006" in output
    assert (world.out / "models" / "tags.py").is_file()  # not deleted: ownership was unknown
    assert Manifest.read(world.out).problem is None
    assert outside_output(snapshot(tmp_path)) == before


def test_build_check_reports_tampered_manifest_entry(world: World) -> None:
    # Arrange: a pull request adds a hand-written file to the manifest with its real hash
    notes = world.out / "models" / "custom.py"
    world.edit_manifest(lambda files: files.update({"models/custom.py": sha(notes.read_bytes())}))

    # Act
    code, output = world.build(check=True)

    # Assert
    assert code == 1
    assert "lists models/custom.py, which the spec does not produce" in output


def test_build_reports_lock_revision_path_outside_output_folder(world: World, tmp_path: Path) -> None:
    # Arrange: the lock names a revision outside the output folder, with the right hash
    victim = tmp_path / "outside" / "rev.py"
    victim.write_bytes(b"# valid\n\xff\xfe broken utf-8\n")
    lock = json.loads((world.out / LOCK_FILE).read_text(encoding="utf-8"))
    text = victim.read_bytes().decode("utf-8", errors="replace")
    lock["revisions"][0]["file"] = "../../outside/rev.py"
    lock["revisions"][0]["sha256"] = file_hash(text)
    (world.out / LOCK_FILE).write_text(json.dumps(lock), encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build()

    # Assert
    assert code == 1
    assert "M012" in output and "../../outside/rev.py" in output  # the lock's history check (B007 behind it)
    assert outside_output(snapshot(tmp_path)) == before


def test_build_reports_lock_revision_path_another_target_writes(world: World) -> None:
    # Arrange: the lock names models/users.py as a revision, with the right hash
    users = (world.out / "models" / "users.py").read_text(encoding="utf-8")
    lock = json.loads((world.out / LOCK_FILE).read_text(encoding="utf-8"))
    lock["revisions"][0]["file"] = "models/users.py"
    lock["revisions"][0]["sha256"] = file_hash(users)
    (world.out / LOCK_FILE).write_text(json.dumps(lock), encoding="utf-8")

    # Act
    code, output = world.build()

    # Assert
    assert code == 1
    assert "M012" in output and "models/users.py" in output  # the lock's history check (B007 behind it)


PIECES = ["a", "b", ".", "..", "/", "//", "\\", "\x00", "\n", ":", "models/", "schemas/", "openapi.json", " "]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_path_refusal_accepts_only_canonical_paths_inside_an_area(rel: str) -> None:
    # Act
    refusal = path_refusal(rel)

    # Assert: an accepted path is its own normal form and stays below any root it is joined to
    if refusal is None:
        assert path_problem(rel) is None
        assert os.path.normpath(rel) == rel and not os.path.isabs(rel)
        assert PurePosixPath(rel).as_posix() == rel
        assert os.path.normpath(os.path.join("/root/out", rel)).startswith("/root/out/")
        assert rel.split("/")[0] in ("models", "schemas", "openapi.json", "migrations", "specc.lock.json")


# --- staging folders, journals, locks ------------------------------------------------------------------


def test_build_exits_2_when_staging_folder_is_not_specc_s(world: World, tmp_path: Path) -> None:
    # Arrange
    (world.out / COMMIT_DIR).mkdir()
    (world.out / COMMIT_DIR / "mine.txt").write_text("mine\n", encoding="utf-8")
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build(allow_destructive=True)

    # Assert
    assert code == 2
    assert "was not made by specc" in output
    assert (world.out / COMMIT_DIR / "mine.txt").read_text(encoding="utf-8") == "mine\n"
    assert outside_output(snapshot(tmp_path)) == before


@pytest.mark.parametrize(
    "path",
    ["NOTES.md", "../../outside/victim.txt", "models//users.py", ".git/hooks/pre-commit"],
    ids=["hand-written", "outside", "non-canonical", "git-hook"],
)
def test_build_refuses_forged_journal_naming_a_path_specc_does_not_write(
    world: World, tmp_path: Path, path: str
) -> None:
    # Arrange: a committed staging folder whose journal would move a file over `path`
    staging = world.out / COMMIT_DIR
    (staging / "new").mkdir(parents=True)
    (staging / MARKER).write_text("x", encoding="utf-8")
    (staging / "new" / "payload").write_text("evil\n", encoding="utf-8")
    journal = {"specc_commit": 1, "place": [{"path": path, "old": None, "new": sha(b"evil\n")}], "remove": []}
    (staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build()

    # Assert
    assert code == 2
    assert f"{COMMIT_DIR}/{JOURNAL}: cannot be read" in output
    assert outside_output(snapshot(tmp_path)) == before
    assert (staging / JOURNAL).is_file()


def test_build_never_moves_a_file_in_through_a_linked_staging_folder(world: World, tmp_path: Path) -> None:
    # Arrange: a committed staging folder whose `new` is a link to another project's output
    other = tmp_path / "outside" / "other-project"
    (other / "models").mkdir(parents=True)
    (other / "models" / "users.py").write_text("theirs\n", encoding="utf-8")
    staging = world.out / COMMIT_DIR
    staging.mkdir()
    (staging / MARKER).write_text("x", encoding="utf-8")
    os.symlink("../../../outside/other-project", staging / "new")
    users = sha((world.out / "models" / "users.py").read_bytes())
    journal = {
        "specc_commit": 1,
        "place": [{"path": "models/users.py", "old": users, "new": sha(b"theirs\n")}],
        "remove": [],
    }
    (staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    code, output = world.build()

    # Assert
    assert code == 2
    assert f"{COMMIT_DIR}/new: is a symbolic link" in output
    assert (other / "models" / "users.py").read_text(encoding="utf-8") == "theirs\n"
    assert outside_output(snapshot(tmp_path)) == before


def test_build_refuses_staged_file_that_is_not_what_the_journal_recorded(world: World) -> None:
    # Arrange
    staging = world.out / COMMIT_DIR
    (staging / "new" / "models").mkdir(parents=True)
    (staging / MARKER).write_text("x", encoding="utf-8")
    (staging / "new" / "models" / "users.py").write_text("swapped\n", encoding="utf-8")
    users = (world.out / "models" / "users.py").read_bytes()
    journal = {
        "specc_commit": 1,
        "place": [{"path": "models/users.py", "old": sha(users), "new": sha(b"recorded\n")}],
        "remove": [],
    }
    (staging / JOURNAL).write_text(json.dumps(journal), encoding="utf-8")

    # Act
    code, output = world.build()

    # Assert
    assert code == 2
    assert "is not the file the journal recorded" in output
    assert (world.out / "models" / "users.py").read_bytes() == users


def test_build_warns_about_legacy_staging_folder_and_keeps_it(world: World) -> None:
    # Arrange: what an older specc left after a kill: moved-aside files in a hidden folder
    legacy = world.out / ".specc-staging-abc123" / "old" / "models"
    legacy.mkdir(parents=True)
    (legacy / "users.py").write_text("old\n", encoding="utf-8")

    # Act
    code, output = world.build()

    # Assert
    assert code == 0
    assert ".specc-staging-abc123 was left by an interrupted build of an older specc" in output
    assert (legacy / "users.py").read_text(encoding="utf-8") == "old\n"


def test_build_check_exits_1_for_interrupted_commit_and_writes_nothing(world: World, tmp_path: Path) -> None:
    # Arrange
    (world.out / COMMIT_DIR).mkdir()
    (world.out / COMMIT_DIR / MARKER).write_text("x", encoding="utf-8")
    before = snapshot(tmp_path)

    # Act
    code, output = world.build(check=True)

    # Assert
    assert code == 1
    assert "holds an interrupted build" in output
    assert snapshot(tmp_path) == before


def test_build_when_disk_is_full_names_the_path_and_leaves_output_unchanged(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange: the third staged file hits a full disk
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    real = commit_module.write_new
    calls = {"n": 0}

    def full_disk(path: Path, data: bytes, *, durable: bool) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data, durable=durable)

    monkeypatch.setattr(commit_module, "write_new", full_disk)
    before = snapshot(tmp_path)
    monkeypatch.chdir(world.proj)

    # Act
    code = main(["build", "--allow-destructive"])

    # Assert
    err = capsys.readouterr().err
    assert code == 2
    assert "No space left on device" in err and "specc: : " not in err
    assert f"generated/{COMMIT_DIR}/new/" in err and "nothing in generated was changed" in err
    after = snapshot(tmp_path)
    assert {k: v for k, v in after.items() if not k.startswith(CACHE)} == {
        k: v for k, v in before.items() if not k.startswith(CACHE)
    }


def test_build_waits_for_another_build_holding_the_output_folder(world: World) -> None:
    # Arrange
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")

    # Act: a second build starts while this process holds the folder's lock
    with locked(world.out):
        process = subprocess.Popen(
            [sys.executable, "-m", "specc.cli", "build", "--allow-destructive"],
            cwd=world.proj,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(2.0)
        waited = process.poll() is None and not (world.out / COMMIT_DIR).exists()
    _, err = process.communicate(timeout=120)

    # Assert
    assert waited
    assert process.returncode == 0, err
    assert b"nickname" in (world.out / "models" / "users.py").read_bytes()


# --- crashes ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], dict[str, str]]:
    """(a world built from OLD_SPEC, its output, the output after an uninterrupted NEW_SPEC build)."""
    template = _world(tmp_path_factory.mktemp("template"))
    assert template.build()[0] == 0
    old = output_of(snapshot(template.root))
    reference = World(tmp_path_factory.mktemp("reference"))
    shutil.copytree(template.root, reference.root, symlinks=True, dirs_exist_ok=True)
    (reference.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    assert reference.build(allow_destructive=True)[0] == 0
    new = output_of(snapshot(reference.root))
    assert old != new
    return template.root, old, new


def _crash_build(world: World, step: str | None) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    if step is not None:
        env[CRASH_ENV] = step
    return subprocess.run(
        [sys.executable, "-m", "specc.cli", "build", "--allow-destructive"],
        cwd=world.proj,
        env=env,
        capture_output=True,
        timeout=120,
    )


BEFORE_COMMIT_POINT = {"folder", "created", "staging", "staged", "journal-temp"}


@pytest.mark.parametrize("step", CRASH_STEPS)
def test_build_killed_at_commit_step_recovers_to_old_or_new_output(
    tmp_path: Path, states: tuple[Path, dict[str, str], dict[str, str]], step: str
) -> None:
    # Arrange
    template, old, new = states
    shutil.copytree(template, tmp_path, symlinks=True, dirs_exist_ok=True)
    world = World(tmp_path)
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act
    killed = _crash_build(world, step)
    after_kill = snapshot(tmp_path)
    recovered = recover_output(world.out, world.proj, lambda _: None, lambda _: None)
    after_recovery = output_of(snapshot(tmp_path))
    rebuilt, output = world.build(allow_destructive=True)

    # Assert
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert outside_output(after_kill) == before
    assert recovered
    assert after_recovery == (old if step in BEFORE_COMMIT_POINT else new)
    assert rebuilt == 0, output
    assert output_of(snapshot(tmp_path)) == new
    assert outside_output(snapshot(tmp_path)) == before


def test_build_killed_again_while_recovering_still_recovers(
    tmp_path: Path, states: tuple[Path, dict[str, str], dict[str, str]]
) -> None:
    # Arrange: killed half way through placing files, then killed again half way through finishing
    template, _, new = states
    shutil.copytree(template, tmp_path, symlinks=True, dirs_exist_ok=True)
    world = World(tmp_path)
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    before = outside_output(snapshot(tmp_path))
    first = _crash_build(world, "placing")
    second = _crash_build(world, "deleting")

    # Act
    final = _crash_build(world, None)

    # Assert
    assert first.returncode == second.returncode == -signal.SIGKILL
    assert final.returncode == 0, final.stderr
    assert b"finished an interrupted build" in second.stdout + final.stdout
    assert output_of(snapshot(tmp_path)) == new
    assert outside_output(snapshot(tmp_path)) == before


def test_migrate_verify_finishes_interrupted_build_before_reading_output(
    tmp_path: Path,
    states: tuple[Path, dict[str, str], dict[str, str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Arrange
    template, _, new = states
    shutil.copytree(template, tmp_path, symlinks=True, dirs_exist_ok=True)
    world = World(tmp_path)
    (world.proj / "ARCHITECTURE.md").write_text(NEW_SPEC, encoding="utf-8")
    assert _crash_build(world, "placing").returncode == -signal.SIGKILL
    monkeypatch.chdir(world.proj)

    # Act: a server that refuses connections: verify fails after recovering
    code = main(["migrate", "verify", "--database-url", "postgresql+psycopg://u@127.0.0.1:9/x"])

    # Assert
    assert code == 2
    assert "finished an interrupted build" in capsys.readouterr().out
    assert output_of(snapshot(tmp_path)) == new


@pytest.fixture(scope="module")
def large_states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A world built from a 120-table spec, and the output of an uninterrupted rebuild of a 110-table spec
    with one more column (about 400 files written, 40 deleted)."""
    template = _world(tmp_path_factory.mktemp("large"), synth_spec(120))
    assert template.build()[0] == 0
    reference = World(tmp_path_factory.mktemp("large-reference"))
    shutil.copytree(template.root, reference.root, symlinks=True, dirs_exist_ok=True)
    (reference.proj / "ARCHITECTURE.md").write_text(synth_spec(110, extra_column=True), encoding="utf-8")
    assert reference.build(allow_destructive=True)[0] == 0
    return template.root, output_of(snapshot(reference.root))


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.08])
def test_build_killed_at_an_instant_of_a_large_commit_recovers(
    tmp_path: Path, large_states: tuple[Path, dict[str, str]], delay: float
) -> None:
    # Arrange
    template, new = large_states
    shutil.copytree(template, tmp_path, symlinks=True, dirs_exist_ok=True)
    world = World(tmp_path)
    old = output_of(snapshot(tmp_path))
    (world.proj / "ARCHITECTURE.md").write_text(synth_spec(110, extra_column=True), encoding="utf-8")
    before = outside_output(snapshot(tmp_path))

    # Act: kill the build `delay` seconds after its commit starts (a staging folder appears in the output)
    entries = set(os.listdir(world.out))
    process = subprocess.Popen(
        [sys.executable, "-m", "specc.cli", "build", "--allow-destructive"],
        cwd=world.proj,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while set(os.listdir(world.out)) == entries and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    after_kill = snapshot(tmp_path)
    recover_output(world.out, world.proj, lambda _: None, lambda _: None)
    after_recovery = output_of(snapshot(tmp_path))
    rebuilt, output = world.build(allow_destructive=True)

    # Assert
    interrupted = any(k.startswith("proj/generated/.specc-") for k in after_kill)
    print(f"killed {delay} s after staging began: {'mid-commit' if interrupted else 'after the commit'}")
    assert outside_output(after_kill) == before
    assert after_recovery in (old, new)
    assert rebuilt == 0, output
    assert output_of(snapshot(tmp_path)) == new
    assert outside_output(snapshot(tmp_path)) == before


# --- other files specc writes ---------------------------------------------------------------------------


def test_ir_output_file_is_never_truncated_when_ir_cannot_be_encoded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange: a lone surrogate in a JSON example cannot be encoded as UTF-8
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "A.md"
    spec.write_text(
        "# S\n\n### GET /api/things\n\n- **Auth:** Required\n- **Success Response (200):**\n"
        '  ```json\n  { "name": "\\ud800" }\n  ```\n- **Error Responses:**\n  - 401: Missing token\n',
        encoding="utf-8",
    )
    target = tmp_path / "ir.json"
    target.write_text("previous\n", encoding="utf-8")

    # Act
    code = main(["ir", str(spec), "-o", str(target)])

    # Assert: the old file, or a whole new IR (if the parser reports the surrogate), never a part
    text = target.read_text(encoding="utf-8")
    assert code in (0, 1)
    assert text == "previous\n" or isinstance(json.loads(text), dict)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.md", "ir.json"]


def test_ir_output_file_is_left_whole_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Arrange: the disk fills up after the first block of the new file
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "A.md"
    spec.write_text(OLD_SPEC, encoding="utf-8")
    target = tmp_path / "ir.json"
    target.write_text("previous\n", encoding="utf-8")
    real_write = os.write

    def full_disk(fd: int, data: bytes) -> int:
        if len(data) > 4096:
            return real_write(fd, bytes(data[:4096]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fsio_module.os, "write", full_disk)

    # Act
    code = main(["ir", str(spec), "-o", "ir.json"])

    # Assert
    assert code == 2
    assert "cannot write ir.json: No space left on device; it was left as it was" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.md", "ir.json"]


def test_build_section_cache_never_writes_through_links(tmp_path: Path) -> None:
    # Arrange: the cache folder is a link to a folder outside; its note file a dangling link outside
    world = _world(tmp_path)
    (tmp_path / "outside" / "cache").mkdir()
    os.symlink("../outside/cache", world.proj / ".specc_cache")
    other = _world(tmp_path / "second")
    (other.proj / ".specc_cache").mkdir()
    os.symlink("../../outside/created-by-specc", other.proj / ".specc_cache" / ".gitignore")

    # Act
    first, _ = world.build()
    second, _ = other.build()

    # Assert
    assert first == second == 0
    assert list((tmp_path / "outside" / "cache").iterdir()) == []
    assert not (tmp_path / "second" / "outside" / "created-by-specc").exists()
    assert any(p.name.startswith("sections-") for p in (other.proj / ".specc_cache").iterdir())


def test_output_tree_read_refuses_fifo_without_blocking(tmp_path: Path) -> None:
    # Arrange
    os.mkfifo(tmp_path / "pipe")
    tree = OutputTree(tmp_path, "out")

    # Act
    with pytest.raises(UnsafeOutput) as refused:
        tree.read("pipe")

    # Assert
    assert refused.value.problem == "is not a regular file"
