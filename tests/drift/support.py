"""Running `specc drift` in-process on the example project, and a migrated copy of its database."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from specc.cli import main
from tests.conftest import PG_ADMIN_URL, require_postgres

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "docs/example/ARCHITECTURE.md"
PLAN = ROOT / "docs/example/TESTPLAN.md"
SERVER_URL = PG_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def spec_line(text: str, path: Path = SPEC) -> int:
    """The 1-based line of the document holding `text` (exactly one line must)."""
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert len(lines) == 1, f"{text!r} is on lines {lines}"
    return lines[0]


def run_drift(
    args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, cwd: Path = ROOT
) -> tuple[int, dict[str, Any], str]:
    """`specc drift --format json ARGS` from `cwd`: (exit code, the JSON report or {}, stderr)."""
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    code = main(["drift", "--format", "json", *args])
    captured = capsys.readouterr()
    report = json.loads(captured.out) if captured.out.strip() else {}
    return code, report, captured.err


def brief(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(code, source, subject) of every finding."""
    return [(f["code"], f["source"], f["subject"]) for f in report["findings"]]


def _admin() -> sa.Engine:
    return sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


_TEMPLATE: list[str] = []


def _template() -> str:
    """A database migrated to the example's head by the generated migrations, made once per process."""
    if _TEMPLATE:
        return _TEMPLATE[0]
    from specc.migrate.database import upgrade

    name = f"specc_drift_tpl_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine = sa.create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, poolclass=sa.pool.NullPool)
    try:
        upgrade(ROOT / "generated", engine)
    finally:
        engine.dispose()
    _TEMPLATE.append(name)
    atexit.register(drop_template)  # a module that used it last may not drop it: the process does, at exit
    return name


def drop_template() -> None:
    if _TEMPLATE:
        with _admin().connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{_TEMPLATE.pop()}" WITH (FORCE)'))


@contextmanager
def example_database(*statements: str) -> Iterator[str]:
    """A copy of the migrated example database with `statements` run on it; yields its URL."""
    require_postgres()
    template = _template()
    name = f"specc_drift_{uuid.uuid4().hex[:12]}"
    admin = _admin()
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    url = SERVER_URL.rsplit("/", 1)[0] + "/" + name
    try:
        engine = sa.create_engine(PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name, poolclass=sa.pool.NullPool)
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
        engine.dispose()
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def scalar(url: str, query: str) -> Any:
    engine = sa.create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool
    )
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text(query)).scalar_one()
    finally:
        engine.dispose()


def copy_models(tmp_path: Path, old: str, new: str, file: str) -> tuple[str, Path]:
    """The generated models copied into a uniquely named package with `old` replaced by `new` in `file`;
    returns (package name, the edited file)."""
    package = f"drift_models_{uuid.uuid4().hex[:10]}"
    target = tmp_path / package
    shutil.copytree(ROOT / "generated/models", target, ignore=shutil.ignore_patterns("__pycache__"))
    edited = target / file
    text = edited.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {file}"
    edited.write_text(text.replace(old, new), encoding="utf-8")
    return package, edited


def line_of(path: Path, text: str) -> int:
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    assert len(lines) == 1, f"{text!r} is on lines {lines} of {path}"
    return lines[0]


def relative(path: Path) -> str:
    return Path(os.path.relpath(path, ROOT)).as_posix()
