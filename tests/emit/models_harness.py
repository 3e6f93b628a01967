"""Reusable helpers for model-writer tests: write a generated tree, import it, create it, lint it.

Each tree is written as a uniquely named package (the `models/` prefix is renamed) so many generated
packages can be imported in one test process.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa

from specc.emit.base import GeneratedFiles
from specc.ir.model import CheckConstraint, Column, ForeignKey, Index, Relationship, Spec, Table

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent

LINT_CONFIG = """\
[tool.ruff]
line-length = 110
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]
ignore = ["RUF001", "RUF002", "RUF003"]

[tool.mypy]
python_version = "3.11"
strict = true
"""


def write_tree(files: GeneratedFiles, root: Path, package: str | None = None) -> str:
    """Write `files` under `root`, the `models/` folder renamed to a unique package; returns its name."""
    name = package or f"gen_models_{uuid.uuid4().hex[:10]}"
    for rel, content in files.items():
        parts = rel.split("/")
        if parts[0] == "models":
            parts[0] = name
        path = root.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (root / "pyproject.toml").write_text(LINT_CONFIG, encoding="utf-8")
    return name


def import_tree(root: Path, package: str) -> ModuleType:
    """Import the written package (and all its model modules, through its `__init__`)."""
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    module = importlib.import_module(package)
    module.Base.registry.configure()  # this package's mappers only: other packages may be broken on purpose
    return module


def metadata_of(module: ModuleType) -> sa.MetaData:
    base = module.Base
    metadata = base.metadata
    assert isinstance(metadata, sa.MetaData)
    return metadata


def create_all(metadata: sa.MetaData, url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            metadata.create_all(conn)
    finally:
        engine.dispose()


def run_tool(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)


def ruff_check(root: Path, package: str) -> subprocess.CompletedProcess[str]:
    return run_tool([str(VENV_BIN / "ruff"), "check", "--no-cache", package], root)


def ruff_format_check(root: Path, package: str) -> subprocess.CompletedProcess[str]:
    return run_tool([str(VENV_BIN / "ruff"), "format", "--check", "--diff", "--no-cache", package], root)


def mypy_strict(root: Path, *packages: str) -> subprocess.CompletedProcess[str]:
    cache = root / ".mypy_cache"
    selected = [arg for package in packages for arg in ("-p", package)]
    return run_tool([str(VENV_BIN / "mypy"), "--strict", "--cache-dir", str(cache), *selected], root)


def chat_spec() -> Spec:
    """A realistic schema: users / rooms / room_members / messages with every construct the writer maps."""
    users = Table(
        name="users",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
            Column(name="email", type="VARCHAR(255)", nullable=False, unique=True, indexed=True),
            Column(name="display_name", type="VARCHAR(100)", nullable=False),
            Column(name="role", type="ENUM('admin','member')", nullable=False, default="'member'"),
            Column(name="tags", type="TEXT[]", nullable=False, default="'{}'"),
            Column(name="age", type="INTEGER", check="age >= 0"),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
    )
    rooms = Table(
        name="rooms",
        columns=(
            Column(name="id", type="UUID", nullable=False, primary_key=True, default="gen_random_uuid()"),
            Column(name="name", type="VARCHAR(100)", nullable=False),
            Column(
                name="created_by",
                type="BIGINT",
                nullable=False,
                foreign_key=ForeignKey(table="users", column="id", on_delete="CASCADE"),
            ),
            Column(name="settings", type="JSONB", nullable=False, default="'{}'"),
            Column(name="price", type="NUMERIC(10,2)"),
            Column(name="is_private", type="BOOLEAN", nullable=False, default="false"),
        ),
        indexes=(Index(columns=("settings",), method="gin"),),
        checks=(CheckConstraint(expression="char_length(name) > 0", name="name_not_empty"),),
    )
    room_members = Table(
        name="room_members",
        columns=(
            Column(
                name="user_id",
                type="BIGINT",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="users", on_delete="CASCADE"),
            ),
            Column(
                name="room_id",
                type="UUID",
                nullable=False,
                primary_key=True,
                foreign_key=ForeignKey(table="rooms", column="id", on_delete="CASCADE"),
            ),
            Column(name="joined_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
    )
    messages = Table(
        name="messages",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
            Column(
                name="room_id",
                type="UUID",
                nullable=False,
                foreign_key=ForeignKey(table="rooms", column="id", on_delete="CASCADE"),
            ),
            Column(
                name="sender_id",
                type="BIGINT",
                foreign_key=ForeignKey(table="users", column="id", on_delete="SET NULL"),
            ),
            Column(name="reply_to_id", type="BIGINT", foreign_key=ForeignKey(table="messages")),
            Column(name="body", type="TEXT", nullable=False),
            Column(name="created_at", type="TIMESTAMPTZ", nullable=False, default="now()"),
        ),
        indexes=(
            Index(columns=("room_id", "created_at")),
            Index(columns=("sender_id", "room_id"), unique=True),
        ),
    )
    return Spec(
        title="Chat",
        tables=(users, rooms, room_members, messages),
        relationships=(
            Relationship.model_validate({"from": "users", "to": "rooms", "kind": "one-to-many"}),
            Relationship.model_validate(
                {"from": "users", "to": "rooms", "kind": "many-to-many", "through": "room_members"}
            ),
        ),
    )
