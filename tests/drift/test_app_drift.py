"""`specc drift` for the app: the reference app against the example spec, seeded mutants, user code errors."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specc.drift.app import RouteLocator, UserCodeError, compare_app, read_app_openapi
from specc.drift.model import Finding, Location
from tests.drift.app_support import (
    EXAMPLE,
    SPEC_FILE,
    app_drift,
    example_spec,
    forgotten_modules,
    line_of,
    mutant,
    read_app,
    replace_once,
    spec_line,
)

ROOMS = "routers/rooms.py"
AUTH = "routers/auth.py"

GET_ROOM = """@router.api_route(**contracts.get_rooms_by_room_id)
async def get_room(room_id: int, user: CurrentUser, db: DbSession) -> RoomDetailResponse:
    return await room_service.get_room(db, user, room_id)
"""


def _where(finding: Finding) -> tuple[str, str, str | None, int | None, str | None, int | None, str | None]:
    return (
        finding.code,
        finding.subject,
        finding.spec.file,
        finding.spec.line,
        finding.actual.file,
        finding.actual.line,
        finding.actual.logical,
    )


@pytest.fixture(scope="module")
def reference() -> tuple[dict[str, Any], RouteLocator]:
    """The reference app's OpenAPI document and routes, read once for the tests that edit the document."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        return read_app(EXAMPLE, monkeypatch)


@pytest.fixture
def user_modules() -> Iterator[None]:
    """The test's own user modules (`drift_…`) are forgotten after it."""
    with forgotten_modules("drift_"):
        yield


def _compare(document: dict[str, Any], routes: RouteLocator) -> list[Finding]:
    return compare_app(example_spec(), SPEC_FILE, document, routes, "/api")


