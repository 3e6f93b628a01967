"""Diagnostic codes of the schema and OpenAPI writers."""

from __future__ import annotations

from specc.diagnostics import Severity, register_code

SCHEMA_REF_UNREADABLE = register_code(
    "B040",
    Severity.ERROR,
    "Referenced body schema cannot be used",
    "An API contract's body references an external JSON Schema file (`schemas/<name>.json`) that is missing, "
    "is not valid JSON, is not a JSON object, or cannot be compiled into a Pydantic model. The body is "
    "generated as an untyped `RootModel[Any]` until the file is fixed.",
    "- **Request Body:** see `schemas/register.json`",
)

SCHEMA_COMPILER_MISSING = register_code(
    "B041",
    Severity.ERROR,
    "datamodel-code-generator is not installed",
    "Bodies that reference an external JSON Schema file are compiled with datamodel-code-generator. "
    "Install it (`pip install datamodel-code-generator`) or inline the body as a JSON example.",
)

OPENAPI_INVALID = register_code(
    "B042",
    Severity.ERROR,
    "Generated OpenAPI document is invalid",
    "specc validates the OpenAPI 3.1 document it generates with openapi-spec-validator before writing it. "
    "An invalid document is a bug in specc: nothing is written. Please report it with the spec that "
    "triggers it.",
)
