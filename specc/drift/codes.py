"""Drift codes: one per kind of difference, the same for every source that can show it.

`D1…` schema (models, database, migrations), `D2…` API (the app), `D3…` tests (plan coverage), `D4…`
generated output, `D5…` the ignore rules. Severity and `disable` are set like any code's
(`[tool.specc.severity]`, `[tool.specc] disable`); `[tool.specc.drift] ignore` hides single findings
with a reason.
"""

from __future__ import annotations

from specc.diagnostics import Code, Severity, register_code

E, W = Severity.ERROR, Severity.WARNING

_SCHEMA = "Compared for the models, the database and the migrations' head alike."


def _schema(code: str, severity: Severity, title: str, text: str) -> Code:
    return register_code(code, severity, title, f"{text}\n\n{_SCHEMA}")


TABLE_MISSING = _schema(
    "D101", E, "Table in the spec is missing", "The document describes a table the other side lacks."
)
TABLE_EXTRA = _schema(
    "D102", E, "Table not in the spec", "The other side has a table the document does not describe."
)
RENAME_PENDING = _schema(
    "D103",
    E,
    "Declared rename not applied",
    "The document declares a rename (`renamed from`) that the other side has not made yet: it still has "
    "the old name.",
)
COLUMN_MISSING = _schema("D104", E, "Column in the spec is missing", "A documented column is missing.")
COLUMN_EXTRA = _schema(
    "D105",
    E,
    "Column not in the spec",
    "The other side has a column the document does not list. When a missing column of the same type is "
    "reported beside it, the message suggests it may be a rename: declare it in the document "
    "(`renamed from`), drift never assumes one.",
)
COLUMN_TYPE = _schema(
    "D106",
    E,
    "Column type differs",
    "Types are compared in canonical spelling (`varchar(255)`, `timestamptz`, `numeric(10,2)`): a length, a "
    "precision or a widened type is a difference.",
)
COLUMN_NULLABLE = _schema("D107", E, "Nullability differs", "`NOT NULL` in one place, nullable in the other.")
COLUMN_DEFAULT = _schema(
    "D108",
    E,
    "Server default differs",
    "Server defaults are normalised before comparing (`now()` and `CURRENT_TIMESTAMP`, `'x'::text` and "
    "`'x'`), so only a real difference is reported.",
)
COLUMN_AUTOINCREMENT = _schema(
    "D109", E, "Autoincrement differs", "A serial or identity column in one place, a plain one in the other."
)
ENUM_MISSING = _schema("D110", E, "Enum type missing", "A documented ENUM type does not exist.")
ENUM_EXTRA = _schema("D111", W, "Enum type not in the spec", "An ENUM type no documented column uses.")
ENUM_VALUES = _schema(
    "D112",
    E,
    "Enum values differ",
    "The values of an ENUM type, and their order (PostgreSQL sorts by declaration order), differ.",
)
PRIMARY_KEY = _schema("D113", E, "Primary key differs", "The primary key's columns differ.")
UNIQUE_MISSING = _schema("D114", E, "Unique constraint missing", "A documented UNIQUE constraint is missing.")
UNIQUE_EXTRA = _schema("D115", E, "Unique constraint not in the spec", "An undocumented UNIQUE constraint.")
CHECK_MISSING = _schema(
    "D116",
    E,
    "CHECK constraint missing",
    "A documented CHECK is missing, or its expression differs (expressions are normalised first).",
)
CHECK_EXTRA = _schema("D117", E, "CHECK constraint not in the spec", "An undocumented CHECK constraint.")
INDEX_MISSING = _schema("D118", E, "Index missing", "A documented index is missing.")
INDEX_EXTRA = _schema("D119", W, "Index not in the spec", "An index the document does not list.")
INDEX_DIFFERS = _schema(
    "D120",
    E,
    "Index differs",
    "An index of the same name has other columns, another column order, another method or uniqueness.",
)
FOREIGN_KEY_MISSING = _schema("D121", E, "Foreign key missing", "A documented foreign key is missing.")
FOREIGN_KEY_EXTRA = _schema("D122", E, "Foreign key not in the spec", "An undocumented foreign key.")
FOREIGN_KEY_DIFFERS = _schema(
    "D123",
    E,
    "Foreign key differs",
    "A foreign key on the same columns points elsewhere, or its ON DELETE / ON UPDATE action differs.",
)
NAME_DIFFERS = _schema(
    "D124",
    W,
    "Constraint or index name differs",
    "The same definition under another name: migrations address constraints by name, so a later migration "
    "generated from the document would not find it.",
)