def test_compare_app_reports_nothing_when_the_reference_app_is_compared(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document, routes = reference

    # Act
    findings = _compare(document, routes)

    # Assert
    assert findings == []
    assert len(routes.routes) == 18


def test_read_app_openapi_locates_routes_at_their_decorator_when_routers_are_included(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    _, routes = reference
    decorator = line_of(EXAMPLE / "app" / ROOMS, "@router.api_route(**contracts.get_rooms_by_room_id)")

    # Act
    found = routes.locate("GET", "/api/rooms/{room_id}")
    absent = routes.locate("GET", "/api/nowhere")

    # Assert
    assert found == Location(file="app/routers/rooms.py", line=decorator)
    assert absent == Location(logical="app: no route for GET /api/nowhere")


def test_compare_app_reports_missing_endpoint_when_a_route_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    removed = (
        "@router.api_route(**contracts.delete_rooms_by_room_id)\n"
        "async def delete_room(room_id: int, user: CurrentUser, db: DbSession) -> None:\n"
        "    await room_service.delete_room(db, user, room_id)\n"
    )
    project = mutant(tmp_path, ROOMS, removed, "")

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    assert [_where(f) for f in findings] == [
        (
            "D201",
            "DELETE /api/rooms/{room_id}",
            SPEC_FILE,
            spec_line("### DELETE /api/rooms/{room_id}"),
            None,
            None,
            "app: no route for DELETE /api/rooms/{room_id}",
        )
    ]
    assert findings[0].message == "DELETE /api/rooms/{room_id} is in the spec, the app has no route for it"
    assert findings[0].hint is not None and "contracts.delete_rooms_by_room_id" in findings[0].hint


def test_compare_app_reports_extra_endpoint_when_an_undocumented_route_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    added = (
        '\n\n@router.post("/api/rooms/{room_id}/archive", status_code=204)\n'
        "async def archive_room(room_id: int, user: CurrentUser, db: DbSession) -> None:\n"
        "    await room_service.delete_room(db, user, room_id)\n"
    )
    anchor = "    await room_service.remove_member(db, user, room_id, user_id)\n"
    project = mutant(tmp_path, ROOMS, anchor, anchor + added)

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    decorator = line_of(project / "app" / ROOMS, '@router.post("/api/rooms/{room_id}/archive"')
    assert [_where(f) for f in findings] == [
        (
            "D202",
            "POST /api/rooms/{room_id}/archive",
            SPEC_FILE,
            None,
            "app/routers/rooms.py",
            decorator,
            None,
        )
    ]
    assert findings[0].spec.logical == "spec: no contract for POST /api/rooms/{room_id}/archive"
    assert findings[0].source == "app"


def test_compare_app_reports_auth_difference_when_auth_is_removed_from_a_route(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    public = (
        '@router.api_route(**{**contracts.get_rooms_by_room_id, "dependencies": []})\n'
        "async def get_room(room_id: int, db: DbSession) -> RoomDetailResponse:\n"
        "    return await room_service.get_room(db, None, room_id)\n"
    )
    project = mutant(tmp_path, ROOMS, GET_ROOM, public)

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    decorator = line_of(project / "app" / ROOMS, "async def get_room(") - 1
    assert [_where(f) for f in findings] == [
        (
            "D203",
            "GET /api/rooms/{room_id} auth",
            SPEC_FILE,
            spec_line("### GET /api/rooms/{room_id}"),
            "app/routers/rooms.py",
            decorator,
            None,
        )
    ]
    assert findings[0].message == (
        "GET /api/rooms/{room_id}: the spec requires a bearer token (**Auth:** Required (Bearer token)), "
        "the app's operation asks for none"
    )


def test_compare_app_reports_missing_and_extra_field_when_a_response_field_is_renamed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    renamed = (
        "class RoomDetail(BaseModel):\n"
        "    id: int\n"
        "    title: str = Field(max_length=100)\n"
        "    description: str | None = Field(max_length=500)\n"
        "    is_private: bool\n"
        "    created_by: int\n"
        "    member_count: int\n"
        "    created_at: AwareDatetime\n"
        "\n\n"
        '@router.api_route(**{**contracts.get_rooms_by_room_id, "response_model": RoomDetail})\n'
        "async def get_room(room_id: int, user: CurrentUser, db: DbSession) -> RoomDetail:\n"
        "    return RoomDetail.model_validate(await room_service.get_room(db, user, room_id))\n"
    )
    project = mutant(tmp_path, ROOMS, GET_ROOM, renamed)
    rooms = project / "app" / ROOMS
    imports = "from typing import Annotated\n"
    replace_once(rooms, imports, imports + "\nfrom pydantic import AwareDatetime, BaseModel, Field\n")

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    body = spec_line("```json", after="### GET /api/rooms/{room_id}")
    decorator = line_of(rooms, "async def get_room(") - 1
    route = ("app/routers/rooms.py", decorator, None)
    assert [_where(f) for f in findings] == [
        ("D206", "GET /api/rooms/{room_id} response name", SPEC_FILE, body, *route),
        ("D206", "GET /api/rooms/{room_id} response title", SPEC_FILE, body, *route),
    ]
    assert findings[0].message == (
        "response field `name` of GET /api/rooms/{room_id}: string in the spec, missing from the app; "
        "the app has `title` (string) not in the spec"
    )
    assert findings[1].message == (
        "response field `title` of GET /api/rooms/{room_id}: string in the app, not in the spec; "
        "the spec has `name` (string) missing from the app"
    )
    assert (
        findings[0].hint is not None and "`title` in the app is the spec's `name` renamed" in findings[0].hint
    )


def test_compare_app_reports_requiredness_when_a_request_field_is_made_optional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = mutant(
        tmp_path,
        AUTH,
        "async def register(\n    body: UserCreate,",
        "async def register(\n    body: OpenUserCreate,",
    )
    auth = project / "app" / AUTH
    loose = (
        "\n\nclass OpenUserCreate(UserCreate):\n"
        '    password: str = Field(default="", min_length=8, max_length=128)\n'
    )
    replace_once(auth, "router = APIRouter()\n", "router = APIRouter()\n" + loose)
    replace_once(
        auth,
        "from fastapi import APIRouter, Depends\n",
        "from fastapi import APIRouter, Depends\nfrom pydantic import Field\n",
    )

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    decorator = line_of(auth, "@router.api_route(**contracts.post_auth_register)")
    assert [_where(f) for f in findings] == [
        (
            "D205",
            "POST /api/auth/register request password",
            SPEC_FILE,
            spec_line("`password` (string, required, 8–128 characters)"),
            "app/routers/auth.py",
            decorator,
            None,
        )
    ]
    assert findings[0].message == (
        "request field `password` of POST /api/auth/register: required in the spec, optional in the app"
    )


def test_compare_app_reports_undocumented_route_when_a_route_is_left_out_of_openapi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Arrange
    project = mutant(
        tmp_path,
        ROOMS,
        "@router.api_route(**contracts.delete_rooms_by_room_id)",
        "@router.api_route(**contracts.delete_rooms_by_room_id, include_in_schema=False)",
    )

    # Act
    findings = app_drift(project, monkeypatch)

    # Assert
    decorator = line_of(project / "app" / ROOMS, "contracts.delete_rooms_by_room_id, include_in_schema=False")
    assert [_where(f) for f in findings] == [
        (
            "D201",
            "DELETE /api/rooms/{room_id}",
            SPEC_FILE,
            spec_line("### DELETE /api/rooms/{room_id}"),
            "app/routers/rooms.py",
            decorator,
            None,
        )
    ]
    assert findings[0].message == (
        "DELETE /api/rooms/{room_id} is served by the app as DELETE /api/rooms/{room_id} but left out of its "
        "OpenAPI document (include_in_schema=False)"
    )


def test_compare_app_reports_body_presence_when_the_app_takes_no_request_body(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document = copy.deepcopy(reference[0])
    del document["paths"]["/api/rooms"]["post"]["requestBody"]

    # Act
    findings = _compare(document, reference[1])

    # Assert
    body = spec_line("```json", after="### POST /api/rooms")
    assert [(f.code, f.subject, f.spec.line, f.message) for f in findings] == [
        (
            "D208",
            "POST /api/rooms request body",
            body,
            "POST /api/rooms: the spec has a request body, the app's operation takes none",
        )
    ]


def test_compare_app_reports_renamed_path_parameter_when_only_its_name_differs(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document = copy.deepcopy(reference[0])
    operation = document["paths"].pop("/api/rooms/{room_id}/members")
    operation["get"]["parameters"][0]["name"] = "id"
    document["paths"]["/api/rooms/{id}/members"] = operation

    # Act
    findings = _compare(document, reference[1])

    # Assert
    assert [(f.code, f.subject, f.spec.line) for f in findings] == [
        (
            "D204",
            "GET /api/rooms/{room_id}/members path room_id",
            spec_line("### GET /api/rooms/{room_id}/members"),
        )
    ]
    assert findings[0].message == (
        "path parameter 1 of GET /api/rooms/{room_id}/members: `room_id` in the spec, `id` in the app "
        "(GET /api/rooms/{id}/members)"
    )


def test_compare_app_reports_query_parameter_type_when_the_app_types_it_otherwise(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document = copy.deepcopy(reference[0])
    limit = next(p for p in document["paths"]["/api/rooms"]["get"]["parameters"] if p["name"] == "limit")
    limit["schema"] = {"type": "string"}

    # Act
    findings = _compare(document, reference[1])

    # Assert
    assert [(f.code, f.subject, f.spec.line) for f in findings] == [
        ("D204", "GET /api/rooms query limit", spec_line("`limit` (integer, optional, default 50)"))
    ]
    assert (
        findings[0].message
        == "query parameter `limit` of GET /api/rooms: integer in the spec, string in the app"
    )


def test_compare_app_reports_list_item_field_when_an_item_field_is_nullable_in_the_app(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document = copy.deepcopy(reference[0])
    item = document["components"]["schemas"]["RoomResponse"]["properties"]
    item["created_at"] = {"anyOf": [item["created_at"], {"type": "null"}]}

    # Act
    findings = [f for f in _compare(document, reference[1]) if f.subject.startswith("GET /api/rooms ")]

    # Assert
    assert [(f.code, f.subject, f.message) for f in findings] == [
        (
            "D206",
            "GET /api/rooms response items[].created_at",
            "response field `items[].created_at` of GET /api/rooms: not nullable in the spec, "
            "nullable in the app",
        )
    ]


def test_compare_app_reports_status_when_the_app_documents_another(
    reference: tuple[dict[str, Any], RouteLocator],
) -> None:
    # Arrange
    document = copy.deepcopy(reference[0])
    responses = document["paths"]["/api/rooms/{room_id}"]["delete"]["responses"]
    responses["410"] = {"description": "Gone"}
    del responses["403"]

    # Act
    findings = _compare(document, reference[1])

    # Assert
    heading = spec_line("### DELETE /api/rooms/{room_id}")
    assert [(f.code, f.subject, f.spec.line, f.message) for f in findings] == [
        (
            "D207",
            "DELETE /api/rooms/{room_id} status 403",
            spec_line("- 403: Only the owner can delete the room"),
            "status 403 of DELETE /api/rooms/{room_id}: in the spec (Only the owner can delete the room), "
            "not among the app's responses",
        ),
        (
            "D207",
            "DELETE /api/rooms/{room_id} status 410",
            heading,
            "status 410 of DELETE /api/rooms/{room_id}: among the app's responses (Gone), not in the spec",
        ),
    ]


@pytest.mark.parametrize(
    ("source", "reference", "line"),
    [
        (
            'app = "hello"\n',
            "drift_not_an_app:app",
            "app drift_not_an_app:app is not a FastAPI app (it is a str)",
        ),
        (
            "from starlette.applications import Starlette\n\napp = Starlette()\n",
            "drift_not_an_app:app",
            "app drift_not_an_app:app is not a FastAPI app (it is a Starlette)",
        ),
        (
            "def create_app() -> dict[str, str]:\n    return {}\n",
            "drift_not_an_app:create_app",
            "app factory drift_not_an_app:create_app returned a dict, not a FastAPI app",
        ),
    ],
    ids=["str", "starlette", "factory-returning-dict"],
)
def test_read_app_openapi_raises_user_error_when_the_attribute_is_not_a_fastapi_app(
    tmp_path: Path, user_modules: None, source: str, reference: str, line: str
) -> None:
    # Arrange
    (tmp_path / "drift_not_an_app.py").write_text(source, encoding="utf-8")

    # Act
    with pytest.raises(UserCodeError) as raised:
        read_app_openapi(reference, tmp_path, [tmp_path])

    # Assert
    assert raised.value.line == line


def test_read_app_openapi_raises_user_error_when_the_module_has_no_such_attribute(
    tmp_path: Path, user_modules: None
) -> None:
    # Arrange
    (tmp_path / "drift_no_app.py").write_text("application = None\n", encoding="utf-8")

    # Act
    with pytest.raises(UserCodeError) as raised:
        read_app_openapi("drift_no_app:app", tmp_path, [tmp_path])

    # Assert
    assert raised.value.line == "app: module drift_no_app has no attribute 'app'"


def test_read_app_openapi_raises_user_error_when_the_module_raises_import_error(
    tmp_path: Path, user_modules: None
) -> None:
    # Arrange
    (tmp_path / "drift_broken_app.py").write_text(
        '"""An app whose driver is missing."""\n\nraise ImportError("no database driver")\n', encoding="utf-8"
    )

    # Act
    with pytest.raises(UserCodeError) as raised:
        read_app_openapi("drift_broken_app:app", tmp_path, [tmp_path])

    # Assert
    assert raised.value.line == (
        "cannot import app drift_broken_app: ImportError: no database driver (drift_broken_app.py:3)"
    )
    assert "drift_broken_app.py" in raised.value.user_traceback


def test_read_app_openapi_raises_user_error_when_the_factory_raises(
    tmp_path: Path, user_modules: None
) -> None:
    # Arrange
    (tmp_path / "drift_failing_factory.py").write_text(
        'def create_app() -> None:\n    raise RuntimeError("SECRET_KEY is not set")\n', encoding="utf-8"
    )

    # Act
    with pytest.raises(UserCodeError) as raised:
        read_app_openapi("drift_failing_factory:create_app", tmp_path, [tmp_path])

    # Assert
    assert raised.value.line == (
        "app factory drift_failing_factory:create_app failed: RuntimeError: SECRET_KEY is not set "
        "(drift_failing_factory.py:2)"
    )
