"""datamodel-code-generator as an independent oracle for our schemas.

It compiles our `openapi.json` into its own Pydantic models; for every component, hypothesis draws valid
instances (from the component's JSON Schema) and invalid ones (a valid instance with one required key removed,
one value replaced by a value of a JSON type the schema does not allow, or one string made longer than its
`maxLength`). Our model and the oracle's model must accept and reject exactly the same JSON texts, and ours
must accept the valid ones and reject the invalid ones.

Known lossiness, handled in the strategies and not hidden: pydantic writes `Decimal` as
`anyOf [number, string]` without digit limits, so valid decimals are drawn as small integers and invalid
values for them are never strings or numbers. Both sides are pydantic, so its lax-mode coercions (`true` for
an integer) are excluded from the "invalid" pool.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from test_schemas_ir import chat_spec

from specc.diagnostics import Reporter
from specc.emit.openapi import build_openapi
from specc.emit.schemas import plan, render_plan
from specc.emit.schemas.external import compile_external
from specc.emit.schemas.load import load_models
from specc.emit.schemas.plan import ExternalModule
from specc.ir.model import Body, Endpoint, Response, Spec

Schema = dict[str, Any]
JSON_TYPES = ("string", "integer", "number", "boolean", "null", "array", "object")
WRONG_VALUES: dict[str, Any] = {
    "string": "not-a-valid-value",
    "number": 3.5,
    "boolean": True,
    "null": None,
    "array": [1, 2],
    "object": {"unexpected": 1},
}


# --- strategies from JSON Schema --------------------------------------------------------------------------


class Strategies:
    """Valid-instance strategies for the components of one OpenAPI document."""

    def __init__(self, components: dict[str, Schema]) -> None:
        self.components = components

    def resolve(self, schema: Schema) -> Schema:
        while "$ref" in schema:
            schema = self.components[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def accepted_types(self, schema: Schema) -> set[str]:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            return set().union(*(self.accepted_types(branch) for branch in schema["anyOf"]))
        if "type" not in schema:
            return set(JSON_TYPES)
        kind = schema["type"]
        if kind == "string" and schema.get("format") in ("date-time", "date"):
            return {"string", "integer", "number"}  # pydantic's lax mode reads numbers as unix timestamps
        return {"integer", "number"} if kind == "number" else {kind}

    def valid(self, schema: Schema) -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            kinds = {self.resolve(b).get("type") for b in schema["anyOf"]}
            if {"number", "string"} <= kinds:  # Decimal: JSON Schema cannot say "decimal literal"
                decimals = st.integers(-99, 99)
                return st.one_of(decimals, st.none()) if "null" in kinds else decimals
            return st.one_of(*(self.valid(branch) for branch in schema["anyOf"]))
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind is None:
            return st.one_of(
                st.none(), st.integers(-5, 5), st.text(max_size=5), st.lists(st.booleans(), max_size=2)
            )
        builder: Callable[[Schema], st.SearchStrategy[Any]] = getattr(self, f"_{kind}")
        return builder(schema)

    def _string(self, schema: Schema) -> st.SearchStrategy[Any]:
        fmt = schema.get("format")
        if fmt == "email":
            return st.from_regex(r"[a-z]{1,10}@example\.com", fullmatch=True)
        if fmt == "date-time":
            return st.datetimes(timezones=st.just(__import__("datetime").UTC)).map(lambda d: d.isoformat())
        if fmt == "date":
            return st.dates().map(lambda d: d.isoformat())
        if fmt == "uuid":
            return st.uuids().map(str)
        if fmt == "uri":
            return st.from_regex(r"https://example\.com/[a-z]{0,8}", fullmatch=True)
        limit = min(schema.get("maxLength", 20), 20)
        return st.text(alphabet="abcxyz -_é", min_size=schema.get("minLength", 0), max_size=limit)

    def _integer(self, schema: Schema) -> st.SearchStrategy[Any]:
        return st.integers(-(2**40), 2**40)

    def _number(self, schema: Schema) -> st.SearchStrategy[Any]:
        return st.floats(allow_nan=False, allow_infinity=False, width=32)

    def _boolean(self, schema: Schema) -> st.SearchStrategy[Any]:
        return st.booleans()

    def _null(self, schema: Schema) -> st.SearchStrategy[Any]:
        return st.none()

    def _array(self, schema: Schema) -> st.SearchStrategy[Any]:
        items = schema.get("items")
        return st.lists(self.valid(items) if items else st.integers(), max_size=3)

    def _object(self, schema: Schema) -> st.SearchStrategy[Any]:
        properties: dict[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {k: self.valid(v) for k, v in properties.items() if k in required},
            optional={k: self.valid(v) for k, v in properties.items() if k not in required},
        )

    def invalid(self, schema: Schema) -> st.SearchStrategy[Any]:
        """A valid object instance with exactly one defect."""
        schema = self.resolve(schema)
        properties: dict[str, Schema] = schema.get("properties", {})
        mutations: list[st.SearchStrategy[Any]] = []
        for key in schema.get("required", []):
            mutations.append(
                self.valid(schema).map(lambda inst, k=key: {x: v for x, v in inst.items() if x != k})
            )
        for key, sub in properties.items():
            accepted = self.accepted_types(sub)
            if accepted & {"integer", "number"}:
                accepted |= {"boolean"}  # pydantic's lax mode reads true/false as 1/0 (on both sides)
            wrong = [WRONG_VALUES[t] for t in WRONG_VALUES if t not in accepted]
            if wrong:
                mutations.append(
                    st.tuples(self.valid(schema), st.sampled_from(wrong)).map(
                        lambda pair, k=key: {**pair[0], k: pair[1]}
                    )
                )
            limit = self.resolve(sub).get("maxLength")
            if limit is not None and limit <= 5000:
                mutations.append(
                    self.valid(schema).map(lambda inst, k=key, n=limit: {**inst, k: "x" * (n + 1)})
                )
        if not mutations:
            return st.nothing()
        return st.one_of(*mutations)


# --- the oracle -------------------------------------------------------------------------------------------


def _accepts(model: type[BaseModel], text: str) -> bool:
    try:
        model.model_validate_json(text)
    except ValidationError:
        return False
    return True


def _oracle_models(document: dict[str, Any]) -> dict[str, type[BaseModel]]:
    """datamodel-code-generator's models for every component of `document`."""
    from datamodel_code_generator import DatetimeClassType, InputFileType, PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType
    from datamodel_code_generator.format import Formatter

    code = generate(
        json.dumps(document),
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        disable_timestamp=True,
        output_datetime_class=DatetimeClassType.Awaredatetime,
        field_constraints=True,
        use_annotated=True,
        use_union_operator=True,
        use_standard_collections=True,
        target_python_version=PythonVersion.PY_311,
        formatters=[Formatter.BUILTIN],
        strict_nullable=True,  # "not required" must not mean "nullable": null only where the schema says so
    )
    assert isinstance(code, str)
    return load_models({"oracle/models.py": code}, "oracle")["models.py"]


