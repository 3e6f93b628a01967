"""The SQLAlchemy models writer on a realistic IR: file layout, style, relationships, lint, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import sqlalchemy as sa
from models_harness import (
    ROOT,
    chat_spec,
    import_tree,
    metadata_of,
    mypy_strict,
    ruff_check,
    ruff_format_check,
    write_tree,
)
from sqlalchemy.dialects import postgresql

from specc.db.lower import lower
from specc.emit.base import GeneratedFiles, python_header
from specc.emit.models import render_models
from specc.ir.model import Column, ForeignKey, Index, Spec, Table

SOURCE = "docs/ARCHITECTURE.md"


@pytest.fixture(scope="module")
def chat_files() -> GeneratedFiles:
    return render_models(chat_spec(), SOURCE)


@pytest.fixture(scope="module")
def chat_tree(chat_files: GeneratedFiles, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("chat_models")
    return root, write_tree(chat_files, root)


@pytest.fixture(scope="module")
def chat_module(chat_tree: tuple[Path, str]) -> ModuleType:
    return import_tree(*chat_tree)


def test_render_models_files_one_module_per_table_plus_base_and_init(chat_files: GeneratedFiles) -> None:
    # Arrange
    expected = {
        "models/__init__.py",
        "models/base.py",
        "models/messages.py",
        "models/room_members.py",
        "models/rooms.py",
        "models/users.py",
    }
    # Act
    paths = set(chat_files)
    # Assert
    assert paths == expected


def test_render_models_every_file_starts_with_generated_header(chat_files: GeneratedFiles) -> None:
    # Arrange
    header = python_header(SOURCE)
    # Act
    starts = {path: content.startswith(header) for path, content in chat_files.items()}
    # Assert
    assert all(starts.values()), starts


def test_render_models_init_reexports_base_and_models_sorted(chat_files: GeneratedFiles) -> None:
    # Arrange
    init = chat_files["models/__init__.py"]
    # Act
    all_line = next(line for line in init.splitlines() if line.startswith("__all__"))
    # Assert
    assert all_line == '__all__ = ["Base", "Message", "Room", "RoomMember", "User"]'
    assert "from .room_members import RoomMember" in init


def test_render_models_base_has_naming_convention_for_all_constraint_kinds(chat_module: ModuleType) -> None:
    # Arrange
    metadata = metadata_of(chat_module)
    # Act
    keys = set(metadata.naming_convention)
    # Assert
    assert {"ix", "uq", "ck", "fk", "pk"} <= {str(k) for k in keys}


def test_render_models_column_style_matches_seed_conventions(chat_files: GeneratedFiles) -> None:
    # Arrange
    users = chat_files["models/users.py"]
    # Act
    lines = {line.strip() for line in users.splitlines()}
    # Assert
    assert "id: Mapped[int] = mapped_column(sa.BigInteger(), primary_key=True, autoincrement=True)" in lines
    assert (
        "email: Mapped[str] = mapped_column(sa.String(255), nullable=False, unique=True, index=True)" in lines
    )
    assert "age: Mapped[int | None] = mapped_column(" in lines
    assert (
        'sa.Enum("admin", "member", name="users_role"), nullable=False, server_default=sa.text("\'member\'")'
        in lines
    )


def test_render_models_server_default_now_uses_func_now(chat_files: GeneratedFiles) -> None:
    # Arrange
    messages = chat_files["models/messages.py"]
    # Act
    found = "sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()" in messages
    # Assert
    assert found


def test_render_models_composite_key_members_are_not_serial(chat_module: ModuleType) -> None:
    # Arrange
    table = metadata_of(chat_module).tables["room_members"]
    # Act
    pk = [c.name for c in table.primary_key.columns]
    # Assert
    assert pk == ["user_id", "room_id"]
    assert table.autoincrement_column is None


def test_render_models_foreign_key_without_column_targets_primary_key(chat_module: ModuleType) -> None:
    # Arrange
    column = metadata_of(chat_module).tables["room_members"].c.user_id
    # Act
    (fk,) = column.foreign_keys
    # Assert
    assert fk.target_fullname == "users.id"
    assert fk.ondelete == "CASCADE"


def test_render_models_relationships_back_populate_each_other(chat_module: ModuleType) -> None:
    # Arrange
    mappers = list(chat_module.Base.registry.mappers)
    # Act
    pairs = {
        (m.class_.__name__, rel.key, rel.mapper.class_.__name__, rel.back_populates)
        for m in mappers
        for rel in m.relationships
    }
    # Assert
    for owner, key, target, back in pairs:
        assert (target, back, owner, key) in pairs, (owner, key)
    assert ("Message", "sender", "User", "messages_sender") in pairs
    assert ("Room", "messages", "Message", "room") in pairs


def test_render_models_many_to_many_uses_through_table_as_secondary(chat_module: ModuleType) -> None:
    # Arrange
    user_mapper = sa.inspect(chat_module.User)
    # Act
    rooms = user_mapper.relationships["rooms"]
    # Assert
    assert rooms.secondary is not None
    assert rooms.secondary.name == "room_members"
    assert rooms.back_populates == "users"


def test_render_models_self_reference_is_many_to_one_with_remote_side(chat_module: ModuleType) -> None:
    # Arrange
    message_mapper = sa.inspect(chat_module.Message)
    # Act
    reply_to = message_mapper.relationships["reply_to"]
    # Assert
    assert reply_to.direction.name == "MANYTOONE"
    assert [c.name for c in reply_to.remote_side] == ["id"]


def test_render_models_generated_tree_passes_ruff_check(chat_tree: tuple[Path, str]) -> None:
    # Arrange
    root, package = chat_tree
    # Act
    result = ruff_check(root, package)
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_render_models_generated_tree_is_ruff_formatted(chat_tree: tuple[Path, str]) -> None:
    # Arrange
    root, package = chat_tree
    # Act
    result = ruff_format_check(root, package)
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


def test_render_models_generated_tree_passes_mypy_strict(chat_tree: tuple[Path, str]) -> None:
    # Arrange
    root, package = chat_tree
    # Act
    result = mypy_strict(root, package)
    # Assert
    assert result.returncode == 0, result.stdout + result.stderr


_RENDER_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from models_harness import chat_spec
from specc.emit.models import render_models
print(json.dumps(render_models(chat_spec(), "docs/ARCHITECTURE.md")))
"""


