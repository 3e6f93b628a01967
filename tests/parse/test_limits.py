"""The documented limits (specc/limits.py, docs/guide/document-format.md "Limits") and the JSON-body checks:
input beyond a limit, or that the reader would silently change, is a located diagnostic, never a traceback.

Each reproduction of issue 9 (item 10 and the low items) is a test here; tests/test_cli_limits.py runs the
same inputs through `specc check`, `specc ir` and `specc build`."""

from __future__ import annotations

import pytest

from specc.diagnostics import Diagnostic, Reporter
from specc.ir.model import ObjectShape, ScalarShape, Spec
from specc.parse import parse_spec

TABLE = """# Demo

### users

| Column | Type | Constraints |
| --- | --- | --- |
| id | BIGINT | PK, auto-increment |
| note | {type} | |
"""
TYPE_LINE = 8
TYPE_COLUMN = 10

CONTRACT = """# Demo

## API Contracts

### POST /api/users

- **Auth:** required
- **Request Body:**

```json
{body}
```
"""
BODY_LINE = 11


def _parse(text: str) -> tuple[Spec, list[Diagnostic]]:
    reporter = Reporter()
    spec = parse_spec(text, "spec.md", reporter).spec
    return spec, reporter.sorted()


def _codes(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in diagnostics]


def _body(body: str) -> tuple[Spec, list[Diagnostic]]:
    return _parse(CONTRACT.format(body=body))


# --- JSON bodies: nesting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "column"),
    [
        (
            '{"a":' * 300 + "1" + "}" * 300,
            161,
        ),  # issue 9: 300 nested objects (`specc ir` failed to serialize)
        ('{"a":' * 900 + "1" + "}" * 900, 161),  # issue 9: 900 nested objects (RecursionError)
        ('{"a":' + "[" * 500 + "1" + "]" * 500 + "}", 37),  # issue 9: 500 nested arrays
        ('{"a":' + "[" * 200 + "1" + "]" * 200 + "}", 37),  # issue 9: 200 nested arrays (B042 in build)
    ],
)
def test_parse_json_body_reports_p021_at_bracket_when_nested_past_limit(body: str, column: int) -> None:
    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert _codes(diagnostics) == [("P021", BODY_LINE, column)]
    assert "nested more than 32 levels" in diagnostics[0].message
    assert (
        diagnostics[0].hint
        == "an example needs only the shape of each field: flatten it, or use a JSONB column"
    )
    request = spec.endpoints[0].request_body
    assert request is not None and request.shape is None


def test_parse_json_body_reads_body_when_nested_exactly_at_limit() -> None:
    # Arrange
    body = '{"a":' + "[" * 31 + "1" + "]" * 31 + "}"

    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert diagnostics == []
    request = spec.endpoints[0].request_body
    assert request is not None and isinstance(request.shape, ObjectShape)


# --- JSON bodies: numbers ----------------------------------------------------------------------------------


def test_parse_json_body_reports_p021_when_integer_longer_than_limit() -> None:
    # Arrange: issue 9: a JSON integer over 4,300 digits (ValueError from int())
    body = '{"a": ' + "9" * 5000 + "}"

    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert _codes(diagnostics) == [("P021", BODY_LINE, 7)]
    assert diagnostics[0].message == "number of 5000 characters (the limit is 100)"
    request = spec.endpoints[0].request_body
    assert request is not None and request.shape is None


def test_parse_json_body_keeps_integer_of_100_digits_as_example() -> None:
    # Arrange
    body = '{"a": ' + "9" * 100 + "}"

    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert diagnostics == []
    request = spec.endpoints[0].request_body
    assert request is not None and isinstance(request.shape, ObjectShape)
    field = request.shape.fields[0].shape
    assert isinstance(field, ScalarShape) and field.example == int("9" * 100)


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1e400", "1e400 is too large for a double (it would be null)"),
        ("-1e400", "-1e400 is too large for a double (it would be null)"),
        ("1e-400", "1e-400 is too small for a double (it would be 0)"),
    ],
)
def test_parse_json_body_reports_p022_when_number_out_of_double_range(number: str, message: str) -> None:
    # Act
    spec, diagnostics = _body('{"ratio": ' + number + "}")

    # Assert
    assert _codes(diagnostics) == [("P022", BODY_LINE, 11)]
    assert diagnostics[0].message == message
    request = spec.endpoints[0].request_body
    assert request is not None and request.shape is None


