"""A hash of specc's own code: part of every fingerprint that decides whether earlier output can be reused."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from specc import __version__


@cache
def code_fingerprint() -> str:
    """sha256 over specc's version and every module's path and bytes (computed once per process)."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
