"""The route contracts: an app whose routers use every contract serves the generated `openapi.json`
(after `comparable`), and the contracts type-check in an app under `mypy --strict`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from specc.read.fastapi_openapi import comparable
from tests.conftest import EXAMPLE_SPEC
from tests.runtime.harness import Built, app_for, contracts_of, imported, operation_of

VENV_BIN = Path(sys.executable).parent
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with imported(EXAMPLE_SPEC, tmp_path_factory.mktemp("runtime")) as built:
        yield built


def test_contracts_name_every_operation_of_the_document_by_its_operation_id(example: Built) -> None:
    # Arrange
    document = example.openapi()
    expected = {
        operation["operationId"]: (path, method.upper())
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }

    # Act
    contracts = contracts_of(example)

    # Assert
    assert {name: (c["path"], c["methods"][0]) for name, c in contracts.items()} == expected
    assert contracts["post_rooms"]["status_code"] == 201
    assert contracts["post_rooms"]["operation_id"] == "post_rooms"
    assert contracts["post_rooms"]["name"] == "post_rooms"
    assert contracts["post_auth_login"]["dependencies"] == []
    assert len(contracts["get_rooms"]["dependencies"]) == 1


def test_contracts_declare_the_documented_responses_with_error_response(example: Built) -> None:
    # Arrange
    document = example.openapi()
    schemas = example.module("schemas")

    # Act
    contracts = contracts_of(example)

    # Assert
    for contract in contracts.values():
        operation = operation_of(document, contract)
        success = str(contract["status_code"])
        assert contract["response_description"] == operation["responses"][success]["description"]
        assert {str(k) for k in contract["responses"]} == set(operation["responses"]) - {success}
        for status, response in contract["responses"].items():
            assert response["model"] is schemas.ErrorResponse, (contract["operation_id"], status)
            assert response["description"] == operation["responses"][str(status)]["description"]


def test_contracts_app_openapi_equals_generated_document_when_routers_use_every_contract(
    example: Built,
) -> None:
    # Arrange
    document = example.openapi()
    app = app_for(example)

    # Act
    served = app.openapi()

    # Assert
    assert comparable(served) == comparable(document)


@pytest.mark.parametrize("plugins", ["", "plugins = pydantic.mypy\n"], ids=["plain", "pydantic-plugin"])
def test_contracts_type_check_under_mypy_strict_in_an_app(
    example: Built, tmp_path: Path, plugins: str
) -> None:
    # Arrange
    document = example.openapi()
    create = document["paths"]["/api/rooms"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    package = example.package
    app = example.root / f"app_{package}.py"
    app.write_text(
        f"""from sqlalchemy.ext.asyncio import AsyncSession

from fastapi import APIRouter, FastAPI

from {package} import contracts
from {package}.database import DbSession
from {package}.errors import install_error_handlers
from {package}.models import Room, User
from {package}.schemas import {body}
from {package}.security import CurrentUser, provide_current_user

router = APIRouter()


@router.api_route(**contracts.post_rooms)
async def create_room(body: {body}, user: CurrentUser, db: DbSession) -> Room:
    room = Room(**body.model_dump())
    db.add(room)
    await db.commit()
    return room


@router.api_route(**contracts.get_auth_me)
async def me(user: CurrentUser) -> User:
    return user


async def load_user(db: AsyncSession, token: str) -> User | None:
    return await db.get(User, int(token))


provide_current_user(load_user)
app = FastAPI(**contracts.APP_OPTIONS)
app.include_router(router)
install_error_handlers(app)
""",
        encoding="utf-8",
    )
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = true\n" + plugins, encoding="utf-8")

    # Act
    result = subprocess.run(
        [
            str(VENV_BIN / "mypy"),
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            app.name,
        ],
        cwd=example.root,
        capture_output=True,
        text=True,
        check=False,
    )

    # Assert
    assert result.returncode == 0, result.stdout