@pytest.fixture(scope="module")
def oracle_setup() -> tuple[Strategies, dict[str, type[BaseModel]], dict[str, type[BaseModel]], list[str]]:
    spec = chat_spec()
    document = build_openapi(spec)
    schema_plan = plan(spec, "spec.md", None, Reporter())
    ours_by_module = load_models(render_plan(schema_plan, "spec.md"))
    ours = {name: cls for classes in ours_by_module.values() for name, cls in classes.items()}
    components: dict[str, Schema] = document["components"]["schemas"]
    return Strategies(components), ours, _oracle_models(document), sorted(components)


CHAT_COMPONENTS = sorted(build_openapi(chat_spec())["components"]["schemas"])


@pytest.mark.parametrize("component", CHAT_COMPONENTS)
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_oracle_accepts_and_rejects_like_ours_when_payloads_are_drawn_from_schema(
    oracle_setup: tuple[Strategies, dict[str, type[BaseModel]], dict[str, type[BaseModel]], list[str]],
    component: str,
    data: st.DataObject,
) -> None:
    # Arrange
    strategies, ours, oracle, _ = oracle_setup
    schema = strategies.components[component]
    valid = json.dumps(data.draw(strategies.valid(schema), label="valid"))
    is_object = strategies.resolve(schema).get("type") == "object" and bool(schema.get("properties"))
    invalid = json.dumps(data.draw(strategies.invalid(schema), label="invalid")) if is_object else None
    # Act
    ours_valid, oracle_valid = _accepts(ours[component], valid), _accepts(oracle[component], valid)
    results = [(valid, ours_valid, oracle_valid)]
    if invalid is not None:
        results.append((invalid, _accepts(ours[component], invalid), _accepts(oracle[component], invalid)))
    # Assert
    assert ours_valid, valid
    for text, ours_ok, oracle_ok in results:
        assert ours_ok == oracle_ok, text
    if invalid is not None:
        assert results[1][1] is False, invalid


def test_oracle_covers_every_component_when_compiled(
    oracle_setup: tuple[Strategies, dict[str, type[BaseModel]], dict[str, type[BaseModel]], list[str]],
) -> None:
    # Arrange
    _, ours, oracle, components = oracle_setup
    # Act
    missing = [name for name in components if name not in oracle or name not in ours]
    # Assert
    assert missing == []
    assert len(components) == 15


# --- bodies referencing external JSON Schema files --------------------------------------------------------

