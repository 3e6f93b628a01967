"""Property: random schema IR → generated models → imported MetaData → `DbSchema` is the spec lowered, and
the generated code is always lint-clean and formatted."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from models_harness import import_tree, metadata_of, ruff_check, ruff_format_check, write_tree
from strategies_schema import schema_specs

from specc.db.conventions import normalize_check, normalize_default, normalize_type
from specc.db.lower import lower
from specc.db.metadata import db_from_metadata
from specc.emit.models import render_models
from specc.ir.model import Spec
from tests.db.compare import schema_differences


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
    read_back = db_from_metadata(metadata_of(module))
    # Assert
    assert schema_differences(read_back, lower(spec)) == []


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
def test_lower_random_schema_types_defaults_and_checks_are_already_normal(spec: Spec) -> None:
    # Arrange
    lowered = lower(spec)
    # Act
    columns = [c for t in lowered.tables for c in t.columns]
    checks = [c.expression for t in lowered.tables for c in t.checks]
    # Assert: normalising again changes nothing (the readers normalise the server's spellings the same way)
    assert [normalize_type(c.type) for c in columns] == [c.type for c in columns]
    assert [normalize_default(c.default) for c in columns] == [c.default for c in columns]
    assert [normalize_check(e) for e in checks] == checks
