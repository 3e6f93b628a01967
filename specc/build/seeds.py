"""User-owned files a build creates once: the test-plan stub files (`specc.emit.testing.stubs`).

A seed is created only where no file exists, atomically (written to a temporary file beside it, then
hard-linked to its name, which fails if a file appeared meanwhile), so a build can never overwrite or
truncate a file of the team's, and a crash leaves the whole file or none (perhaps a `.specc-*.tmp` file
beside it). Nothing is created through a symbolic link. The manifest records what was created, and a later
build never creates it again (`BuildContext.seeded`)."""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path

from specc.fsio import path_problem

MAX_TEST_FILES = 10_000
"""Test files hashed into the build's fingerprint at most (beyond: the rest are not looked at)."""


def _through_link(root: Path, rel: str) -> bool:
    current = root
    for part in rel.split("/")[:-1]:
        current = current / part
        if current.is_symlink() or (current.exists() and not current.is_dir()):
            return True
    return False


def create_seeds(root: Path, seeds: dict[str, str], durable: bool = True) -> list[str]:
    """Create each seed that does not exist yet; the ones created, sorted."""
    created: list[str] = []
    for rel, text in sorted(seeds.items()):
        if path_problem(rel) is not None or _through_link(root, rel):
            continue
        target = root / rel
        if target.exists() or target.is_symlink():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.parent / f".{target.name}.specc-{uuid.uuid4().hex[:12]}.tmp"
        try:
            with open(temporary, "xb") as handle:
                handle.write(text.encode("utf-8"))
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            try:
                os.link(temporary, target)
            except FileExistsError:
                continue
            created.append(rel)
        finally:
            temporary.unlink(missing_ok=True)
    return created


def tests_digest(folder: Path) -> str:
    """A digest of the Python files under the team's tests folder (names and bytes): a build whose plan
    stubs depend on them is not up to date once they change."""
    digest = hashlib.sha256()
    if not folder.is_dir() or folder.is_symlink():
        return ""
    files = sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)[:MAX_TEST_FILES]
    for path in files:
        try:
            data = path.read_bytes() if not path.is_symlink() else b"<link>"
        except OSError:
            data = b"<unreadable>"
        digest.update(path.relative_to(folder).as_posix().encode("utf-8", "replace") + b"\x00")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()
