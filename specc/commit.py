"""Crash-safe commit of a build into the output folder, and recovery of an interrupted one.

A build changes many files; no file system can replace them all in one step. So the commit goes through a
journal in `<out>/.specc-commit/`, a folder only specc uses:

1. stage: every new file (the new manifest included) is written under `.specc-commit/new/`, next to a marker
   file that says the folder is specc's;
2. journal: `.specc-commit/journal.json` lists each file to place (its path, the sha256 it had when the build
   planned and the sha256 of the new content) and each file to delete (with the sha256 specc recorded). It is
   written to a temporary name and renamed: that rename is the commit point;
3. apply: each staged file is renamed over its destination, the deletions are made, the manifest goes last;
4. the journal is removed, then the staging folder.

A crash before the commit point leaves the output untouched; the next run removes the staging folder (roll
back). A crash after it leaves a journal; the next run finishes the job from it (roll forward). Every step of
applying checks the current state first (a file already placed, already deleted), so recovery can itself be
interrupted and run again. `specc build` and `specc migrate verify` recover before reading the output;
`specc build --check` writes nothing, so it reports an interrupted commit (exit 1) instead.

Recovery never trusts the journal more than a manifest (the output folder, and so a staging folder, can come
from anyone's commit): every path must be canonical, inside a build target's area and reached without links,
in the staging folder too; a staged file must have the sha256 the journal recorded; a destination that changed
since the journal was written (the user edited it after the crash) stops the recovery (exit 2) rather than
being overwritten; a deletion whose file changed or lacks the generated-file header is skipped and reported.

Durability: a killed process loses nothing the kernel already has, so the order above is enough for `kill -9`.
For a power loss, with `durable` (the default) the file system is flushed at three barriers: after staging
(before the journal is renamed into place), after the rename (before anything is applied) and after applying
(before the journal is removed). On Linux each barrier is one `syncfs` of the output's file system; elsewhere
every staged file and every folder touched is fsynced (one fsync per file is ~40x slower at 3,000 files).

Only one process commits to an output folder at a time: the folder is locked (`flock`) for the whole build.

Fault injection for tests: when the environment variable `SPECC_TEST_CRASH_AT` names a step (`CRASH_STEPS`),
the process kills itself with SIGKILL when it reaches that step, so tests can crash at every step boundary.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
import signal
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from specc.emit.base import GENERATED_MARKER
from specc.fsio import (
    OutputTree,
    UnsafeOutput,
    can_sync_file_system,
    fsync_folder,
    sync_file_system,
    write_new,
)
from specc.jsontext import dumps_compact

COMMIT_DIR = ".specc-commit"
"""The staging folder of a commit in progress (a fixed name, so that the next run finds it)."""
MARKER = "specc-commit"
"""A file created first in `COMMIT_DIR`: the folder is specc's and may be removed by a roll back."""
JOURNAL = "journal.json"
JOURNAL_VERSION = 1
LEGACY_STAGING_PREFIX = ".specc-staging-"
"""Staging folders of specc versions before the journal (random names, no journal): never removed."""

CRASH_ENV = "SPECC_TEST_CRASH_AT"
CRASH_STEPS = (
    "folder",  # the staging folder exists, empty (no marker yet)
    "created",  # the staging folder and its marker exist, nothing staged
    "staging",  # about half of the new files staged
    "staged",  # every new file staged (and fsynced), no journal
    "journal-temp",  # the journal written under its temporary name, not renamed: before the commit point
    "journaled",  # the commit point: the journal is in place, nothing applied
    "placing",  # about half of the files placed
    "placed",  # every file but the manifest placed, nothing deleted
    "deleting",  # about half of the deletions made
    "deleted",  # every deletion made, the manifest not placed
    "manifest",  # the manifest placed, the journal still there
    "finished",  # the journal removed, the staging folder still there
)

AllowedPath = Callable[[str], "str | None"]
"""Why a relative path may not be written or deleted by a build (None: it may); see `specc.build`."""

