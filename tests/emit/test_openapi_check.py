"""Incremental OpenAPI validation: units, canonical (name-free) shapes, the validated-digest cache, and
whole-document checks."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from test_schemas_ir import chat_spec

from specc.diagnostics import Reporter
from specc.emit.openapi import build_openapi, finish, render_api
from specc.emit.schemas.openapi_canon import PLACEHOLDER, canonical
from specc.emit.schemas.openapi_check import check_document, digest, units, validator_problem
from specc.emit.schemas.openapi_refs import refs, walk_refs
from specc.emit.schemas.openapi_whole import whole_document_problem
from specc.ir.model import Column

SOURCE = "docs/ARCHITECTURE.md"


@pytest.fixture
def document() -> dict[str, Any]:
    return build_openapi(chat_spec())


def _shape(unit_document: dict[str, Any]) -> str:
    return digest(canonical(unit_document), "canonical")


def _schema_names(unit_document: dict[str, Any]) -> set[str]:
    return set((unit_document.get("components") or {}).get("schemas") or {})


def test_units_hold_one_path_item_with_its_transitive_components_when_split(document: dict[str, Any]) -> None:
    # Arrange
    paths = document["paths"]
    # Act
    parts = units(document)
    # Assert
    path_units = [u for u in parts if u.label.startswith("path ")]
    assert [u.label for u in path_units] == [f"path {p}" for p in sorted(paths)]
    login = next(u for u in path_units if u.label == "path /api/auth/login")
    assert _schema_names(login.document) == {
        "ErrorResponse",
        "LoginRequest",
        "LoginResponse",
        "LoginResponseUser",
    }
    assert login.document["info"] == document["info"]
    assert login.document["components"]["securitySchemes"] == document["components"]["securitySchemes"]


def test_units_cover_every_component_when_some_are_unreferenced(document: dict[str, Any]) -> None:
    # Arrange
    document = copy.deepcopy(document)
    document["components"]["schemas"]["Unused"] = {"title": "Unused", "type": "object"}
    all_names = set(document["components"]["schemas"])
    # Act
    parts = units(document)
    # Assert
    covered = set().union(*(_schema_names(u.document) for u in parts))
    assert covered == all_names
    assert any(u.label.startswith("component ") for u in parts)
    assert len({u.digest for u in parts}) == len(parts)


def test_check_document_validates_nothing_when_every_unit_is_cached(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    first = check_document(document, cache)
    # Act
    second = check_document(document, cache)
    # Assert
    shapes = {_shape(u.document) for u in units(document)}
    assert first.problem is None
    assert first.validated_units == len(shapes) <= first.total_units
    assert len(cache) == first.total_units + len(shapes)
    assert second.problem is None
    assert second.validated_units == second.changed_units == 0


def test_check_document_validates_no_new_shape_when_only_a_title_changes(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    check_document(document, cache)
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["LoginResponseUser"]["properties"]["id"]["title"] = "Changed"
    # Act
    result = check_document(changed, cache)
    # Assert
    assert result.problem is None
    assert result.changed_units == 1
    assert result.validated_units == 0


def test_check_document_validates_one_new_shape_when_a_limit_changes(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    check_document(document, cache)
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["LoginRequest"]["properties"]["email"]["maxLength"] = 99
    # Act
    result = check_document(changed, cache)
    # Assert
    assert result.problem is None
    assert result.changed_units == 1
    assert result.validated_units == 1


def test_check_document_reports_invalid_unit_when_its_digest_is_new(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    check_document(document, cache)
    broken = copy.deepcopy(document)
    broken["paths"]["/api/rooms"]["get"]["responses"]["200"]["description"] = 42
    # Act
    result = check_document(broken, cache)
    # Assert
    assert result.problem is not None
    assert result.problem.startswith("path /api/rooms: ")


def test_whole_document_problem_reports_duplicate_operation_id_when_two_operations_share_it(
    document: dict[str, Any],
) -> None:
    # Arrange
    document["paths"]["/api/rooms"]["post"]["operationId"] = "get_rooms"
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "operationId 'get_rooms' is used by both GET /api/rooms and POST /api/rooms"


def test_whole_document_problem_reports_dangling_ref_when_component_is_missing(
    document: dict[str, Any],
) -> None:
    # Arrange
    del document["components"]["schemas"]["LoginResponseUser"]
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "$ref '#/components/schemas/LoginResponseUser' does not resolve"


def test_finish_reports_b042_when_dangling_ref_even_if_units_were_cached(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    check_document(document, cache)
    del document["components"]["schemas"]["ErrorResponse"]
    reporter = Reporter()
    # Act
    files = finish(document, SOURCE, reporter, cache)
    # Assert
    assert files == {}
    assert [d.code for d in reporter.diagnostics] == ["B042"]
    assert "ErrorResponse' does not resolve" in reporter.diagnostics[0].message


def test_render_api_fills_cache_and_skips_validation_when_rebuilt_unchanged() -> None:
    # Arrange
    cache: set[str] = set()
    first = render_api(chat_spec(), SOURCE, None, Reporter(), validated=cache)
    size = len(cache)
    # Act
    second = render_api(chat_spec(), SOURCE, None, Reporter(), validated=cache)
    # Assert
    parts = units(json.loads(first["openapi.json"]))
    assert size == len(parts) + len({_shape(u.document) for u in parts})
    assert len(cache) == size
    assert first == second


def test_render_api_validates_only_the_changed_units_when_a_column_type_changes() -> None:
    # Arrange
    spec = chat_spec()
    cache: set[str] = set()
    render_api(spec, SOURCE, None, Reporter(), validated=cache)
    rooms = next(t for t in spec.tables if t.name == "rooms")
    wider = Column(name="name", type="VARCHAR(120)", nullable=False)
    columns = tuple(wider if c.name == "name" else c for c in rooms.columns)
    changed = spec.model_copy(
        update={
            "tables": tuple(
                t.model_copy(update={"columns": columns}) if t is rooms else t for t in spec.tables
            )
        }
    )
    before = set(cache)
    # Act
    files = render_api(changed, SOURCE, None, Reporter(), validated=cache)
    # Assert
    assert "openapi.json" in files
    parts = units(json.loads(files["openapi.json"]))
    changed_parts = [u for u in parts if u.digest not in before]
    assert {u.label for u in changed_parts} == {"path /api/rooms"}
    new_shapes = {_shape(u.document) for u in changed_parts} - before
    assert 1 <= len(new_shapes) <= 3
    assert cache - before == {u.digest for u in changed_parts} | new_shapes


def test_check_document_fills_same_cache_when_validated_by_worker_processes(document: dict[str, Any]) -> None:
    # Arrange
    serial: set[str] = set()
    check_document(document, serial, workers=1)
    parallel: set[str] = set()
    broken = copy.deepcopy(document)
    broken["paths"]["/api/rooms/{id}"]["delete"]["responses"]["204"]["description"] = ["not", "a", "string"]
    # Act
    result = check_document(document, parallel, workers=2)
    failed = check_document(broken, set(), workers=2)
    # Assert
    assert result.problem is None
    assert parallel == serial
    assert failed.problem is not None
    assert failed.problem.startswith("path /api/rooms/{id}: ")


def test_check_document_validates_whole_document_when_paths_is_not_an_object(
    document: dict[str, Any],
) -> None:
    # Arrange
    document["paths"] = ["/api/rooms"]
    # Act
    parts = units(document)
    result = check_document(document, set())
    # Assert
    assert [u.label for u in parts] == ["document"]
    assert result.problem is not None
    assert result.problem.startswith("document: ")


NAME = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)


def _unit(
    component: str, properties: tuple[str, str], segments: tuple[str, str], param: str
) -> dict[str, Any]:
    """A one-path unit: GET /<a>/<b>/{param} returning component `component` with two properties."""
    first, second = properties
    return {
        "openapi": "3.1.0",
        "info": {"title": f"API {component}", "version": "1.0.0", "x-generated-by": "a test"},
        "paths": {
            f"/{segments[0]}/{segments[1]}/{{{param}}}": {
                "get": {
                    "operationId": f"get_{component}",
                    "tags": [component],
                    "summary": f"Read one {component}",
                    "parameters": [
                        {"name": param, "in": "path", "required": True, "schema": {"type": "integer"}}
                    ],
                    "responses": {
                        "200": {
                            "description": f"The {component}",
                            "content": {
                                "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                component: {
                    "title": component,
                    "type": "object",
                    "properties": {
                        first: {"type": "integer", "minimum": 1, "title": first},
                        second: {"type": "string", "maxLength": 20, "default": "x", "description": "text"},
                    },
                    "required": [first],
                }
            }
        },
        "tags": [{"name": component, "description": f"All about {component}"}],
    }


def _names() -> st.SearchStrategy[tuple[str, tuple[str, str], tuple[str, str], str]]:
    return st.tuples(
        st.from_regex(r"[A-Z][A-Za-z0-9]{0,8}", fullmatch=True),
        st.lists(NAME, min_size=2, max_size=2, unique=True).map(lambda n: (n[0], n[1])),
        st.lists(NAME, min_size=2, max_size=2, unique=True).map(lambda n: (n[0], n[1])),
        NAME,
    )


@settings(max_examples=25, deadline=None)
@given(one=_names(), other=_names())
def test_canonical_digest_is_equal_when_units_differ_only_in_names(
    one: tuple[str, tuple[str, str], tuple[str, str], str],
    other: tuple[str, tuple[str, str], tuple[str, str], str],
) -> None:
    # Arrange
    first, second = _unit(*one), _unit(*other)
    # Act
    first_canon, second_canon = canonical(first), canonical(second)
    # Assert
    assert digest(first_canon, "canonical") == digest(second_canon, "canonical")
    assert (digest(first) == digest(second)) == (one == other)
    validate(first_canon)


def test_canonical_renames_names_and_keeps_validation_facts_when_unit_is_plain() -> None:
    # Arrange
    unit = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    # Act
    canon = canonical(unit)
    # Assert
    assert list(canon["paths"]) == ["/s0/s1/{v0}"]
    operation = canon["paths"]["/s0/s1/{v0}"]["get"]
    assert operation["operationId"] == "o0"
    assert operation["tags"] == ["t0"]
    assert operation["summary"] == PLACEHOLDER
    assert operation["parameters"] == [
        {"in": "path", "name": "v0", "required": True, "schema": {"type": "integer"}}
    ]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/S0"
    }
    assert canon["components"]["schemas"]["S0"] == {
        "properties": {
            "p0": {"default": "x", "description": PLACEHOLDER, "maxLength": 20, "type": "string"},
            "p1": {"minimum": 1, "title": PLACEHOLDER, "type": "integer"},
        },
        "required": ["p1"],
        "title": PLACEHOLDER,
        "type": "object",
    }
    assert canon["tags"] == [{"description": PLACEHOLDER, "name": "t0"}]
    assert canon["info"] == {"title": PLACEHOLDER, "version": "1.0.0", "x-generated-by": PLACEHOLDER}


def _break_type(unit: dict[str, Any]) -> None:
    unit["components"]["schemas"]["Room"]["properties"]["label"]["type"] = "strnig"


def _break_description(unit: dict[str, Any]) -> None:
    del unit["paths"]["/api/rooms/{room_id}"]["get"]["responses"]["200"]["description"]


def _break_path_parameter(unit: dict[str, Any]) -> None:
    unit["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["name"] = "id"


def _break_required_flag(unit: dict[str, Any]) -> None:
    unit["paths"]["/api/rooms/{room_id}"]["get"]["parameters"][0]["required"] = False


def _break_required_list(unit: dict[str, Any]) -> None:
    unit["components"]["schemas"]["Room"]["required"] = ["room_id", "room_id"]


def _break_default(unit: dict[str, Any]) -> None:
    unit["components"]["schemas"]["Room"]["properties"]["label"]["default"] = 7


@pytest.mark.parametrize(
    "breakage",
    [
        _break_type,
        _break_description,
        _break_path_parameter,
        _break_required_flag,
        _break_required_list,
        _break_default,
    ],
)
def test_canonical_unit_is_still_rejected_when_unit_has_structural_error(breakage: Any) -> None:
    # Arrange
    unit = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    breakage(unit)
    # Act
    canon = canonical(unit)
    # Assert
    assert canon is not unit
    with pytest.raises(OpenAPIValidationError):
        validate(unit)
    with pytest.raises(OpenAPIValidationError):
        validate(canon)


def test_check_document_reports_invalid_shape_with_real_label_when_valid_shapes_are_cached() -> None:
    # Arrange
    cache: set[str] = set()
    assert (
        check_document(_unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id"), cache).problem
        is None
    )
    broken = _unit("Hall", ("hall_id", "name"), ("api", "halls"), "hall_id")
    broken["components"]["schemas"]["Hall"]["properties"]["name"]["type"] = "strnig"
    # Act
    result = check_document(broken, cache)
    # Assert
    assert result.validated_units == 1
    assert result.problem is not None
    assert result.problem.startswith("path /api/halls/{hall_id}: ")


def test_check_document_validates_one_shape_when_units_differ_only_in_names() -> None:
    # Arrange
    first = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    second = _unit("Hall", ("hall_id", "name"), ("api", "halls"), "hall_id")
    document = copy.deepcopy(first)
    document["paths"].update(second["paths"])
    document["components"]["schemas"].update(second["components"]["schemas"])
    document["tags"] = sorted(first["tags"] + second["tags"], key=lambda tag: str(tag["name"]))
    # Act
    result = check_document(document, set())
    # Assert
    assert result.problem is None
    assert result.total_units == 3  # two paths and the top level
    assert result.validated_units == 2  # one path shape and the top level


@pytest.mark.parametrize(
    ("keyword", "value"),
    [
        ("discriminator", {"propertyName": "label"}),
        ("patternProperties", {"^room": {"type": "integer"}}),
        ("propertyNames", {"pattern": "^[a-z_]+$"}),
        ("default", {"room_id": 1}),
        ("$id", "https://example.com/room"),
    ],
)
def test_canonical_keeps_unit_unchanged_when_it_uses_a_name_sensitive_keyword(
    keyword: str, value: Any
) -> None:
    # Arrange
    unit = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    unit["components"]["schemas"]["Room"][keyword] = value
    # Act
    canon = canonical(unit)
    # Assert
    assert canon is unit


@pytest.mark.parametrize(
    "path", ["/api/rooms/{room_id}.json", "/api/rooms/{room_id:int}", "/api/rooms/{{room_id}}", "/api/{}"]
)
def test_canonical_keeps_unit_unchanged_when_path_segment_is_not_plain(path: str) -> None:
    # Arrange
    unit = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    unit["paths"] = {path: unit["paths"]["/api/rooms/{room_id}"]}
    # Act
    canon = canonical(unit)
    # Assert
    assert canon is unit


def test_canonical_keeps_unit_unchanged_when_ref_points_below_a_component() -> None:
    # Arrange
    unit = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    response = unit["paths"]["/api/rooms/{room_id}"]["get"]["responses"]["200"]
    response["content"]["application/json"]["schema"] = {"$ref": "#/components/schemas/Room/properties/label"}
    # Act
    canon = canonical(unit)
    # Assert
    assert canon is unit


def test_whole_document_problem_reports_component_name_when_it_has_a_space(document: dict[str, Any]) -> None:
    # Arrange
    document["components"]["schemas"]["Error Response"] = {"type": "object"}
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "component name 'Error Response' in components.schemas does not match ^[a-zA-Z0-9._-]+$"


def test_whole_document_problem_reports_undeclared_path_parameter_when_template_names_it(
    document: dict[str, Any],
) -> None:
    # Arrange
    document["paths"]["/api/rooms/{id}"]["delete"]["parameters"] = []
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert (
        problem == "path parameter 'id' of DELETE /api/rooms/{id} is not declared as an `in: path` parameter"
    )


def test_whole_document_problem_reports_path_parameter_when_template_lacks_it(
    document: dict[str, Any],
) -> None:
    # Arrange
    parameters = document["paths"]["/api/rooms/{id}"]["delete"]["parameters"]
    parameters.append({"name": "room", "in": "path", "required": True, "schema": {"type": "string"}})
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "path parameter 'room' of DELETE /api/rooms/{id} is not in the path template"


def test_whole_document_problem_reports_path_parameter_when_it_is_not_required(
    document: dict[str, Any],
) -> None:
    # Arrange
    document["paths"]["/api/rooms/{id}"]["delete"]["parameters"][0]["required"] = False
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "path parameter 'id' of DELETE /api/rooms/{id} is not `required: true`"


def test_whole_document_problem_reports_path_when_it_lacks_the_leading_slash(
    document: dict[str, Any],
) -> None:
    # Arrange
    document["paths"]["api/health"] = document["paths"].pop("/api/health")
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "path 'api/health' does not start with '/'"


def test_whole_document_problem_is_none_when_document_is_generated(document: dict[str, Any]) -> None:
    # Arrange
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem is None


def test_check_document_reports_undeclared_path_parameter_when_shape_is_cached() -> None:
    # Arrange
    cache: set[str] = set()
    check_document(_unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id"), cache)
    broken = _unit("Room", ("room_id", "label"), ("api", "rooms"), "room_id")
    broken["paths"]["/api/rooms/{room_id}"]["get"]["parameters"] = []
    # Act
    result = check_document(broken, cache)
    # Assert
    assert result.problem == (
        "path parameter 'room_id' of GET /api/rooms/{room_id} is not declared as an `in: path` parameter"
    )
    assert result.validated_units == 0


REPLACEMENTS = st.sampled_from(
    [None, 0, -1, "x", "strnig", "integer", True, [], {}, ["x"], {"type": "strnig"}, {"$ref": "#/nowhere"}]
)


def _set_at(value: Any, choices: list[int], replacement: Any) -> None:
    """Replaces one value inside `value`, reached by following `choices` (indexes modulo the children)."""
    node = value
    for choice in choices:
        keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            return
        key = keys[choice % len(keys)]
        child = node[key]
        if not isinstance(child, dict | list) or not child or choice % 3 == 0:
            node[key] = replacement
            return
        node = child


@settings(max_examples=60, deadline=None)
@given(
    which=st.integers(min_value=0, max_value=19),
    choices=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=10),
    replacement=REPLACEMENTS,
)
def test_canonical_unit_is_valid_exactly_when_unit_is_valid_when_a_value_is_replaced(
    which: int, choices: list[int], replacement: Any
) -> None:
    # Arrange
    parts = units(build_openapi(chat_spec()))
    unit = copy.deepcopy(parts[which % len(parts)].document)
    _set_at(unit, choices, replacement)
    # Act
    canon = canonical(unit)
    # Assert
    if whole_document_problem(unit) is None:
        assert (validator_problem(unit) is None) == (validator_problem(canon) is None)


_KEYS = st.sampled_from(["$ref", "a", '"$ref":"', "$ref\\", "x"])
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='$ref"\\:/#ab', max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300)
@given(_JSON_VALUES)
def test_refs_text_scan_finds_the_same_refs_as_a_walk_of_the_values(value: Any) -> None:
    # Arrange: keys and strings made of the characters that could fool a text scan
    expected = sorted(walk_refs(value))
    # Act
    found = sorted(refs(value))
    # Assert
    assert found == expected


def test_validator_problem_says_too_deep_without_internal_text_when_validator_recurses() -> None:
    # Arrange: issue 9 (low): 200 nested arrays gave "B042 ... maximum recursion depth exceeded"; the parser
    # now refuses such bodies (P021), and the validator's own failures never reach the user as internal text
    schema: dict[str, Any] = {"type": "integer"}
    for _ in range(400):
        schema = {"type": "array", "items": schema}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Deep": schema}},
    }

    # Act
    problem = validator_problem(document)

    # Assert
    assert problem == "it is nested too deeply to be validated"


def test_validator_problem_names_only_exception_type_when_validator_fails_internally() -> None:
    # Arrange: a reference the validator cannot resolve makes it raise an error whose text dumps the document
    document = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/Missing"}}},
    }

    # Act
    problem = validator_problem(document)

    # Assert
    assert problem == "the validator could not check it (PointerToNowhere)"
