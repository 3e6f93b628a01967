"""Speed guards for `openapi.json`: components without live classes, and cheap no-op rebuilds.

Generous bounds (a slow CI machine must pass); they catch a return to executing the generated modules
(seconds per hundred tables) or to validating the whole document on every build.
"""

from __future__ import annotations

import time

import pytest

from specc.diagnostics import Reporter
from specc.emit import schemas
from specc.emit.openapi import component_schemas, render_api
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.bench.synth import synth_spec


def _synthetic(tables: int) -> Spec:
    return parse_spec(synth_spec(tables), "spec.md", Reporter()).spec


@pytest.fixture(scope="module")
def spec200() -> Spec:
    return _synthetic(200)


def test_component_schemas_take_under_two_seconds_when_spec_has_200_tables(spec200: Spec) -> None:
    # Arrange
    schema_plan = schemas.plan(spec200, "spec.md", None, Reporter())
    # Act
    start = time.perf_counter()
    components = component_schemas(schema_plan)
    elapsed = time.perf_counter() - start
    # Assert
    assert len(components) == 1 + 200 * 8  # ErrorResponse; per table: 3 table models, 5 contract bodies
    assert elapsed < 2.0


def test_render_api_noop_rebuild_costs_under_a_tenth_of_cold_when_cache_is_warm() -> None:
    # Arrange
    spec = _synthetic(30)
    cache: set[str] = set()
    start = time.perf_counter()
    cold_files = render_api(spec, "spec.md", None, Reporter(), validated=cache)
    cold = time.perf_counter() - start
    # Act
    timings: list[float] = []
    for _ in range(2):
        start = time.perf_counter()
        warm_files = render_api(spec, "spec.md", None, Reporter(), validated=cache)
        timings.append(time.perf_counter() - start)
    # Assert
    assert warm_files == cold_files
    assert min(timings) < cold / 10
