"""The file that keeps what the parser made of each section, for the next parse of the same document.

One file per document under the cache folder (`<project>/.specc_cache/` for `specc build`), written with
`marshal` (plain tuples, `specc.parse.codec`) and replaced atomically. It holds only the sections of the
latest parse, so it never grows past one document's worth. It is stamped with specc's version and a hash of
specc's own code: any change to the parser makes old entries unreadable rather than wrong. A missing,
unreadable, truncated or foreign file is treated as empty; losing it only costs time.

Like Python's own `__pycache__`, the folder is trusted local state: do not put files from elsewhere in it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

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
        try:
            data = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
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
        if self.path is None or self.current.keys() == self.previous.keys():
            return
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            note = folder / ".gitignore"
            if not note.exists():
                note.write_text(FOLDER_NOTE, encoding="utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(marshal.dumps((self.stamp, self.current)))
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return
