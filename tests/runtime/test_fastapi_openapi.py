"""`specc.read.fastapi_openapi.comparable`: it equates what FastAPI writes by itself and nothing else."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from specc.read.fastapi_openapi import comparable
from tests.conftest import EXAMPLE_SPEC
from tests.runtime.harness import Built, app_for, imported

Mutation = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    with imported(EXAMPLE_SPEC, tmp_path_factory.mktemp("runtime")) as built:
        yield built


def _drop_error_response(doc: dict[str, Any]) -> None:
    del doc["paths"]["/api/rooms"]["post"]["responses"]["409"]


def _change_status_code(doc: dict[str, Any]) -> None:
    responses = doc["paths"]["/api/rooms"]["post"]["responses"]
    responses["200"] = responses.pop("201")


def _change_field_type(doc: dict[str, Any]) -> None:
    schema = doc["paths"]["/api/rooms"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[1]
    doc["components"]["schemas"][name]["properties"]["id"] = {"title": "Id", "type": "string"}


def _drop_authentication(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/rooms"]["post"]["security"] = []


def _change_parameter_type(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["schema"]["type"] = "string"


def _require_query_parameter(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/rooms"]["get"]["parameters"][0]["required"] = True


def _change_summary(doc: dict[str, Any]) -> None:
    doc["paths"]["/api/rooms"]["post"]["summary"] = "Something else"


def _make_optional_field_required(doc: dict[str, Any]) -> None:
    schema = doc["components"]["schemas"]["RoomUpdate"]
    schema["required"] = ["name"]


def _drop_validation_error_use(doc: dict[str, Any]) -> None:
    doc["components"]["schemas"]["HTTPValidationError"] = {"type": "object"}
    doc["paths"]["/api/rooms"]["post"]["responses"]["422"] = {
        "description": "Validation Error",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}},
    }


@pytest.mark.parametrize(
    "mutation",
    [
        _drop_error_response,
        _change_status_code,
        _change_field_type,
        _drop_authentication,
        _change_parameter_type,
        _require_query_parameter,
        _change_summary,
        _drop_validation_error_use,
        _make_optional_field_required,
    ],
    ids=lambda m: m.__name__.lstrip("_"),
)
def test_comparable_keeps_real_difference_when_document_changed(example: Built, mutation: Mutation) -> None:
    # Arrange
    document = example.openapi()
    changed = copy.deepcopy(document)
    mutation(changed)

    # Act
    before, after = comparable(document), comparable(changed)

    # Assert
    assert before != after


@pytest.mark.parametrize("mutation", [_drop_error_response, _change_status_code], ids=["drop", "status"])
def test_comparable_keeps_real_difference_when_app_contract_changed(
    example: Built, mutation: Mutation
) -> None:
    # Arrange
    contracts = example.module("contracts")
    original = copy.copy(contracts.post_rooms)
    expected = comparable(app_for(example).openapi())
    if mutation is _drop_error_response:
        contracts.post_rooms["responses"] = {k: v for k, v in original["responses"].items() if k != 409}
    else:
        contracts.post_rooms["status_code"] = 200
    try:
        # Act
        served = comparable(app_for(example).openapi())
    finally:
        contracts.post_rooms.update(original)

    # Assert
    assert served != expected
    assert served["paths"]["/api/rooms"]["get"] == expected["paths"]["/api/rooms"]["get"]


def _document(operation: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/api/rooms/{room_id}": {"get": operation}},
        **top,
    }


def test_comparable_equates_fastapi_parameter_schemas_with_specc_ones() -> None:
    # Arrange
    specc_doc = _document(
        {
            "operationId": "get_rooms_by_room_id",
            "parameters": [
                {
                    "name": "q",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string"},
                    "description": "D",
                },
                {"name": "room_id", "in": "path", "required": True, "schema": {"type": "integer"}},
            ],
            "responses": {"200": {"description": "OK"}},
            "security": [],
        },
        security=[{"bearerAuth": []}],
    )
    fastapi_doc = _document(
        {
            "operationId": "get_rooms_by_room_id",
            "summary": "Get Rooms By Room Id",
            "parameters": [
                {
                    "name": "room_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "title": "Room Id"},
                },
                {
                    "name": "q",
                    "in": "query",
                    "required": False,
                    "description": "D",
                    "schema": {
                        "anyOf": [{"type": "string"}, {"type": "null"}],
                        "title": "Q",
                        "description": "D",
                    },
                },
            ],
            "responses": {"200": {"description": "OK"}},
        }
    )
    fastapi_doc["info"]["x-generated-by"] = "nothing"

    # Act
    left, right = comparable(specc_doc), comparable(fastapi_doc)

    # Assert
    assert left == right
    assert left["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["name"] == "room_id"


def test_comparable_keeps_parameter_title_when_not_made_from_its_name() -> None:
    # Arrange
    parameter = {
        "name": "room_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "title": "Room"},
    }
    document = _document({"operationId": "x", "parameters": [parameter], "responses": {}})

    # Act
    result = comparable(document)

    # Assert
    assert result["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["schema"]["title"] == "Room"


def test_comparable_keeps_nullable_schema_when_parameter_required() -> None:
    # Arrange
    schema = {"anyOf": [{"type": "integer"}, {"type": "null"}]}
    parameter = {"name": "n", "in": "query", "required": True, "schema": schema}
    document = _document({"operationId": "x", "parameters": [parameter], "responses": {}})

    # Act
    result = comparable(document)

    # Assert
    assert result["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["schema"] == schema


def test_comparable_drops_validation_components_only_when_unused() -> None:
    # Arrange
    components = {
        "schemas": {
            "HTTPValidationError": {
                "properties": {"detail": {"items": {"$ref": "#/components/schemas/ValidationError"}}}
            },
            "ValidationError": {"type": "object"},
        }
    }
    unused = _document({"operationId": "x", "responses": {}}, components=copy.deepcopy(components))
    ref = {"$ref": "#/components/schemas/HTTPValidationError"}
    used = _document(
        {"operationId": "x", "responses": {"422": {"content": {"application/json": {"schema": ref}}}}},
        components=copy.deepcopy(components),
    )

    # Act
    dropped, kept = comparable(unused), comparable(used)

    # Assert
    assert dropped["components"]["schemas"] == {}
    assert set(kept["components"]["schemas"]) == {"HTTPValidationError", "ValidationError"}


def test_comparable_makes_security_explicit_per_operation_when_global() -> None:
    # Arrange
    schemes = {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}}
    document = _document(
        {"operationId": "x", "responses": {}}, security=[{"bearerAuth": []}], components=schemes
    )

    # Act
    result = comparable(document)

    # Assert
    assert "security" not in result
    assert result["paths"]["/api/rooms/{room_id}"]["get"]["security"] == [{"bearerAuth": []}]
    assert result["components"]["securitySchemes"] == schemes["securitySchemes"]


def test_comparable_leaves_its_argument_unchanged_when_normalising() -> None:
    # Arrange
    document = _document({"operationId": "x", "responses": {}}, security=[{"bearerAuth": []}])
    before = copy.deepcopy(document)

    # Act
    comparable(document)

    # Assert
    assert document == before


def test_comparable_drops_null_members_as_fastapi_serialises_when_nested() -> None:
    # Arrange
    field = {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None, "title": "Name"}
    with_null = _document(
        {"operationId": "x", "responses": {}}, components={"schemas": {"M": {"properties": {"name": field}}}}
    )
    without = copy.deepcopy(with_null)
    del without["components"]["schemas"]["M"]["properties"]["name"]["default"]

    # Act
    left, right = comparable(with_null), comparable(without)

    # Assert
    assert left == right
    assert left["components"]["schemas"]["M"]["properties"]["name"]["anyOf"] == [
        {"type": "string"},
        {"type": "null"},
    ]


def test_comparable_keeps_null_array_items_and_other_defaults() -> None:
    # Arrange
    schema = {"enum": ["a", None], "default": "a"}
    document = _document({"operationId": "x", "responses": {}}, components={"schemas": {"M": schema}})
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["M"]["default"] = None

    # Act
    kept, dropped = comparable(document), comparable(changed)

    # Assert
    assert kept["components"]["schemas"]["M"] == {"enum": ["a", None], "default": "a"}
    assert kept != dropped
