"""Safe file I/O: canonical relative paths, reading and writing below a folder without following links, atomic
replacement of whole files, fsync.

specc's output folder may be committed to version control, so whatever is in it (a link, an edited manifest, a
folder where a file was) can come from anyone's pull request. Below the output folder, specc therefore never
follows a symbolic link: every component of every path it reads, writes or deletes is checked with `lstat`,
files are opened with `O_NOFOLLOW`, and a link is an `UnsafeOutput` error (exit 2) rather than something to
resolve. The output folder itself may be a link: it is named by the user (`--out`, `[tool.specc] out`).

These checks defend against links present while specc runs; they do not defend against another process
swapping folders for links *while* specc runs (never build in a folder that other users can write to).
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)

MAX_NAME_BYTES = 255
"""The longest file or folder name most file systems accept."""


class UnsafeOutput(Exception):
    """A path below the output folder that specc must not read, write or delete through: an environment
    error (exit 2). `path` is the path as shown to the user."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


def path_problem(rel: str) -> str | None:
    """Why `rel` is not a canonical relative path below a folder (None when it is).

    Canonical: `/`-separated, not empty, not absolute, no empty, `.` or `..` part, no backslash, no control
    character (NUL included), no part longer than 255 bytes. A path that is not canonical is never used to
    find a file: two spellings of one file (`migrations//versions/x.py`) would slip past rules about it."""
    if not rel:
        return "is empty"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in rel):
        return "contains a control character"
    if "\\" in rel:
        return "contains a backslash"
    if rel.startswith("/"):
        return "is absolute"
    parts = rel.split("/")
    if any(part == "" for part in parts):
        return "has an empty part (`//` or a trailing `/`)"
    if any(part in (".", "..") for part in parts):
        return "has a `.` or `..` part"
    try:
        if any(len(part.encode("utf-8")) > MAX_NAME_BYTES for part in parts):
            return f"has a part longer than {MAX_NAME_BYTES} bytes"
    except UnicodeEncodeError:
        return "is not valid Unicode"
    return None


LINK = (
    "is a symbolic link; specc never follows links below the output folder (replace the link with a real "
    "folder or file, or point the output folder at where it leads)"
)


