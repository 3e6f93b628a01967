"""Property: random schema IR → generated models → imported MetaData → IR is the IR's schema part, and the
generated code is always lint-clean and formatted."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from models_harness import import_tree, metadata_of, ruff_check, ruff_format_check, write_tree
from strategies_schema import schema_specs

from specc.emit.models import render_models
from specc.ir.model import Spec
from specc.read import schema_part, spec_from_metadata


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=schema_specs())
def test_models_random_schema_metadata_round_trip_is_identity(
    spec: Spec, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Arrange
    root = tmp_path_factory.mktemp("prop_meta")
    package = write_tree(render_models(spec, "s.md"), root)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # relationship overlap warnings are defects
        module = import_tree(root, package)
    # Act
    read_back = spec_from_metadata(metadata_of(module))
    # Assert
    assert read_back == schema_part(spec)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=schema_specs())
def test_models_random_schema_generated_code_is_ruff_clean(
    spec: Spec, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Arrange
    root = tmp_path_factory.mktemp("prop_lint")
    package = write_tree(render_models(spec, "s.md"), root)
    # Act
    check, fmt = ruff_check(root, package), ruff_format_check(root, package)
    # Assert
    assert check.returncode == 0, check.stdout
    assert fmt.returncode == 0, fmt.stdout


@settings(max_examples=25, deadline=None)
@given(spec=schema_specs())
def test_schema_part_is_idempotent(spec: Spec) -> None:
    # Arrange
    once = schema_part(spec)
    # Act
    twice = schema_part(once)
    # Assert
    assert twice == once
