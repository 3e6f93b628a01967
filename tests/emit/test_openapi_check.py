"""Incremental OpenAPI validation: units, the validated-digest cache, and whole-document checks."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_schemas_ir import chat_spec

from specc.diagnostics import Reporter
from specc.emit.openapi import build_openapi, finish, render_api
from specc.emit.schemas.openapi_check import _chunks, check_document, units, whole_document_problem
from specc.ir.model import Column

SOURCE = "docs/ARCHITECTURE.md"


@pytest.fixture
def document() -> dict[str, Any]:
    return build_openapi(chat_spec())


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
        "PostAuthLoginRequest",
        "PostAuthLoginResponse",
        "PostAuthLoginResponseUser",
    }
    assert login.document["info"] == document["info"]
    assert login.document["components"]["securitySchemes"] == document["components"]["securitySchemes"]


def test_units_cover_every_component_when_some_are_unreferenced(document: dict[str, Any]) -> None:
    # Arrange
    all_names = set(document["components"]["schemas"])
    # Act
    parts = units(document)
    # Assert
    covered = set().union(*(_schema_names(u.document) for u in parts))
    assert covered == all_names
    assert any(u.label.startswith("components ") for u in parts)
    assert len({u.digest for u in parts}) == len(parts)


def test_check_document_validates_nothing_when_every_unit_is_cached(document: dict[str, Any]) -> None:
    # Arrange
    cache: set[str] = set()
    first = check_document(document, cache)
    # Act
    second = check_document(document, cache)
    # Assert
    assert first.problem is None
    assert first.validated_units == first.total_units == len(cache)
    assert second.problem is None
    assert second.validated_units == 0


def test_check_document_revalidates_only_changed_units_when_one_component_changes(
    document: dict[str, Any],
) -> None:
    # Arrange
    cache: set[str] = set()
    check_document(document, cache)
    changed = copy.deepcopy(document)
    changed["components"]["schemas"]["PostAuthLoginResponseUser"]["properties"]["id"]["title"] = "Changed"
    # Act
    result = check_document(changed, cache)
    # Assert
    assert result.problem is None
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
    del document["components"]["schemas"]["PostAuthLoginResponseUser"]
    # Act
    problem = whole_document_problem(document)
    # Assert
    assert problem == "$ref '#/components/schemas/PostAuthLoginResponseUser' does not resolve"


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
    assert size == len(units(json.loads(first["openapi.json"])))
    assert len(cache) == size
    assert first == second


def test_render_api_validates_only_the_changed_table_units_when_a_column_is_added() -> None:
    # Arrange
    spec = chat_spec()
    cache: set[str] = set()
    render_api(spec, SOURCE, None, Reporter(), validated=cache)
    rooms = next(t for t in spec.tables if t.name == "rooms")
    extra = Column(name="archived", type="BOOLEAN", nullable=True)
    changed = spec.model_copy(
        update={
            "tables": tuple(
                t.model_copy(update={"columns": (*t.columns, extra)}) if t is rooms else t
                for t in spec.tables
            )
        }
    )
    before = len(cache)
    # Act
    files = render_api(changed, SOURCE, None, Reporter(), validated=cache)
    # Assert
    assert "openapi.json" in files
    new_units = len(cache) - before
    assert 1 <= new_units <= 3
    assert new_units < len(units(json.loads(files["openapi.json"])))


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.from_regex(r"[A-Z][a-z]{1,6}", fullmatch=True), min_size=1, max_size=60, unique=True),
    extra=st.from_regex(r"[A-Z][a-z]{1,6}", fullmatch=True),
)
def test_chunks_change_at_most_two_when_one_name_is_added(names: list[str], extra: str) -> None:
    # Arrange
    before = _chunks(sorted(names))
    # Act
    after = _chunks(sorted({*names, extra}))
    # Assert
    assert [n for chunk in after for n in chunk] == sorted({*names, extra})
    changed = [chunk for chunk in after if chunk not in before]
    assert len(changed) <= 2 or any(len(chunk) >= 32 for chunk in after)


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
