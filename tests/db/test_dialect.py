"""The `Dialect` object: PostgreSQL's facts in one place, and what a second dialect must provide."""

from __future__ import annotations

import dataclasses

import pytest

from specc.db.dialect import POSTGRESQL, ConstraintNames, Dialect, SaType
from specc.db.identifiers import fit_identifier
from specc.diff.changes import is_widening
from specc.ir.types import KNOWN_BASES


def _mariadb_sketch() -> Dialect:
    """What a second dialect has to say (values for MariaDB, as far as specc needs them)."""
    return Dialect(
        name="mysql",
        max_identifier_bytes=64,
        max_string_length=65_535,
        max_numeric_precision=65,
        max_vector_dimensions=16_383,
        max_enum_label_bytes=255,
        type_mapping={
            "BIGINT": SaType("sa.BigInteger"),
            "INTEGER": SaType("sa.Integer"),
            "VARCHAR": SaType("sa.String", parameters="length"),
            "TEXT": SaType("sa.Text"),
            "BOOLEAN": SaType("sa.Boolean"),
        },
        array_type="",
        integer_rank={"SMALLINT": 1, "INTEGER": 2, "BIGINT": 3},
        integer_digits={"SMALLINT": 5, "INTEGER": 10, "BIGINT": 19},
        float_rank={"REAL": 1, "DOUBLE PRECISION": 2},
        text_types=frozenset({"VARCHAR", "TEXT", "CHAR"}),
        lossless_conversions=frozenset({("DATE", "TIMESTAMP")}),
        cast_families=(frozenset({"SMALLINT", "INTEGER", "BIGINT"}),),
        index_methods=frozenset({"btree", "hash"}),
        default_index_method="btree",
        index_method_option="mysql_using",
        serial_default_prefix="",
        default_names=ConstraintNames(
            primary_key="PRIMARY",
            unique="{column}",
            foreign_key="{table}_ibfk_1",
            check="CONSTRAINT_1",
            index="{column}",
        ),
    )


def test_dialect_every_fact_is_required_when_a_field_is_left_out() -> None:
    # Arrange
    fields = {f.name for f in dataclasses.fields(Dialect)}
    values = {name: getattr(POSTGRESQL, name) for name in fields}
    del values["cast_families"]
    # Act / Assert: a dialect cannot inherit PostgreSQL's answers by accident
    with pytest.raises(TypeError, match="cast_families"):
        Dialect(**values)
    assert all(f.default is dataclasses.MISSING for f in dataclasses.fields(Dialect))


def test_dialect_postgresql_maps_every_known_type_but_vector() -> None:
    # Arrange / Act
    missing = POSTGRESQL.missing_types(KNOWN_BASES)
    # Assert: VECTOR (pgvector) has no SQLAlchemy class and is written verbatim
    assert missing == frozenset({"VECTOR"})


def test_dialect_second_dialect_reports_the_types_it_lacks() -> None:
    # Arrange
    sketch = _mariadb_sketch()
    # Act
    missing = sketch.missing_types(KNOWN_BASES)
    # Assert
    assert "JSONB" in missing and "TIMESTAMPTZ" in missing
    assert "VARCHAR" not in missing


def test_is_widening_reads_the_dialects_lossless_pairs() -> None:
    # Arrange
    sketch = _mariadb_sketch()
    # Act / Assert: PostgreSQL keeps every JSON value as JSONB; the sketch does not say so
    assert is_widening("JSON", "JSONB", POSTGRESQL)
    assert not is_widening("JSON", "JSONB", sketch)


def test_dialect_default_name_fills_table_and_columns() -> None:
    # Act
    names = [
        POSTGRESQL.default_name(kind, "users", ("org_id", "email")) for kind in ("unique", "foreign_key")
    ]
    # Assert
    assert names == ["users_org_id_email_key", "users_org_id_email_fkey"]
    assert POSTGRESQL.default_name("primary_key", "users", ("id",)) == "users_pkey"


def test_fit_identifier_uses_the_dialects_identifier_length() -> None:
    # Arrange
    exact = "a" * POSTGRESQL.max_identifier_bytes
    # Act / Assert
    assert fit_identifier(exact) == exact
    assert len(fit_identifier(exact + "a").encode()) == POSTGRESQL.max_identifier_bytes
    assert not _mariadb_sketch().fits("a" * 65) and _mariadb_sketch().fits("a" * 64)
