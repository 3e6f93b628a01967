"""The generated tests against the reference app on PostgreSQL: they all pass (the example's tests implement
every plan case, so no pending stub is generated), and each of three seeded mutations of the app makes the
contract test about it fail. (Pending stubs that fail are tested with their own plan: test_plan_stubs.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.testgen.runner import GENERATED_TESTS, mutant_app, run_generated_tests

pytestmark = pytest.mark.postgres


def test_generated_tests_all_pass_against_the_reference_app_with_no_pending_stub_left(tmp_path: Path) -> None:
    # Arrange: the example's generated tests, the reference app as it is; every plan case has a test in
    # docs/example/tests, so the build writes no pending file
    pending_file = GENERATED_TESTS / "test_plan_pending.py"

    # Act
    outcomes = run_generated_tests(tmp_path)

    # Assert
    assert not pending_file.exists()
    assert len(outcomes) > 100
    assert {name.split("::")[0] for name in outcomes} == {
        "test_contracts_auth",
        "test_contracts_messages",
        "test_contracts_rooms",
    }
    assert [name for name, state in outcomes.items() if state != "passed"] == []


def test_contract_tests_401_fails_when_a_route_loses_its_auth_dependency(tmp_path: Path) -> None:
    # Arrange: GET /api/rooms/{room_id} without the contract's auth dependency, its user from anywhere
    app = mutant_app(
        tmp_path,
        "rooms",
        "@router.api_route(**contracts.get_rooms_by_room_id)\n"
        "async def get_room(room_id: int, user: CurrentUser, db: DbSession)",
        '@router.api_route(**{**contracts.get_rooms_by_room_id, "dependencies": []})\n'
        "async def get_room(room_id: int, db: DbSession, user: User = Depends(_anyone))",
    )
    router = app / "app" / "routers" / "rooms.py"
    anyone = (
        "async def _anyone() -> User:\n    return User(id=0, email='anyone@example.com', display_name='x')\n"
    )
    text = router.read_text(encoding="utf-8")
    text = text.replace(
        "from generated.models import Room, RoomMember", "from generated.models import Room, RoomMember, User"
    )
    router.write_text(
        text.replace("router = APIRouter()", anyone + "\n\nrouter = APIRouter()"), encoding="utf-8"
    )

    # Act
    outcomes = run_generated_tests(tmp_path, "-k", "returns_401", app_parent=app)

    # Assert
    assert outcomes["test_contracts_rooms::test_get_room_returns_401_without_a_token"] == "failed"
    others = {
        name: state
        for name, state in outcomes.items()
        if not name.endswith("::test_get_room_returns_401_without_a_token")
    }
    assert len(others) >= 10
    assert set(others.values()) == {"passed"}


def test_contract_tests_422_fails_when_a_request_field_allows_a_longer_value(tmp_path: Path) -> None:
    # Arrange: POST /api/rooms accepts a name of 200 characters (the contract: at most 100)
    app = mutant_app(
        tmp_path,
        "rooms",
        "    body: RoomCreate, user: CurrentUser,",
        "    body: LooseRoomCreate, user: CurrentUser,",
    )
    router = app / "app" / "routers" / "rooms.py"
    text = router.read_text(encoding="utf-8")
    router.write_text(
        text.replace(
            "router = APIRouter()",
            "class LooseRoomCreate(RoomCreate):\n"
            "    name: str = Field(min_length=1, max_length=200)\n\n\nrouter = APIRouter()",
        ).replace(
            "from fastapi import APIRouter, Depends, Query",
            "from fastapi import APIRouter, Depends, Query\nfrom pydantic import Field",
        ),
        encoding="utf-8",
    )

    # Act
    outcomes = run_generated_tests(tmp_path, "-k", "create_room_returns_422", app_parent=app)

    # Assert
    assert outcomes["test_contracts_rooms::test_create_room_returns_422_when_name_exceeds_100_chars"] in (
        "failed",
        "error",
    )
    others = {
        n: s
        for n, s in outcomes.items()
        if not n.endswith("::test_create_room_returns_422_when_name_exceeds_100_chars")
    }
    assert len(others) >= 3
    assert set(others.values()) == {"passed"}


def test_contract_tests_secret_fails_when_a_response_carries_password_hash(tmp_path: Path) -> None:
    # Arrange: POST /api/auth/register answers with the user's password_hash
    app = mutant_app(
        tmp_path,
        "auth",
        "@router.api_route(**contracts.post_auth_register)",
        '@router.api_route(**{**contracts.post_auth_register, "response_model": LeakyUser})',
    )
    router = app / "app" / "routers" / "auth.py"
    text = router.read_text(encoding="utf-8")
    router.write_text(
        text.replace(
            "from generated.schemas import LoginRequest,",
            "from generated.schemas import UserResponse\nfrom generated.schemas import LoginRequest,",
        ).replace(
            "router = APIRouter()",
            "class LeakyUser(UserResponse):\n    password_hash: str\n\n\nrouter = APIRouter()",
        ),
        encoding="utf-8",
    )

    # Act
    outcomes = run_generated_tests(tmp_path, "-k", "secret_fields", app_parent=app)

    # Assert
    assert outcomes["test_contracts_auth::test_register_response_has_no_secret_fields"] == "failed"
    assert outcomes["test_contracts_auth::test_register_documents_no_secret_fields"] == "failed"
    others = {n: s for n, s in outcomes.items() if "::test_register_" not in n}
    assert len(others) >= 5
    assert set(others.values()) == {"passed"}