_HEX = frozenset("0123456789abcdef")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_digest(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX


def _crash(step: str) -> None:
    if os.environ.get(CRASH_ENV) == step:  # pragma: no cover - the process dies here
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class Placement:
    path: str
    old: str | None
    """sha256 of the destination when the build planned (None: it did not exist)."""
    new: str


@dataclass(frozen=True)
class Write:
    """A file a commit writes: its path, the sha256 of the file there when the build planned (None: none)
    and the new content."""

    path: str
    old: str | None
    content: bytes


@dataclass(frozen=True)
class Removal:
    path: str
    sha256: str


@dataclass(frozen=True)
class Journal:
    place: tuple[Placement, ...]
    """In order; the manifest is last."""
    remove: tuple[Removal, ...]

    def text(self) -> str:
        body = {
            "specc_commit": JOURNAL_VERSION,
            "place": [{"path": p.path, "old": p.old, "new": p.new} for p in self.place],
            "remove": [{"path": r.path, "sha256": r.sha256} for r in self.remove],
        }
        return dumps_compact(body) + "\n"


def _parse_journal(data: bytes, allowed: AllowedPath) -> Journal:
    """The journal, validated as strictly as a manifest; raises ValueError when anything is off."""
    try:
        body = json.loads(data.decode("utf-8"))
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    if not isinstance(body, dict) or body.get("specc_commit") != JOURNAL_VERSION:
        raise ValueError(f"not a version {JOURNAL_VERSION} specc journal")
    place_items, remove_items = body.get("place"), body.get("remove")
    if not isinstance(place_items, list) or not isinstance(remove_items, list):
        raise ValueError("`place` and `remove` must be lists")
    place: list[Placement] = []
    remove: list[Removal] = []
    for item in place_items:
        if not isinstance(item, dict) or not is_digest(item.get("new")):
            raise ValueError("a `place` entry is not {path, old, new}")
        old = item.get("old")
        if old is not None and not is_digest(old):
            raise ValueError("a `place` entry has an invalid `old` digest")
        place.append(Placement(path=_checked_path(item.get("path"), allowed), old=old, new=item["new"]))
    for item in remove_items:
        if not isinstance(item, dict) or not is_digest(item.get("sha256")):
            raise ValueError("a `remove` entry is not {path, sha256}")
        remove.append(Removal(path=_checked_path(item.get("path"), allowed), sha256=item["sha256"]))
    return Journal(place=tuple(place), remove=tuple(remove))


def _checked_path(value: object, allowed: AllowedPath) -> str:
    if not isinstance(value, str):
        raise ValueError("a path is not a string")
    problem = allowed(value)
    if problem is not None:
        raise ValueError(f"path {value!r} {problem}")
    return value


@dataclass
class Outcome:
    """What a commit or a recovery did."""

    action: str = ""
    """"" (nothing to do), "rolled back" or "finished"."""
    kept: list[str] = field(default_factory=list)
    """Deletions skipped because the file changed since it was planned (the file is left as it is)."""


def _conflict(tree: OutputTree, rel: str) -> UnsafeOutput:
    return UnsafeOutput(
        tree.show(rel),
        "changed since the interrupted build planned it; specc will not overwrite it. Move it out of the "
        "output folder, then run `specc build` again to finish the build recorded in "
        f"{tree.show(COMMIT_DIR)}",
    )


def _place(tree: OutputTree, entry: Placement, touched: set[str], *, recovering: bool) -> None:
    staged_rel = f"{COMMIT_DIR}/new/{entry.path}"
    if recovering:  # the staging folder may not be what this process wrote: check its content too
        staged = tree.read(staged_rel)  # never through a link, even in the staging folder
        is_staged = staged is not None
        if staged is not None and sha256(staged) != entry.new:
            raise UnsafeOutput(tree.show(staged_rel), "is not the file the journal recorded")
    else:
        is_staged = tree.lstat_file(staged_rel) is not None
    current = tree.read(entry.path)
    current_digest = None if current is None else sha256(current)
    if is_staged:
        if current_digest not in (entry.old, entry.new):
            raise _conflict(tree, entry.path)
        tree.make_folders(entry.path.rpartition("/")[0])
        os.replace(tree.path(staged_rel), tree.path(entry.path))
    elif current_digest != entry.new:  # not staged any more: placed by an earlier, interrupted run
        raise _conflict(tree, entry.path)
    touched.add(entry.path.rpartition("/")[0])


def _apply(tree: OutputTree, journal: Journal, *, durable: bool, recovering: bool) -> Outcome:
    """Place every file but the last (the manifest), delete, place the manifest, then remove the journal and
    the staging folder. Every step looks before it acts, so this can be run again after any interruption."""
    outcome = Outcome(action="finished")
    touched: set[str] = set()
    body, last = journal.place[:-1], journal.place[-1:]
    for index, entry in enumerate(body):
        _place(tree, entry, touched, recovering=recovering)
        if index == len(body) // 2:
            _crash("placing")
    _crash("placed")
    _remove_all(tree, journal, outcome, touched)
    _crash("deleted")
    for entry in last:
        _place(tree, entry, touched, recovering=recovering)
    if durable and not sync_file_system(tree.root):
        for folder in sorted(touched, key=lambda f: (-f.count("/"), f)):
            if tree.check_folder(folder):
                fsync_folder(tree.path(folder))
    _crash("manifest")
    with contextlib.suppress(FileNotFoundError):
        (tree.path(COMMIT_DIR) / JOURNAL).unlink()
    _crash("finished")
    shutil.rmtree(tree.path(COMMIT_DIR))
    return outcome


def _remove_all(tree: OutputTree, journal: Journal, outcome: Outcome, touched: set[str]) -> None:
    half = len(journal.remove) // 2
    for index, entry in enumerate(journal.remove):
        try:
            current = tree.read(entry.path)
        except UnsafeOutput:
            outcome.kept.append(entry.path)
            continue
        if current is not None:
            generated = GENERATED_MARKER in current[:400].decode(errors="replace")
            if sha256(current) != entry.sha256 or not generated:
                outcome.kept.append(entry.path)
                continue
            os.unlink(tree.path(entry.path))
        _prune(tree, entry.path.rpartition("/")[0], touched)
        if index == half:
            _crash("deleting")


def _prune(tree: OutputTree, folder: str, touched: set[str]) -> None:
    """Remove `folder` and the folders above it while they are empty (never the output folder itself)."""
    while folder:
        try:
            if not tree.check_folder(folder):
                folder = folder.rpartition("/")[0]
                continue
            os.rmdir(tree.path(folder))
        except (OSError, UnsafeOutput):
            touched.add(folder)
            return
        tree.forget(folder)
        folder = folder.rpartition("/")[0]
    touched.add("")


class CommitFailed(Exception):
    """Writing the output failed (a full disk, a read-only folder): the message says where and what was left
    as it was. An environment error (exit 2)."""


def commit(
    tree: OutputTree,
    place: list[Write],
    remove: list[Removal],
    *,
    durable: bool = True,
) -> Outcome:
    """Write `place` (the manifest last) and delete `remove` (each checked against its recorded sha256) under
    `tree`, crash-safely (see the module note). The output folder
    must exist and be locked, and no earlier commit may be pending (`recover` first). Raises CommitFailed
    when the file system refuses (the output is then unchanged, or finished by the next run)."""
    folder = tree.path(COMMIT_DIR)
    journal = Journal(
        place=tuple(Placement(path=w.path, old=w.old, new=sha256(w.content)) for w in place),
        remove=tuple(remove),
    )
    per_file = durable and not can_sync_file_system()
    current = COMMIT_DIR
    try:
        os.mkdir(folder)
        _crash("folder")
        try:
            current = f"{COMMIT_DIR}/{MARKER}"
            write_new(folder / MARKER, b"specc: a build in progress; see specc/commit.py\n", durable=per_file)
            _crash("created")
            _stage(folder, place, durable=per_file)
            current = f"{COMMIT_DIR}/{JOURNAL}"
            temporary = folder / f"{JOURNAL}.tmp"
            write_new(temporary, journal.text().encode("utf-8"), durable=per_file)
            if durable and not per_file:
                sync_file_system(folder)  # the barrier: everything staged is on disk before the commit point
            _crash("journal-temp")
            os.replace(temporary, folder / JOURNAL)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    except _StageError as exc:
        raise CommitFailed(
            f"{tree.show(f'{COMMIT_DIR}/new/{exc.rel}')}: {exc.cause.strerror or exc.cause}; nothing in "
            f"{tree.shown} was changed"
        ) from exc
    except OSError as exc:
        raise CommitFailed(
            f"{tree.show(current)}: {exc.strerror or exc}; nothing in {tree.shown} was changed"
        ) from exc
    if durable:
        fsync_folder(folder)
    _crash("journaled")
    try:
        return _apply(tree, journal, durable=durable, recovering=False)
    except OSError as exc:
        raise CommitFailed(
            f"{exc.filename or tree.shown}: {exc.strerror or exc} while files were being replaced; the build "
            f"is recorded in {tree.show(COMMIT_DIR)}: run `specc build` again to finish it"
        ) from exc


class _StageError(Exception):
    def __init__(self, rel: str, cause: OSError) -> None:
        super().__init__(rel)
        self.rel = rel
        self.cause = cause


def _stage(folder: Path, place: list[Write], *, durable: bool) -> None:
    """Write every new file under `folder/new/` (with `durable`, each file and folder fsynced)."""
    staging = folder / "new"
    staging.mkdir()
    made: set[Path] = {folder, staging}
    half = len(place) // 2
    for index, write in enumerate(place):
        rel = write.path
        target = staging / rel
        try:
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.update(p for p in target.parents if p == staging or staging in p.parents)
            write_new(target, write.content, durable=durable)
        except OSError as exc:
            raise _StageError(rel, exc) from exc
        if index == half:
            _crash("staging")
    if durable:
        for made_folder in sorted(made, key=lambda p: -len(p.parts)):
            fsync_folder(made_folder)
    _crash("staged")


def pending(tree: OutputTree) -> str | None:
    """The staging folder's path as shown, when a commit was interrupted (or is running)."""
    try:
        os.lstat(tree.path(COMMIT_DIR))
    except FileNotFoundError:
        return None
    return tree.show(COMMIT_DIR)


def legacy_staging(tree: OutputTree) -> list[str]:
    """Staging folders left by a specc version without a journal (they may hold the only copy of files that
    were moved aside): reported, never removed."""
    try:
        names = os.listdir(tree.root)
    except OSError:
        return []
    return sorted(tree.show(n) for n in names if n.startswith(LEGACY_STAGING_PREFIX))


def recover(tree: OutputTree, allowed: AllowedPath, *, durable: bool = True) -> Outcome:
    """Finish or undo an interrupted commit (see the module note); nothing to do returns action "". Raises
    UnsafeOutput when the staging folder is not provably specc's, its journal cannot be read, or a file
    changed since the journal was written."""
    folder = tree.path(COMMIT_DIR)
    try:
        found = os.lstat(folder)
    except FileNotFoundError:
        return Outcome()
    shown = tree.show(COMMIT_DIR)
    if not stat.S_ISDIR(found.st_mode):
        raise UnsafeOutput(shown, "is not a folder specc made; specc will not touch it: remove it by hand")
    names = set(os.listdir(folder))
    if JOURNAL not in names:
        if names and MARKER not in names:
            raise UnsafeOutput(shown, "was not made by specc (no marker file); remove it by hand")
        shutil.rmtree(folder)
        return Outcome(action="rolled back")
    journal_path = folder / JOURNAL
    try:
        if not stat.S_ISREG(os.lstat(journal_path).st_mode):
            raise ValueError("it is not a regular file")
        journal = _parse_journal(journal_path.read_bytes(), allowed)
    except (ValueError, OSError) as exc:
        raise UnsafeOutput(
            tree.show(f"{COMMIT_DIR}/{JOURNAL}"),
            f"cannot be read ({exc}); specc cannot tell how to finish the interrupted build. Inspect the "
            f"folder, then remove {shown} and rebuild",
        ) from exc
    try:
        return _apply(tree, journal, durable=durable, recovering=True)
    except OSError as exc:
        raise CommitFailed(
            f"{exc.filename or shown}: {exc.strerror or exc} while finishing an interrupted build; run "
            "`specc build` again once the cause is fixed"
        ) from exc


@contextlib.contextmanager
def locked(folder: Path, *, shared: bool = False) -> Iterator[None]:
    """Hold an advisory lock on an existing output folder (exclusive for commits, shared for readers), so
    that two specc processes never commit into, or recover, the same folder at once. Waits for the lock.
    A no-op where `fcntl.flock` does not exist or the file system has no locks."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        except OSError as exc:  # a file system without locks (some network mounts): go on unlocked
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                raise
        yield
    finally:
        os.close(fd)