def test_parse_json_body_accepts_zero_and_small_exponents() -> None:
    # Act
    _, diagnostics = _body('{"a": 0.0, "b": 0e400, "c": 2.5e-300, "d": -0}')

    # Assert
    assert diagnostics == []


# --- JSON bodies: strings and keys -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "column", "escape"),
    [
        ('{"a": "\\ud800"}', 8, "\\ud800"),  # issue 9: a lone surrogate value (`specc ir` cannot print it)
        ('{"\\ud800": 1}', 3, "\\ud800"),  # issue 9: ... as a key (`specc build` cannot write it)
        ('{"a": "x\\udc00y"}', 9, "\\udc00"),
        ('{"a": "\\ud83d\\ud83d\\ude00"}', 8, "\\ud83d"),
    ],
)
def test_parse_json_body_reports_p023_at_escape_when_surrogate_is_lone(
    body: str, column: int, escape: str
) -> None:
    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert _codes(diagnostics) == [("P023", BODY_LINE, column)]
    assert diagnostics[0].message == f"{escape} is a lone surrogate: it is not a character"
    request = spec.endpoints[0].request_body
    assert request is not None and request.shape is None


def test_parse_json_body_keeps_surrogate_pair_as_its_character() -> None:
    # Act
    spec, diagnostics = _body('{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}')

    # Assert
    assert diagnostics == []
    request = spec.endpoints[0].request_body
    assert request is not None and isinstance(request.shape, ObjectShape)
    examples = [f.shape.example for f in request.shape.fields if isinstance(f.shape, ScalarShape)]
    assert examples == ["\U0001f600", "\\ud800"]


def test_parse_json_body_warns_p024_at_second_key_when_key_repeats() -> None:
    # Arrange: issue 9: duplicate JSON keys (last wins, silently)
    body = '{"email": "string", "name": "x", "email": "user@example.com"}'

    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert _codes(diagnostics) == [("P024", BODY_LINE, 34)]
    assert diagnostics[0].message == 'duplicate key "email": the last value wins'
    request = spec.endpoints[0].request_body
    assert request is not None and isinstance(request.shape, ObjectShape)
    assert [f.name for f in request.shape.fields] == ["email", "name"]
    email = request.shape.fields[0].shape
    assert isinstance(email, ScalarShape) and email.format == "email"


def test_parse_json_body_same_key_in_sibling_objects_is_not_a_duplicate() -> None:
    # Act
    _, diagnostics = _body('{"a": {"id": 1}, "b": [{"id": 1}, {"id": 2}], "id": 3}')

    # Assert
    assert diagnostics == []


def test_parse_json_body_escaped_spelling_of_same_key_is_a_duplicate() -> None:
    # Act
    _, diagnostics = _body('{"a": 1, "\\u0061": 2}')

    # Assert
    assert _codes(diagnostics) == [("P024", BODY_LINE, 10)]


def test_parse_json_body_reports_p021_when_body_longer_than_limit() -> None:
    # Arrange
    body = '{"a": "' + "x" * 1_048_576 + '"}'

    # Act
    spec, diagnostics = _body(body)

    # Assert
    assert _codes(diagnostics) == [("P021", BODY_LINE - 1, 1)]
    assert diagnostics[0].message == "body of 1,048,586 characters (the limit is 1,048,576); not read"
    request = spec.endpoints[0].request_body
    assert request is not None and request.shape is None


# --- column types ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_text", "message"),
    [
        ("VARCHAR(" + "9" * 5000 + ")", "VARCHAR length must be between 1 and 10,485,760"),  # issue 9
        ("NUMERIC(" + "9" * 5000 + ")", "NUMERIC precision must be between 1 and 1000"),  # issue 9
        ("VECTOR(" + "9" * 5000 + ")", "VECTOR dimensions must be between 1 and 16,000"),  # issue 9
        ("NUMERIC(10," + "9" * 5000 + ")", "NUMERIC scale must be between 0 and 1000"),
        ("VARCHAR(0)", "VARCHAR length must be between 1 and 10,485,760"),
        ("CHAR(10485761)", "CHAR length must be between 1 and 10,485,760"),
        ("NUMERIC(1001, 2)", "NUMERIC precision must be between 1 and 1000"),
        ("VECTOR(16001)", "VECTOR dimensions must be between 1 and 16,000"),
        ("VARCHAR(10, 2)", "VARCHAR takes one parameter (its length)"),
        ("NUMERIC(10, 2, 1)", "NUMERIC takes at most two parameters (precision, scale)"),
        ("ENUM('a', 'b', 'a')", "enum value 'a' appears twice"),
        ("ENUM('" + "é" * 32 + "')", "enum value 'éééééééééééééééééééé'… is longer than 63 bytes"),
    ],
)
def test_read_column_reports_p025_at_type_cell_when_parameter_out_of_range(
    type_text: str, message: str
) -> None:
    # Act
    spec, diagnostics = _parse(TABLE.format(type=type_text))

    # Assert
    assert _codes(diagnostics) == [("P025", TYPE_LINE, TYPE_COLUMN)]
    assert diagnostics[0].message == f"column 'note': {message}"
    assert diagnostics[0].hint is not None and diagnostics[0].hint.startswith(
        ("use a value", "list each", "PostgreSQL")
    )
    assert spec.tables[0].columns[1].type == type_text