def _describe(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    return "is not a regular file"


@dataclass
class OutputTree:
    """A folder whose contents specc reads and writes without following links below it.

    Paths are canonical relative posix paths (`path_problem` is None); `shown` is how the folder is named in
    messages. Folders found to be real folders are remembered, so checking every file of a large output
    costs one `lstat` per folder and one `open` per file."""

    root: Path
    shown: str
    _folders: set[str] = field(default_factory=lambda: {""})

    def show(self, rel: str) -> str:
        return f"{self.shown}/{rel}" if rel else self.shown

    def path(self, rel: str) -> Path:
        return self.root / rel if rel else self.root

    def _lstat(self, rel: str) -> os.stat_result | None:
        try:
            return os.lstat(self.path(rel))
        except FileNotFoundError:
            return None
        except NotADirectoryError as exc:  # a parent is a file: check_parents reports it
            raise UnsafeOutput(self.show(rel), "has a file where a folder is expected") from exc

    def check_folder(self, rel: str) -> bool:
        """True when `rel` (and each folder above it) is a real folder, False when missing; raises
        UnsafeOutput when any of them is a link or not a folder."""
        if rel in self._folders:
            return True
        parent = rel.rpartition("/")[0]
        if not self.check_folder(parent):
            return False
        found = self._lstat(rel)
        if found is None:
            return False
        if not stat.S_ISDIR(found.st_mode):
            raise UnsafeOutput(
                self.show(rel),
                LINK if stat.S_ISLNK(found.st_mode) else "is a file where a folder is expected",
            )
        self._folders.add(rel)
        return True

    def check_parents(self, rel: str) -> bool:
        """Every folder above `rel` is real (True) or one is missing (False); links raise UnsafeOutput."""
        return self.check_folder(rel.rpartition("/")[0])

    def lstat_file(self, rel: str) -> os.stat_result | None:
        """The regular file `rel`, None when it (or a folder above it) is missing; anything else (a link, a
        folder, a device) raises UnsafeOutput."""
        if not self.check_parents(rel):
            return None
        found = self._lstat(rel)
        if found is not None and not stat.S_ISREG(found.st_mode):
            raise UnsafeOutput(self.show(rel), _describe(found.st_mode))
        return found

    def read(self, rel: str) -> bytes | None:
        """The bytes of the regular file `rel`, None when missing. Never through a link."""
        if not self.check_parents(rel):
            return None
        try:
            fd = os.open(self.path(rel), os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno in (errno.ELOOP, errno.EMLINK):
                raise UnsafeOutput(self.show(rel), LINK) from exc
            raise
        try:
            mode = os.fstat(fd).st_mode
        except BaseException:
            os.close(fd)
            raise
        if not stat.S_ISREG(mode):
            os.close(fd)
            raise UnsafeOutput(self.show(rel), _describe(mode))
        with os.fdopen(fd, "rb") as handle:
            return handle.read()

    def forget(self, rel: str) -> None:
        """`rel` was removed: check it (and what was below it) again next time."""
        self._folders = {f for f in self._folders if f != rel and not f.startswith(f"{rel}/")}

    def make_folders(self, rel: str) -> list[str]:
        """Create folder `rel` and the folders above it; returns those it created (top first)."""
        if not rel or self.check_folder(rel):
            return []
        created = self.make_folders(rel.rpartition("/")[0])
        try:
            os.mkdir(self.path(rel))
            created.append(rel)
        except FileExistsError:
            pass
        if not self.check_folder(rel):  # pragma: no cover - removed between mkdir and lstat
            raise UnsafeOutput(self.show(rel), "disappeared while specc was creating it")
        return created


def read_regular_file(path: Path, *, follow_links: bool) -> bytes | None:
    """The bytes of `path` when it is a regular file (never a device, a pipe or a folder, and not a link
    unless `follow_links`); None otherwise, or when it cannot be read."""
    flags = os.O_RDONLY | _NONBLOCK | _CLOEXEC | (0 if follow_links else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def fsync_folder(path: Path) -> None:
    """Make a folder's entries (files created, renamed or removed in it) durable. No-op where folders cannot
    be opened (Windows)."""
    try:
        fd = os.open(path, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some file systems refuse fsync on folders
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        function: Callable[[int], int] = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):  # pragma: no cover - a libc without syncfs
        return None
    return function


def can_sync_file_system() -> bool:
    return _syncfs() is not None


def sync_file_system(path: Path) -> bool:
    """Flush every written file and folder entry of the file system holding `path` to the disk (Linux
    `syncfs`): one call instead of one fsync per file. False where it is not available (fsync each file)."""
    function = _syncfs()
    if function is None:
        return False
    fd = os.open(path, os.O_RDONLY | _CLOEXEC)
    try:
        if function(fd) != 0:  # pragma: no cover - a failing disk
            number = ctypes_errno()
            raise OSError(number, os.strerror(number), str(path))
    finally:
        os.close(fd)
    return True


def ctypes_errno() -> int:
    import ctypes

    return ctypes.get_errno()


def write_new(path: Path, data: bytes, *, durable: bool) -> None:
    """Create `path` (which must not exist) with `data`; with `durable`, fsync it before returning."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace `path` with `data` in one step: a temporary file in the same folder, then `os.replace`.

    Readers see the old content or the new, never a part; on any failure the old file is untouched and the
    temporary file is removed. If `path` is a link, the link itself is replaced (nothing is written through
    it). With `durable`, the data and the folder entry are fsynced (they survive a power loss)."""
    tmp = path.with_name(f".specc-{secrets.token_hex(6)}.tmp")
    try:
        write_new(tmp, data, durable=durable)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    if durable:
        fsync_folder(path.parent)


MAX_PROJECT_FILE_BYTES = 1 << 20
"""A project file the document names (an external JSON Schema) larger than this is refused."""


def project_file(root: Path, ref: str, *, what: str = "file") -> tuple[bytes | None, str | None]:
    """(content, problem) of the file `ref` names, relative to the project `root`.

    The document is untrusted, so `ref` may only name a regular file inside the project: a relative path
    without `..`, whose real location (links followed) is still below `root`, of at most
    `MAX_PROJECT_FILE_BYTES`. Anything else would let a document copy any file of the machine into the
    generated code (or hang the build on a device)."""
    pure = PurePosixPath(ref)
    if not ref or pure.is_absolute() or ".." in pure.parts or "\\" in ref or "\x00" in ref:
        return None, f"{what} {ref} must be a relative path inside the project (no '..')"
    path = root / ref
    try:
        inside = path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside:
        return None, f"{what} {ref} leads outside the project (through a link)"
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return None, f"{what} {ref} not found (looked in {root})"
    except OSError as exc:
        return None, f"{what} {ref} cannot be read: {exc.strerror}"
    if size > MAX_PROJECT_FILE_BYTES:
        return None, f"{what} {ref} is larger than {MAX_PROJECT_FILE_BYTES} bytes"
    data = read_regular_file(path, follow_links=True)
    if data is None:
        return None, f"{what} {ref} is not a regular file that can be read"
    return data, None
