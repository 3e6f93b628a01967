"""The Pydantic v2 schemas writer: generated package quality, table models, contract models, names."""

from __future__ import annotations

import datetime
import decimal
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, ValidationError
from test_schemas_ir import chat_spec, import_generated, obj, s, write_files

from specc.diagnostics import Reporter
from specc.emit.schemas import render_schemas
from specc.emit.schemas.load import load_models
from specc.ir.model import ArrayShape, Body, Column, Endpoint, Response, Spec, Table
from tests.strategies import specs

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
LINT_CONFIG = """[tool.ruff]
line-length = 110
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "UP", "B", "SIM", "RUF"]
"""


@pytest.fixture(scope="module")
def chat_files() -> dict[str, str]:
    return render_schemas(chat_spec(), "docs/ARCHITECTURE.md", ROOT)


@pytest.fixture(scope="module")
def chat(chat_files: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_generated(chat_files, tmp_path_factory.mktemp("chat"))


def _fields(model: type[BaseModel]) -> list[str]:
    return list(model.model_fields)


# --- generated code quality -------------------------------------------------------------------------------


def awkward_spec() -> Spec:
    """Names that clash with keywords, BaseModel members and imports; long enums; unknown types."""
    values = ",".join(f"'value_number_{i}'" for i in range(12))
    table = Table(
        name="class",
        columns=(
            Column(name="id", type="UUID", nullable=False, primary_key=True, default="gen_random_uuid()"),
            Column(name="from", type="TEXT", nullable=False),
            Column(name="model_config", type="JSONB", nullable=True),
            Column(name="json", type="INTEGER", nullable=True, default="0"),
            Column(name="datetime", type="TIMESTAMP", nullable=True),
            Column(name="decimal", type="NUMERIC(12,4)", nullable=False, default="0.5"),
            Column(name="status", type=f"ENUM({values})", nullable=False, default="'value_number_3'"),
            Column(name="weird name", type="VARCHAR(10)", nullable=True, default="'it''s'"),
            Column(name="Field", type="BOOLEAN", nullable=False),
            Column(name="list", type="INTEGER[]", nullable=True),
            Column(name="mystery", type="GEOGRAPHY(POINT)", nullable=True),
            Column(name="contact_email", type="VARCHAR(320)", nullable=True),
        ),
    )
    endpoint = Endpoint(
        method="PATCH",
        path="/api/class/{id}",
        path_params=("id",),
        request_body=Body(
            shape=obj(
                **{"from": s("string", "x"), "user-name": s("string", "y"), "_private": s("integer", 1)},
                datetime=s("null"),
                when=s("string", "2020-01-01", "date"),
                link=s("string", "http://x", "uri"),
            )
        ),
        responses=(Response(status=200, body=Body(shape=ArrayShape(items=s("integer", 1)))),),
    )
    return Spec(tables=(table,), endpoints=(endpoint,))


@pytest.mark.parametrize("make_spec", [chat_spec, awkward_spec], ids=["chat", "awkward"])
def test_render_schemas_output_passes_ruff_and_mypy_strict_when_written(
    make_spec: Callable[[], Spec], tmp_path: Path
) -> None:
    # Arrange
    write_files(render_schemas(make_spec(), "docs/ARCHITECTURE.md", ROOT), tmp_path)
    (tmp_path / "pyproject.toml").write_text(LINT_CONFIG, encoding="utf-8")
    tools = ROOT / ".venv" / "bin"
    # Act
    check = subprocess.run([tools / "ruff", "check", "."], cwd=tmp_path, capture_output=True, text=True)
    fmt = subprocess.run(
        [tools / "ruff", "format", "--check", "."], cwd=tmp_path, capture_output=True, text=True
    )
    mypy = subprocess.run(
        [tools / "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".mypy"), "schemas"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    # Assert
    assert check.returncode == 0, check.stdout
    assert fmt.returncode == 0, fmt.stdout
    assert mypy.returncode == 0, mypy.stdout


def test_awkward_names_become_aliases_when_keys_are_not_usable_attributes(tmp_path: Path) -> None:
    # Arrange
    package = import_generated(render_schemas(awkward_spec(), "a.md", tmp_path), tmp_path)
    # Act
    request = package.ClassUpdate.model_validate(
        {"from": "a", "user-name": "b", "_private": 1, "when": "2020-01-01", "link": "https://example.com"}
    )
    # Assert
    assert (request.from_, request.user_name, request.private, request.datetime_) == ("a", "b", 1, None)
    assert request.model_dump(by_alias=True, exclude_unset=True) == {
        "from": "a",
        "user-name": "b",
        "_private": 1,
        "when": datetime.date(2020, 1, 1),
        "link": request.link,
    }


def test_render_schemas_layout_has_common_and_api_modules_only_when_spec_has_contracts(
    chat_files: dict[str, str],
) -> None:
    # Arrange
    expected = {
        "schemas/__init__.py",
        "schemas/common.py",
        "schemas/api/__init__.py",
        "schemas/api/auth.py",
        "schemas/api/rooms.py",
        "schemas/api/health.py",
    }
    # Act
    paths = set(chat_files)
    # Assert
    assert paths == expected
    assert all(
        text.startswith('"""Generated by specc from docs/ARCHITECTURE.md') for text in chat_files.values()
    )


def test_package_init_reexports_every_model_when_imported(
    chat: ModuleType, chat_files: dict[str, str]
) -> None:
    # Arrange
    defined = {name for classes in load_models(chat_files).values() for name in classes}
    # Act
    exported = set(chat.__all__)
    # Assert
    assert exported == defined
    assert all(issubclass(getattr(chat, name), BaseModel) for name in exported)


def test_error_response_has_only_detail_string_when_generated(chat: ModuleType) -> None:
    # Arrange
    model = chat.ErrorResponse
    # Act
    parsed = model.model_validate({"detail": "Room not found"})
    # Assert
    assert _fields(model) == ["detail"]
    assert parsed.detail == "Room not found"
    with pytest.raises(ValidationError):
        model.model_validate({})


# --- table models -----------------------------------------------------------------------------------------


def test_table_response_omits_password_hash_when_table_has_secret_column(chat: ModuleType) -> None:
    # Arrange
    row = SimpleNamespace(
        id=1,
        email="a@example.com",
        password_hash="$2b$12$secret",
        display_name="A",
        role="admin",
        balance=decimal.Decimal("1.50"),
        is_active=True,
        created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    # Act
    response = chat.UserResponse.model_validate(row)
    # Assert
    assert "password_hash" not in _fields(chat.UserResponse)
    assert "password_hash" not in response.model_dump()
    assert response.id == 1


@pytest.mark.parametrize(
    ("column", "secret"),
    [
        ("password_hash", True),
        ("api_key", True),
        ("reset_token", True),
        ("salt", True),
        ("token_count", True),
    ],
)
def test_is_secret_flags_secret_like_columns_when_named_so(column: str, secret: bool) -> None:
    # Arrange
    from specc.emit.shapes import is_secret

    # Act
    result = is_secret(column)
    # Assert
    assert result is secret


@pytest.mark.parametrize("column", ["email", "display_name", "hash_algorithm", "passenger", "keyword"])
def test_is_secret_keeps_ordinary_columns_when_not_secret_like(column: str) -> None:
    # Arrange
    from specc.emit.shapes import is_secret

    # Act
    result = is_secret(column)
    # Assert
    assert result is False


def test_table_models_carry_varchar_max_length_when_column_is_varchar(chat: ModuleType) -> None:
    # Arrange
    too_long = {"name": "x" * 101}
    # Act
    with pytest.raises(ValidationError) as caught:
        chat.RoomCreate.model_validate(too_long)
    # Assert
    assert caught.value.errors()[0]["type"] == "string_too_long"
    assert chat.RoomCreate.model_validate({"name": "x" * 100}).name == "x" * 100


def test_table_models_use_email_str_when_column_is_named_email(chat: ModuleType) -> None:
    # Arrange
    bad = {"email": "not-an-email", "password": "x", "display_name": "A"}
    # Act
    with pytest.raises(ValidationError) as caught:
        chat.UserCreate.model_validate(bad)
    # Assert
    assert caught.value.errors()[0]["loc"] == ("email",)


def test_table_models_require_aware_datetime_when_column_is_timestamptz(chat: ModuleType) -> None:
    # Arrange
    naive = {"id": 1, "name": "g", "topic": None, "created_by": 1, "created_at": "2026-01-01T00:00:00"}
    # Act
    with pytest.raises(ValidationError) as caught:
        chat.RoomResponse.model_validate(naive)
    # Assert
    assert caught.value.errors()[0]["type"] == "timezone_aware"


# --- contract models --------------------------------------------------------------------------------------


def test_contract_request_sharpens_email_placeholder_when_table_has_varchar_email(chat: ModuleType) -> None:
    # Arrange
    model = chat.UserCreate
    long_email = "a" * 250 + "@b.co"
    # Act
    schema = model.model_json_schema()["properties"]["email"]
    # Assert
    assert schema == {"format": "email", "maxLength": 255, "title": "Email", "type": "string"}
    with pytest.raises(ValidationError):
        model.model_validate({"email": long_email, "password": "pw", "display_name": "C"})


def test_contract_request_keeps_plain_str_when_no_column_matches(chat: ModuleType) -> None:
    # Arrange
    model = chat.UserCreate
    # Act
    schema = model.model_json_schema()["properties"]["password"]
    # Assert
    assert schema == {"title": "Password", "type": "string"}


def test_contract_response_nests_model_when_example_has_object(chat: ModuleType) -> None:
    # Arrange
    payload = {"access_token": "t", "user": {"id": 1, "email": "a@example.com"}}
    # Act
    parsed = chat.LoginResponse.model_validate(payload)
    # Assert
    assert isinstance(parsed.user, chat.LoginResponseUser)


def test_contract_response_is_root_list_when_example_is_array_of_objects(chat: ModuleType) -> None:
    # Arrange
    payload = [{"id": 1, "name": "general", "topic": None}, {"id": 2, "name": "random", "topic": "t"}]
    # Act
    parsed = chat.RoomList.model_validate(payload)
    # Assert
    assert [item.name for item in parsed.root] == ["general", "random"]
    assert (parsed.root[0].topic, parsed.root[1].topic) == (None, "t")


def test_contract_null_example_uses_column_type_when_resource_table_has_column(chat: ModuleType) -> None:
    # Arrange
    model = chat.RoomCreate
    # Act
    topic = model.model_json_schema()["properties"]["topic"]
    # Assert
    assert topic["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert "topic" not in model.model_json_schema()["required"]


def test_contract_uses_resource_table_columns_when_path_is_nested(chat: ModuleType) -> None:
    # Arrange
    model = chat.MessageCreate
    # Act
    properties = model.model_json_schema()["properties"]
    # Assert
    assert properties["content"]["maxLength"] == 2000
    assert properties["tags"] == {
        "anyOf": [{"items": {"type": "string"}, "type": "array"}, {"type": "null"}],
        "default": None,
        "title": "Tags",
    }


def test_contract_success_without_body_has_no_model_when_status_is_204(chat: ModuleType) -> None:
    # Arrange
    exported = set(chat.__all__)
    # Act
    delete_models = {name for name in exported if name.startswith("DeleteRooms")}
    # Assert
    assert delete_models == set()


# --- names ------------------------------------------------------------------------------------------------


def test_model_names_never_collide_when_contract_names_clash_with_error_response(tmp_path: Path) -> None:
    # Arrange
    errors = Table(name="errors", columns=(Column(name="detail", type="TEXT", nullable=False),))
    endpoint = Endpoint(
        method="GET",
        path="/api/errors/{id}",
        responses=(
            Response(status=200, body=Body(shape=obj(detail=s("string", "x"), code=s("integer", 1)))),
        ),
    )
    spec = Spec(tables=(errors,), endpoints=(endpoint,))
    # Act
    package = import_generated(render_schemas(spec, "spec.md", tmp_path), tmp_path)
    # Assert
    assert set(package.__all__) == {"ErrorResponse", "ErrorDetailResponse"}
    assert list(package.ErrorResponse.model_fields) == ["detail"]
    assert list(package.ErrorDetailResponse.model_fields) == ["detail", "code"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_render_schemas_always_loads_with_unique_names_when_spec_is_arbitrary(spec: Spec) -> None:
    # Arrange
    reporter = Reporter()
    # Act
    files = render_schemas(spec, "spec.md", Path("."), reporter)
    models = load_models(files)
    # Assert
    names = [name for classes in models.values() for name in classes]
    assert len(names) == len(set(names))
    assert len(names) == 1 + _contract_count(files)


def _contract_count(files: dict[str, str]) -> int:
    return sum(text.count("\nclass ") for path, text in files.items() if path.startswith("schemas/api/"))


# --- determinism ------------------------------------------------------------------------------------------

_DIGEST_SCRIPT = """
import hashlib, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
from pathlib import Path
from test_schemas_ir import chat_spec
from specc.diagnostics import Reporter
from specc.emit.openapi import render_openapi
from specc.emit.schemas import render_schemas
files = render_schemas(chat_spec(), "docs/ARCHITECTURE.md", Path("."))
files.update(render_openapi(chat_spec(), "docs/ARCHITECTURE.md", Reporter()))
print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest(), len(files))
"""


def test_schemas_and_openapi_are_byte_identical_when_hash_seed_differs() -> None:
    # Arrange
    here = str(Path(__file__).parent)
    runs = []
    # Act
    for seed in ("0", "1", "12345"):
        done = subprocess.run(
            [PYTHON, "-c", _DIGEST_SCRIPT, here, str(ROOT)],
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append(done.stdout)
    # Assert
    assert runs[0].endswith(" 7\n"), runs[0] + str(done.stderr)
    assert runs[0] == runs[1] == runs[2]


def test_render_schemas_is_identical_when_run_twice_in_process() -> None:
    # Arrange
    spec = chat_spec()
    # Act
    first = render_schemas(spec, "a.md", ROOT)
    second = render_schemas(spec, "a.md", ROOT)
    # Assert
    assert json.dumps(first) == json.dumps(second)


assert sys.version_info >= (3, 11)
