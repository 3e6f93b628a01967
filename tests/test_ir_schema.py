"""The IR JSON Schema: the checked-in file is current, and IR JSON validates against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

from specc.ir.model import (
    ArrayShape,
    Body,
    CheckConstraint,
    Column,
    Decision,
    Endpoint,
    Feature,
    ForeignKey,
    Index,
    ObjectField,
    ObjectShape,
    QueryParam,
    Relationship,
    Response,
    ScalarShape,
    Span,
    Spec,
    Table,
    TechChoice,
    TestCase,
    TestPlan,
)
from specc.ir.schema import SCHEMA_DIALECT, SCHEMA_PATH, ir_json_schema, ir_json_schema_text
from tests import strategies

ROOT = Path(__file__).resolve().parent.parent
CHECKED_IN = ROOT / SCHEMA_PATH
REFRESH = f"python -m specc.ir.schema > {SCHEMA_PATH}"


def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(ir_json_schema())


def _ir_json(spec: Spec) -> Any:
    return spec.model_dump(mode="json", by_alias=True)


def _hand_built_spec() -> Spec:
    span = Span(file="docs/ARCHITECTURE.md", line=12, column=3)
    users = Table(
        name="users",
        span=span,
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True, autoincrement=True, span=span),
            Column(name="email", type="VARCHAR(255)", nullable=False, unique=True, type_span=span),
        ),
        indexes=(Index(columns=("email",), unique=True, method="btree", name="ix_users_email"),),
        checks=(CheckConstraint(expression="id > 0", name="ck_users_id"),),
    )
    rooms = Table(
        name="rooms",
        renamed_from="chats",
        columns=(
            Column(name="id", type="BIGINT", nullable=False, primary_key=True),
            Column(
                name="owner_id",
                type="BIGINT",
                foreign_key=ForeignKey(table="users", column="id", on_delete="SET NULL", span=span),
            ),
        ),
    )
    body = Body(
        shape=ObjectShape(
            fields=(
                ObjectField(name="email", shape=ScalarShape(kind="string", format="email", example="a@b.c")),
                ObjectField(name="tags", shape=ArrayShape(items=ScalarShape(kind="string", example="x"))),
                ObjectField(name="ratio", shape=ScalarShape(kind="number", example=0.5)),
                ObjectField(name="gone", shape=ScalarShape(kind="null")),
            )
        )
    )
    endpoint = Endpoint(
        method="POST",
        path="/api/rooms/{room_id}",
        auth="public",
        auth_explicit=True,
        auth_text="None (public)",
        path_params=("room_id",),
        query_params=(QueryParam(name="limit", type="integer", default="50"),),
        request_body=body,
        responses=(
            Response(status=201, body=Body(schema_ref="schemas/room.json")),
            Response(status=409, description="Exists"),
        ),
    )
    plan = TestPlan(
        features=(
            Feature(
                name="Rooms", cases=(TestCase(id="rooms/happy-path/x", category="happy_path", text="x"),)
            ),
        )
    )
    return Spec(
        source="docs/ARCHITECTURE.md",
        title="Chat",
        overview="Chat.",
        tech_stack=(TechChoice(layer="API", technology="FastAPI"),),
        system_diagram="[a] -> [b]",
        tables=(users, rooms),
        relationships=(Relationship(from_="users", to="rooms", kind="one-to-many"),),
        endpoints=(endpoint,),
        decisions=(Decision(decision="Tokens", choice="JWT"),),
        test_plan=plan,
    )


def test_ir_schema_checked_in_file_equals_generated() -> None:
    # Arrange
    generated = ir_json_schema_text()

    # Act
    checked_in = CHECKED_IN.read_text(encoding="utf-8") if CHECKED_IN.exists() else ""

    # Assert
    assert checked_in == generated, f"{SCHEMA_PATH} is stale; refresh it with: {REFRESH}"


def test_ir_schema_is_valid_draft_2020_12_with_identity() -> None:
    # Arrange
    schema = ir_json_schema()

    # Act
    jsonschema.Draft202012Validator.check_schema(schema)

    # Assert
    assert (schema["$schema"], schema["title"], schema["$id"].endswith(".schema.json")) == (
        SCHEMA_DIALECT,
        "specc IR",
        True,
    )


def test_ir_schema_hand_built_spec_json_validates() -> None:
    # Arrange
    document = _ir_json(_hand_built_spec())

    # Act
    errors = [e.message for e in _validator().iter_errors(document)]

    # Assert
    assert errors == []


def test_ir_schema_relationship_uses_from_alias_not_python_name() -> None:
    # Arrange
    document = _ir_json(_hand_built_spec())
    document["relationships"][0]["from_"] = document["relationships"][0].pop("from")

    # Act
    errors = list(_validator().iter_errors(document))

    # Assert
    assert errors, "a relationship serialized with `from_` must not validate"


@pytest.mark.parametrize(
    ("path", "bad_value"),
    [
        (("tables", 0, "columns", 0, "nullable"), "no"),
        (("tables", 0, "indexes", 0, "method"), "fulltext"),
        (("endpoints", 0, "method"), "FETCH"),
        (("endpoints", 0, "request_body", "shape", "fields", 0, "shape", "kind"), "date"),
        (("test_plan", "features", 0, "cases", 0, "category"), "smoke"),
    ],
)
def test_ir_schema_rejects_values_outside_the_ir(path: tuple[str | int, ...], bad_value: object) -> None:
    # Arrange
    document = _ir_json(_hand_built_spec())
    node: Any = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = bad_value

    # Act
    errors = list(_validator().iter_errors(document))

    # Assert
    assert errors, f"{'.'.join(map(str, path))} = {bad_value!r} must not validate"


def test_ir_schema_rejects_unknown_field() -> None:
    # Arrange
    document = _ir_json(_hand_built_spec())
    document["tables"][0]["colour"] = "blue"

    # Act
    errors = [e.message for e in _validator().iter_errors(document)]

    # Assert
    assert any("colour" in message for message in errors)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(strategies.specs())
def test_ir_schema_generated_specs_json_validates(spec: Spec) -> None:
    # Arrange
    document = _ir_json(spec)

    # Act
    errors = [e.message for e in _validator().iter_errors(document)]

    # Assert
    assert errors == []


def test_ir_schema_output_is_independent_of_hash_seed() -> None:
    # Arrange
    command = [sys.executable, "-m", "specc.ir.schema"]

    # Act
    outputs = [
        subprocess.run(
            command,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "12345")
    ]

    # Assert
    assert outputs[0] == outputs[1] == ir_json_schema_text()
    assert json.loads(outputs[0])["$schema"] == SCHEMA_DIALECT
