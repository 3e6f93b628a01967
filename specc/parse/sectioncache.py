"""The file that keeps what the parser made of each section, for the next parse of the same document.

One file per document under the cache folder (`<project>/.specc_cache/` for `specc build`), written with
`marshal` (plain tuples, `specc.parse.codec`) and replaced atomically. It holds only the sections of the
latest parse, so it never grows past one document's worth. It is stamped with specc's version and a hash of
specc's own code: any change to the parser makes old entries unreadable rather than wrong. A missing,
unreadable, truncated or foreign file is treated as empty; losing it only costs time.

The folder sits in the checkout, where a pull request can add files (`git add -f`), and what the cache says
becomes the IR the build generates from. So every file is signed: an HMAC-SHA256 with a key of this user on
this machine (`$XDG_CACHE_HOME/specc/cache.key`, else `~/.cache/specc/cache.key`, created once, mode 0600).
A file signed with another key, or unsigned, is not trusted and not even unmarshalled; with no usable key
there is no cache. If the folder or the file is a symbolic link, the cache is neither read nor written
(nothing is written through a link), and the file is replaced whole (a temporary file, then a rename).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import marshal
import os
import secrets
import stat
from functools import cache
from pathlib import Path
from typing import Any

from specc.fsio import read_regular_file, write_atomic, write_new
from specc.selfhash import code_fingerprint

FOLDER_NOTE = "# Created by specc: a cache of parsed sections; safe to delete.\n*\n"


def cache_file(folder: Path, document: str) -> Path:
    """The cache file for a document (its display path), inside `folder`."""
    name = hashlib.blake2b(document.encode("utf-8"), digest_size=8).hexdigest()
    return folder / f"sections-{name}.marshal"


class SectionCache:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.stamp = code_fingerprint()
        self.previous: dict[bytes, Any] = {}
        self.current: dict[bytes, Any] = {}
        self.hits = 0
        self.misses = 0
        if path is not None:
            self.previous = self._read(path)

    def _read(self, path: Path) -> dict[bytes, Any]:
        key = signing_key()
        if key is None or not _real_folder(path.parent):
            return {}
        signed = read_regular_file(path, follow_links=False)
        if signed is None or len(signed) < _MAC_BYTES:
            return {}
        mac, raw = signed[:_MAC_BYTES], signed[_MAC_BYTES:]
        if not hmac.compare_digest(mac, hmac.digest(key, raw, "sha256")):
            return {}
        try:
            data = marshal.loads(raw)
        except (EOFError, ValueError, TypeError):
            return {}
        if not (isinstance(data, tuple) and len(data) == 2 and data[0] == self.stamp):
            return {}
        entries = data[1]
        return entries if isinstance(entries, dict) else {}

    def get(self, key: bytes) -> Any | None:
        found = self.previous.get(key)
        if found is not None:
            self.hits += 1
            self.current[key] = found
        return found

    def put(self, key: bytes, value: Any) -> None:
        self.misses += 1
        self.current[key] = value

    def forget(self) -> None:
        """Keep nothing from this parse (it was not read section by section)."""
        self.current = {}

    def save(self) -> None:
        """Write this parse's sections (best effort: a read-only folder just means no cache)."""
        key = signing_key()
        if self.path is None or key is None or self.current.keys() == self.previous.keys():
            return
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not _real_folder(folder):
                return
            with contextlib.suppress(FileExistsError):  # also when it is a link: never written through
                write_new(folder / ".gitignore", FOLDER_NOTE.encode("utf-8"), durable=False)
            raw = marshal.dumps((self.stamp, self.current))
            write_atomic(self.path, hmac.digest(key, raw, "sha256") + raw, durable=False)
        except OSError:
            return


_MAC_BYTES = 32
KEY_ENV = "XDG_CACHE_HOME"


def key_file() -> Path:
    """Where this user's cache-signing key lives (outside any checkout)."""
    base = os.environ.get(KEY_ENV) or str(Path.home() / ".cache")
    return Path(base) / "specc" / "cache.key"


@cache
def signing_key() -> bytes | None:
    """This user's key for signing section caches, created on first use; None when it cannot be had."""
    path = key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(FileExistsError):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            try:
                os.write(fd, secrets.token_bytes(32))
            finally:
                os.close(fd)
        key = read_regular_file(path, follow_links=False)
    except (OSError, RuntimeError):
        return None
    return key if key is not None and len(key) == 32 else None


def _real_folder(folder: Path) -> bool:
    """`folder` exists and is a folder, not a link to one."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except OSError:
        return False