_APP = (
    "Compared on the app's OpenAPI document (`app.openapi()`) and the one specc generates from the document, "
    "both normalised alike (see `specc.read.fastapi_openapi`)."
)


def _app(code: str, severity: Severity, title: str, text: str) -> Code:
    return register_code(code, severity, title, f"{text}\n\n{_APP}")


ENDPOINT_MISSING = _app(
    "D201",
    E,
    "Endpoint missing from the app",
    "The document describes an endpoint the app does not serve, or serves without documenting it "
    "(`include_in_schema=False`). Endpoints are matched by method and path shape: a renamed path parameter "
    "is reported as a parameter difference (D204), not as a missing endpoint.",
)
ENDPOINT_EXTRA = _app(
    "D202",
    E,
    "Endpoint not in the spec",
    "The app serves an endpoint the document does not describe. FastAPI's own documentation routes and "
    "WebSocket routes are not part of the OpenAPI document and are not compared.",
)
AUTH_DIFFERS = _app(
    "D203",
    E,
    "Authentication differs",
    "The document says an endpoint needs a bearer token and the app does not ask for one, or the reverse. "
    "The effective requirement is compared: the operation's own, else the document's global one.",
)
PARAMETER_DIFFERS = _app(
    "D204",
    E,
    "Parameter differs",
    "A query parameter is missing, extra, or differs in type or requiredness; or a path parameter, compared "
    "by position, has another name or type. Header and cookie parameters are not compared.",
)
REQUEST_FIELD_DIFFERS = _app(
    "D205",
    E,
    "Request body field differs",
    "A request body field is missing, extra, or differs in JSON type (and format), requiredness or "
    "nullability. A missing field beside an extra one of the same type is reported as both, with the rename "
    "suggested: drift never assumes one.",
)
RESPONSE_FIELD_DIFFERS = _app(
    "D206",
    E,
    "Response body field differs",
    "A success response field is missing, extra, or differs in JSON type (and format), requiredness or "
    "nullability; fields of nested objects and of list items (`items[].name`) too.",
)
STATUS_DIFFERS = _app(
    "D207",
    E,
    "Documented status codes differ",
    "A status code the document lists that the app's OpenAPI does not (or the reverse). Both documents add "
    "422 to operations with parameters or a body that do not list it, so it is compared like any status.",
)
BODY_DIFFERS = _app(
    "D208",
    E,
    "Body presence differs",
    "The document gives a request body or a success response body the app does not declare (or the reverse).",
)

CASE_MISSING = register_code(
    "D301",
    E,
    "Test-plan case has no test",
    'No test links to the case (`@pytest.mark.spec("<case id>")`): run `specc build` to get a stub for it.',
)
CASE_STUB = register_code(
    "D302",
    W,
    "Test-plan case is still a stub",
    "Only stub tests (a body that only fails) link to the case: the feature is not tested yet.",
)
CASE_VANISHED = register_code(
    "D303",
    E,
    "Test linked to a case the plan no longer has",
    "A test's `spec` marker names a case id the plan does not have: the case was deleted or renamed.",
)
TESTS_UNREADABLE = register_code(
    "D304",
    W,
    "Test file could not be read",
    "A test file is not UTF-8, has a syntax error or is too large: its links are not counted.",
)

GENERATED_STALE = register_code(
    "D401",
    E,
    "Generated output is stale",
    "`specc build --check` would change the output folder: run `specc build` and commit the result.",
)

IGNORE_EXPIRED = register_code(
    "D501",
    W,
    "Ignore rule expired",
    "An ignore rule's `until` date has passed: it no longer hides its findings. Fix them or renew the rule "
    "with a new date and reason.",
)
IGNORE_UNUSED = register_code(
    "D502",
    W,
    "Ignore rule matches nothing",
    "An ignore rule hid no finding in this run: the drift it was written for is gone; remove the rule.",
)