def _render_with_seed(seed: str) -> GeneratedFiles:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    harness_dir = str(Path(__file__).resolve().parent)
    out = subprocess.run(
        [sys.executable, "-c", _RENDER_SCRIPT, harness_dir],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    files: GeneratedFiles = json.loads(out.stdout)
    return files


def test_render_models_output_identical_under_different_hash_seeds(chat_files: GeneratedFiles) -> None:
    # Arrange
    seeds = ("1", "12345")
    # Act
    first, second = (_render_with_seed(s) for s in seeds)
    # Assert
    assert first == second
    assert first == chat_files


def _spec(*tables: Table) -> Spec:
    return Spec(tables=tables)


def test_render_models_awkward_names_get_safe_attributes_and_keep_column_names(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(
        Table(
            name="base",
            columns=(
                Column(name="id", type="INTEGER", nullable=False, primary_key=True),
                Column(name="from", type="TEXT"),
                Column(name="metadata", type="JSONB"),
                Column(name="created at", type="DATE"),
            ),
        )
    )
    # Act
    module = import_tree(tmp_path, write_tree(render_models(spec, "s.md"), tmp_path))
    # Assert
    model = module.BaseModel
    table = model.__table__
    assert [c.name for c in table.columns] == ["id", "from", "metadata", "created at"]
    assert {"from_", "metadata_", "created_at"} <= set(sa.inspect(model).attrs.keys())


def test_render_models_table_without_primary_key_maps_all_columns_as_key(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(
        Table(
            name="events", columns=(Column(name="at", type="TIMESTAMPTZ"), Column(name="what", type="TEXT"))
        )
    )
    # Act
    module = import_tree(tmp_path, write_tree(render_models(spec, "s.md"), tmp_path))
    # Assert
    mapper = sa.inspect(module.Event)
    assert [c.name for c in mapper.primary_key] == ["at", "what"]
    assert list(module.Event.__table__.primary_key.columns) == []


def test_render_models_unknown_and_vector_types_use_pg_type_from_base(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(
        Table(
            name="docs",
            columns=(
                Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True),
                Column(name="embedding", type="VECTOR(3)"),
                Column(name="area", type="geography(Point,4326)"),
            ),
        )
    )
    files = render_models(spec, "s.md")
    # Act
    module = import_tree(tmp_path, write_tree(files, tmp_path))
    # Assert
    assert "class PgType(UserDefinedType[Any]):" in files["models/base.py"]
    table = module.Doc.__table__
    dialect = postgresql.dialect()  # type: ignore[no-untyped-call]
    assert table.c.embedding.type.compile(dialect=dialect) == "VECTOR(3)"
    assert table.c.area.type.compile(dialect=dialect) == "geography(Point,4326)"


def test_render_models_index_duplicating_column_flag_is_emitted_once() -> None:
    # Arrange
    spec = _spec(
        Table(
            name="tags",
            columns=(
                Column(name="id", type="INTEGER", nullable=False, primary_key=True),
                Column(name="label", type="TEXT", indexed=True),
            ),
            indexes=(Index(columns=("label",)), Index(columns=("label",))),
        )
    )
    # Act
    module_text = render_models(spec, "s.md")["models/tags.py"]
    # Assert
    assert "sa.Index(" not in module_text
    assert "index=True" in module_text


def test_render_models_two_foreign_keys_to_same_table_name_relationships_apart() -> None:
    # Arrange
    users = Table(name="users", columns=(Column(name="id", type="BIGINT", nullable=False, primary_key=True),))
    transfers = Table(
        name="transfers",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True),
            Column(name="from_user_id", type="BIGINT", foreign_key=ForeignKey(table="users")),
            Column(name="to_user_id", type="BIGINT", foreign_key=ForeignKey(table="users")),
        ),
    )
    # Act
    text = render_models(_spec(users, transfers), "s.md")["models/users.py"]
    # Assert
    assert 'transfers_from_user: Mapped[list["Transfer"]] = relationship(' in text
    assert 'foreign_keys="Transfer.to_user_id"' in text


def test_render_models_foreign_key_to_missing_table_is_left_out_with_comment(tmp_path: Path) -> None:
    # Arrange
    spec = _spec(
        Table(
            name="profiles",
            columns=(
                Column(name="id", type="UUID", nullable=False, primary_key=True),
                Column(name="owner_id", type="UUID", foreign_key=ForeignKey(table="auth_users")),
            ),
        )
    )
    files = render_models(spec, "s.md")
    # Act
    module = import_tree(tmp_path, write_tree(files, tmp_path))
    # Assert
    assert "# specc: foreign key to auth_users.id left out: not in the spec" in files["models/profiles.py"]
    assert not module.Profile.__table__.c.owner_id.foreign_keys
    assert [t.foreign_keys for t in lower(spec).tables] == [()]
