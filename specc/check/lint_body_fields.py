"""Lint: the `Fields:` entries under a request body name its keys, give ranges that can be met, and do not
make optional what the database requires."""

from __future__ import annotations

from collections.abc import Iterator

from specc.check.registry import Finding, check_rule
from specc.diagnostics import Severity
from specc.ir.model import Endpoint, ObjectShape, Spec

_EXAMPLE = (
    "### POST /api/auth/register\n\n- **Auth:** None (public)\n- **Request Body:**\n  ```json\n"
    '  {{ "email": "user@example.com", "password": "string" }}\n  ```\n  - **Fields:**\n'
    "    - {entry}"
)


def _label(endpoint: Endpoint) -> str:
    return f"{endpoint.method} {endpoint.path}"


@check_rule(
    "L017",
    Severity.WARNING,
    "Fields entry for a key the request body does not have",
    "A `Fields:` entry names a key that is not a top-level key of the request body's JSON example (a typo, "
    "a renamed field, or a nested key, which entries cannot describe). Its limits apply to nothing: the "
    "generated schema does not check them. Name a key of the example.",
    _EXAMPLE.format(entry="`pasword` (string, required, 8–128 characters): Plain password"),
)
def fields_entry_without_key(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        body = endpoint.request_body
        if body is None or not isinstance(body.shape, ObjectShape):
            continue
        keys = [item.name for item in body.shape.fields]
        for entry in body.fields:
            if entry.name in keys:
                continue
            yield Finding(
                f"{_label(endpoint)} Fields entry `{entry.name}` names no key of the request body",
                (entry.span, body.span, endpoint.span),
                hint="name a top-level key of the JSON example: " + ", ".join(f"`{k}`" for k in keys[:10]),
            )


@check_rule(
    "L018",
    Severity.ERROR,
    "Fields entry with a reversed range",
    "A `Fields:` entry gives a range whose minimum is above its maximum (`128–8 characters`): no value "
    "meets it, so the generated schema would refuse every request. Write the smaller bound first.",
    _EXAMPLE.format(entry="`password` (string, required, 128–8 characters): Plain password"),
)
def fields_entry_reversed_range(spec: Spec) -> Iterator[Finding]:
    for endpoint in spec.endpoints:
        body = endpoint.request_body
        if body is None:
            continue
        for entry in body.fields:
            if entry.minimum is None or entry.maximum is None or entry.minimum <= entry.maximum:
                continue
            yield Finding(
                f"{_label(endpoint)} Fields entry `{entry.name}` has the range "
                f"{entry.minimum}–{entry.maximum}, whose minimum is above its maximum",
                (entry.span, body.span, endpoint.span),
                hint=f"write it as {entry.maximum}–{entry.minimum}",
            )


@check_rule(
    "L019",
    Severity.WARNING,
    "Fields entry makes a required column optional",
    "A `Fields:` entry marks a key `optional`, but the key's column is NOT NULL and has no DEFAULT: a "
    "request without it passes validation and then fails in the database (a 500, not a 422). Mark the entry "
    "`required`, or give the column a DEFAULT (a PATCH body, a partial update, is not affected).",
    "### users\n\n| Column | Type | Constraints |\n| --- | --- | --- |\n"
    "| id | BIGINT | PK, auto-increment |\n| email | VARCHAR(255) | NOT NULL |\n\n"
    + _EXAMPLE.format(entry="`email` (string, optional, 5–255 characters): E-mail address"),
)
def fields_entry_optional_not_null(spec: Spec) -> Iterator[Finding]:
    from specc.emit.schemas.names import resource_table, table_index
    from specc.emit.schemas.plan import covering_table

    index = table_index(spec.tables)
    for endpoint in spec.endpoints:
        body = endpoint.request_body
        if body is None or endpoint.method == "PATCH" or not isinstance(body.shape, ObjectShape):
            continue
        optional = [entry for entry in body.fields if not entry.required]
        if not optional:
            continue
        table, count = covering_table(index, body.shape, resource_table(index, endpoint, "/api"))
        if table is None or not count:
            continue
        for entry in optional:
            column = table.column(entry.name)
            if column is None or column.nullable or column.default is not None or column.autoincrement:
                continue
            yield Finding(
                f"{_label(endpoint)} Fields entry `{entry.name}` is optional, but {table.name}.{column.name} "
                "is NOT NULL without a default",
                (entry.span, body.span, endpoint.span),
                hint=f"mark `{entry.name}` required, or give {table.name}.{column.name} a DEFAULT",
            )
