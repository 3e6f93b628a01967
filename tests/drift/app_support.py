"""Helpers of the app drift tests: the example spec, mutant copies of the reference app, and running drift
on an app with its package (`app`) imported fresh and the process's own `app` modules put back afterwards."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from specc.config import load_config
from specc.drift.app import RouteLocator, compare_app, read_app_openapi
from specc.drift.model import Finding
from specc.frontend import load
from specc.ir.model import Spec

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "example"
SPEC_FILE = "docs/example/ARCHITECTURE.md"
FACTORY = "app.main:create_app"
APP_ENV = {
    "DATABASE_URL": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
    "SECRET_KEY": "drift-tests-secret-key-0123456789abcdef",
}


@cache
def example_spec() -> Spec:
    front = load(ROOT / SPEC_FILE, None, load_config(ROOT))
    assert front.errors == 0
    return front.spec


def spec_line(fragment: str, after: str | None = None) -> int:
    """1-based line of the first line of the example document containing `fragment` (after the first line
    containing `after`, when given)."""
    lines = (ROOT / SPEC_FILE).read_text(encoding="utf-8").splitlines()
    start = 0
    if after is not None:
        start = next(i for i, line in enumerate(lines) if after in line) + 1
    return next(i for i in range(start, len(lines)) if fragment in lines[i]) + 1


def line_of(path: Path, fragment: str) -> int:
    """1-based line of the only line of `path` containing `fragment`."""
    found = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if fragment in line]
    assert len(found) == 1, f"{fragment!r} is on lines {found} of {path}"
    return found[0]


def mutant(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of the reference app under `tmp_path` (the project root of the copy) with `old` replaced by
    `new` in `app/<file>`; the replacement must happen exactly once."""
    shutil.copytree(EXAMPLE / "app", tmp_path / "app", ignore=shutil.ignore_patterns("__pycache__"))
    replace_once(tmp_path / "app" / file, old, new)
    return tmp_path


def replace_once(path: Path, old: str, new: str) -> None:
    """`old` replaced by `new` in `path`, where it must occur exactly once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _app_modules() -> dict[str, ModuleType]:
    return {name: module for name, module in sys.modules.items() if name == "app" or name.startswith("app.")}


@contextmanager
def fresh_app_package(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`app` imported anew inside (the settings read from a test environment), and the `app` modules this
    process had before put back afterwards, so other tests keep the objects they imported."""
    from generated.config import get_settings

    saved = _app_modules()
    for name in saved:
        del sys.modules[name]
    for key, value in APP_ENV.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        yield
    finally:
        for name in _app_modules():
            del sys.modules[name]
        sys.modules.update(saved)
        get_settings.cache_clear()


def read_app(project: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], RouteLocator]:
    """The OpenAPI document and routes of the app package `project/app` (`generated` from the worktree)."""
    with fresh_app_package(monkeypatch):
        return read_app_openapi(FACTORY, project, [project, ROOT])


def app_drift(project: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """Drift findings of the app package `project/app` against the example spec."""
    document, routes = read_app(project, monkeypatch)
    return compare_app(example_spec(), SPEC_FILE, document, routes, "/api", root=ROOT)


@contextmanager
def forgotten_modules(prefix: str) -> Iterator[None]:
    """Modules named `prefix…` that a test imports are removed from `sys.modules` afterwards."""
    try:
        yield
    finally:
        for name in [name for name in sys.modules if name.startswith(prefix)]:
            del sys.modules[name]