@pytest.mark.parametrize("type_text", ["VARCHAR(10485760)", "NUMERIC(1000,1000)", "VECTOR(16000)", "CHAR(1)"])
def test_read_column_accepts_parameters_at_postgresql_limits(type_text: str) -> None:
    # Act
    spec, diagnostics = _parse(TABLE.format(type=type_text))

    # Assert
    assert diagnostics == []
    assert spec.tables[0].columns[1].type == type_text


def test_read_column_reports_p021_when_type_has_more_than_6_array_dimensions() -> None:
    # Arrange: issue 9: INTEGER + 5,000 [] ("too many nested parentheses" in build)
    type_text = "INTEGER" + "[]" * 5000

    # Act
    spec, diagnostics = _parse(TABLE.format(type=type_text))

    # Assert
    assert _codes(diagnostics) == [("P021", TYPE_LINE, TYPE_COLUMN)]
    assert diagnostics[0].message == "column 'note': 5000 array dimensions (the limit is 6, as in PostgreSQL)"
    assert spec.tables[0].columns[1].type == type_text


def test_read_column_keeps_six_array_dimensions() -> None:
    # Act
    spec, diagnostics = _parse(TABLE.format(type="INTEGER[][][][][][]"))

    # Assert
    assert diagnostics == []
    assert spec.tables[0].columns[1].type == "INTEGER[][][][][][]"


def test_read_column_reports_p018_when_enum_has_no_values() -> None:
    # Arrange: issue 9 item 8: ENUM() generated `postgresql.ENUM(, name=...)`
    text = TABLE.format(type="ENUM()")

    # Act
    _, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P018", TYPE_LINE, TYPE_COLUMN)]
    assert (
        diagnostics[0].message == "column 'note': ENUM() has no values; the migration cannot create the type"
    )


def test_read_column_reports_p025_at_length_cell_when_length_column_out_of_range() -> None:
    # Arrange
    text = """# Demo

### users

| Column | Type | Length |
| --- | --- | --- |
| name | VARCHAR | {length} |
"""

    # Act
    spec, diagnostics = _parse(text.format(length="9" * 5000))

    # Assert
    assert _codes(diagnostics) == [("P025", 7, 20)]
    assert spec.tables[0].columns[0].type == "VARCHAR"


def test_read_column_length_column_keeps_array_dimensions() -> None:
    # Arrange
    text = (
        "# Demo\n\n### users\n\n| Column | Type | Length |\n| --- | --- | --- |\n| tags | VARCHAR[] | 20 |\n"
    )

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert diagnostics == []
    assert spec.tables[0].columns[0].type == "VARCHAR(20)[]"


@pytest.mark.parametrize("type_text", ["VARCHAR(²)", "VARCHAR(٣)", "NUMERIC(１０)"])
def test_read_column_does_not_read_non_ascii_digits_as_a_length(type_text: str) -> None:
    # Act
    spec, diagnostics = _parse(TABLE.format(type=type_text))

    # Assert
    assert [d.code for d in diagnostics] == ["P005"]
    assert spec.tables[0].columns[1].type == type_text


def test_read_rows_reports_p021_and_skips_row_when_cell_longer_than_limit() -> None:
    # Arrange
    text = TABLE.format(type="TEXT") + "| bio | TEXT | DEFAULT '" + "x" * 1_048_576 + "' |\n"

    # Act
    spec, diagnostics = _parse(text)

    # Assert
    assert _codes(diagnostics) == [("P021", 9, 16)]
    assert (
        diagnostics[0].message == "table cell of 1,048,586 characters (the limit is 1,048,576); row not read"
    )
    assert [c.name for c in spec.tables[0].columns] == ["id", "note"]