UPLOAD_SCHEMA = {
    "title": "Upload",
    "type": "object",
    "properties": {
        "filename": {"type": "string", "maxLength": 64},
        "size": {"type": "integer", "minimum": 0},
        "meta": {"$ref": "#/$defs/Meta"},
    },
    "required": ["filename", "size"],
    "$defs": {
        "Meta": {"type": "object", "properties": {"kind": {"enum": ["image", "pdf"]}}, "required": ["kind"]}
    },
}


def _upload_spec() -> Spec:
    return Spec(
        endpoints=(
            Endpoint(
                method="POST",
                path="/api/files",
                request_body=Body(schema_ref="schemas/upload.json"),
                responses=(Response(status=204),),
            ),
        )
    )


def test_schema_ref_body_compiles_with_datamodel_code_generator_when_file_exists(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "upload.json").write_text(json.dumps(UPLOAD_SCHEMA), encoding="utf-8")
    reporter = Reporter()
    # Act
    files = render_plan(plan(_upload_spec(), "spec.md", tmp_path, reporter), "spec.md")
    models = load_models(files)["external/files_request.py"]
    document = build_openapi(_upload_spec(), root=tmp_path)
    # Assert
    assert reporter.diagnostics == []
    request = models["FilesRequest"]
    assert request.model_validate({"filename": "a.png", "size": 3, "meta": {"kind": "image"}}).size == 3
    with pytest.raises(ValidationError):
        request.model_validate({"filename": "a" * 65, "size": 3})
    assert "FilesRequest" in files["schemas/__init__.py"]
    assert document["components"]["schemas"]["FilesRequest"]["properties"]["meta"] == {
        "anyOf": [{"$ref": "#/components/schemas/FilesRequest_Meta"}, {"type": "null"}],
        "default": None,
    }
    assert "FilesRequest_Meta" in document["components"]["schemas"]


def test_schema_ref_body_reports_b040_and_falls_back_to_any_when_file_missing(tmp_path: Path) -> None:
    # Arrange
    reporter = Reporter()
    # Act
    files = render_plan(plan(_upload_spec(), "spec.md", tmp_path, reporter), "spec.md")
    # Assert
    assert [d.code for d in reporter.diagnostics] == ["B040"]
    assert "schemas/upload.json not found" in reporter.diagnostics[0].message
    assert "class FilesRequest(RootModel[Any]):" in files["schemas/api/files.py"]


def test_schema_ref_body_reports_b040_when_file_is_not_json(tmp_path: Path) -> None:
    # Arrange
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "upload.json").write_text("{not json", encoding="utf-8")
    reporter = Reporter()
    # Act
    plan(_upload_spec(), "spec.md", tmp_path, reporter)
    # Assert
    assert [d.code for d in reporter.diagnostics] == ["B040"]
    assert "is not valid JSON" in reporter.diagnostics[0].message


def test_compile_external_output_has_specc_header_when_compiled() -> None:
    # Arrange
    module = ExternalModule(
        class_name="PostFilesRequest", schema_path="schemas/upload.json", schema=UPLOAD_SCHEMA
    )
    # Act
    text = compile_external(module, "spec.md")
    # Assert
    assert text.startswith('"""Generated by specc from spec.md.')
    assert "class PostFilesRequest(BaseModel):" in text
    assert "datamodel-codegen" not in text


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("../outside/upload.json", "must be a relative path inside the project"),
        ("/tmp/upload.json", "must be a relative path inside the project"),
        ("schemas/linked.json", "leads outside the project (through a link)"),
        ("schemas/big.json", "is larger than 1048576 bytes"),
        ("schemas/fifo.json", "is not a regular file"),
    ],
)
def test_schema_ref_body_reports_b040_and_reads_nothing_when_file_is_outside_or_not_plain(
    tmp_path: Path, ref: str, words: str
) -> None:
    # Arrange: a secret outside the project that a document must not be able to copy into generated code
    project = tmp_path / "project"
    (project / "schemas").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    secret = json.dumps({"title": "SECRET-TOKEN", "type": "object"})
    (tmp_path / "outside" / "upload.json").write_text(secret, encoding="utf-8")
    (project / "schemas" / "linked.json").symlink_to(tmp_path / "outside" / "upload.json")
    (project / "schemas" / "big.json").write_text('{"a": "' + "x" * (1 << 20) + '"}', encoding="utf-8")
    os.mkfifo(project / "schemas" / "fifo.json")
    spec = _upload_spec().model_copy(
        update={
            "endpoints": (
                _upload_spec().endpoints[0].model_copy(update={"request_body": Body(schema_ref=ref)}),
            )
        }
    )
    reporter = Reporter()
    # Act
    files = render_plan(plan(spec, "spec.md", project, reporter), "spec.md")
    # Assert
    assert [d.code for d in reporter.diagnostics] == ["B040"]
    assert words in reporter.diagnostics[0].message
    assert not any("SECRET-TOKEN" in text for text in files.values())
