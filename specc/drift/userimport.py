"""Importing the user's code (models module, FastAPI app): this runs their code, by design.

A failure is the user's error, not specc's: `UserCodeError` carries one clear line (what could not be
imported, the exception, and the innermost frame of the user's own code) and the user's traceback with
specc's and importlib's frames left out.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType, TracebackType

_SPECC_DIR = str(Path(__file__).resolve().parents[1]) + os.sep
_HIDDEN = ("<frozen importlib", "importlib" + os.sep)


class UserCodeError(Exception):
    """The user's module could not be imported or did not hold what was asked for (exit 2)."""

    def __init__(self, line: str, user_traceback: str = "") -> None:
        super().__init__(line)
        self.line = line
        self.user_traceback = user_traceback


def _user_frames(tb: TracebackType | None) -> list[traceback.FrameSummary]:
    return [
        frame
        for frame in traceback.extract_tb(tb)
        if not frame.filename.startswith(_SPECC_DIR) and not any(h in frame.filename for h in _HIDDEN)
    ]


def _describe(exc: BaseException) -> str:
    try:
        text = str(exc).strip().splitlines()
    except Exception:  # an exception whose __str__ fails: its type still says what happened
        text = []
    first = text[0] if text else ""
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def user_error(what: str, exc: BaseException, root: Path) -> UserCodeError:
    return code_error(f"cannot import {what}", exc, root)


def code_error(doing: str, exc: BaseException, root: Path) -> UserCodeError:
    """`exc`, raised by the user's code while specc was `doing` something with it, as a UserCodeError:
    `<doing>: <exception>: <first line> (<innermost user frame>)`."""
    frames = _user_frames(exc.__traceback__)
    where = ""
    if frames:
        last = frames[-1]
        try:
            shown = Path(os.path.relpath(last.filename, root)).as_posix()
        except ValueError:
            shown = last.filename
        where = f" ({shown}:{last.lineno})"
    lines = ["Traceback of your code (most recent call last):\n"]
    lines += traceback.format_list(frames)
    lines += traceback.format_exception_only(type(exc), exc)
    return UserCodeError(f"{doing}: {_describe(exc)}{where}", "".join(lines))


@contextmanager
def on_path(folders: Sequence[Path]) -> Iterator[None]:
    """`folders` first on `sys.path` while importing (the project root, configured source folders)."""
    added = [str(f.resolve()) for f in folders]
    saved = list(sys.path)
    sys.path[:0] = [f for f in added if f not in sys.path[: len(added)]]
    importlib.invalidate_caches()
    try:
        yield
    finally:
        sys.path[:] = saved


def import_module(name: str, what: str, root: Path, path: Sequence[Path]) -> ModuleType:
    """Import the user's module `name`; any failure raises UserCodeError (their code's exceptions too)."""
    with on_path(path):
        try:
            return importlib.import_module(name)
        except SystemExit as exc:
            raise UserCodeError(f"cannot import {what}: it called sys.exit({exc.code!r})") from None
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # any exception of the user's code is their error
            raise user_error(what, exc, root) from None


def import_object(reference: str, what: str, root: Path, path: Sequence[Path]) -> object:
    """`module.path:attribute` → the attribute (UserCodeError when the module or attribute is missing)."""
    module_name, _, attribute = reference.partition(":")
    module = import_module(module_name, f"{what} {module_name}", root, path)
    if not hasattr(module, attribute):
        raise UserCodeError(f"{what}: module {module_name} has no attribute {attribute!r}")
    return getattr(module, attribute)
