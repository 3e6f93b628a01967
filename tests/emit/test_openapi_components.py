"""Components computed from the schema plan equal pydantic's `model_json_schema` of the generated classes.

The OpenAPI writer never executes the generated modules; these tests do (`load_models`), for the chat spec,
the example spec, every corpus document that parses without errors, and arbitrary specs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from test_schemas_ir import chat_spec

from specc.diagnostics import Reporter, Severity
from specc.emit.openapi import component_schemas
from specc.emit.schemas import plan, render_plan
from specc.emit.schemas.components import UnknownAnnotation, parse_annotation, type_schema
from specc.emit.schemas.load import load_models
from specc.emit.schemas.plan import FieldSpec, ModelSpec, ModuleSpec, SchemaPlan
from specc.emit.shapes import FieldType
from specc.ir.model import Spec
from specc.parse import parse_spec
from tests.conftest import EXAMPLE_SPEC, corpus_documents
from tests.strategies import specs

REF = "#/components/schemas/{model}"


def _pydantic_components(spec: Spec) -> dict[str, Any]:
    """The oracle: import the generated package and ask pydantic."""
    files = render_plan(plan(spec, "spec.md", None, Reporter()), "spec.md")
    expected: dict[str, Any] = {}
    for classes in load_models(files).values():
        for name, cls in classes.items():
            # response models are documented as FastAPI writes them (serialization: keys as sent)
            mode = "serialization" if cls.model_config.get("from_attributes") else "validation"
            schema = cls.model_json_schema(ref_template=REF, mode=mode)
            schema.pop("$defs", None)
            expected[name] = schema
    return expected


def _direct_components(spec: Spec) -> dict[str, Any]:
    return component_schemas(plan(spec, "spec.md", None, Reporter()))


def _mismatches(spec: Spec) -> list[str]:
    direct, expected = _direct_components(spec), _pydantic_components(spec)
    names = sorted(set(direct) | set(expected))
    return [name for name in names if direct.get(name) != expected.get(name)]


def _parse(path: Path) -> tuple[Spec, bool]:
    reporter = Reporter()
    spec = parse_spec(path.read_text(encoding="utf-8"), path.name, reporter).spec
    return spec, any(d.severity == Severity.ERROR for d in reporter.diagnostics)


CORPUS_DOCUMENTS = corpus_documents()


def test_component_schemas_equal_pydantic_when_spec_is_chat() -> None:
    # Arrange
    spec = chat_spec()
    # Act
    mismatches = _mismatches(spec)
    # Assert
    assert mismatches == []
    assert len(_direct_components(spec)) == 15


def test_component_schemas_equal_pydantic_when_spec_is_example_document() -> None:
    # Arrange
    spec, has_errors = _parse(EXAMPLE_SPEC)
    # Act
    mismatches = _mismatches(spec)
    # Assert
    assert not has_errors
    assert spec.tables and spec.endpoints
    assert mismatches == []


@pytest.mark.parametrize("document", CORPUS_DOCUMENTS, ids=[p.name[:40] for p in CORPUS_DOCUMENTS])
def test_component_schemas_equal_pydantic_when_spec_is_corpus_document(document: Path) -> None:
    # Arrange
    spec, _ = _parse(document)
    # Act
    mismatches = _mismatches(spec)
    # Assert
    assert mismatches == []


def test_corpus_has_documents_that_parse_cleanly_when_present() -> None:
    # Arrange
    documents = CORPUS_DOCUMENTS
    # Act
    clean = [d for d in documents if not _parse(d)[1]]
    # Assert
    assert len(documents) >= 20
    assert len(clean) >= 5


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=specs())
def test_component_schemas_equal_pydantic_when_spec_is_arbitrary(spec: Spec) -> None:
    # Arrange
    expected_names = {m.name for module in plan(spec, "s", None, Reporter()).modules for m in module.models}
    # Act
    mismatches = _mismatches(spec)
    # Assert
    assert mismatches == []
    assert set(_direct_components(spec)) == expected_names


@pytest.mark.parametrize(
    ("annotation", "schema"),
    [
        ("decimal.Decimal | None", {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}),
        ("list[Literal['a']]", {"items": {"const": "a", "type": "string"}, "type": "array"}),
        ("dict[str, Any]", {"additionalProperties": True, "type": "object"}),
        (
            "PostXResponseUser | None",
            {"anyOf": [{"$ref": "#/components/schemas/PostXResponseUser"}, {"type": "null"}]},
        ),
    ],
)
def test_type_schema_mirrors_pydantic_when_annotation_is_composite(
    annotation: str, schema: dict[str, Any]
) -> None:
    # Arrange
    tree = parse_annotation(annotation)
    # Act
    result = type_schema(tree)
    # Assert
    assert result == schema


def test_parse_annotation_refuses_union_when_not_optional() -> None:
    # Arrange
    annotation = "int | str"
    # Act / Assert
    with pytest.raises(UnknownAnnotation):
        parse_annotation(annotation)


def test_component_schemas_fall_back_to_live_class_when_annotation_is_unknown() -> None:
    # Arrange
    odd = ModelSpec(
        name="OddResponse",
        doc="A model with an annotation the direct writer does not know.",
        fields=(FieldSpec(key="value", attr="value", type=FieldType("int | str")),),
    )
    schema_plan = SchemaPlan(modules=(ModuleSpec(path="api/odd.py", models=(odd,)),), operations=())
    # Act
    components = component_schemas(schema_plan)
    # Assert
    assert components == {
        "OddResponse": {
            "description": "A model with an annotation the direct writer does not know.",
            "properties": {"value": {"anyOf": [{"type": "integer"}, {"type": "string"}], "title": "Value"}},
            "required": ["value"],
            "title": "OddResponse",
            "type": "object",
        }
    }
